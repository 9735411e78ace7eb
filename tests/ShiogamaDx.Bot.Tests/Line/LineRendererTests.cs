using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Conversations;

namespace ShiogamaDx.Bot.Tests.Line;

public sealed class LineRendererTests
{
    [Fact]
    public void LongText_IsSplitAtLineBreaks_WithinFiveThousandCharacters()
    {
        var paragraph = string.Concat(Enumerable.Repeat("塩竈市のオンライン手続きのご案内です。", 20)); // 380 chars
        var text = string.Join("\n", Enumerable.Repeat(paragraph, 30)); // ~11,400 chars

        var messages = LineRenderer.Render([new TextReply(text)], RepoPaths.Messages);

        Assert.Equal(3, messages.Count);
        Assert.All(messages.Cast<LineTextMessage>(), m => Assert.InRange(m.Text.Length, 1, 5000));
        Assert.All(messages.Cast<LineTextMessage>(), m => Assert.EndsWith("。", m.Text, StringComparison.Ordinal));
        Assert.Equal(text.Replace("\n", string.Empty, StringComparison.Ordinal), string.Concat(messages.Cast<LineTextMessage>().Select(m => m.Text)).Replace("\n", string.Empty, StringComparison.Ordinal));
        AssertValidPushes(messages);
    }

    [Fact]
    public void TextWithoutBreaks_IsNeverSplitInsideASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 3000)); // 6,000 UTF-16 units

        var parts = LineRenderer.SplitText(text);

        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p[^1])));
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void Choices_BecomeQuickReplies_WithPostbackOrMessageActions()
    {
        var reply = new ChoicesReply("どちらにしますか。", [new Choice("申し込む", "h=classes&a=register&id=3&sig=abc"), new Choice("やめる")]);

        var message = Assert.IsType<LineTextMessage>(Assert.Single(LineRenderer.Render([reply], RepoPaths.Messages)));

        Assert.Equal("どちらにしますか。", message.Text);
        var actions = message.QuickReply!.Items.Select(i => i.Action).ToList();
        var postback = Assert.IsType<LinePostbackAction>(actions[0]);
        Assert.Equal("h=classes&a=register&id=3&sig=abc", postback.Data);
        Assert.Equal("申し込む", postback.DisplayText);
        var typed = Assert.IsType<LineMessageAction>(actions[1]);
        Assert.Equal("やめる", typed.Text);
        AssertValidPushes([message]);
    }

    [Fact]
    public void ManyChoicesWithLongLabels_KeepThirteenButtons_AndListEveryChoiceByNumber()
    {
        var choices = Enumerable.Range(1, 16).Select(i => new Choice($"とても長い名前の手続きその{i}（オンライン申請・窓口申請）", null)).ToList();

        var message = Assert.IsType<LineTextMessage>(Assert.Single(LineRenderer.Render([new ChoicesReply("選んでください。", choices)], RepoPaths.Messages)));

        Assert.Equal(13, message.QuickReply!.Items.Count);
        Assert.All(message.QuickReply.Items, i => Assert.InRange(new StringInfo(i.Action.Label).LengthInTextElements, 1, 20));
        Assert.Contains("16. とても長い名前の手続きその16（オンライン申請・窓口申請）", message.Text, StringComparison.Ordinal);
        // A cut label still sends the full text, which the engine matches to the offered choice.
        Assert.Equal(choices[0].Label, ((LineMessageAction)message.QuickReply.Items[0].Action).Text);
        AssertValidPushes([message]);
    }

    [Fact]
    public void LabelWithEmoji_IsTruncatedByGraphemes()
    {
        var label = string.Concat(Enumerable.Repeat("👨‍👩‍👧", 25));

        var cut = LineRenderer.Truncate(label, 20);

        Assert.Equal(20, new StringInfo(cut).LengthInTextElements);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
    }

    [Fact]
    public void PostbackDataOver300Characters_IsSentAsTheLabelInstead()
    {
        var reply = new ChoicesReply("選んでください。", [new Choice("はい", "h=x&a=y&d=" + new string('a', 400))]);

        var message = Assert.Single(LineRenderer.Render([reply], RepoPaths.Messages));

        Assert.IsType<LineMessageAction>(message.QuickReply!.Items[0].Action);
        AssertValidPushes([message]);
    }

    [Fact]
    public void Cards_BecomeFlexCarousels_OfAtMostTwelveBubbles()
    {
        var cards = Enumerable.Range(1, 15).Select(i => new Card(
            $"住民票の写しの請求 {i}",
            "マイナンバーカードでオンライン申請できます。手数料はオンラインで支払えます。",
            [
                new CardAction("オンラインで申請", CardActionKind.Link, "https://www.city.shiogama.miyagi.jp/"),
                new CardAction("詳しく", CardActionKind.Postback, $"h=procedures&a=show&id={i}&sig=x"),
                new CardAction("ほかを探す", CardActionKind.Message, "オンライン手続き"),
            ],
            ImageUrl: "https://example.org/a.png",
            Subtitle: "市民課")).ToList();

        var messages = LineRenderer.Render([new CardsReply(new string('あ', 2000), cards)], RepoPaths.Messages);

        Assert.Equal(2, messages.Count);
        var first = Assert.IsType<LineFlexMessage>(messages[0]);
        Assert.Equal(12, Assert.IsType<FlexCarousel>(first.Contents).Contents.Count);
        Assert.True(first.AltText.Length <= 1500);
        Assert.Equal(3, Assert.IsType<FlexCarousel>(((LineFlexMessage)messages[1]).Contents).Contents.Count);
        var json = JsonSerializer.Serialize(messages, LineMessageJson.Default.ListLineMessage);
        Assert.Contains("\"type\":\"uri\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"postback\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"message\"", json, StringComparison.Ordinal);
        AssertValidPushes(messages);
    }

    [Fact]
    public void SingleCard_BecomesOneBubble()
    {
        var card = new Card("スマホ教室", "11月30日 10:00 公民館", [new CardAction("申し込む", CardActionKind.Postback, "h=classes&a=register&id=1&sig=x")]);

        var message = Assert.IsType<LineFlexMessage>(Assert.Single(LineRenderer.Render([new CardsReply("スマホ教室のご案内", [card])], RepoPaths.Messages)));

        Assert.IsType<FlexBubble>(message.Contents);
        AssertValidPushes([message]);
    }

    [Fact]
    public void TableAndImage_RenderWithinSpec()
    {
        var table = new TableReply("KPI", ["指標", "目標", "実績"], [["電子申請手続数", "100", "80"], ["スマホ教室理解度", "80%", "85%"]], "令和8年度");
        var wide = new TableReply("広い表", ["a", "b", "c", "d", "e"], [["1", "2", "3", "4", "5"]]);
        var image = new ImageReply(new Uri("https://example.org/map.png"), new Uri("https://example.org/map-s.png"), "地図");

        var messages = LineRenderer.Render([table, wide, image], RepoPaths.Messages);

        Assert.IsType<LineFlexMessage>(messages[0]);
        Assert.Contains("広い表", Assert.IsType<LineTextMessage>(messages[1]).Text, StringComparison.Ordinal);
        Assert.IsType<LineImageMessage>(messages[2]);
        AssertValidPushes(messages);
    }

    [Fact]
    public void MoreThanFiveMessages_AreBatchedInFivesAfterMergingTexts()
    {
        List<Reply> replies = [.. Enumerable.Range(1, 6).Select(i => new TextReply($"お知らせ{i}")), new CardsReply("カード", [new Card("a", "b", [])]), new ChoicesReply("選んでください。", [new Choice("メニュー")])];

        var batches = LineRenderer.Batch(LineRenderer.Render(replies, RepoPaths.Messages));

        Assert.All(batches, b => Assert.InRange(b.Count, 1, 5));
        Assert.NotNull(batches[^1][^1].QuickReply); // quick replies stay under the very last message
        var all = string.Join("\n", batches.SelectMany(b => b).OfType<LineTextMessage>().Select(t => t.Text));
        Assert.All(Enumerable.Range(1, 6), i => Assert.Contains($"お知らせ{i}", all, StringComparison.Ordinal));
        foreach (var batch in batches)
        {
            AssertValidPushes(batch);
        }
    }

    [Fact]
    public void QuickReply_MovesToTheLastMessage()
    {
        var messages = LineRenderer.Render([new ChoicesReply("選んでください。", [new Choice("はい")]), new TextReply("補足です。")], RepoPaths.Messages);

        Assert.Null(messages[0].QuickReply);
        Assert.NotNull(messages[1].QuickReply);
    }

    [Fact]
    public void BatchRetryKeys_AreStableAndDistinct()
    {
        var key = Guid.NewGuid();

        Assert.Equal(key, LineRenderer.BatchRetryKey(key, 0));
        // Stable: a retried push after a restart must carry the same key as the first attempt.
        var first = (LineRenderer.BatchRetryKey(key, 1), LineRenderer.DeriveKey("outbox:a"));
        var again = (LineRenderer.BatchRetryKey(key, 1), LineRenderer.DeriveKey("outbox:a"));
        Assert.Equal(first, again);
        Assert.NotEqual(LineRenderer.BatchRetryKey(key, 1), LineRenderer.BatchRetryKey(key, 2));
        Assert.NotEqual(LineRenderer.DeriveKey("outbox:a"), LineRenderer.DeriveKey("outbox:b"));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", LineRenderer.DeriveKey("x").ToString("D"));
    }

    [Fact]
    public void Validator_CatchesWhatLineWouldRefuse()
    {
        var bad = JsonNode.Parse("""{"to":"U1","messages":[{"type":"flex","altText":"x","contents":{"type":"bubble","body":{"type":"box","layout":"diagonal","contents":[]}}},{"type":"txt"}]}""");

        var errors = OpenApiValidator.Messaging.Validate(bad, "PushMessageRequest");

        Assert.Contains(errors, e => e.Contains("layout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'txt' is not a known type", StringComparison.Ordinal));
        Assert.NotEmpty(OpenApiValidator.Messaging.Validate(JsonNode.Parse("""{"to":"U1","messages":[]}"""), "PushMessageRequest"));
    }

    private static void AssertValidPushes(List<LineMessage> messages)
    {
        foreach (var batch in LineRenderer.Batch(messages))
        {
            var body = JsonNode.Parse(JsonSerializer.Serialize(new LinePushRequest("U0123", batch), LineMessageJson.Default.LinePushRequest));
            Assert.Empty(OpenApiValidator.Messaging.Validate(body, "PushMessageRequest"));
            Assert.Empty(LineDocumentedLimits.Check(body));
        }
    }
}
