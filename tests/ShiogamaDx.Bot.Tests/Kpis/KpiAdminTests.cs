using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Kpis;

public sealed class KpiAdminTests : IDisposable
{
    private const string Key = "test-admin-key";

    private readonly BotApplication app = new(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key });

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task List_WithoutTheKey_Is401()
    {
        var response = await app.CreateClient().GetAsync(new Uri("/api/admin/kpis?fiscalYear=2026", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task List_GivesEveryKpi_WithTargetAndActualOfThatYear()
    {
        var json = await Client().GetFromJsonAsync<JsonElement>("/api/admin/kpis?fiscalYear=2025");

        var all = json.EnumerateArray().ToList();
        Assert.Equal(KpiCatalogLoader.Load(KpiTestData.ContentFile).Kpis.Count(), all.Count);
        var rpa = all.Single(k => k.GetProperty("id").GetString() == "rpa-processes");
        Assert.Equal(4m, rpa.GetProperty("target").GetProperty("value").GetDecimal());
        Assert.Equal(3m, rpa.GetProperty("actual").GetProperty("value").GetDecimal());
        Assert.Equal("plan", rpa.GetProperty("actual").GetProperty("source").GetString());
        Assert.Equal("業務", rpa.GetProperty("unit").GetString());
        Assert.Equal("各担当課、政策課", rpa.GetProperty("department").GetString());
        Assert.Equal("未達", rpa.GetProperty("achievement").GetString());
    }

    [Fact]
    public async Task SetActual_IsAudited_AndShownWithItsSource()
    {
        var client = Client();
        var response = await client.PutAsJsonAsync("/api/admin/kpis/online-procedures/actuals/2026", new { value = 70, reason = "9月末集計", changedBy = "政策課 佐藤" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var list = await client.GetFromJsonAsync<JsonElement>("/api/admin/kpis?fiscalYear=2026");
        var kpi = list.EnumerateArray().Single(k => k.GetProperty("id").GetString() == "online-procedures");
        Assert.Equal(70m, kpi.GetProperty("actual").GetProperty("value").GetDecimal());
        Assert.Equal("manual", kpi.GetProperty("actual").GetProperty("source").GetString());
        Assert.Equal("達成", kpi.GetProperty("achievement").GetString());

        var audit = await client.GetFromJsonAsync<JsonElement>("/api/admin/kpis/audit");
        var entry = Assert.Single(audit.EnumerateArray());
        Assert.Equal("政策課 佐藤", entry.GetProperty("changedBy").GetString());
        Assert.Equal("9月末集計", entry.GetProperty("reason").GetString());
        Assert.Equal("api", entry.GetProperty("via").GetString());
    }

    [Theory]
    [InlineData("online-procedures", 2026, "{\"value\":5,\"changedBy\":\"x\"}", HttpStatusCode.BadRequest)]
    [InlineData("online-procedures", 2040, "{\"value\":5,\"reason\":\"r\",\"changedBy\":\"x\"}", HttpStatusCode.BadRequest)]
    [InlineData("online-procedures", 2026, "{\"value\":-1,\"reason\":\"r\",\"changedBy\":\"x\"}", HttpStatusCode.BadRequest)]
    [InlineData("no-such-kpi", 2026, "{\"value\":5,\"reason\":\"r\",\"changedBy\":\"x\"}", HttpStatusCode.NotFound)]
    public async Task SetActual_WithBadInput_IsRefused_AndNothingIsSaved(string id, int year, string body, HttpStatusCode expected)
    {
        var response = await Client().PutAsync(new Uri($"/api/admin/kpis/{id}/actuals/{year}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(0, app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<KpiAuditEntry>().Count()));
    }

    [Fact]
    public async Task CsvImport_WithOneBadLine_SavesNothing_AndNamesTheLine()
    {
        const string csv = "kpiId,fiscalYear,value,reason,changedBy\nrpa-processes,R8,5,上期,佐藤\nonline-procedures,令和8年度,abc,上期,佐藤\n";

        var response = await Client().PostAsync(new Uri("/api/admin/kpis/actuals", UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("line 3", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<KpiValue>().Count(v => v.Source == KpiSources.Manual)));
    }

    [Fact]
    public async Task CsvImport_SavesEveryRow_WithAudit()
    {
        const string csv = "kpiId,fiscalYear,value,reason,changedBy\nrpa-processes,R8,5,上期,佐藤\nonline-procedures,2026,71,\"上期, 速報\",佐藤\n";

        var response = await Client().PostAsync(new Uri("/api/admin/kpis/actuals", UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var audit = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<KpiAuditEntry>().AsNoTracking().ToList());
        Assert.Equal(2, audit.Count);
        Assert.Contains(audit, a => a.KpiId == "online-procedures" && a.Reason == "上期, 速報" && a.NewValue == "71");
    }

    [Fact]
    public async Task Dashboard_ShowsEveryKpi_AndEscapesWhatPeopleTyped()
    {
        var client = Client();
        await client.PutAsJsonAsync("/api/admin/kpis/rpa-processes/actuals/2026", new { value = 4, reason = "<script>alert(1)</script>", changedBy = "a&b" });

        var response = await client.GetAsync(new Uri("/api/admin/kpis/dashboard?fiscalYear=2026", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        foreach (var kpi in KpiCatalogLoader.Load(KpiTestData.ContentFile).Kpis)
        {
            Assert.Contains($"id=\"{kpi.Id}\"", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("a&amp;b", html, StringComparison.Ordinal);
        Assert.Contains("<svg role=\"img\"", html, StringComparison.Ordinal);

        // Plan values carry no time: the latest is the latest year's (here the catalog's count for 令和8年度).
        var online = html[html.IndexOf("id=\"online-procedures\"", StringComparison.Ordinal)..];
        Assert.Contains("最新の実績の出典: 手続カタログ集計", online[..online.IndexOf("</p>", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrowserDashboard_AsksForTheKey_ThenShowsThePageWithACookie()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var login = await client.GetStringAsync(new Uri("/dashboard", UriKind.Relative));
        Assert.Contains("type=\"password\"", login, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"rpa-processes\"", login, StringComparison.Ordinal);

        var wrong = await client.PostAsync(new Uri("/dashboard/login", UriKind.Relative), new FormUrlEncodedContent([new("key", "guess")]));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var right = await client.PostAsync(new Uri("/dashboard/login", UriKind.Relative), new FormUrlEncodedContent([new("key", Key)]));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, cookie, StringComparison.Ordinal);

        var page = await client.GetStringAsync(new Uri("/dashboard", UriKind.Relative));
        Assert.Contains("id=\"rpa-processes\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/dashboard/export.csv\"", page, StringComparison.Ordinal);

        var csv = await client.GetAsync(new Uri("/dashboard/export.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);

        await client.GetAsync(new Uri("/dashboard/signout", UriKind.Relative));
        var after = await client.GetStringAsync(new Uri("/dashboard", UriKind.Relative));
        Assert.Contains("type=\"password\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_IsCsvWithEveryYearOfEveryKpi()
    {
        var csv = await Client().GetStringAsync(new Uri("/api/admin/kpis/export.csv", UriKind.Relative));

        Assert.Contains("online-procedures", csv, StringComparison.Ordinal);
        Assert.Contains("rpa-processes,稼働業務数,業務,各担当課、政策課,2025,4,3,plan,未達", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComputedValues_FromAValueSource_AreShownWithTheirSource_AndNeverReplaceATarget()
    {
        using var withSource = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IKpiValueSource>(new FakeSurveySource())));
        var client = withSource.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);

        var list = await client.GetFromJsonAsync<JsonElement>("/api/admin/kpis?fiscalYear=2026");
        var comprehension = list.EnumerateArray().Single(k => k.GetProperty("id").GetString() == KpiIds.ClassComprehension);
        Assert.Equal(50m, comprehension.GetProperty("target").GetProperty("value").GetDecimal());
        Assert.Equal("plan", comprehension.GetProperty("target").GetProperty("source").GetString());
        Assert.Equal(62.5m, comprehension.GetProperty("actual").GetProperty("value").GetDecimal());
        Assert.Equal("survey", comprehension.GetProperty("actual").GetProperty("source").GetString());

        // In chat the value says where it comes from; an editor's manual value wins but the computed one stays visible.
        await using var scope = withSource.Services.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<ConversationEngine>();
        var replies = await engine.HandleAsync(new IncomingMessage("test", Audience.Staff, "s1", "s1", "スマホ教室の理解できた人の割合の実績", null, app.Clock.GetUtcNow()), CancellationToken.None);
        var text = ReplyText.Of(replies);
        Assert.StartsWith("講座内容が理解できた人の割合（令和8年度）の実績は 62.5% です。", text, StringComparison.Ordinal);
        Assert.Contains("アンケート集計（回答 16件）", text, StringComparison.Ordinal);
        Assert.Contains("達成率 125%・達成", text, StringComparison.Ordinal);

        var service = scope.ServiceProvider.GetRequiredService<KpiService>();
        var change = await service.SetActualAsync(KpiIds.ClassComprehension, 2026, 60, "op", "集計の訂正", "api", CancellationToken.None);
        Assert.Equal("survey", change.Computed!.Source);
        var snapshot = await service.SnapshotAsync(CancellationToken.None);
        var kpi = snapshot.Catalog.Kpi(KpiIds.ClassComprehension)!;
        Assert.Equal([KpiSources.Manual, KpiSources.Survey], snapshot.Actuals(kpi, 2026).Select(a => a.Source));
        Assert.Equal(50m, snapshot.Target(kpi, 2026)!.Value);
    }

    private HttpClient Client()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return client;
    }

    private sealed class FakeSurveySource : IKpiValueSource
    {
        public Task<IReadOnlyList<ComputedKpiValue>> ComputeAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ComputedKpiValue>>(
            [
                new ComputedKpiValue(KpiIds.ClassComprehension, 2026, 62.5m, KpiSources.Survey, "回答 16件"),

                // A value for a KPI that does not exist is ignored, not shown.
                new ComputedKpiValue("no-such-kpi", 2026, 1, KpiSources.Catalog, "x"),
            ]);
    }
}
