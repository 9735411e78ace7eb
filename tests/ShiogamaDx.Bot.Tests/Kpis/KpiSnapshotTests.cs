using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Procedures;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Kpis;

/// <summary>
/// The KPIs computed from the catalog (電子申請が可能な手続数 …) are recorded for their fiscal year, so a year's figure
/// survives the catalog changing after it ended; answers say which figure is live and which is a record.
/// </summary>
public sealed class KpiSnapshotTests : IDisposable
{
    private const string Key = "test-admin-key";

    private readonly BotApplication app = new(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key });

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task AYearsRecordedFigure_SurvivesTheCatalogChangingAfterTheYearEnds_AndIsSaidToBeARecord()
    {
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 31, 14, 0, 0, TimeSpan.Zero)); // 23:00 on the last day of 令和8年度
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);

        var recorded = await client.PostAsync(new Uri("/api/admin/kpis/snapshot", UriKind.Relative), null);
        recorded.EnsureSuccessStatusCode();
        var online = (await recorded.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single(v => v.GetProperty("id").GetString() == KpiIds.OnlineProcedures);
        Assert.Equal((2026, 64m), (online.GetProperty("fiscalYear").GetInt32(), online.GetProperty("value").GetDecimal()));

        // The new fiscal year: four procedures are no longer online.
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 4, 2, 0, 0, 0, TimeSpan.Zero));
        app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Procedure>().Where(p => p.Online).OrderBy(p => p.Id).Take(4)
            .ExecuteUpdate(s => s.SetProperty(p => p.Online, false)));

        var lastYear = ReplyText.Of(await app.SayAsync(Audience.Staff, "s1", "電子申請が可能な手続数の令和8年度の実績は？"));
        var thisYear = ReplyText.Of(await app.SayAsync(Audience.Staff, "s2", "電子申請が可能な手続数の令和9年度の実績は？"));

        Assert.Contains("64件", lastYear, StringComparison.Ordinal);
        Assert.Contains("2027/03/31時点の記録", lastYear, StringComparison.Ordinal);
        Assert.Contains("60件", thisYear, StringComparison.Ordinal);
        Assert.Contains("手続カタログ集計", thisYear, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHourlyJob_RecordsTheCurrentYearsComputedFigures_AndReplacesItsEarlierRecord()
    {
        int Records() => app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<KpiValue>().Count(v => v.Source == KpiSources.Snapshot && v.KpiId == KpiIds.OnlineProcedures && v.FiscalYear == 2026));
        Assert.Equal(0, Records());

        await EventuallyAsync(() => Records() == 1, TimeSpan.FromMinutes(6)); // the first run, a few minutes after start
        app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Procedure>().Where(p => p.Online).OrderBy(p => p.Id).Take(1)
            .ExecuteUpdate(s => s.SetProperty(p => p.Online, false)));
        await EventuallyAsync(() => app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<KpiValue>()
            .Any(v => v.Source == KpiSources.Snapshot && v.KpiId == KpiIds.OnlineProcedures && v.Value == 63m)), TimeSpan.FromHours(1));

        Assert.Equal(1, Records());
    }

    private async Task EventuallyAsync(Func<bool> condition, TimeSpan advance)
    {
        app.Clock.Advance(advance);
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the job did not record in time");
    }
}
