using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Kpis;

/// <summary>One host for the read-only lookups (starting a host is the slow part); each test talks as its own user.</summary>
public sealed class KpiLookupHost : IDisposable
{
    public BotApplication App { get; } = new(new Dictionary<string, string?>
    {
        ["Kpis:DashboardUrl"] = "https://dx.example.jp/dashboard",
    });

    public void Dispose() => App.Dispose();
}

public sealed class KpiLookupTests(KpiLookupHost host) : IClassFixture<KpiLookupHost>
{
    private readonly BotApplication app = host.App;

    [Fact]
    public async Task TargetQuestion_AnswersTheNumberFirst_ThenContext()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "lookup-1", "電子申請が可能な手続数の令和8年度の目標は？"));

        Assert.StartsWith("電子申請が可能な手続数（令和8年度）の目標は 68件 です。", text, StringComparison.Ordinal);
        Assert.Contains("政策課", text, StringComparison.Ordinal);
        Assert.Contains("1,617千円", text, StringComparison.Ordinal);
        Assert.Contains("カタログから算出", text, StringComparison.Ordinal); // the procedure catalog's count is this year's computed actual
        Assert.Contains("https://dx.example.jp/dashboard?fiscalYear=2026#online-procedures", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActualQuestion_WithoutYear_GivesTheLatestActual_AndAchievement()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "lookup-2", "RPAの稼働業務数の実績"));

        Assert.StartsWith("稼働業務数（令和7年度）の実績は 3業務 です。", text, StringComparison.Ordinal);
        Assert.Contains("目標 4業務", text, StringComparison.Ordinal);
        Assert.Contains("達成率 75%・未達", text, StringComparison.Ordinal);
        Assert.Contains("計画（5. 具体的な事業 基本方針2 施策6）", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelativeYear_UsesTheClock_FiscalYearStartingInApril()
    {
        // 2027-03-31 is still 令和8年度, so 来年度 is 令和9年度.
        using var march = new BotApplication(now: new DateTimeOffset(2027, 3, 31, 23, 0, 0, TimeSpan.FromHours(9)));
        var text = ReplyText.Of(await march.SayAsync(Audience.Staff, "lookup-3", "来年度のオンライン決済の目標"));

        Assert.StartsWith("オンライン決済が可能な手続き数（令和9年度）の目標は 10件 です。", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecurityTrainingRate_ShowsTheOtherValueThePlanGivesForTheSameCell()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "lookup-4", "令和7年度のセキュリティ研修の受講率の実績"));

        Assert.StartsWith("研修の受講率（令和7年度）の実績は 100% です。", text, StringComparison.Ordinal);
        Assert.Contains("計画内の別の記載（実績）: 99%", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_IsATable_OfEveryKpiOfThePlan()
    {
        var replies = await app.SayAsync(Audience.Staff, "lookup-5", "KPI一覧");

        var table = Assert.IsType<TableReply>(Assert.Single(replies));
        Assert.Equal(13, table.Rows.Count);
        Assert.Contains(table.Rows, r => r[1].StartsWith("電子申請が可能な手続数", StringComparison.Ordinal) && r[2] == "68件");
        Assert.EndsWith("一覧のグラフ: https://dx.example.jp/dashboard?fiscalYear=2026", table.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unachieved_ListsTheKpisUnderTarget()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "lookup-6", "令和7年度に達成できなかったKPIは？"));

        Assert.Contains("稼働業務数", text, StringComparison.Ordinal);
        Assert.Contains("標準化進捗率", text, StringComparison.Ordinal);
        Assert.DoesNotContain("電子申請が可能な手続数", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Budget_AndDepartment_AreAnswered()
    {
        var budget = ReplyText.Of(await app.SayAsync(Audience.Staff, "lookup-7", "情報システム標準化の事業費"));
        var department = ReplyText.Of(await app.SayAsync(Audience.Staff, "lookup-8", "電子申請の担当課"));
        var zero = ReplyText.Of(await app.SayAsync(Audience.Staff, "lookup-9", "スマホ教室の予算"));

        Assert.StartsWith("情報システムの標準化の事業費は 令和7年度 254,261千円、令和8年度 27,940千円、令和9年度 13,860千円 です", budget, StringComparison.Ordinal);
        Assert.Contains("343,323千円", budget, StringComparison.Ordinal);
        Assert.StartsWith("電子申請の推進の担当は 政策課 です。", department, StringComparison.Ordinal);
        Assert.Contains("ゼロ予算", zero, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trend_IsATableOfEveryYear()
    {
        var replies = await app.SayAsync(Audience.Staff, "lookup-10", "スマホ教室の満足度の推移");

        var table = Assert.IsType<TableReply>(replies[^1]);
        Assert.Equal(["令和4年度", "—", "81%", "—", "計画"], table.Rows[0]);
        Assert.Equal("令和7年度", table.Rows[^1][0]);
        Assert.Equal("100%", table.Rows[^1][2]);
    }

    [Fact]
    public async Task AmbiguousQuestion_GetsChoices_AndTypingTheNumberAnswers()
    {
        var replies = await app.SayAsync(Audience.Staff, "lookup-11", "電子申請の目標");
        var choices = Assert.IsType<ChoicesReply>(Assert.Single(replies));
        Assert.Equal(2, choices.Choices.Count);

        var index = choices.Choices.ToList().FindIndex(c => c.Label == "電子申請利用率") + 1;
        var answer = ReplyText.Of(await app.SayAsync(Audience.Staff, "lookup-11", index.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.StartsWith("電子申請利用率（令和8年度）の目標は 30% です。", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Residents_NeverReachKpis()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Resident, "r1", "RPAの稼働業務数の実績"));

        Assert.DoesNotContain("稼働業務数（", text, StringComparison.Ordinal);
    }

}

public sealed class KpiUpdateTests : IDisposable
{
    private const string EditorId = "staff-editor-1";

    private readonly BotApplication app = new(new Dictionary<string, string?> { ["Kpis:Editors:0"] = EditorId });

    // What the staff channel passes for the editor: the pseudonym of their chat id.
    private string Editor => app.Services.GetRequiredService<PrivacyKeys>().Pseudonymize("staff", EditorId);

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Update_ByAnEditor_AsksReasonAndConfirmation_ThenSavesWithAudit()
    {
        var first = ReplyText.Of(await app.SayAsync(Audience.Staff, Editor, "RPAの令和8年度の実績を5に更新"));
        Assert.Contains("令和8年度）の実績を — から 5業務 に更新します", first, StringComparison.Ordinal);
        Assert.Contains("理由", first, StringComparison.Ordinal);

        var confirm = ReplyText.Of(await app.SayAsync(Audience.Staff, Editor, "10月の庁内調査"));
        Assert.Contains("この内容で更新しますか", confirm, StringComparison.Ordinal);
        Assert.Equal(0, app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<KpiAuditEntry>().Count()));

        var done = ReplyText.Of(await app.SayAsync(Audience.Staff, Editor, "はい"));
        Assert.Contains("更新しました", done, StringComparison.Ordinal);

        var audit = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<KpiAuditEntry>().Single());
        Assert.Equal(("rpa-processes", 2026, null, "5", Editor, "10月の庁内調査", "chat"), (audit.KpiId, audit.FiscalYear, audit.OldValue, audit.NewValue, audit.ChangedBy, audit.Reason, audit.Via));
        Assert.Equal(app.Clock.GetUtcNow(), audit.ChangedAt);

        var after = ReplyText.Of(await app.SayAsync(Audience.Staff, "s2", "RPAの令和8年度の実績"));
        Assert.StartsWith("稼働業務数（令和8年度）の実績は 5業務 です。", after, StringComparison.Ordinal);
        Assert.Contains("手入力（" + Editor, after, StringComparison.Ordinal);
        Assert.Contains("達成率 125%・達成", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_OfAnAmbiguousIndicator_OffersTheUpdateOfEachCandidate()
    {
        var replies = await app.SayAsync(Audience.Staff, Editor, "電子申請の令和8年度の実績を70に更新");
        var choices = Assert.IsType<ChoicesReply>(Assert.Single(replies));
        Assert.Contains(choices.Choices, c => c.Label == "電子申請が可能な手続数の令和8年度の実績を70に更新");

        var index = choices.Choices.ToList().FindIndex(c => c.Label.StartsWith("電子申請が可能な手続数", StringComparison.Ordinal)) + 1;
        var next = ReplyText.Of(await app.SayAsync(Audience.Staff, Editor, index.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Contains("電子申請が可能な手続数（電子申請の推進・令和8年度）の実績を 64件 から 70件 に更新します", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_CancelledAtConfirmation_ChangesNothing()
    {
        await app.SayAsync(Audience.Staff, Editor, "RPAの令和8年度の実績を5に更新");
        await app.SayAsync(Audience.Staff, Editor, "試し");
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, Editor, "いいえ"));

        Assert.Contains("更新しませんでした", text, StringComparison.Ordinal);
        Assert.Equal(0, app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<KpiValue>().Count(v => v.Source == KpiSources.Manual)));
    }

    [Fact]
    public async Task Update_ByStaffWhoIsNotAnEditor_IsRefused()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "someone-else", "RPAの令和8年度の実績を5に更新"));

        Assert.Contains("更新できるのは", text, StringComparison.Ordinal);
        Assert.Equal(0, app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<KpiAuditEntry>().Count()));
    }

    [Fact]
    public async Task Update_OfAYearOutsideThePlan_IsRefusedWithTheReason()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, Editor, "RPAの稼働業務数の2040年度の実績を5に更新"));

        Assert.Contains("対象外", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_KeepsManualActuals_AndReloadsThePlan()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KpiService>().SetActualAsync("rpa-processes", 2026, 6, "op", "test", "api", CancellationToken.None);
        }

        await app.Services.SeedContentAsync();

        var db = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<KpiValue>().AsNoTracking().ToList());
        Assert.Single(db, v => v.Source == KpiSources.Manual && v.Value == 6);
        Assert.Single(db, v => v.Source == KpiSources.Plan && v.KpiId == "rpa-processes" && v.FiscalYear == 2026 && v.Field == KpiField.Target);
    }
}
