namespace ShiogamaDx.Bot.Conversations;

/// <summary>Who is talking decides what they may reach: residents never reach staff features and the reverse.</summary>
public enum Audience
{
    Resident,
    Staff,
}

/// <summary>One turn from any channel, already translated out of the channel's own format.</summary>
/// <param name="Channel">"line", "staff", "terminal" …</param>
/// <param name="UserKey">Pseudonymous, stable key of the person (never a raw LINE user id).</param>
/// <param name="ConversationKey">Key of the conversation whose state this turn continues.</param>
/// <param name="Text">What was typed, if anything.</param>
/// <param name="PostbackData">Data of a pressed button, if any (untrusted: it came from the client).</param>
/// <param name="Parameters">Extra values a channel carries (date picker result, card submit fields).</param>
/// <param name="SenderName">The name the channel shows for a staff member (Teams), for colleagues to read; never for residents.</param>
/// <param name="InGroup">Said in a group chat or a channel, not in a one-to-one chat with the bot.</param>
public sealed record IncomingMessage(
    string Channel,
    Audience Audience,
    string UserKey,
    string ConversationKey,
    string? Text,
    string? PostbackData,
    DateTimeOffset Time,
    string Locale = "ja-JP",
    IReadOnlyDictionary<string, string>? Parameters = null,
    string? SenderName = null,
    bool InGroup = false)
{
    /// <summary>The longest text the engine reads; the rest is ignored rather than rejected.</summary>
    public const int MaxTextLength = 2_000;

    public static IncomingMessage FromText(string channel, Audience audience, string userKey, string text, DateTimeOffset time) =>
        new(channel, audience, userKey, userKey, text, null, time);

    public static IncomingMessage FromPostback(string channel, Audience audience, string userKey, string data, DateTimeOffset time) =>
        new(channel, audience, userKey, userKey, null, data, time);
}
