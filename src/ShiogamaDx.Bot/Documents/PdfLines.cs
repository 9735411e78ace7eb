using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace ShiogamaDx.Bot.Documents;

/// <summary>
/// The printed lines of a PDF (PdfPig), built from its letters: grouped by baseline, read left to right, with the
/// font size of each line (footnotes are set smaller) and where a paragraph starts (a wider gap, an indent).
/// Superscript marks (footnote references) are dropped from the running text.
/// </summary>
internal static class PdfLines
{
    public static List<SourceLine> Read(string file, byte[] bytes)
    {
        var result = new List<SourceLine>();
        using var pdf = PdfDocument.Open(bytes);
        foreach (var page in pdf.GetPages())
        {
            try
            {
                result.AddRange(PageLines(page));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or KeyNotFoundException
                or UglyToad.PdfPig.Core.PdfDocumentFormatException)
            {
                throw new DocumentFormatException(file, $"page {page.Number}", ex.Message, ex);
            }
        }

        return result;
    }

    private static IEnumerable<SourceLine> PageLines(Page page)
    {
        var letters = page.Letters
            .Where(l => !string.IsNullOrEmpty(l.Value) && l.TextOrientation == TextOrientation.Horizontal)
            .OrderByDescending(l => l.StartBaseLine.Y).ThenBy(l => l.StartBaseLine.X)
            .ToList();

        // A letter joins the line whose baseline is within half a letter of its own (superscripts included).
        var rows = new List<(double Y, double Size, List<Letter> Letters)>();
        foreach (var letter in letters)
        {
            var size = Size(letter);
            var row = rows.FindLastIndex(r => Math.Abs(r.Y - letter.StartBaseLine.Y) <= Math.Max(r.Size, size) * 0.5);
            if (row >= 0)
            {
                rows[row].Letters.Add(letter);
            }
            else
            {
                rows.Add((letter.StartBaseLine.Y, size, [letter]));
            }
        }

        var lines = rows.Select(r => Line(r.Letters)).Where(l => l.Text.Length > 0).OrderByDescending(l => l.Y).ToList();
        if (lines.Count == 0)
        {
            yield break;
        }

        var left = lines.Min(l => l.Left);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var gap = i == 0 ? 0 : lines[i - 1].Y - line.Y;
            var spacing = i == 0 ? 0 : Math.Max(lines[i - 1].Size, line.Size) * 1.9;
            var indented = line.Left > left + (line.Size * 0.8);
            yield return new SourceLine(line.Text, page.Number, i + 1, line.Size, i > 0 && (gap > spacing || indented));
        }
    }

    private static (string Text, double Y, double Left, double Size) Line(List<Letter> letters)
    {
        var size = Median(letters.Select(Size));
        var baseline = Median(letters.Where(l => Size(l) >= size * 0.9).Select(l => l.StartBaseLine.Y));

        // A smaller letter raised above the baseline is a footnote reference (「…の利活用¹⁹」): not running text.
        var kept = letters.Where(l => !(Size(l) < size * 0.8 && l.StartBaseLine.Y > baseline + (size * 0.15)))
            .OrderBy(l => l.StartBaseLine.X).ToList();
        var sb = new StringBuilder();
        Letter? previous = null;
        foreach (var letter in kept)
        {
            // A space glyph, or a gap wider than a third of a letter, is a space (Japanese text has neither).
            if (string.IsNullOrWhiteSpace(letter.Value) || (previous is not null && letter.StartBaseLine.X - previous.EndBaseLine.X > Math.Max(Size(previous), Size(letter)) * 0.3))
            {
                if (sb.Length > 0 && sb[^1] != ' ')
                {
                    sb.Append(' ');
                }

                if (string.IsNullOrWhiteSpace(letter.Value))
                {
                    previous = letter;
                    continue;
                }
            }

            sb.Append(letter.Value);
            previous = letter;
        }

        return (sb.ToString().Trim(), baseline, kept.Count > 0 ? kept[0].StartBaseLine.X : 0, size);
    }

    private static double Size(Letter letter) => letter.PointSize > 0 ? letter.PointSize : letter.FontSize;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
