using System.Text.Json.Serialization;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// Channel-neutral reply. Each channel renders these its own way (LINE: text, quick reply, Flex;
/// staff chat: Adaptive Cards; terminal: numbered lists).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(TextReply), "text")]
[JsonDerivedType(typeof(ChoicesReply), "choices")]
[JsonDerivedType(typeof(CardsReply), "cards")]
[JsonDerivedType(typeof(TableReply), "table")]
[JsonDerivedType(typeof(ImageReply), "image")]
[JsonDerivedType(typeof(PassagesReply), "passages")]
public abstract record Reply;

public sealed record TextReply(string Text) : Reply;

/// <summary>A question with a few answers. Every choice can also be answered by typing its label or number.</summary>
public sealed record ChoicesReply(string Prompt, IReadOnlyList<Choice> Choices) : Reply;

/// <param name="Label">What the person sees and may type.</param>
/// <param name="Value">Postback data sent when pressed; null means "send the label as text".</param>
public sealed record Choice(string Label, string? Value = null)
{
    /// <summary>The route of a choice that sends a text other than its label (<see cref="Sending"/>).</summary>
    public const string SendsHandler = "say";

    public string Input => Value ?? Label;

    /// <summary>
    /// A choice that shows one label and, pressed (or its number or label typed), is answered as if
    /// <paramref name="text"/> were typed: a menu item shown in another wording (やさしい日本語) reaches what the
    /// item's own label reaches. The engine turns it back into the text before anything else reads the turn.
    /// </summary>
    public static Choice Sending(string label, string text) =>
        label == text ? new Choice(label) : new Choice(label, Postback.Create(SendsHandler, "text", ("t", text)));
}

public sealed record CardsReply(string AltText, IReadOnlyList<Card> Cards) : Reply;

public sealed record Card(string Title, string Body, IReadOnlyList<CardAction> Actions, string? ImageUrl = null, string? Subtitle = null);

public enum CardActionKind
{
    /// <summary>Sends data back to the bot (registration, survey answers).</summary>
    Postback,

    /// <summary>Opens a web page (online application).</summary>
    Link,

    /// <summary>Sends the label as if the person typed it.</summary>
    Message,
}

public sealed record CardAction(string Label, CardActionKind Kind, string Value);

/// <param name="Chart">A picture of the same figures, for channels that draw images; the rows stay the text of record.</param>
public sealed record TableReply(string Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, string? Note = null, ChartImage? Chart = null) : Reply;

/// <summary>A small PNG rendered on the server; <paramref name="AltText"/> holds its figures in words (screen readers).</summary>
public sealed record ChartImage(byte[] Png, int Width, int Height, string AltText);

public sealed record ImageReply(Uri Url, Uri PreviewUrl, string AltText) : Reply;

/// <summary>
/// One answer drawn from several passages, best first. A channel that can fold content shows the first and keeps
/// the others behind <paramref name="MoreLabel"/> (one message per answer); the others show them one after another.
/// </summary>
public sealed record PassagesReply(IReadOnlyList<string> Passages, string MoreLabel) : Reply;
