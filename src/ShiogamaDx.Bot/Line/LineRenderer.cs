using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// Channel-neutral replies → LINE messages within LINE's limits. Large text and few, clear buttons: many of the
/// city's residents are elderly. Whatever a button offers can also be typed (label or number), so a label cut to
/// fit keeps the full text as what is sent.
/// </summary>
internal static class LineRenderer
{
    public const int MaxTextLength = 5_000;
    public const int MaxMessagesPerCall = 5;
    public const int MaxQuickReplyItems = 13;
    public const int MaxLabelGraphemes = 20;
    public const int MaxAltText = 1_500;
    public const int MaxBubbles = 12;
    public const int MaxPostbackData = 300;
    public const int MaxDisplayText = 300;
    public const int MaxUri = 1_000;

    public static List<LineMessage> Render(IEnumerable<Reply> replies, MessageSet words)
    {
        var messages = new List<LineMessage>();
        foreach (var reply in replies)
        {
            messages.AddRange(reply switch
            {
                TextReply t => Texts(t.Text),
                PassagesReply p => p.Passages.SelectMany(Texts),
                ChoicesReply c => Choices(c, words),
                CardsReply c => Cards(c, words),
                TableReply t => [Table(t, words)],
                ImageReply i => [Image(i, words)],
                _ => [],
            });
        }

        // LINE shows quick reply buttons only under the last message of a call: keep them there.
        var lastWithQuickReply = messages.FindLastIndex(m => m.QuickReply is not null);
        if (lastWithQuickReply >= 0 && lastWithQuickReply != messages.Count - 1 && messages[^1].QuickReply is null)
        {
            messages[^1] = messages[^1] with { QuickReply = messages[lastWithQuickReply].QuickReply };
            messages[lastWithQuickReply] = messages[lastWithQuickReply] with { QuickReply = null };
        }

        return messages;
    }

    /// <summary>Groups of at most 5 (one API call each). With more than 5, adjacent plain texts are merged first.</summary>
    public static List<List<LineMessage>> Batch(List<LineMessage> messages)
    {
        if (messages.Count > MaxMessagesPerCall)
        {
            var merged = new List<LineMessage>();
            foreach (var message in messages)
            {
                if (merged.Count > 0 && merged[^1] is LineTextMessage { QuickReply: null } previous && message is LineTextMessage next
                    && previous.Text.Length + 2 + next.Text.Length <= MaxTextLength)
                {
                    merged[^1] = new LineTextMessage(previous.Text + "\n\n" + next.Text) { QuickReply = next.QuickReply };
                }
                else
                {
                    merged.Add(message);
                }
            }

            messages = merged;
        }

        return messages.Chunk(MaxMessagesPerCall).Select(c => c.ToList()).ToList();
    }

    /// <summary>The retry key of batch <paramref name="index"/>: the stored UUID itself for the first, derived from it for the rest.</summary>
    public static Guid BatchRetryKey(Guid key, int index)
    {
        if (index == 0)
        {
            return key;
        }

        return DeriveKey(key.ToString("N") + ":" + index.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A stable UUID (version 4 layout) from any text, so the same outbox row always pushes with the same key.</summary>
    public static Guid DeriveKey(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (little-endian Guid layout)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    public static IEnumerable<LineTextMessage> Texts(string text) =>
        SplitText(text).Select(part => new LineTextMessage(part));

    /// <summary>Splits at a blank line, a line break or a full stop before the limit; never inside a character.</summary>
    public static List<string> SplitText(string text, int max = MaxTextLength)
    {
        var parts = new List<string>();
        text = text.Trim();
        while (text.Length > max)
        {
            var window = text[..max];
            var cut = Best(window, "\n\n", max) ?? Best(window, "\n", max) ?? Best(window, "。", max, keep: true) ?? max;
            if (char.IsHighSurrogate(text[cut - 1]))
            {
                cut--;
            }

            parts.Add(text[..cut].TrimEnd());
            text = text[cut..].TrimStart();
        }

        if (text.Length > 0)
        {
            parts.Add(text);
        }

        return parts;

        static int? Best(string window, string separator, int max, bool keep = false)
        {
            var at = window.LastIndexOf(separator, StringComparison.Ordinal);
            return at >= max / 2 ? at + (keep ? separator.Length : 0) : null;
        }
    }

    public static string Truncate(string text, int maxGraphemes)
    {
        text = text.Trim();
        var info = new StringInfo(text);
        return info.LengthInTextElements <= maxGraphemes ? text : info.SubstringByTextElements(0, maxGraphemes - 1) + "…";
    }

    private static List<LineMessage> Choices(ChoicesReply reply, MessageSet words)
    {
        var prompt = string.IsNullOrWhiteSpace(reply.Prompt) ? words[LineTexts.Choose] : reply.Prompt.Trim();
        var cut = reply.Choices.Count > MaxQuickReplyItems || reply.Choices.Any(c => new StringInfo(c.Label.Trim()).LengthInTextElements > MaxLabelGraphemes);
        if (cut)
        {
            // Buttons cannot show everything: the numbered list can, and a number typed works as well as a tap.
            var list = new StringBuilder(prompt);
            for (var i = 0; i < reply.Choices.Count; i++)
            {
                list.Append('\n').Append(i + 1).Append(". ").Append(reply.Choices[i].Label.Trim());
            }

            list.Append('\n').Append(words[LineTexts.NumbersWork]);
            prompt = list.ToString();
        }

        var items = reply.Choices.Take(MaxQuickReplyItems).Select(c => new LineQuickReplyItem(ChoiceAction(c))).ToList();
        var texts = SplitText(prompt).Select(p => (LineMessage)new LineTextMessage(p)).ToList();
        if (items.Count > 0)
        {
            texts[^1] = texts[^1] with { QuickReply = new LineQuickReply(items) };
        }

        return texts;
    }

    private static LineAction ChoiceAction(Choice choice)
    {
        var label = Truncate(choice.Label, MaxLabelGraphemes);
        var full = choice.Label.Trim();
        if (choice.Value is { } data && data.Length <= MaxPostbackData)
        {
            return new LinePostbackAction(label, data, Truncate(full, MaxDisplayText));
        }

        // No data, or data too long for LINE: send the label, which the engine answers as the offered choice.
        return new LineMessageAction(label, Truncate(full, MaxDisplayText));
    }

    private static LineAction? CardActionOf(CardAction action)
    {
        var label = Truncate(action.Label, MaxLabelGraphemes);
        return action.Kind switch
        {
            CardActionKind.Postback when action.Value.Length <= MaxPostbackData => new LinePostbackAction(label, action.Value, Truncate(action.Label, MaxDisplayText)),
            CardActionKind.Postback => new LineMessageAction(label, Truncate(action.Label, MaxDisplayText)),
            CardActionKind.Link when IsLinkable(action.Value) => new LineUriAction(label, action.Value),
            CardActionKind.Link => null,
            _ => new LineMessageAction(label, Truncate(string.IsNullOrWhiteSpace(action.Value) ? action.Label : action.Value, MaxDisplayText)),
        };
    }

    private static bool IsLinkable(string uri) =>
        uri.Length <= MaxUri && Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.Scheme is "https" or "http" or "tel" or "line";

    private static List<LineMessage> Cards(CardsReply reply, MessageSet words)
    {
        if (reply.Cards.Count == 0)
        {
            return string.IsNullOrWhiteSpace(reply.AltText) ? [] : [.. Texts(reply.AltText)];
        }

        var alt = Truncate(string.IsNullOrWhiteSpace(reply.AltText) ? reply.Cards[0].Title : reply.AltText, MaxAltText);
        return reply.Cards.Chunk(MaxBubbles)
            .Select(group => (LineMessage)new LineFlexMessage(alt, group.Length == 1 ? Bubble(group[0], words) : new FlexCarousel(group.Select(c => (FlexContainer)Bubble(c, words)).ToList())))
            .ToList();
    }

    private static FlexBubble Bubble(Card card, MessageSet words)
    {
        var body = new List<FlexComponent> { new FlexText(NonEmpty(card.Title, words[LineTexts.Untitled])) { Size = "xl", Weight = "bold", Wrap = true } };
        if (!string.IsNullOrWhiteSpace(card.Subtitle))
        {
            body.Add(new FlexText(card.Subtitle.Trim()) { Size = "md", Color = "#555555", Wrap = true, Margin = "sm" });
        }

        if (!string.IsNullOrWhiteSpace(card.Body))
        {
            body.Add(new FlexText(Truncate(card.Body, 1_000)) { Size = "lg", Wrap = true, Margin = "md" });
        }

        var buttons = card.Actions.Select(CardActionOf).OfType<LineAction>().Take(4)
            .Select((a, i) => (FlexComponent)new FlexButton(a) { Style = i == 0 ? "primary" : "secondary", Height = "md", Margin = i == 0 ? null : "sm" })
            .ToList();
        FlexComponent? hero = card.ImageUrl is { } url && url.StartsWith("https://", StringComparison.Ordinal) && url.Length <= 2_000
            ? new FlexImage(url) { Size = "full", AspectRatio = "20:13", AspectMode = "cover" }
            : null;
        return new FlexBubble(
            Header: null,
            Hero: hero,
            Body: new FlexBox("vertical", body) { Spacing = "sm" },
            Footer: buttons.Count > 0 ? new FlexBox("vertical", buttons) : null,
            Size: "giga");
    }

    private static LineMessage Table(TableReply table, MessageSet words)
    {
        var columns = Math.Max(table.Headers.Count, table.Rows.Count == 0 ? 0 : table.Rows.Max(r => r.Count));
        if (columns is 0 or > 4 || table.Rows.Count > 20)
        {
            return new LineTextMessage(Truncate(TableAsText(table), MaxTextLength));
        }

        var body = new List<FlexComponent> { new FlexText(NonEmpty(table.Title, words[LineTexts.Untitled])) { Size = "xl", Weight = "bold", Wrap = true } };
        if (table.Headers.Count > 0)
        {
            body.Add(Row(table.Headers, bold: true));
            body.Add(new FlexSeparator { Margin = "sm" });
        }

        body.AddRange(table.Rows.Select(r => Row(r, bold: false)));
        if (!string.IsNullOrWhiteSpace(table.Note))
        {
            body.Add(new FlexText(table.Note.Trim()) { Size = "sm", Color = "#555555", Wrap = true, Margin = "md" });
        }

        return new LineFlexMessage(Truncate(TableAsText(table), MaxAltText), new FlexBubble(null, null, new FlexBox("vertical", body) { Spacing = "sm" }, null, "giga"));

        static FlexComponent Row(IReadOnlyList<string> cells, bool bold) =>
            new FlexBox("horizontal", cells.Select(c => (FlexComponent)new FlexText(NonEmpty(c, "-")) { Size = "md", Wrap = true, Flex = 1, Weight = bold ? "bold" : null }).ToList())
            {
                Spacing = "sm",
                Margin = "sm",
            };
    }

    private static string TableAsText(TableReply table)
    {
        var sb = new StringBuilder(table.Title.Trim());
        if (table.Headers.Count > 0)
        {
            sb.Append('\n').Append(string.Join("｜", table.Headers));
        }

        foreach (var row in table.Rows)
        {
            sb.Append('\n').Append(string.Join("｜", row));
        }

        if (!string.IsNullOrWhiteSpace(table.Note))
        {
            sb.Append('\n').Append(table.Note.Trim());
        }

        return sb.ToString();
    }

    private static LineMessage Image(ImageReply image, MessageSet words)
    {
        if (image.Url.Scheme == Uri.UriSchemeHttps && image.PreviewUrl.Scheme == Uri.UriSchemeHttps
            && image.Url.AbsoluteUri.Length <= 2_000 && image.PreviewUrl.AbsoluteUri.Length <= 2_000)
        {
            return new LineImageMessage(image.Url.AbsoluteUri, image.PreviewUrl.AbsoluteUri);
        }

        // LINE shows only https images: give the link instead of nothing.
        return new LineTextMessage(NonEmpty(image.AltText, words[LineTexts.Image]) + "\n" + image.Url.AbsoluteUri);
    }

    private static string NonEmpty(string? text, string fallback) => string.IsNullOrWhiteSpace(text) ? fallback : text.Trim();
}
