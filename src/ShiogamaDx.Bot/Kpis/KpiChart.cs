using System.Globalization;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;
using SkiaSharp;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>One fiscal year of a KPI chart; a missing figure draws no bar. The texts are the figures as the table shows them.</summary>
public sealed record KpiChartPoint(int Year, decimal? Target, decimal? Actual, string TargetText = "—", string ActualText = "—");

/// <summary>The labels a chart prints and the separator of the figures in its alternative text (Content/messages.yaml, section <c>kpis</c>).</summary>
public sealed record KpiChartLabels(string Target, string Actual, string Separator);

/// <summary>
/// Target (outline) against actual (filled) per fiscal year, as the dashboard's SVG draws them, but as a small PNG
/// with Japanese labels for the staff chat. Small on purpose: the card carries it as a data URI (see
/// AdaptiveCardRenderer), so the whole message has to stay within Teams' message size.
/// </summary>
public static class KpiChart
{
    public const int Width = 480;
    public const int Height = 200;

    /// <summary>The row of the zero line; bars stand on it.</summary>
    public const int Baseline = Height - (int)Bottom;

    private const float Left = 52, Right = 12, Top = 34, Bottom = 26;
    private static readonly SKColor Ink = new(0x1a, 0x1a, 0x1a);
    private static readonly SKColor Grid = new(0xd0, 0xd0, 0xd0);
    private static readonly SKColor TargetLine = new(0x55, 0x55, 0x55);
    private static readonly SKColor ActualFill = new(0x1a, 0x4d, 0x8f);

    /// <summary>Null when there is nothing to draw (no figure at all, or only zeros).</summary>
    /// <param name="unitLabel">Printed at the top right (「単位: 件」); empty: none.</param>
    public static byte[]? RenderPng(IReadOnlyList<KpiChartPoint> data, string unitLabel, KpiChartLabels labels, SKTypeface face)
    {
        var points = data.Where(d => d.Target is not null || d.Actual is not null).ToList();
        if (points.Count == 0 || points.All(p => (p.Target ?? 0) <= 0 && (p.Actual ?? 0) <= 0))
        {
            return null;
        }

        var max = NiceMax(points.Max(p => Math.Max(p.Target ?? 0, p.Actual ?? 0)));
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var font = new SKFont(face, 12) { Edging = SKFontEdging.Antialias };
            using var small = new SKFont(face, 11) { Edging = SKFontEdging.Antialias };
            using var ink = new SKPaint { Color = Ink, IsAntialias = true };
            using var grid = new SKPaint { Color = Grid, StrokeWidth = 1, IsAntialias = false };
            using var outline = new SKPaint { Color = TargetLine, Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = false };
            using var fill = new SKPaint { Color = ActualFill, Style = SKPaintStyle.Fill, IsAntialias = false };

            // Legend and unit along the top.
            var x = Left;
            canvas.DrawRect(x, 9, 12, 12, outline);
            canvas.DrawText(labels.Target, x + 17, 20, SKTextAlign.Left, font, ink);
            x += 17 + font.MeasureText(labels.Target) + 16;
            canvas.DrawRect(x, 9, 12, 12, fill);
            canvas.DrawText(labels.Actual, x + 17, 20, SKTextAlign.Left, font, ink);
            if (unitLabel.Length > 0)
            {
                canvas.DrawText(unitLabel, Width - Right, 20, SKTextAlign.Right, small, ink);
            }

            // Gridlines at 0, ½ and the top, with their values.
            var plotHeight = Height - Top - Bottom;
            foreach (var step in new[] { 0m, 0.5m, 1m })
            {
                var y = MathF.Round(Top + plotHeight - ((float)step * plotHeight)) + 0.5f;
                canvas.DrawLine(Left, y, Width - Right, y, grid);
                canvas.DrawText(KpiFormat.Number(max * step), Left - 6, y + 4, SKTextAlign.Right, small, ink);
            }

            // Two bars a year: target outlined, actual filled beside it; their figures on top when every one fits.
            var slot = (Width - Left - Right) / points.Count;
            var bar = MathF.Floor(Math.Min(28, slot * 0.3f));
            var longLabels = points.All(p => small.MeasureText(YearLabel(p.Year, longForm: true)) <= slot - 4);
            using var figure = new SKFont(face, 10) { Edging = SKFontEdging.Antialias };
            var figures = points.SelectMany(p => new[] { p.Target, p.Actual }).OfType<decimal>().All(v => figure.MeasureText(KpiFormat.Number(v)) <= bar);
            float Bar(decimal v) => v > 0 ? MathF.Round((float)(v / max) * plotHeight) : 0;
            for (var i = 0; i < points.Count; i++)
            {
                var p = points[i];
                var center = MathF.Round(Left + (slot * (i + 0.5f)));
                if (p.Target is { } t && t > 0)
                {
                    var h = Bar(t);
                    canvas.DrawRect(center - bar, Top + plotHeight - h + 1, bar - 2, h - 1, outline);
                }

                if (figures && p.Target is { } tf)
                {
                    canvas.DrawText(KpiFormat.Number(tf), center - (bar / 2) - 1, Top + plotHeight - Bar(tf) - 3, SKTextAlign.Center, figure, ink);
                }

                if (figures && p.Actual is { } af)
                {
                    canvas.DrawText(KpiFormat.Number(af), center + 1 + (bar / 2), Top + plotHeight - Bar(af) - 3, SKTextAlign.Center, figure, ink);
                }

                if (p.Actual is { } a && a > 0)
                {
                    var h = Bar(a);
                    canvas.DrawRect(center + 1, Top + plotHeight - h, bar, h, fill);
                }

                canvas.DrawText(YearLabel(p.Year, longLabels), center, Height - 8, SKTextAlign.Center, small, ink);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The figures in words, for the image's alternative text.</summary>
    public static string Describe(IReadOnlyList<KpiChartPoint> data, KpiChartLabels labels) =>
        string.Join(labels.Separator, data.Where(d => d.TargetText != "—" || d.ActualText != "—").Select(d =>
            $"{FiscalYears.Label(d.Year)} {labels.Target}{d.TargetText} {labels.Actual}{d.ActualText}"));

    private static string YearLabel(int year, bool longForm) =>
        longForm ? FiscalYears.Label(year) : "R" + (year - FiscalYears.ReiwaOffset).ToString(CultureInfo.InvariantCulture);

    /// <summary>1, 2, 2.5 or 5 times a power of ten at or above the largest figure, so the top gridline reads round.</summary>
    internal static decimal NiceMax(decimal value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var power = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)value)));
        foreach (var m in new[] { 1m, 2m, 2.5m, 5m, 10m })
        {
            if (m * power >= value)
            {
                return m * power;
            }
        }

        return 10 * power;
    }
}

/// <summary>
/// Charts for KPI answers: the Japanese font found once (<c>Kpis:ChartFontFile</c>, else Noto Sans CJK and the
/// other usual places); without one, answers carry their table only and the log says so once.
/// </summary>
public sealed class KpiCharts(IOptions<KpiOptions> options, MessageCatalog messages, ILogger<KpiCharts> logger)
{
    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",   // Debian/Ubuntu fonts-noto-cjk
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",        // Arch
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", // Fedora
        "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
        "/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf",
        "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
        @"C:\Windows\Fonts\YuGothM.ttc",
        @"C:\Windows\Fonts\meiryo.ttc",
    ];

    // SkiaSharp loads with the first chart, not with the host: a Lazy<SKTypeface> field would name a SkiaSharp type
    // in this constructor, so the face is held by a type of ours, created on first use.
    private readonly Lazy<ChartFace?> face = new(() => ChartFace.Find(options.Value.ChartFontFile, logger));

    public KpiChartLabels Labels => new(messages.Current[KpiTexts.ChartTarget], messages.Current[KpiTexts.ChartActual], messages.Current[KpiTexts.ChartAltSeparator]);

    public ChartImage? Render(string name, string unit, IReadOnlyList<KpiChartPoint> data)
    {
        if (face.Value is not { } found)
        {
            return null;
        }

        var labels = Labels;
        var png = KpiChart.RenderPng(data, unit.Length > 0 ? messages.Current.Format(KpiTexts.ChartUnit, unit) : string.Empty, labels, found.Typeface);
        return png is null ? null : new ChartImage(png, KpiChart.Width, KpiChart.Height, messages.Current.Format(KpiTexts.ChartAlt, name, KpiChart.Describe(data, labels)));
    }

    /// <summary>The face of the file that has the chart's glyphs, preferring the Japanese one of a collection (…CJK JP).</summary>
    public static SKTypeface? Load(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        SKTypeface? found = null;
        for (var index = 0; index < 16; index++)
        {
            var typeface = SKTypeface.FromFile(file, index);
            if (typeface is null)
            {
                break;
            }

            using var probe = new SKFont(typeface);
            if (probe.ContainsGlyphs("令和年度目標実績（件）") && (found is null || typeface.FamilyName.EndsWith("JP", StringComparison.Ordinal)))
            {
                found?.Dispose();
                found = typeface;
                if (typeface.FamilyName.EndsWith("JP", StringComparison.Ordinal))
                {
                    break;
                }
            }
            else
            {
                typeface.Dispose();
            }
        }

        return found;
    }

    /// <summary>The configured file's face, else the first of the usual places that has the glyphs.</summary>
    public static SKTypeface? FindFace(string? configured) =>
        (string.IsNullOrWhiteSpace(configured) ? Candidates : [configured]).Select(Load).FirstOrDefault(f => f is not null);

    private sealed record ChartFace(SKTypeface Typeface)
    {
        public static ChartFace? Find(string? configured, ILogger logger)
        {
            if (FindFace(configured) is { } typeface)
            {
                return new ChartFace(typeface);
            }

            logger.LogWarning("No Japanese font for KPI charts (Kpis:ChartFontFile or fonts-noto-cjk): multi-year answers carry their table without a chart");
            return null;
        }
    }
}
