using Microsoft.Playwright;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Infrastructure;
using SkiaSharp;

namespace ShiogamaDx.Bot.Tests.Kpis;

/// <summary>
/// The dashboard in a real headless Chromium against the host on Kestrel: sign-in through the fake Entra ID,
/// every KPI on the page, screenshots that are not blank (wide and phone-sized), and the CSV link.
/// Screenshots are kept in the test output folder (screenshots/) for a person to look at.
/// </summary>
public sealed class DashboardBrowserTests
{
    [SkippableFact]
    public async Task Dashboard_InChromium_SignsInWithEntraId_ShowsEveryKpi_AndExportsCsv()
    {
        var missing = await Chromium.EnsureInstalledAsync();
        Skip.If(missing is not null, missing);

        await using var h = await DashboardHarness.StartAsync();
        await using var browser = await Chromium.LaunchAsync();
        var page = browser.Context.Pages.Count > 0 ? browser.Context.Pages[0] : await browser.Context.NewPageAsync();
        var violations = await WatchCspAsync(page);

        var response = await page.GotoAsync(new Uri(h.BaseUrl, "dashboard").ToString(), new() { WaitUntil = WaitUntilState.Load });

        // Went to the identity provider and came back signed in.
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Equal(new Uri(h.BaseUrl, "dashboard").ToString(), page.Url);
        Assert.Single(h.Identity.AuthorizeRequests);
        Assert.Equal(1, h.Identity.CodeRedemptions);
        Assert.Equal("塩竈市DX推進プラン KPIダッシュボード", await page.TitleAsync());

        // Under the host's Content-Security-Policy the inline style sheet applies and nothing is refused.
        Assert.Contains("frame-ancestors 'none'", await response.HeaderValueAsync("content-security-policy") ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal("rgb(26, 77, 143)", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('h2')).borderBottomColor"));

        var catalog = KpiCatalogLoader.Load(KpiTestData.ContentFile);
        var shown = await page.Locator("section.kpi[data-kpi]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.kpi)");
        Assert.Equal(catalog.Kpis.Select(k => k.Id).Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
        await Assertions.Expect(page.Locator("section.kpi[data-kpi] h3").First).ToBeVisibleAsync();
        Assert.True(await page.Locator("section.kpi svg[role=img]").CountAsync() > catalog.Kpis.Count() / 2, "most KPIs have a chart");

        var wide = await ScreenshotAsync(page, "dashboard-wide.png");
        AssertNotBlank(wide);

        // A phone: nothing wider than the screen but the tables' own scrolling boxes.
        await page.SetViewportSizeAsync(390, 844);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page scrolls sideways by {overflow}px on a phone");
        var narrow = await ScreenshotAsync(page, "dashboard-phone.png");
        AssertNotBlank(narrow);
        await page.Locator("#rpa-processes").ScrollIntoViewIfNeededAsync();
        AssertNotBlank(await ScreenshotAsync(page, "dashboard-phone-kpi.png"));
        await page.SetViewportSizeAsync(1280, 900);

        // The export link downloads the CSV with the browser's sign-in cookie.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "CSVで書き出す" }).ClickAsync());
        Assert.Equal("kpis.csv", download.SuggestedFilename);
        var csv = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.StartsWith("plan,policy,measure,project,kpiId", csv[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.True(csv.Length - 1 >= catalog.Kpis.Count(), $"{csv.Length - 1} CSV rows for {catalog.Kpis.Count()} KPIs");
        foreach (var kpi in catalog.Kpis)
        {
            Assert.Contains(csv, line => line.Split(',')[4] == kpi.Id);
        }

        Assert.Empty(await violations());
    }

    [SkippableFact]
    public async Task Dashboard_InChromium_SignsInWithTheOperationsKey_UnderTheCsp()
    {
        var missing = await Chromium.EnsureInstalledAsync();
        Skip.If(missing is not null, missing);

        await using var app = new BotApplication(new Dictionary<string, string?> { ["Admin:ApiKey"] = DashboardHarness.ApiKey }, now: DateTimeOffset.UtcNow);
        var baseUrl = app.StartOnLoopback();
        await using var browser = await Chromium.LaunchAsync();
        var page = browser.Context.Pages.Count > 0 ? browser.Context.Pages[0] : await browser.Context.NewPageAsync();
        var violations = await WatchCspAsync(page);

        await page.GotoAsync(new Uri(baseUrl, "dashboard?fiscalYear=2025").ToString(), new() { WaitUntil = WaitUntilState.Load });
        Assert.Equal("rgb(26, 77, 143)", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('button')).backgroundColor"));
        await page.GetByLabel("運用キー（DX推進係）").FillAsync(DashboardHarness.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "表示する" }).ClickAsync();
        await page.WaitForURLAsync(new Uri(baseUrl, "dashboard?fiscalYear=2025").ToString());

        Assert.Equal("塩竈市DX推進プラン KPIダッシュボード", await page.TitleAsync());
        Assert.Contains("令和7年度", await page.Locator("p.meta").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("rgb(26, 77, 143)", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('h2')).borderBottomColor"));
        Assert.Empty(await violations());
    }

    /// <summary>Collects what the page's Content-Security-Policy refused (CSP reports and console errors about it).</summary>
    private static async Task<Func<Task<IReadOnlyList<string>>>> WatchCspAsync(IPage page)
    {
        var console = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                console.Enqueue(message.Text);
            }
        };
        await page.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        return async () => [.. console, .. await page.EvaluateAsync<string[]>("() => window.__csp || []")];
    }

    private static async Task<byte[]> ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), Type = ScreenshotType.Png });
    }

    /// <summary>Decodes the PNG: a blank or failed render is one or two colours with no spread of brightness.</summary>
    private static void AssertNotBlank(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        var colours = new HashSet<uint>();
        double sum = 0, sumSquares = 0;
        var n = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add((uint)c);
                var luminance = (0.2126 * c.Red) + (0.7152 * c.Green) + (0.0722 * c.Blue);
                sum += luminance;
                sumSquares += luminance * luminance;
                n++;
            }
        }

        var mean = sum / n;
        var variance = (sumSquares / n) - (mean * mean);
        Assert.True(colours.Count >= 50, $"only {colours.Count} distinct colours: the page looks blank");
        Assert.True(variance > 100, $"brightness variance {variance:0.0}: the page looks blank");
    }
}
