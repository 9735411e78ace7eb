using System.Text;
using System.Text.Json.Nodes;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Staff;

/// <summary>
/// Channel-neutral replies as Bot Framework message activities: text as markdown, choices and cards as
/// Adaptive Cards 1.5 with a plain-text fallback, tables as an Adaptive Card Table. Buttons carry our
/// postback (or the label) in their submit data, so a press and a typed label or number answer alike.
/// </summary>
internal static class AdaptiveCardRenderer
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";
    public const string CardVersion = "1.5";

    /// <summary>Channels that draw Adaptive Cards; the others get text and suggested actions.</summary>
    private static readonly HashSet<string> CardChannels = new(StringComparer.OrdinalIgnoreCase) { "msteams", "webchat", "directline", "emulator" };

    public static IReadOnlyList<Activity> Render(IEnumerable<Reply> replies, string? channelId = null) => replies.Select(r => Render(r, channelId)).ToList();

    /// <param name="channelId">The conversation's channel; unknown (null) counts as Teams, the staff channel of the city.</param>
    public static Activity Render(Reply reply, string? channelId = null) => reply switch
    {
        TextReply t => Message(t.Text),

        // One message per answer: the best passage as text, the others folded behind a button under it.
        PassagesReply p when RendersCards(channelId) && p.Passages.Count > 1 => Message(p.Passages[0], [CardAttachment(MorePassagesCard(p))]),
        PassagesReply p => Message(null) with
        {
            Text = string.Join("\n\n---\n\n", p.Passages.Select(TeamsText.Markdown)),
            TextFormat = "markdown",
        },

        // One set of choices: a card where the channel draws one (in Teams suggested actions would repeat the
        // card's buttons), else the numbered text with suggested actions.
        ChoicesReply c when RendersCards(channelId) => Message(null, [CardAttachment(ChoicesCard(c))]) with { Summary = c.Prompt },
        ChoicesReply c => Message(ChoicesText(c)) with
        {
            SuggestedActions = new SuggestedActions(c.Choices.Select(x => new CardActionDto("imBack", x.Label, x.Label)).ToList()),
        },
        CardsReply c => Message(null, c.Cards.Select(card => CardAttachment(Card(card))).ToList()) with
        {
            Summary = c.AltText,
            AttachmentLayout = c.Cards.Count > 1 ? "carousel" : null,
        },
        TableReply t => Message(null, [CardAttachment(TableCard(t))]) with { Summary = t.Title },
        ImageReply i => Message(null, [new Attachment(ImageContentType(i.Url), ContentUrl: i.Url.AbsoluteUri, Name: i.AltText)]) with { Summary = i.AltText },
        _ => Message(Cli.TerminalChat.Render([reply])),
    };

    public static bool RendersCards(string? channelId) => channelId is null || CardChannels.Contains(channelId);

    /// <summary>All replies in one card: the answer to a card action (invoke), which replaces the card pressed.</summary>
    public static JsonObject CombinedCard(IReadOnlyList<Reply> replies)
    {
        var body = new JsonArray();
        var actions = new JsonArray();
        foreach (var reply in replies)
        {
            var card = reply switch
            {
                TextReply t => NewCard(t.Text, TextBlocks(t.Text), []),
                PassagesReply p => NewCard(string.Join("\n\n", p.Passages), PassageBlocks(p.Passages), []),
                ChoicesReply c => ChoicesCard(c),
                CardsReply c => c.Cards.Count > 0 ? Card(c.Cards[0]) : NewCard(c.AltText, [TextBlock(c.AltText)], []),
                TableReply t => TableCard(t),
                ImageReply i => NewCard(i.AltText, [Image(i.Url.AbsoluteUri, i.AltText)], []),
                _ => NewCard(Cli.TerminalChat.Render([reply]), TextBlocks(Cli.TerminalChat.Render([reply])), []),
            };
            foreach (var element in card["body"]!.AsArray().ToList())
            {
                body.Add(element!.DeepClone());
            }

            foreach (var action in card["actions"]?.AsArray().ToList() ?? [])
            {
                actions.Add(action!.DeepClone());
            }
        }

        return NewCard(Cli.TerminalChat.Render(replies), body, actions);
    }

    /// <summary>A message; its text laid out as markdown Teams keeps line by line (see <see cref="TeamsText"/>).</summary>
    private static Activity Message(string? text, IReadOnlyList<Attachment>? attachments = null) => new()
    {
        Type = "message",
        Text = text is null ? null : TeamsText.Markdown(text),
        TextFormat = text is null ? null : "markdown",
        Attachments = attachments,
        Locale = "ja-JP",
    };

    private static Attachment CardAttachment(JsonObject card) => new(CardContentType, card);

    private static string ChoicesText(ChoicesReply c)
    {
        var text = new StringBuilder(c.Prompt);
        for (var i = 0; i < c.Choices.Count; i++)
        {
            text.Append('\n').Append(i + 1).Append(". ").Append(c.Choices[i].Label);
        }

        return text.ToString();
    }

    private static JsonObject ChoicesCard(ChoicesReply c)
    {
        var actions = new JsonArray(c.Choices.Select(x => x.Value is null ? (JsonNode)SubmitText(x.Label, x.Label) : SubmitPostback(x.Label, x.Value)).ToArray());
        return NewCard(ChoicesText(c), TextBlocks(c.Prompt), actions);
    }

    private static JsonObject Card(Card card)
    {
        var body = new JsonArray();
        if (card.ImageUrl is { Length: > 0 } image)
        {
            body.Add(Image(image, card.Title));
        }

        body.Add(TextBlock(card.Title, bolder: true, size: "Medium"));
        if (card.Subtitle is { Length: > 0 } subtitle)
        {
            body.Add(TextBlock(subtitle, subtle: true));
        }

        foreach (var block in TeamsText.TextBlocks(card.Body))
        {
            body.Add(block);
        }

        var actions = new JsonArray(card.Actions.Select(a => a.Kind switch
        {
            CardActionKind.Link => (JsonNode)new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = a.Label, ["url"] = a.Value },
            CardActionKind.Postback => SubmitPostback(a.Label, a.Value),
            _ => SubmitText(a.Label, a.Value),
        }).ToArray());

        var fallback = new StringBuilder(card.Title);
        if (card.Body.Length > 0)
        {
            fallback.Append('\n').Append(card.Body);
        }

        foreach (var a in card.Actions.Where(a => a.Kind == CardActionKind.Link))
        {
            fallback.Append('\n').Append(a.Label).Append(": ").Append(a.Value);
        }

        return NewCard(fallback.ToString(), body, actions);
    }

    private static JsonObject MorePassagesCard(PassagesReply p)
    {
        var others = p.Passages.Skip(1).ToList();
        var folded = new JsonObject { ["type"] = "AdaptiveCard", ["body"] = PassageBlocks(others) };
        var show = new JsonObject { ["type"] = "Action.ShowCard", ["title"] = p.MoreLabel, ["card"] = folded };
        return NewCard(p.MoreLabel + "\n\n" + string.Join("\n\n", others), [], [show]);
    }

    /// <summary>Passages one after another, each after a separator line.</summary>
    private static JsonArray PassageBlocks(IEnumerable<string> passages)
    {
        var body = new JsonArray();
        foreach (var passage in passages)
        {
            var first = body.Count;
            foreach (var block in TeamsText.TextBlocks(passage))
            {
                body.Add(block);
            }

            if (first > 0 && body.Count > first)
            {
                body[first]!["separator"] = true;
                body[first]!["spacing"] = "Large";
            }
        }

        return body;
    }

    private static JsonObject TableCard(TableReply t)
    {
        var columns = new JsonArray(ColumnWeights(t).Select(w => (JsonNode)new JsonObject { ["width"] = w }).ToArray());
        var rows = new JsonArray { Row(t.Headers) };
        foreach (var row in t.Rows)
        {
            rows.Add(Row(row));
        }

        var body = new JsonArray { TextBlock(t.Title, bolder: true, size: "Medium") };
        if (t.Chart is { } chart)
        {
            body.Add(ChartImage(chart));
        }

        body.Add(new JsonObject
            {
                ["type"] = "Table",
                ["columns"] = columns,
                ["rows"] = rows,
                ["firstRowAsHeaders"] = true,
                ["showGridLines"] = true,
            });
        if (t.Note is { Length: > 0 } note)
        {
            body.Add(TextBlock(note, subtle: true));
        }

        var fallback = new StringBuilder(t.Title).Append('\n').AppendJoin(" | ", t.Headers);
        foreach (var row in t.Rows)
        {
            fallback.Append('\n').AppendJoin(" | ", row);
        }

        if (t.Note is { Length: > 0 })
        {
            fallback.Append('\n').Append(t.Note);
        }

        var card = NewCard(fallback.ToString(), body, []);
        if (t.Chart is not null && Encoding.UTF8.GetByteCount(card.ToJsonString()) > MaxCardBytes)
        {
            body.RemoveAt(1); // the table and the chart's figures in words stay; only the picture is dropped
        }

        // A table needs the room: Teams draws cards narrow unless asked for the full width.
        card["msteams"] = new JsonObject { ["width"] = "Full" };
        return card;

        static JsonObject Row(IEnumerable<string> cells) => new()
        {
            ["type"] = "TableRow",
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)new JsonObject
            {
                ["type"] = "TableCell",
                ["items"] = new JsonArray(TextBlock(c)),
            }).ToArray()),
        };
    }

    /// <summary>
    /// Relative column widths from the widest cell of each column (a full-width character counts two), the
    /// longest capped, so long names take the room rather than an equal share and short figures are not squeezed
    /// to a character a line (Teams draws the card at full width; narrower clients wrap the names more).
    /// </summary>
    internal static IReadOnlyList<int> ColumnWeights(TableReply t)
    {
        const int Padding = 2;
        const int Min = 6;
        const int Cap = 32;
        return t.Headers.Select((header, i) =>
        {
            var widest = t.Rows.Select(r => i < r.Count ? DisplayWidth(r[i]) : 0).Append(DisplayWidth(header)).Max();
            return Math.Clamp(widest, Min, Cap) + Padding;
        }).ToList();
    }

    private static int DisplayWidth(string text) => text.Sum(c => c < 0x1100 || c is >= '\uFF61' and <= '\uFFDC' ? 1 : 2);

    private static JsonArray TextBlocks(string text) => new(TeamsText.TextBlocks(text).Select(b => (JsonNode)b).ToArray());

    private static JsonObject NewCard(string fallbackText, JsonArray body, JsonArray actions)
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = CardVersion,
            ["fallbackText"] = fallbackText,
            ["body"] = body,
        };
        if (actions.Count > 0)
        {
            card["actions"] = actions;
        }

        return card;
    }

    private static JsonObject TextBlock(string text, bool bolder = false, string? size = null, bool subtle = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (bolder)
        {
            block["weight"] = "Bolder";
        }

        if (size is not null)
        {
            block["size"] = size;
        }

        if (subtle)
        {
            block["isSubtle"] = true;
        }

        return block;
    }

    /// <summary>
    /// A chart travels inside the card as a data URI (Adaptive Cards 1.2+ Image.url; Teams draws it, and so do Web
    /// Chat and the Agents Playground). Not a link to the host: Teams' clients and image proxy fetch card images
    /// without the dashboard's sign-in, the host may sit on the city's closed network, and a short-lived signed link
    /// would leave an empty frame in the chat history once it expired. The cost is size: see <see cref="MaxCardBytes"/>.
    /// </summary>
    private static JsonObject ChartImage(ChartImage chart) => new()
    {
        ["type"] = "Image",
        ["url"] = "data:image/png;base64," + Convert.ToBase64String(chart.Png),
        ["altText"] = chart.AltText,
        ["size"] = "Auto", // its own size, narrowed to fit a phone, never blown up blurry
    };

    /// <summary>
    /// Teams refuses a bot message over its size limit with 413 MessageSizeTooBig. Microsoft has documented 28 KB,
    /// 40 KB and now 100 KB (that without base64 images), and 25 KB is still quoted for cards with images inline: a
    /// card with a chart stays under 24,000 bytes so that the activity around it stays under the smallest of these.
    /// </summary>
    public const int MaxCardBytes = 24_000;

    private static JsonObject Image(string url, string alt) => new() { ["type"] = "Image", ["url"] = url, ["altText"] = alt };

    private static JsonObject SubmitPostback(string label, string postback) => new()
    {
        ["type"] = "Action.Submit",
        ["title"] = label,
        ["data"] = new JsonObject { [StaffActivities.PostbackField] = postback },
    };

    /// <summary>Teams' imBack hint shows the label in the chat as if typed; other channels send the data.</summary>
    private static JsonObject SubmitText(string label, string text) => new()
    {
        ["type"] = "Action.Submit",
        ["title"] = label,
        ["data"] = new JsonObject
        {
            [StaffActivities.TextField] = text,
            ["msteams"] = new JsonObject { ["type"] = "imBack", ["value"] = text },
        },
    };

    private static string ImageContentType(Uri url) => Path.GetExtension(url.AbsolutePath).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        _ => "image/png",
    };
}
