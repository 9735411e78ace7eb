using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>What the engine and the dialog runtime say (Content/messages.yaml, section <c>conversations</c>).</summary>
internal static class ConversationTexts
{
    public static readonly MessageKey ButtonInvalid = new("conversations.button-invalid");
    public static readonly MessageKey Expired = new("conversations.expired");
    public static readonly MessageKey ButtonFinished = new("conversations.button-finished");
    public static readonly MessageKey Yes = new("conversations.yes");
    public static readonly MessageKey No = new("conversations.no");
    public static readonly MessageKey Cancelled = new("conversations.cancelled", "title");
    public static readonly MessageKey Restarted = new("conversations.restarted");
    public static readonly MessageKey NotAccepted = new("conversations.not-accepted");
    public static readonly MessageKey GaveUp = new("conversations.gave-up", "title");
    public static readonly MessageKey OldButton = new("conversations.old-button");
    public static readonly MessageKey Empty = new("conversations.empty");
    public static readonly MessageKey ChooseOne = new("conversations.choose-one", "choices");
    public static readonly MessageKey ChoiceQuoted = new("conversations.choice-quoted", "label");
    public static readonly MessageKey NumberExpected = new("conversations.number-expected");
    public static readonly MessageKey NumberRange = new("conversations.number-range", "min", "max");
    public static readonly MessageKey DateExpected = new("conversations.date-expected");
    public static readonly MessageKey DateLabel = new("conversations.date-label", "month", "day");
    public static readonly MessageKey TooLong = new("conversations.too-long", "max", "length");
    public static readonly MessageKey Help = new("conversations.help");
    public static readonly MessageKey Apology = new("conversations.apology");
}
