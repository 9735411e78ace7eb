using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Staff;
using ShiogamaDx.Bot.Tests.Infrastructure;
using SkiaSharp;

namespace ShiogamaDx.Bot.Tests.Kpis;

/// <summary>
/// The chart of target against actual that multi-year KPI answers carry (issue #25): rendered for every KPI of the
/// plan, decoded back as a PNG of the expected size, inside the Teams card as a data URI small enough for Teams.
/// </summary>
public sealed class KpiChartTests(KpiLookupHost host) : IClassFixture<KpiLookupHost>
{
    /// <summary>The smallest message size quoted for Teams cards with inline images (see AdaptiveCardRenderer.MaxCardBytes).</summary>
    private const int TeamsMessageBytes = 25_000;

    private readonly BotApplication app = host.App;

    [SkippableFact]
    public async Task EveryKpisTrend_CarriesAPngChart_OfTheExpectedSize_InACardTeamsAccepts()
    {
        Skip.If(KpiCharts.FindFace(null) is null, NoFont);
        await using var scope = app.Services.CreateAsyncScope();
        var snapshot = await scope.ServiceProvider.GetRequiredService<KpiService>().SnapshotAsync(CancellationToken.None);
        var answers = new KpiAnswers(snapshot, scope.ServiceProvider.GetRequiredService<Bot.Messages.MessageCatalog>().Current, app.Clock.LocalTimeZone, "https://dx.example.jp/dashboard", scope.ServiceProvider.GetRequiredService<KpiCharts>());
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots", "charts");
        Directory.CreateDirectory(folder);
        var charted = 0;
        var largest = (Bytes: 0, Kpi: string.Empty);

        foreach (var kpi in snapshot.Catalog.Kpis)
        {
            var replies = answers.Answer(new KpiQuestion(KpiAsk.Trend, kpi.Id, null, kpi.Plan, [], false, KpiAsk.Trend, 1));
            var table = Assert.IsType<TableReply>(replies[^1]);
            var years = snapshot.Years(kpi).ToList();
            var hasFigure = years.Any(y => snapshot.Target(kpi, y)?.Value > 0 || snapshot.Actual(kpi, y)?.Value > 0);
            if (!hasFigure)
            {
                // Only words in the plan (e.g. 方針転換により見送り): nothing to draw, the table says it.
                Assert.Null(table.Chart);
                continue;
            }

            var chart = Assert.IsType<ChartImage>(table.Chart);
            using (var bitmap = SKBitmap.Decode(chart.Png))
            {
                Assert.NotNull(bitmap);
                Assert.Equal((KpiChart.Width, KpiChart.Height), (bitmap.Width, bitmap.Height));
                Assert.Equal((KpiChart.Width, KpiChart.Height), (chart.Width, chart.Height));
                Assert.True(Enumerable.Range(0, bitmap.Width).Any(x => bitmap.GetPixel(x, KpiChart.Baseline - 1) == new SKColor(0x1a, 0x4d, 0x8f))
                    || years.All(y => snapshot.Actual(kpi, y)?.Value is null or 0), $"{kpi.Id}: an actual is drawn");
            }

            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], chart.Png.Take(4));
            File.WriteAllBytes(Path.Combine(folder, kpi.Id + ".png"), chart.Png);

            // The figures in words for screen readers, every year of the table.
            Assert.StartsWith(kpi.Name + "のグラフ（目標と実績）: ", chart.AltText, StringComparison.Ordinal);
            foreach (var row in table.Rows)
            {
                Assert.Contains($"{row[0]} 目標{row[1]} 実績{row[2]}", chart.AltText, StringComparison.Ordinal);
            }

            // In the Teams card: the image as a data URI, and the whole activity within Teams' message size.
            var activity = AdaptiveCardRenderer.Render(table, "msteams");
            var json = JsonSerializer.Serialize(activity, ActivityJson.Default.Activity);
            var image = activity.Attachments![0].Content!["body"]!.AsArray().Single(e => (string?)e!["type"] == "Image")!;
            Assert.Equal("data:image/png;base64," + Convert.ToBase64String(chart.Png), (string?)image["url"]);
            Assert.Equal(chart.AltText, (string?)image["altText"]);
            var bytes = Encoding.UTF8.GetByteCount(json);
            Assert.True(bytes < TeamsMessageBytes, $"{kpi.Id}: the activity is {bytes} bytes");
            largest = bytes > largest.Bytes ? (bytes, kpi.Id) : largest;
            charted++;
        }

        Assert.True(charted >= snapshot.Catalog.Kpis.Count() - 3, $"{charted} of {snapshot.Catalog.Kpis.Count()} KPIs have a chart");
        Console.WriteLine($"{charted} charts; the largest activity: {largest.Bytes} bytes ({largest.Kpi})");
    }

    [SkippableFact]
    public async Task ChartQuestion_InTheStaffChat_IsATableWithTheChart_AndTheNumbersInText()
    {
        Skip.If(KpiCharts.FindFace(null) is null, NoFont);

        var replies = await app.SayAsync(Audience.Staff, "chart-1", "RPAの稼働業務数の推移をグラフで");

        var table = Assert.IsType<TableReply>(replies[^1]);
        Assert.NotNull(table.Chart);
        Assert.Contains("令和8年度 目標4業務", table.Chart.AltText, StringComparison.Ordinal);

        // The terminal (and a screen reader on it) reads the same figures from the table.
        var text = ReplyText.Of(replies);
        Assert.Contains("令和8年度", text, StringComparison.Ordinal);
        Assert.Contains("4業務", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ARange_CarriesAChartOfItsOwnYears_AndAOneYearFigureNone()
    {
        Skip.If(KpiCharts.FindFace(null) is null, NoFont);

        var range = Assert.IsType<TableReply>((await app.SayAsync(Audience.Staff, "chart-2", "RPAの稼働業務数を令和8〜令和11年度で"))[^1]);
        var one = await app.SayAsync(Audience.Staff, "chart-3", "RPAの稼働業務数の令和8年度の目標は？");

        Assert.NotNull(range.Chart);
        Assert.Contains("令和11年度 目標7業務", range.Chart.AltText, StringComparison.Ordinal);
        Assert.DoesNotContain("令和12年度", range.Chart.AltText, StringComparison.Ordinal);
        Assert.DoesNotContain(one, r => r is TableReply { Chart: not null });
    }

    [SkippableFact]
    public async Task ADifferenceAndAGap_SpanYears_SoTheyCarryThoseYearsTableAndChart_AfterTheFormula()
    {
        Skip.If(KpiCharts.FindFace(null) is null, NoFont);

        var difference = await app.SayAsync(Audience.Staff, "chart-4", "RPAの稼働業務数の目標は令和8年度から令和11年度で何業務増える？");
        var gap = await app.SayAsync(Audience.Staff, "chart-5", "RPAの稼働業務数は最終年度の目標まであと何業務？");

        // The formula in words comes first; the years it spans follow as a table with their picture.
        Assert.Contains("＝", Assert.IsType<TextReply>(difference[0]).Text, StringComparison.Ordinal);
        var differenceTable = Assert.IsType<TableReply>(difference[^1]);
        Assert.NotNull(differenceTable.Chart);
        Assert.Equal(["令和8年度", "令和9年度", "令和10年度", "令和11年度"], differenceTable.Rows.Select(r => r[0]));
        Assert.Contains("令和11年度 目標7業務", differenceTable.Chart.AltText, StringComparison.Ordinal);

        Assert.Contains("＝", Assert.IsType<TextReply>(gap[0]).Text, StringComparison.Ordinal);
        var gapTable = Assert.IsType<TableReply>(gap[^1]);
        Assert.NotNull(gapTable.Chart);
        Assert.Equal("令和12年度", gapTable.Rows[^1][0]);
        Assert.True(gapTable.Rows.Count >= 2, "the gap's table runs from the latest actual to the target's year");
    }

    [SkippableFact]
    public async Task TheContainerImagesFont_IpaGothic_HasEveryGlyphAChartDraws()
    {
        // The Dockerfile installs fonts-ipafont-gothic for the charts; .ci/run installs it here too.
        const string ipaGothic = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf";
        Skip.IfNot(File.Exists(ipaGothic), "fonts-ipafont-gothic is not installed: run .ci/run once");
        using var face = KpiCharts.Load(ipaGothic);
        Assert.NotNull(face);
        await using var scope = app.Services.CreateAsyncScope();
        var snapshot = await scope.ServiceProvider.GetRequiredService<KpiService>().SnapshotAsync(CancellationToken.None);
        var labels = scope.ServiceProvider.GetRequiredService<KpiCharts>().Labels;
        using var font = new SKFont(face);

        foreach (var kpi in snapshot.Catalog.Kpis)
        {
            var years = snapshot.Years(kpi).ToList();
            var text = string.Concat(years.Select(FiscalYears.Label)) + labels.Target + labels.Actual + kpi.Unit + "0123456789.,%％";
            Assert.True(font.ContainsGlyphs(text), $"{kpi.Id}: IPA Gothic lacks a glyph of '{text}'");
            var data = years.Select(y => new KpiChartPoint(y, snapshot.Target(kpi, y)?.Value, snapshot.Actual(kpi, y)?.Value, "", "")).ToList();
            if (KpiChart.RenderPng(data, kpi.Unit, labels, face) is { } png)
            {
                using var bitmap = SKBitmap.Decode(png);
                Assert.Equal((KpiChart.Width, KpiChart.Height), (bitmap.Width, bitmap.Height));
            }
        }
    }

    [Fact]
    public void AChartTooLargeForTeams_IsLeftOut_AndTheTableStays()
    {
        var noise = new byte[30_000];
        new Random(25).NextBytes(noise);
        var table = new TableReply("t", ["年度", "目標"], [["令和8年度", "4業務"]], null, new ChartImage(noise, 480, 200, "alt"));

        var card = AdaptiveCardRenderer.Render(table, "msteams").Attachments![0].Content!;

        var types = card["body"]!.AsArray().Select(e => (string?)e!["type"]).ToList();
        Assert.Equal(["TextBlock", "Table"], types);
    }

    [Theory]
    [InlineData(4, 5)]
    [InlineData(68, 100)]
    [InlineData(100, 100)]
    [InlineData(83.5, 100)]
    [InlineData(0.6, 1)]
    [InlineData(1200, 2000)]
    [InlineData(2600, 5000)]
    public void TheTopGridline_IsARoundNumber_AtOrAboveTheLargestFigure(double largest, double top) =>
        Assert.Equal((decimal)top, KpiChart.NiceMax((decimal)largest));

    private const string NoFont = "No Japanese font: run .ci/run once (it installs fonts-noto-cjk) or set Kpis:ChartFontFile.";
}
