using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Line;

/// <summary>What the LINE channel itself says (Content/messages.yaml, section <c>line</c>).</summary>
internal static class LineTexts
{
    public static readonly MessageKey Choose = new("line.choose");
    public static readonly MessageKey NumbersWork = new("line.numbers-work");
    public static readonly MessageKey Image = new("line.image");
    public static readonly MessageKey Untitled = new("line.untitled");
    public static readonly MessageKey OneToOneOnly = new("line.one-to-one-only");
    public static readonly MessageKey ThanksForFollowing = new("line.thanks-for-following");
    public static readonly MessageKey ThanksForUnblocking = new("line.thanks-for-unblocking");
    public static readonly MessageKey FollowOpens = new("line.follow-opens");
    public static readonly MessageKey Sticker = new("line.sticker");
    public static readonly MessageKey Media = new("line.media");
    public static readonly MessageKey Location = new("line.location");
    public static readonly MessageKey Unreadable = new("line.unreadable");
    public static readonly MessageKey SlowDown = new("line.slow-down");
}
