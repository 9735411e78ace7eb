using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Procedures;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Procedures;

/// <summary>One host for the class: starting one costs seconds; each test talks as its own resident.</summary>
public sealed class ProcedureHostFixture : IDisposable
{
    public BotApplication App { get; } = new();

    public void Dispose() => App.Dispose();
}

/// <summary>Residents' questions through the real engine, as LINE or the terminal would send them.</summary>
public sealed class ProcedureConversationTests(ProcedureHostFixture fixture) : IClassFixture<ProcedureHostFixture>
{
    private readonly BotApplication app = fixture.App;
    private readonly string r1 = "r-" + Guid.NewGuid().ToString("N");

    [Theory]
    [InlineData("じゅうみんひょう とりたい", "住民票の写しの請求", "https://e-shinsei.example.jp/shiogama/sample/juminhyo")]
    [InlineData("粗大ゴミ出したい", "粗大ごみ収集の申込み", "https://e-shinsei.example.jp/shiogama/sample/sodai-gomi")]
    [InlineData("ﾏｲﾅｶｰﾄﾞの申請", "マイナンバーカードの申請", "https://e-shinsei.example.jp/shiogama/sample/mynumber-shinsei")]
    [InlineData("古いソファを捨てたい", "粗大ごみ収集の申込み", "https://e-shinsei.example.jp/shiogama/sample/sodai-gomi")]
    public async Task Question_AboutAnOnlineProcedure_GetsACardWithTheApplicationLink(string question, string title, string url)
    {
        var replies = await app.SayAsync(Audience.Resident, r1, question);

        var cards = Assert.IsType<CardsReply>(replies.First(r => r is CardsReply));
        var card = Assert.Single(cards.Cards);
        Assert.Equal(title, card.Title);
        var link = Assert.Single(card.Actions, a => a.Kind == CardActionKind.Link);
        Assert.Equal("オンラインで申請", link.Label);
        Assert.Equal(url, link.Value);
        Assert.Contains(card.Actions, a => a.Kind == CardActionKind.Postback && a.Label == "詳しく");
        Assert.Contains(card.Actions, a => a.Kind == CardActionKind.Postback && a.Label == "窓口で必要なもの");
        Assert.Contains("サンプル", card.Body, StringComparison.Ordinal);
        Assert.Contains("役に立った", ReplyText.Of(replies), StringComparison.Ordinal);
    }

    // いくら with a receiving verb asks how much one gets, not a fee: no "which procedure's fee" follow-up; a fee still gets it.
    [Theory]
    [InlineData("年金をいくらもらえるのか知りたい", false)]
    [InlineData("いくら戻ってくるのか知りたい", false)]
    [InlineData("手数料はいくら？", true)]
    public async Task HowMuch_IsTheFeeFollowUp_OnlyWhenPaying(string question, bool fee)
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Resident, $"fee-{question.Length}-{fee}", question));

        Assert.Equal(fee, text.Contains("どの手続きの手数料", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CounterOnlyProcedure_SaysWhatToBring_AndHasNoApplicationLink()
    {
        var replies = await app.SayAsync(Audience.Resident, r1, "印鑑証明がほしい");

        var card = Assert.IsType<CardsReply>(replies.First(r => r is CardsReply)).Cards.Single();
        Assert.Equal("印鑑登録証明書の交付", card.Title);
        Assert.DoesNotContain(card.Actions, a => a.Kind == CardActionKind.Link);
        Assert.Contains("持ち物: 印鑑登録証（カード）", card.Body, StringComparison.Ordinal);
        Assert.Equal("窓口での手続きです・窓口キャッシュレス可", card.Subtitle);
    }

    [Theory]
    [InlineData("コンビニで証明書を取るには", "証明書のコンビニ交付", "コンビニで取れます")]
    [InlineData("燃えるごみの日を知りたい", "家庭ごみの分け方・収集日", "ご案内です（申し込みは要りません）")]
    [InlineData("道路で水道の水が漏れている", "水漏れ（漏水）の相談", "電話でできます")]
    [InlineData("住民票がほしい", "住民票の写しの請求", "オンラインでできます・オンライン決済可・窓口キャッシュレス可")]
    public async Task CardHeadline_SaysHowTheProcedureIsReallyDone(string question, string title, string headline)
    {
        var replies = await app.SayAsync(Audience.Resident, "h-" + Guid.NewGuid().ToString("N"), question);

        var card = Assert.IsType<CardsReply>(replies.First(r => r is CardsReply)).Cards.Single();
        Assert.Equal(title, card.Title);
        Assert.Equal(headline, card.Subtitle);
    }

    [Fact]
    public async Task InformationOnly_HasNoPaymentLine_AndAProcedureWithAFee_SaysHowToPayAtTheCounter()
    {
        var info = Assert.IsType<CardsReply>((await app.SayAsync(Audience.Resident, r1, "燃えるごみの日を知りたい")).First(r => r is CardsReply)).Cards.Single();
        var fee = Assert.IsType<CardsReply>((await app.SayAsync(Audience.Resident, r1, "戸籍謄本を郵送で取り寄せたい")).First(r => r is CardsReply)).Cards.Single();

        Assert.DoesNotContain("支払い", info.Body, StringComparison.Ordinal);
        Assert.Contains("支払い: クレジットカード・PayPayでオンライン決済できます", fee.Body, StringComparison.Ordinal);
        Assert.Contains("窓口での支払い: 現金のみです", fee.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("印鑑証明は窓口でカードで払えますか", "はい、印鑑登録証明書の交付は窓口でクレジットカード・電子マネー・QRコード決済でも払えます。")]
    [InlineData("粗大ごみの手数料は市役所の窓口でPayPayで払える？", "いいえ、粗大ごみ収集の申込みの窓口でのお支払いは、今は現金のみです。電子申請ならクレジットカード・PayPayでオンライン決済できます。")]
    [InlineData("狂犬病の予防注射の注射済票は窓口で電子マネーで払えますか", "いいえ、狂犬病予防注射の窓口でのお支払いは、今は現金のみです。")]
    public async Task CounterPaymentQuestion_AboutOneProcedure_IsAnsweredFromItsCounterField(string question, string answer)
    {
        var replies = await app.SayAsync(Audience.Resident, "c-" + Guid.NewGuid().ToString("N"), question);

        Assert.StartsWith(answer, Assert.IsType<TextReply>(replies[0]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CounterPaymentQuestion_AboutNoProcedure_ListsWhatCanBePaidWithoutCash()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Resident, r1, "窓口でカードで払える？"));

        Assert.Contains("市の窓口でキャッシュレスで払える手続きは3件です", text, StringComparison.Ordinal);
        Assert.Contains("・住民票の写しの請求（クレジットカード・電子マネー・QRコード決済）", text, StringComparison.Ordinal);
        Assert.DoesNotContain("粗大ごみ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("住民票はオンラインでできますか", "はい、住民票の写しの請求はオンラインでできます。")]
    [InlineData("印鑑証明はネットでできますか", "いいえ、印鑑登録証明書の交付は今はオンラインではできません。")]
    [InlineData("粗大ごみはクレジットカードで払えますか", "はい、粗大ごみ収集の申込みはクレジットカード・PayPayでオンライン決済できます。")]
    public async Task YesNoQuestion_IsAnsweredYesOrNoFirst(string question, string answer)
    {
        var replies = await app.SayAsync(Audience.Resident, r1, question);

        Assert.StartsWith(answer, Assert.IsType<TextReply>(replies[0]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Details_AndWhatToBring_ComeFromTheCardsButtons()
    {
        var replies = await app.SayAsync(Audience.Resident, r1, "戸籍謄本を郵送で取り寄せたい");
        var card = Assert.IsType<CardsReply>(replies.First(r => r is CardsReply)).Cards.Single();

        var detail = ReplyText.Of(await app.SayAsync(Audience.Resident, r1, null, card.Actions.Single(a => a.Label == "詳しく").Value));
        var bring = ReplyText.Of(await app.SayAsync(Audience.Resident, r1, null, card.Actions.Single(a => a.Label == "窓口で必要なもの").Value));

        Assert.Contains("戸籍謄本・抄本 1通450円", detail, StringComparison.Ordinal);
        Assert.Contains("情報の確認日: 2026年4月1日", detail, StringComparison.Ordinal);
        Assert.Contains("・本人確認書類", bring, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowUp_AfterAnAnswer_IsAboutTheProcedureJustShown()
    {
        await app.SayAsync(Audience.Resident, r1, "てんしゅつとどけ");

        var bring = ReplyText.Of(await app.SayAsync(Audience.Resident, r1, "持ち物は？"));

        Assert.Contains("【転出届（市外への引越し）】窓口で必要なもの", bring, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowUp_WithNothingShownBefore_AsksWhichProcedure()
    {
        var replies = await app.SayAsync(Audience.Resident, r1, "持ち物は？");

        Assert.Contains("どの手続きの持ち物ですか", ReplyText.Of(replies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AmbiguousQuestion_OffersTheCloseCandidates_AndANumberPicksOne()
    {
        var replies = await app.SayAsync(Audience.Resident, r1, "引っ越しする");

        var cards = Assert.IsType<CardsReply>(replies.Single(r => r is CardsReply));
        Assert.InRange(cards.Cards.Count, 2, 3);
        Assert.Contains(cards.Cards, c => c.Title == "転出届（市外への引越し）");
        Assert.All(cards.Cards, c => Assert.Equal("これです", Assert.Single(c.Actions).Label));

        var picked = await app.SayAsync(Audience.Resident, r1, "2");
        Assert.Equal(cards.Cards[1].Title, Assert.IsType<CardsReply>(picked.First(r => r is CardsReply)).Cards.Single().Title);
    }

    [Theory]
    [InlineData("オンライン手続き")]
    [InlineData("オンラインでできる手続きは？")]
    public async Task OnlineList_IsBrowsedByCategory(string question)
    {
        var replies = await app.SayAsync(Audience.Resident, r1, question);

        var choices = Assert.IsType<ChoicesReply>(replies[^1]);
        Assert.StartsWith("オンラインでできる手続きは64件あります。", choices.Prompt, StringComparison.Ordinal);
        Assert.Contains("https://e-shinsei.example.jp/shiogama/sample/", choices.Prompt, StringComparison.Ordinal);
        Assert.InRange(choices.Choices.Count, 2, 13);
        Assert.All(choices.Choices, c => Assert.True(c.Label.Length <= 20, c.Label));

        var water = choices.Choices.Single(c => c.Label.StartsWith("水道", StringComparison.Ordinal));
        var list = ReplyText.Of(await app.SayAsync(Audience.Resident, r1, water.Label));
        Assert.Contains("・水道の使用開始（オンライン可）", list, StringComparison.Ordinal);
        Assert.DoesNotContain("水漏れ", list, StringComparison.Ordinal); // not online
    }

    [Fact]
    public async Task PayableOnline_ListsThePayableProcedures()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Resident, r1, "ネットで払えるもの"));

        Assert.Contains("オンラインで支払えるものは6件です。", text, StringComparison.Ordinal);
        Assert.Contains("・市税・国民健康保険税の納付（クレジットカード・PayPay・地方税お支払サイト（eL-QR））", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("明日の天気は？")]
    [InlineData("おすすめのラーメン屋")]
    public async Task UnrelatedQuestion_GetsTheNotUnderstoodReply(string question)
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Resident, r1, question));

        Assert.Contains("うまく分かりませんでした", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffNeverReachTheResidentProcedureAnswers()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, r1, "住民票がほしい"));

        Assert.DoesNotContain("住民票の写しの請求", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Question_FindingAProcedureDoneInThisChat_IsAnsweredByItsFeature()
    {
        // The catalog's スマホ教室 procedure says `feature: classes`: a question that finds it (and not the class
        // feature's own words) gets the class dates to book, not the procedure's card.
        var catalog = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Procedure>().AsNoTracking().Where(p => p.Feature != null).ToList());
        var procedure = Assert.Single(catalog);
        Assert.Equal("classes", procedure.Feature);

        var replies = await app.SayAsync(Audience.Resident, r1, "携帯電話の使い方");

        var texts = app.Services.GetRequiredService<ShiogamaDx.Bot.Messages.MessageCatalog>().Current;
        Assert.Equal(texts[ShiogamaDx.Bot.Classes.ClassTexts.ListFirst], Assert.IsType<TextReply>(replies[0]).Text);
        var cards = Assert.IsType<CardsReply>(replies[1]).Cards;
        Assert.NotEmpty(cards);
        Assert.DoesNotContain(cards, c => c.Title == procedure.Name);
    }

    [Fact]
    public async Task Feedback_IsCountedPerProcedure_WithoutThePerson()
    {
        var replies = await app.SayAsync(Audience.Resident, r1, "犬の登録");
        var feedback = Assert.IsType<ChoicesReply>(replies[^1]);

        await app.SayAsync(Audience.Resident, r1, null, feedback.Choices.Single(c => c.Label == "役に立った").Value);
        await app.SayAsync(Audience.Resident, r1 + "-other", "役に立たなかった"); // typed label without an offer: not counted
        var row = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<ProcedureFeedback>().AsNoTracking().Single(f => f.ProcedureId == "inu-toroku"));

        Assert.Equal(("inu-toroku", 1, 0), (row.ProcedureId, row.Helpful, row.NotHelpful));
    }

    [Fact]
    public async Task Replies_SerializeChannelNeutrally_WithLinkActions()
    {
        var replies = await app.SayAsync(Audience.Resident, r1, "保育所・認定こども園の入所申込み");

        var json = System.Text.Json.JsonSerializer.Serialize<IReadOnlyList<Reply>>(replies);
        Assert.Contains("\"kind\":\"cards\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Kind\":1", json, StringComparison.Ordinal); // CardActionKind.Link
    }
}
