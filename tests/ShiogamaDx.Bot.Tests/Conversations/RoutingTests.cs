using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Conversations;

/// <summary>Routing on evidence: which feature answers when a question could be for two.</summary>
public sealed class RoutingTests : IDisposable
{
    private readonly BotApplication app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task KpiQuestion_WithThePlansOwnWord_IsAnsweredAsAKpi()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "s1", "生成AIの活用促進の事業費は？"));

        Assert.Contains("事業費", text, StringComparison.Ordinal);
        Assert.DoesNotContain("どちらについてのご質問ですか", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuestionThatFitsKpiAndGuidelineAlike_IsAsked_AndTheChoiceIsAnswered()
    {
        var asked = await app.SayAsync(Audience.Staff, "s1", "生成AIの活用にかかる費用は？");

        Assert.Contains("どちらについてのご質問ですか", ReplyText.Of(asked), StringComparison.Ordinal);
        var kpi = Buttons.FindChoice(asked, "DX推進プランの数値（KPI・事業費）");
        Assert.NotNull(kpi);
        Assert.NotNull(Buttons.FindChoice(asked, "生成AI利用の手引き"));

        var answer = ReplyText.Of(await app.SayAsync(Audience.Staff, "s1", null, kpi.Value));

        Assert.Contains("事業費", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuidelineQuestion_NamingAProject_IsNotAnsweredWithAFigure()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "s1", "生成AIに何を入力していいか"));

        Assert.DoesNotContain("事業費", text, StringComparison.Ordinal);
        Assert.DoesNotContain("千円", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuestionMentioningAFeaturesKeyword_IsAnsweredByTheDocumentThatHoldsIt()
    {
        using var city = CityDocument("# 決裁の手引き\n\n## 1 停滞した決裁\n\n決裁が5日止まったときは、起案者と決裁者にお知らせを送ります。\n\n## 2 操作の相談\n\n決裁システムの操作の問い合わせは情報システム係が受け付けます。\n");

        var notice = ReplyText.Of(await city.App.SayAsync(Audience.Staff, "s1", "止まった決裁のお知らせは何日で送るの？"));
        var contact = ReplyText.Of(await city.App.SayAsync(Audience.Staff, "s2", "決裁システムの操作の問い合わせはどこが受け付けますか"));

        Assert.Contains("停滞した決裁", notice, StringComparison.Ordinal);
        Assert.Contains("操作の相談", contact, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("スマホ教室の事業ではどんな内容をやるの？")]
    [InlineData("スマホ教室の事業はどういう取組？")]
    [InlineData("スマホ教室という事業ではどんなことを行いますか")]
    public async Task ClassesMentionedInAQuestionAboutThePlan_AreThePlansToAnswer(string question)
    {
        // スマホ教室 inside a longer staff question is a mention (ConversationEngine.KeywordMention), not a request for the
        // classes' results: the plan's 事業 sheet of the classes answers it. Said alone, it still names the results.
        var project = ReplyText.Of(await app.SayAsync(Audience.Staff, "s1", question));
        var results = ReplyText.Of(await app.SayAsync(Audience.Staff, "s2", "スマホ教室"));

        Assert.Contains("施策3", project, StringComparison.Ordinal);
        Assert.Contains("スマホ教室の実施", project, StringComparison.Ordinal);
        Assert.DoesNotContain("施策3", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FeaturesKeywordAlone_StillNamesTheFeature()
    {
        using var city = CityDocument("# 決裁の手引き\n\n## 1 停滞した決裁\n\n決裁が5日止まったときは、起案者と決裁者にお知らせを送ります。\n");

        var contact = ReplyText.Of(await city.App.SayAsync(Audience.Staff, "s1", "問い合わせ先は？"));

        Assert.Contains("022-355-5284", contact, StringComparison.Ordinal);
        Assert.DoesNotContain("停滞した決裁", contact, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoDocumentsCouldAnswer_TheOneHoldingMoreOfTheQuestionDoes()
    {
        // The city's guideline holds 窓口, 申請 and 見直す of the question, most of it; the plan holds its project
        // 窓口申請改革 whole, so the guideline does not take it.
        using var city = CityDocument("# 窓口の手引き\n\n## 1 窓口での申請\n\n窓口での申請の受け方は毎年見直します。\n\n## 2 電話\n\n電話は三回鳴る前に出ます。\n\n"
            + "## 3 文書\n\n文書は五年間保存します。\n\n## 4 休暇\n\n休暇は前日までに届け出ます。\n");

        var text = ReplyText.Of(await city.App.SayAsync(Audience.Staff, "s1", "窓口申請改革では何を見直しますか"));

        Assert.Contains("窓口申請改革", text, StringComparison.Ordinal);
        Assert.DoesNotContain("窓口の手引き", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ListCueWithoutTheIndicators_ClaimsOnlyWhatThePlansWordsExplain()
    {
        var reader = new ShiogamaDx.Bot.Kpis.KpiQuestionReader(ShiogamaDx.Bot.Kpis.KpiCatalogLoader.Load(ShiogamaDx.Bot.Tests.Kpis.KpiTestData.ContentFile));

        var all = reader.Read("全部の課で始めるのはいつがいい？", 2026);
        var robots = reader.Read("RPAのロボットを全部止める手順は？", 2026); // a project's word, a list of something else
        var targets = reader.Read("目標を全部見せて", 2026); // nothing but the plan's asking words
        var list = reader.Read("KPIを全部見せて", 2026);

        Assert.Equal(ShiogamaDx.Bot.Kpis.KpiAsk.List, all.Ask);
        Assert.True(all.Strength < ShiogamaDx.Bot.Conversations.ConversationEngine.MatchThreshold, $"{all.Strength}");
        Assert.True(robots.Strength < ShiogamaDx.Bot.Conversations.ConversationEngine.MatchThreshold, $"{robots.Ask} {robots.Strength}");
        Assert.Equal(ShiogamaDx.Bot.Kpis.KpiAsk.List, targets.Ask);
        Assert.Equal(0.9, targets.Strength, 3);
        Assert.Equal(0.9, list.Strength, 3);
    }

    [Fact]
    public async Task QuestionSharingOneWordWithAKpi_AndAskingNothingOfIt_IsNotAnsweredAsAKpi()
    {
        // 職員 is a word of several KPIs (テレワーク実施率 …); 制服 is in no KPI and no document: nothing answers it.
        var reader = new ShiogamaDx.Bot.Kpis.KpiQuestionReader(ShiogamaDx.Bot.Kpis.KpiCatalogLoader.Load(ShiogamaDx.Bot.Tests.Kpis.KpiTestData.ContentFile));
        const string question = "職員の制服はいつ新しくなりますか";
        var unexplained = reader.Read(question, 2026);
        var named = reader.Read("テレワークの実施率", 2026);

        Assert.True(unexplained.Explained < ShiogamaDx.Bot.Kpis.KpiQuestionReader.MinExplained, $"explained {unexplained.Explained}");
        Assert.True(unexplained.Strength < ConversationEngine.MatchThreshold, $"strength {unexplained.Strength}");
        Assert.True(named.Strength >= ConversationEngine.MatchThreshold, $"a KPI's name alone keeps its claim: {named.Strength}");

        // Without the rule (any share explained) the KPI's word alone would take it.
        var withoutTheRule = new ShiogamaDx.Bot.Kpis.KpiQuestionReader(ShiogamaDx.Bot.Kpis.KpiCatalogLoader.Load(ShiogamaDx.Bot.Tests.Kpis.KpiTestData.ContentFile), minExplained: 0);
        Assert.True(withoutTheRule.Read(question, 2026).Strength >= ConversationEngine.MatchThreshold);

        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "s1", question));
        Assert.DoesNotContain("実施率", text, StringComparison.Ordinal);
        Assert.DoesNotContain("どの指標", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ADifferenceWord_InAQuestionAKpisWordsDoNotExplain_IsNoClaim()
    {
        var reader = new ShiogamaDx.Bot.Kpis.KpiQuestionReader(ShiogamaDx.Bot.Kpis.KpiCatalogLoader.Load(ShiogamaDx.Bot.Tests.Kpis.KpiTestData.ContentFile));

        // 足りな asks a difference of a KPI (「目標にあと何件足りない」), not of the paper a city's form is printed on.
        Assert.True(reader.Read("会議で配る紙が足りないときは誰に言えばいいですか", 2026).Strength < ConversationEngine.MatchThreshold);
        Assert.True(reader.Read("RPAの稼働業務数は目標まであと何件足りない？", 2026).Strength >= ConversationEngine.MatchThreshold);
    }

    private static CityFolder CityDocument(string markdown)
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "routing-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "city.md"), markdown);
        return new CityFolder(folder, new BotApplication(new Dictionary<string, string?> { ["Guidelines:Path"] = folder }));
    }

    private sealed record CityFolder(string Folder, BotApplication App) : IDisposable
    {
        public void Dispose()
        {
            App.Dispose();
            Directory.Delete(Folder, recursive: true);
        }
    }
}
