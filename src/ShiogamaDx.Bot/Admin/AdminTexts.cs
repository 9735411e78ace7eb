using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Admin;

/// <summary>What the office reads on the operations pages (Content/messages.yaml, section <c>admin</c>).</summary>
internal static class AdminTexts
{
    public static readonly MessageKey WaitTitle = new("admin.wait-title");
    public static readonly MessageKey WaitText = new("admin.wait-text", "seconds");
    public static readonly MessageKey WaitLink = new("admin.wait-link");
}
