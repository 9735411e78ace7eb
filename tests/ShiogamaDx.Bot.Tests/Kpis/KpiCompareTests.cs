using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Kpis;

/// <summary>
/// Several years, differences, rates and lists (issue #25), asked through the real host. Expected figures are the
/// plan's own (5. 具体的な事業 and 参考資料「アクションプランの実績」 of shiogama-dx-plan-r8.txt), worked out by hand.
/// </summary>
public sealed class KpiCompareTests(KpiLookupHost host) : IClassFixture<KpiLookupHost>
{
    private readonly BotApplication app = host.App;

    [Fact]
    public async Task TwoYears_AreATable_WithTheDifferenceOfTheirTargets()
    {
        var replies = await app.SayAsync(Audience.Staff, "cmp-1", "電子申請の利用率、令和9年度と令和11年度の目標を並べて見たい");

        // 電子申請利用率: R9 35%, R11 45%.
        var table = Assert.IsType<TableReply>(replies[^1]);
        Assert.Equal([["令和9年度", "35%"], ["令和11年度", "45%"]], table.Rows.Select(r => r.Take(2).ToArray()).ToArray());
        Assert.Contains("令和9年度 35% → 令和11年度 45%（+10ポイント）", ReplyText.Of(replies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARange_ListsEveryYearBetween()
    {
        var table = Assert.IsType<TableReply>((await app.SayAsync(Audience.Staff, "cmp-2", "RPAの稼働業務数を令和8〜令和11年度で"))[^1]);

        // 稼働業務数: R8 4, R9 5, R10 6, R11 7 業務.
        Assert.Equal(["令和8年度", "令和9年度", "令和10年度", "令和11年度"], table.Rows.Select(r => r[0]));
        Assert.Equal(["4業務", "5業務", "6業務", "7業務"], table.Rows.Select(r => r[1]));
    }

    [Fact]
    public async Task HowManyMore_IsTheFinalTargetMinusTheLatestActual_WithTheFormula()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "cmp-3", "RPAで動かす業務は最終年度までにあといくつ増やす？"));

        // 稼働業務数: R12 target 8, latest actual R7 3 → 5.
        Assert.StartsWith("稼働業務数は令和12年度の目標まで あと 5業務 です。", text, StringComparison.Ordinal);
        Assert.Contains("・計算: 目標 8業務（令和12年度） − 実績 3業務（令和7年度・計画） ＝ 5業務", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PointsBetweenTwoTargets_AreComputedInPoints()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "cmp-4", "業務効率化を実感した職員割合の目標、令和9年度から最終年度で何ポイント増やす？"));

        // 業務効率化を実感した職員割合: R9 30%, R12 60% → 30 points.
        Assert.StartsWith("業務効率化を実感した職員割合の目標は令和9年度から令和12年度で 30ポイント 増える計画です。", text, StringComparison.Ordinal);
        Assert.Contains("・計算: 目標 60%（令和12年度）− 目標 30%（令和9年度）＝ +30ポイント", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActualsOfThePreviousPlan_AreSubtracted()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "cmp-5", "LINEの登録者数は令和5年度から令和7年度でどれくらい増えた？"));

        // 登録者数累計: R5 14,003, R7 17,994 → 3,991.
        Assert.StartsWith("登録者数累計の実績は令和5年度から令和7年度で 3,991名 増えました。", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissedTarget_SaysByHowMuch()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "cmp-6", "標準化進捗率は令和7年度に目標と何ポイントの差があった？"));

        // 標準化進捗率: R7 target 100%, actual 79% → 21 points short.
        Assert.StartsWith("標準化進捗率は令和7年度、目標に 21ポイント 届きませんでした。", text, StringComparison.Ordinal);
        Assert.Contains("目標 100%（令和7年度） − 実績 79%（令和7年度・計画） ＝ 21ポイント", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnActual_TheDifferenceIsNotComputed()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "cmp-7", "SMSの通知数、令和10年度の目標まであと何件？"));

        Assert.StartsWith("通知数の実績はまだないため、令和10年度の目標 11,000件 との差は計算できません。", text, StringComparison.Ordinal);
        Assert.DoesNotContain("＝", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AchievementRate_ShowsItsFormula()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "cmp-8", "令和7年度の稼働業務数の達成率"));

        // 稼働業務数 R7: 3 ÷ 4 = 75%.
        Assert.Contains("・計算: 実績 3業務 ÷ 目標 4業務 × 100 ＝ 75%", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADepartment_ListsEachOfItsKpisOnce()
    {
        var replies = await app.SayAsync(Audience.Staff, "cmp-9", "財政課の担当のKPIはどれですか");

        // 財政課 shares オンライン決済の促進 and 窓口申請改革, and has 自治体SMS alone.
        var table = Assert.IsType<TableReply>(replies[^1]);
        Assert.Equal(["オンライン決済が可能な手続き数（オンライン決済の促進）", "書かない窓口利用件数（窓口申請改革）", "通知数（自治体SMSを活用した広報の効率化）"], table.Rows.Select(r => r[1]));
        Assert.Equal("11,000件", table.Rows[2][2]);
    }

    [Fact]
    public async Task AMeasure_ListsItsKpis()
    {
        var table = Assert.IsType<TableReply>((await app.SayAsync(Audience.Staff, "cmp-10", "基本方針２の施策６の指標"))[^1]);

        var row = Assert.Single(table.Rows);
        Assert.Equal(["基本方針2 施策6", "稼働業務数（RPAを活用した行政運営）", "4業務", "3業務（令和7年度）", "未達 75%"], row);
    }

    [Fact]
    public async Task Unachieved_ListsTheSameIndicatorOfBothPlansOnce()
    {
        var replies = await app.SayAsync(Audience.Staff, "cmp-11", "令和7年度に目標に届かなかったKPIを教えて");

        // R7: RPA 3/4 (in both the plan's 5. and the 参考資料 table) and 標準化進捗率 79/100.
        var table = Assert.IsType<TableReply>(replies[^1]);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["稼働業務数（RPAを活用した行政運営）", "DX推進プラン・前計画", "4業務", "3業務", "75%"], table.Rows[0]);
        Assert.Equal("前計画", table.Rows[1][1]);
    }

    [Fact]
    public async Task AProjectsKpis_AreAnsweredByKpis_NotTheGuideline()
    {
        var replies = await app.SayAsync(Audience.Staff, "cmp-12", "生成AIの活用促進って、どんなKPIを置いてるの？");

        Assert.StartsWith("生成AIの活用促進（塩竈市DX推進プラン 基本方針2 施策2）のKPIは 1件 です: 業務効率化を実感した職員割合。", ReplyText.Of(replies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryDifferenceOfTwoTargets_EqualsThePlansFigures()
    {
        // Every pair of years with numeric targets, for every KPI: the formula's result is the plan's two cells subtracted.
        await using var scope = app.Services.CreateAsyncScope();
        var snapshot = await scope.ServiceProvider.GetRequiredService<KpiService>().SnapshotAsync(CancellationToken.None);
        var answers = new KpiAnswers(snapshot, scope.ServiceProvider.GetRequiredService<Bot.Messages.MessageCatalog>().Current, app.Clock.LocalTimeZone, null);
        var checkedPairs = 0;
        foreach (var kpi in snapshot.Catalog.Kpis)
        {
            var targets = kpi.Primary(KpiField.Target).Where(c => c.Value is not null).OrderBy(c => c.FiscalYear).ToList();
            foreach (var (a, b) in targets.SelectMany(a => targets.Where(b => b.FiscalYear > a.FiscalYear).Select(b => (a, b))))
            {
                var diff = b.Value!.Value - a.Value!.Value;
                var q = new KpiQuestion(KpiAsk.Difference, kpi.Id, a.FiscalYear, kpi.Plan, [], true, KpiAsk.Target, 1, [a.FiscalYear, b.FiscalYear]);
                var text = ReplyText.Of(answers.Answer(q));
                var sign = diff > 0 ? "+" : diff < 0 ? "−" : "±";
                var unit = kpi.Unit == "%" ? "ポイント" : kpi.Unit == "人（累計）" ? "人" : kpi.Unit;
                Assert.Contains($"＝ {sign}{Math.Abs(diff).ToString("#,0.##", CultureInfo.InvariantCulture)}{unit}", text, StringComparison.Ordinal);
                checkedPairs++;
            }
        }

        Assert.True(checkedPairs > 50, $"only {checkedPairs} pairs");
    }
}
