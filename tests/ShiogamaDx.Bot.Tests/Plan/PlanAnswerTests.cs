using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Plan;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Kpis;

namespace ShiogamaDx.Bot.Tests.Plan;

/// <summary>The bundled plan read into sections, and staff answers quoted from it through the real host.</summary>
public sealed class PlanAnswerTests(KpiLookupHost host) : IClassFixture<KpiLookupHost>
{
    private readonly BotApplication app = host.App;

    [Fact]
    public void ThePlan_IsReadIntoItsNumberedSections_ItsSheets_AndItsAppendices()
    {
        var read = GuidelineLoader.LoadFile("shiogama-dx-plan-r8.txt", File.ReadAllBytes(RepoPaths.PlanFile));
        var labels = PlanSections.Refine(read).Select(s => s.Label).ToList();

        Assert.Contains("4. 塩竈市DX推進プラン ＞ (1) 計画期間", labels);
        Assert.Contains("7. 塩竈市におけるDXに向けた推進体制", labels);
        Assert.Contains("用語集", labels);

        // The twelve 事業 sheets of 5. and the fifteen of the previous plan in the 参考資料, each named by its 事業.
        Assert.Equal(12, labels.Count(l => l.StartsWith("5. 具体的な事業 ＞ 基本方針", StringComparison.Ordinal)));
        Assert.Contains("5. 具体的な事業 ＞ 基本方針1 施策2 オンライン決済の促進", labels);
        Assert.Equal(15, labels.Count(l => l.StartsWith("参考資料 ＞ 基本方針", StringComparison.Ordinal) && l.Contains("施策", StringComparison.Ordinal) && char.IsAsciiDigit(l.Split("施策")[1][0])));
        Assert.Contains("4. 塩竈市DX推進プラン ＞ (3)基本方針に基づく具体的な施策 ＞ 基本方針1 施策② デジタルデバイド対策", labels);
    }

    [Fact]
    public void ThePlansGlossary_IsOnePassagePerTerm_CitedByTheTerm()
    {
        var read = GuidelineLoader.LoadFile("shiogama-dx-plan-r8.txt", File.ReadAllBytes(RepoPaths.PlanFile));
        var sections = GlossaryTerms.Apart(PlanSections.Refine(read));
        var terms = sections.Where(s => s.Label.StartsWith("用語集 ＞ ", StringComparison.Ordinal)).ToList();

        // The five pages of the glossary hold 31 rows under their 「用語 | 説明」 headers.
        Assert.Equal(31, terms.Count);
        var cio = Assert.Single(terms, s => s.Title == "CIO (シーアイオー)");
        Assert.Equal("用語集 ＞ CIO (シーアイオー)", cio.Label);
        Assert.Equal(["用語集", "CIO (シーアイオー)"], cio.HeadingPath);
        Assert.StartsWith("「Chief Information Officer", Assert.Single(cio.Paragraphs), StringComparison.Ordinal);
        Assert.DoesNotContain(sections, s => s.Paragraphs.Any(p => p.StartsWith("用語 | 説明", StringComparison.Ordinal)));
        Assert.Equal(sections.Count, sections.Select(s => s.Key).Distinct().Count());

        // A 事業 sheet's rows stay one section, named by its 事業 (a two-cell row 「内容 | …」 is not a term).
        Assert.Contains(sections, s => s.Label == "5. 具体的な事業 ＞ 基本方針1 施策2 オンライン決済の促進" && s.Paragraphs.Any(p => p.StartsWith("内容 | ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AQuestionNamingThePlanAndGenerativeAi_IsAnsweredByThePlanSheet_NotTheGuidelinesRefusal()
    {
        // Both documents are named (プラン, 生成AI): the one with a passage holding the question answers. Before, the tie of
        // two names went to the guideline's higher claim, which had no passage for it.
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-named-both", "プランでは生成AIの研修の難易度はどう書かれている？"));

        Assert.Contains("出典: 塩竈市DX推進プラン", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMeaningOfAGlossaryWord_ThatIsAlsoInAProjectsWords_IsTheGlossarys()
    {
        // ガバメントクラウド is in 情報システムの標準化's words too; the KPI overview would only name that 事業.
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-glossary", "ガバメントクラウドとは？"));

        Assert.Contains("共通的な基盤・機能を提供する", text, StringComparison.Ordinal);
        Assert.Contains("用語集", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMeaningOfAWord_IsTheGlossarys_EvenWhereAProjectSheetRanksFirst()
    {
        // 基幹系 stands in 情報システムの標準化's sheet of 5. (ranked first on the words alone) and in the glossary.
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-glossary-2", "基幹系システムの意味を知りたい"));

        Assert.StartsWith("用語集", Citation(text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HowMany_IsAnsweredByTheSectionThatCountsThem()
    {
        // いくつ asks for a count: 「(2) 基本理念と2つの基本方針」 states one, the neighbouring sections name 基本方針 only.
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-count", "このプランには基本方針がいくつありますか"));

        Assert.Contains("基本理念と2つの基本方針", Citation(text), StringComparison.Ordinal);
    }

    private static string Citation(string text) =>
        text.Split('\n').Select(l => l.IndexOf("出典: 塩竈市DX推進プラン ", StringComparison.Ordinal) is var at and >= 0 ? l[(at + "出典: 塩竈市DX推進プラン ".Length)..] : null).FirstOrDefault(l => l is not null) ?? "(none) " + text;

    [Fact]
    public async Task APlanQuestion_QuotesTheSection_WithItsCitation()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-1", "DX推進本部の委員長は誰が務めるの？"));

        Assert.Contains("副市長を委員長とする", text, StringComparison.Ordinal);
        Assert.Contains("（出典: 塩竈市DX推進プラン 7. 塩竈市におけるDXに向けた推進体制）", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWordThePlanNeverWrites_DoesNotSinkAQuestionItsOtherWordsPlace()
    {
        // 段取り is written nowhere in the plan; OODA and ループ are, both in the section that explains the loop.
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-known-1", "OODAループの段取りは？"));

        Assert.Contains("出典: 塩竈市DX推進プラン", text, StringComparison.Ordinal);
        Assert.Contains("OODA", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneWordThePlanWrites_AndASuffix_DoNotAnswerForAWordItNeverWrites()
    {
        // 給水 is written nowhere; 災害 is, in passing, and 時 is a suffix: the section holds every word the plan writes
        // (KnownCoverage whole, coverage 0.52), but the question is not the plan's.
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-known-2", "災害時の給水はどこ？"));

        Assert.DoesNotContain("出典: 塩竈市DX推進プラン", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASheetsAnswer_EndsWithItsKpis_AndTheirLatestFigures()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-2", "RPAで導入事務の検討を行うのはいつの計画？"));

        // 5. 具体的な事業 基本方針2 施策6: 稼働業務数, target R8 4, actual R7 3.
        Assert.Contains("出典: 塩竈市DX推進プラン 5. 具体的な事業 ＞ 基本方針2 施策6 RPAを活用した行政運営", text, StringComparison.Ordinal);
        Assert.Contains("・稼働業務数: 目標 4業務（令和8年度）／ 最新の実績 3業務（令和7年度）", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Residents_NeverReachThePlan()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Resident, "plan-3", "DX推進プランの推進体制はどうなっている？"));

        Assert.DoesNotContain("出典: 塩竈市DX推進プラン", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKpiAnswer_OffersItsMeasuresText_WhichListsItsIndicatorsWithFigures()
    {
        var replies = await app.SayAsync(Audience.Staff, "plan-4", "RPAの稼働業務数の実績");
        var button = Assert.Single(Assert.IsType<ChoicesReply>(replies[^1]).Choices);
        var overview = ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-4", null, button.Value));

        Assert.StartsWith("RPAを活用した行政運営（塩竈市DX推進プラン 基本方針2 施策6: 行政の効率化に向けたDX）", overview, StringComparison.Ordinal);
        Assert.Contains("・指標: 稼働業務数 — 最新の実績 3業務（令和7年度） ／ 目標 8業務（令和12年度）", overview, StringComparison.Ordinal);
    }
}
