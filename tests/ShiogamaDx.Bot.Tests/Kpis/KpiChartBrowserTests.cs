using Microsoft.Playwright;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Staff;
using SkiaSharp;

namespace ShiogamaDx.Bot.Tests.Kpis;

/// <summary>
/// The chart in the staff chat as a staff member sees it: the host on Kestrel, Microsoft's Teams emulator (the
/// Agents Playground, channel msteams) drawing the Adaptive Card, in Debian's headless Chromium. The screenshot goes
/// to the test output (screenshots/teams-kpi-chart.png).
/// </summary>
public sealed class KpiChartBrowserTests
{
    [SkippableFact]
    public async Task ChartQuestion_InTheTeamsEmulator_ShowsTheCardWithTheChart_AndItsTable()
    {
        var missing = await Chromium.EnsureInstalledAsync();
        Skip.If(missing is not null, missing);
        Skip.If(KpiCharts.FindFace(null) is null, "No Japanese font: run .ci/run once (it installs fonts-noto-cjk) or set Kpis:ChartFontFile.");
        var (cli, why) = await PlaygroundBrowserTests.InstallPlaygroundAsync();
        Skip.If(cli is null, why);

        await using var app = new BotApplication(new Dictionary<string, string?> { ["Staff:AllowUnauthenticated"] = "true" });
        var bot = app.StartOnLoopback();
        await using var playground = await PlaygroundBrowserTests.Playground.StartAsync(cli, new Uri(bot, "api/messages"));
        await using var browser = await Chromium.LaunchAsync(1280, 1000);
        var page = browser.Context.Pages.Count > 0 ? browser.Context.Pages[0] : await browser.Context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(playground.Url.ToString(), new() { WaitUntil = WaitUntilState.Load });
        await page.GetByRole(AriaRole.Button, new() { Name = "KPI一覧", Exact = true }).First.WaitForAsync(); // the greeting is in

        var input = page.Locator("[data-lexical-editor=true][role=textbox]");
        await input.ClickAsync();
        await page.Keyboard.InsertTextAsync("電子申請が可能な手続数の推移をグラフで");
        await page.Keyboard.PressAsync("Enter");

        // The card's image: our PNG, decoded by the browser at its own size, with the figures as its accessible name.
        var chart = page.Locator(".fai-OutputCard img[src^='data:image/png;base64,']").Last;
        await chart.WaitForAsync();
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await chart.ElementHandleAsync());
        Assert.Equal(KpiChart.Width, await chart.EvaluateAsync<int>("img => img.naturalWidth"));
        Assert.Equal(KpiChart.Height, await chart.EvaluateAsync<int>("img => img.naturalHeight"));
        var alt = await chart.GetAttributeAsync("alt") ?? await chart.GetAttributeAsync("aria-label") ?? string.Empty;
        Assert.StartsWith("電子申請が可能な手続数のグラフ（目標と実績）: ", alt, StringComparison.Ordinal);
        Assert.Contains("令和12年度 目標83件", alt, StringComparison.Ordinal);
        var box = await chart.BoundingBoxAsync();
        Assert.True(box is { Width: > 300, Height: > 100 }, $"the chart is drawn {box?.Width}×{box?.Height}");

        // The same card holds the table, the numbers in text.
        var card = page.Locator(".fai-OutputCard").Filter(new() { Has = page.Locator("img[src^='data:image/png;base64,']") }).Last;
        Assert.Contains("83件", await card.InnerTextAsync(), StringComparison.Ordinal);

        await chart.ScrollIntoViewIfNeededAsync();
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var shot = await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "teams-kpi-chart.png"), Type = ScreenshotType.Png });

        // What the screen shows inside the image's box is the chart: its blue actual bars.
        using var screen = SKBitmap.Decode(shot);
        var blue = 0;
        for (var x = (int)box!.X; x < (int)(box.X + box.Width); x++)
        {
            for (var y = (int)box.Y; y < (int)(box.Y + box.Height); y += 2)
            {
                var c = screen.GetPixel(x, y);
                blue += c.Red < 60 && c.Green is > 55 and < 100 && c.Blue > 120 ? 1 : 0;
            }
        }

        Assert.True(blue > 200, $"{blue} blue pixels in the chart's box");
        Assert.Empty(errors);
    }
}
