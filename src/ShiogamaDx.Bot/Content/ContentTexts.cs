using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Content;

/// <summary>What the office reads in the staff chat about its edits (Content/messages.yaml, section <c>content</c>).</summary>
internal static class ContentTexts
{
    public static readonly MessageKey ReloadRefused = new("content.reload-refused", "count", "problems");
    public static readonly MessageKey ReloadProblem = new("content.reload-problem", "file", "line", "reason");
    public static readonly MessageKey ReloadMore = new("content.reload-more", "count");
    public static readonly MessageKey ReloadFixed = new("content.reload-fixed");
}
