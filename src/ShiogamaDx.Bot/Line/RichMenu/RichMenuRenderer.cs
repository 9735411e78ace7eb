using System.Diagnostics;
using SkiaSharp;

namespace ShiogamaDx.Bot.Line.RichMenu;

internal sealed record RichMenuImage(byte[] Bytes, string ContentType, string Extension);

/// <summary>
/// Draws the menu from its definition: one rounded button per area in its colour, the label large and bold (the
/// same size on every button, as large as the smallest button allows), the note below it. PNG, or JPEG when a
/// PNG would pass LINE's 1 MB limit.
/// </summary>
internal static class RichMenuRenderer
{
    public const int MaxBytes = 1024 * 1024;

    public static RichMenuImage Render(RichMenuDefinition menu, SKTypeface bold, SKTypeface regular)
    {
        using var bitmap = new SKBitmap(menu.Width, menu.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColor.Parse(menu.Background));
            var gap = Math.Max(8f, menu.Width / 160f);
            var labelSize = menu.Areas.Min(a => FittingSize(bold, a.Label, a.Bounds.Width - (16 * gap), a.Bounds.Height * 0.24f));
            foreach (var area in menu.Areas)
            {
                DrawArea(canvas, area, gap, labelSize, bold, regular);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using (var png = image.Encode(SKEncodedImageFormat.Png, 100))
        {
            if (png.Size <= MaxBytes)
            {
                return new RichMenuImage(png.ToArray(), "image/png", "png");
            }
        }

        for (var quality = 92; quality >= 50; quality -= 7)
        {
            using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, quality);
            if (jpeg.Size <= MaxBytes)
            {
                return new RichMenuImage(jpeg.ToArray(), "image/jpeg", "jpg");
            }
        }

        throw new InvalidOperationException("The rich menu image stays over LINE's 1 MB limit even as JPEG");
    }

    private static void DrawArea(SKCanvas canvas, RichMenuArea area, float gap, float labelSize, SKTypeface bold, SKTypeface regular)
    {
        var b = area.Bounds;
        var rect = new SKRect(b.X + gap, b.Y + gap, b.Right - gap, b.Bottom - gap);
        using var fill = new SKPaint { Color = SKColor.Parse(area.Color), IsAntialias = true };
        canvas.DrawRoundRect(rect, gap * 4, gap * 4, fill);

        using var ink = new SKPaint { Color = SKColor.Parse(area.TextColor), IsAntialias = true };
        using var labelFont = new SKFont(bold, labelSize) { Subpixel = true, Edging = SKFontEdging.Antialias };
        labelFont.GetFontMetrics(out var lm);
        var labelHeight = lm.CapHeight > 0 ? lm.CapHeight : -lm.Ascent * 0.8f;

        if (area.Note is null)
        {
            canvas.DrawText(area.Label, rect.MidX, rect.MidY + (labelHeight / 2), SKTextAlign.Center, labelFont, ink);
            return;
        }

        var noteSize = FittingSize(regular, area.Note, rect.Width - (8 * gap), labelSize * 0.5f);
        using var noteFont = new SKFont(regular, noteSize) { Subpixel = true, Edging = SKFontEdging.Antialias };
        noteFont.GetFontMetrics(out var nm);
        var noteHeight = nm.CapHeight > 0 ? nm.CapHeight : -nm.Ascent * 0.8f;
        var spacing = labelSize * 0.55f;
        var top = rect.MidY - ((labelHeight + spacing + noteHeight) / 2);
        canvas.DrawText(area.Label, rect.MidX, top + labelHeight, SKTextAlign.Center, labelFont, ink);
        canvas.DrawText(area.Note, rect.MidX, top + labelHeight + spacing + noteHeight, SKTextAlign.Center, noteFont, ink);
    }

    /// <summary>The largest size up to <paramref name="max"/> at which the text fits the width.</summary>
    private static float FittingSize(SKTypeface typeface, string text, float width, float max)
    {
        using var font = new SKFont(typeface, 100);
        var at100 = font.MeasureText(text);
        return at100 <= 0 ? max : Math.Min(max, width / at100 * 100);
    }
}

/// <summary>
/// A Japanese font for the menu image, without fontconfig (the bundled Skia has no system dependencies):
/// <c>RichMenu:FontFile</c>, else the usual places of Noto Sans CJK, IPA, Hiragino, Yu Gothic or Meiryo, else what
/// <c>fc-match</c> names. Only a face that has every glyph of the menu's texts is taken.
/// </summary>
internal static class JapaneseFont
{
    private static readonly string[] BoldCandidates =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",       // Debian/Ubuntu fonts-noto-cjk
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",            // Arch
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",     // Fedora
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Black.ttc",
        "/System/Library/Fonts/ヒラギノ角ゴシック W6.ttc",
        @"C:\Windows\Fonts\YuGothB.ttc",
        @"C:\Windows\Fonts\meiryob.ttc",
    ];

    private static readonly string[] RegularCandidates =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
        "/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf",
        "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
        @"C:\Windows\Fonts\YuGothM.ttc",
        @"C:\Windows\Fonts\meiryo.ttc",
    ];

    public const string InstallHint = "Install a Japanese font (Debian/Ubuntu: apt-get install fonts-noto-cjk) or set RichMenu:FontFile to a .ttf/.otf/.ttc file";

    /// <returns>(bold, regular); the same face twice when only one is found. Null when no face has every glyph.</returns>
    public static (SKTypeface Bold, SKTypeface Regular)? Find(string? configured, string text)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var face = Load(configured, text) ?? throw new FileNotFoundException($"RichMenu:FontFile '{configured}' is missing or lacks glyphs of the menu's texts", configured);
            return (face, face);
        }

        var bold = BoldCandidates.Select(f => Load(f, text)).FirstOrDefault(f => f is not null) ?? FcMatch("sans-serif:lang=ja:weight=bold", text);
        var regular = RegularCandidates.Select(f => Load(f, text)).FirstOrDefault(f => f is not null) ?? FcMatch("sans-serif:lang=ja", text);
        return (bold ?? regular, regular ?? bold) is ({ } b, { } r) ? (b, r) : null;
    }

    /// <summary>The face of the file that has every glyph, preferring the Japanese one of a collection (…CJK JP).</summary>
    private static SKTypeface? Load(string file, string text, int? onlyIndex = null)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        SKTypeface? fallback = null;
        for (var index = onlyIndex ?? 0; index < (onlyIndex + 1 ?? 16); index++)
        {
            var face = SKTypeface.FromFile(file, index);
            if (face is null)
            {
                break;
            }

            using var probe = new SKFont(face);
            if (!probe.ContainsGlyphs(text))
            {
                face.Dispose();
                continue;
            }

            if (face.FamilyName.EndsWith("JP", StringComparison.Ordinal))
            {
                fallback?.Dispose();
                return face;
            }

            if (fallback is null)
            {
                fallback = face;
            }
            else
            {
                face.Dispose();
            }
        }

        return fallback;
    }

    private static SKTypeface? FcMatch(string pattern, string text)
    {
        try
        {
            var info = new ProcessStartInfo("fc-match") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("-f");
            info.ArgumentList.Add("%{file}|%{index}");
            info.ArgumentList.Add(pattern);
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);
            var parts = output.Split('|');
            return parts.Length == 2 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var index) ? Load(parts[0], text, index) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no fontconfig on this machine
        }
    }
}
