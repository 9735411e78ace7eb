using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Staff;

namespace ShiogamaDx.Bot.Tests.Staff;

/// <summary>
/// What Teams shows: its markdown joins lines split by one newline, and it draws a card's buttons and
/// suggested actions both. Asserted on the activities the bot sends through the real host to the fake connector.
/// </summary>
public sealed partial class TeamsLayoutTests
{
    [Theory]
    [InlineData("電子申請が可能な手続数の令和8年度の目標は？")]
    [InlineData("生成AIに個人情報を入力してもいいですか")]
    public async Task Answer_KeepsItsLines_AsParagraphsAndLists_WithTheSameWordsAsTheTerminal(string question)
    {
        await using var h = await StaffHarness.StartAsync();
        var engine = await h.App.SayAsync(Audience.Staff, "terminal-staff", question);
        // A guideline answer's text is its best passage (the others are folded in a card).
        var expected = engine.OfType<TextReply>().Select(t => t.Text).Concat(engine.OfType<PassagesReply>().Select(p => p.Passages[0])).ToList();
        Assert.NotEmpty(expected);

        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(h.Message(question))).StatusCode);
        var texts = await TextsAsync(h, expected.Count);

        foreach (var (markdown, plain) in texts.Zip(expected))
        {
            Assert.Contains("\n\n", markdown, StringComparison.Ordinal);

            // Two lines in a row only inside a list: anything else would run together in Teams.
            var lines = markdown.Split('\n');
            for (var i = 1; i < lines.Length; i++)
            {
                if (lines[i - 1].Length > 0 && lines[i].Length > 0)
                {
                    Assert.True(ListItem(lines[i - 1]) && ListItem(lines[i]), $"joined in Teams: 「{lines[i - 1]}」「{lines[i]}」");
                }
            }

            // Same words, line for line, as the plain text the terminal and screen readers get.
            Assert.Equal(PlainLines(plain), lines.Where(l => l.Length > 0).Select(l => l.StartsWith("- ", StringComparison.Ordinal) ? "・" + l[2..] : l));
        }
    }

    [Fact]
    public async Task KpiAnswer_ItsFiguresAreABulletList_AfterABlankLine()
    {
        await using var h = await StaffHarness.StartAsync();

        await h.PostAsync(h.Message("電子申請が可能な手続数の令和8年度の目標は？"));
        var text = Assert.Single(await TextsAsync(h, 1));

        Assert.Matches(@"^[^\n]+\n\n- 目標 [^\n]+\n- ", text);
        Assert.DoesNotContain("\n・", text, StringComparison.Ordinal);
        Assert.Contains("\n- 担当: ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuidelineAnswer_IsOneMessage_TheBestPassageAsParagraphs_TheOthersFoldedUnderOneButton()
    {
        // A question several sections answer (the personal-data one is answered by one section alone since the
        // guideline's ranking re-ranks with the first sections' words).
        const string question = "生成AIの回答をそのまま使ってもいいですか";
        await using var h = await StaffHarness.StartAsync();
        var passages = Assert.Single((await h.App.SayAsync(Audience.Staff, "terminal-staff", question)).OfType<PassagesReply>()).Passages;
        Assert.True(passages.Count > 1, "the question is answered by several sections");

        await h.PostAsync(h.Message(question));
        var answer = await NextMessageAsync(h);

        // The best passage: heading, body and citation as paragraphs.
        var text = (string?)answer["text"] ?? throw new InvalidOperationException("no text");
        Assert.Matches(@"^【[^\n]+】\n\n[^\n]", text);
        Assert.Matches(@"[^\n]\n\n（出典: [^\n]+）$", text);
        Assert.Contains(passages.Select(TeamsText.Markdown), t => NumberedListThenParagraph().IsMatch(t));

        // The others behind one button in the same message, each after a separator and with its own citation.
        var card = Assert.Single(answer["attachments"]!.AsArray())!["content"]!;
        var show = Assert.Single(card["actions"]!.AsArray())!;
        Assert.Equal("Action.ShowCard", (string?)show["type"]);
        Assert.Equal($"他の該当箇所（{passages.Count - 1}件）", (string?)show["title"]);
        var folded = show["card"]!["body"]!.AsArray();
        Assert.Equal(passages.Count - 1, folded.Count(b => ((string?)b!["text"])!.StartsWith("（出典: ", StringComparison.Ordinal)));
        Assert.Equal(passages.Count - 2, folded.Count(b => (bool?)b!["separator"] == true));

        // Nothing else came for that question: the next message is the answer to the next one.
        await h.PostAsync(h.Message("メニュー", id: "f:act|2"));
        Assert.DoesNotContain("出典", (await NextMessageAsync(h)).ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task<JsonNode> NextMessageAsync(StaffHarness h)
    {
        while (true)
        {
            var next = await h.Connector.NextAsync();
            if (next.Type == "message")
            {
                return next.Activity;
            }
        }
    }

    [Fact]
    public async Task Menu_InTeams_IsOneCard_WithoutSuggestedActions()
    {
        await using var h = await StaffHarness.StartAsync();

        await h.PostAsync(h.Message("メニュー"));
        var menu = (await h.Connector.NextUntilAsync(a => a.Activity["attachments"] is not null)).Last();

        var actions = menu.Activity["attachments"]![0]!["content"]!["actions"]!.AsArray();
        Assert.Contains(actions, a => (string?)a!["title"] == "KPI一覧");
        Assert.Null(menu.Activity["suggestedActions"]);
    }

    [Fact]
    public async Task Choices_OnAChannelWithoutCards_AreNumberedText_WithSuggestedActions_AndOnWebchatACardOnly()
    {
        await using var h = await StaffHarness.StartAsync(new() { ["Staff:AllowUnauthenticated"] = "true" }, authenticated: false);

        await h.PostAsync(h.Message("メニュー", id: "sms-1", channelId: "sms"), token: null);
        var sms = (await h.Connector.NextUntilAsync(a => a.Activity["suggestedActions"] is not null)).Last();
        Assert.Null(sms.Activity["attachments"]);
        Assert.Contains("\n\n1. KPI一覧\n2. ", (string?)sms.Activity["text"], StringComparison.Ordinal);
        Assert.Contains(sms.Activity["suggestedActions"]!["actions"]!.AsArray(), a => (string?)a!["type"] == "imBack" && (string?)a["value"] == "KPI一覧");

        await h.PostAsync(h.Message("メニュー", id: "webchat-1", channelId: "webchat"), token: null);
        var webchat = (await h.Connector.NextUntilAsync(a => a.Activity["attachments"] is not null)).Last();
        Assert.Null(webchat.Activity["suggestedActions"]);
        Assert.All(h.Connector.All.Where(a => (string?)a.Activity["channelId"] == "webchat"), a => Assert.Null(a.Activity["suggestedActions"]));
    }

    [Fact]
    public async Task KpiTable_GivesTheIndicatorNamesTheRoom_AndAsksTeamsForTheFullWidth()
    {
        await using var h = await StaffHarness.StartAsync();

        await h.PostAsync(h.Message("KPI一覧"));
        var card = (await h.Connector.NextUntilAsync(a => a.Activity["attachments"] is not null)).Last().Activity["attachments"]![0]!["content"]!;

        var table = card["body"]!.AsArray().Single(b => (string?)b!["type"] == "Table")!;
        var headers = table["rows"]![0]!["cells"]!.AsArray().Select(c => (string?)c!["items"]![0]!["text"]).ToList();
        var widths = table["columns"]!.AsArray().Select(c => (int)c!["width"]!).ToList();
        var indicator = headers.IndexOf("指標");
        Assert.True(indicator >= 0, string.Join(",", headers));
        Assert.All(widths.Where((_, i) => i != indicator), w => Assert.True(w < widths[indicator], $"widths {string.Join(",", widths)}"));
        Assert.True(widths.Min() * 3 < widths[indicator], $"widths {string.Join(",", widths)}");
        Assert.True(widths.Distinct().Count() > 2, $"widths {string.Join(",", widths)}");
        Assert.Equal("Full", (string?)card["msteams"]!["width"]);
    }

    [Fact]
    public void ColumnWeights_FollowTheWidestCell_CountingFullWidthCharactersTwice()
    {
        var weights = AdaptiveCardRenderer.ColumnWeights(new TableReply("t", ["指標", "目標"], [["デジタルツールを活用できていると感じている割合（職員のデジタルリテラシー向上、意識改革）", "11,000件"], ["研修の受講率", "100%"]]));

        Assert.Equal([32 + 2, 8 + 2], weights);
    }

    [Fact]
    public void InACard_EachLineIsATextBlock_TheHeadingBold_TheListOneBlock_AndTheCitationSubtle()
    {
        var card = AdaptiveCardRenderer.CombinedCard([new TextReply("【3.2 入力してはいけない情報】\n次の情報は入力しません。\n1. 個人情報\n2. マイナンバー\n…\n（出典: 生成AI利用の手引き 3.2）")]);

        var blocks = card["body"]!.AsArray().Select(b => b!.AsObject()).ToList();
        Assert.All(blocks, b => Assert.Equal("TextBlock", (string?)b["type"]));
        Assert.Equal(["【3.2 入力してはいけない情報】", "次の情報は入力しません。", "1. 個人情報\r2. マイナンバー", "…", "（出典: 生成AI利用の手引き 3.2）"], blocks.Select(b => (string?)b["text"]));
        Assert.Equal("Bolder", (string?)blocks[0]["weight"]);
        Assert.True((bool)blocks[^1]["isSubtle"]!);
        Assert.Null(blocks[1]["isSubtle"]);
    }

    private static async Task<List<string>> TextsAsync(StaffHarness h, int count)
    {
        var texts = new List<string>();
        while (texts.Count < count)
        {
            var next = await h.Connector.NextAsync();
            if (next.Type == "message")
            {
                Assert.Equal("markdown", (string?)next.Activity["textFormat"]);
                texts.Add((string?)next.Activity["text"] ?? throw new InvalidOperationException("a text answer without text"));
            }
        }

        return texts;
    }

    private static IEnumerable<string> PlainLines(string text) => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    private static bool ListItem(string line) => line.StartsWith("- ", StringComparison.Ordinal) || NumberedItem().IsMatch(line);

    [GeneratedRegex(@"^\d{1,2}\. ")]
    private static partial Regex NumberedItem();

    [GeneratedRegex(@"\n\d{1,2}\. [^\n]+\n\n[^\n\d-]", RegexOptions.None)]
    private static partial Regex NumberedListThenParagraph();
}
