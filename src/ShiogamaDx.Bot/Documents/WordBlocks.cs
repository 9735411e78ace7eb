using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ShiogamaDx.Bot.Documents;

/// <summary>
/// Word (.docx, Open XML SDK). A paragraph is a heading by its outline level (見出し styles, or a level set on the
/// paragraph); its number is the one Word shows (numbering.xml: 「%1．」 in full-width digits, 「（%2）」, ①, ア …),
/// put back in front of the text, so 「（３）利活用の際のポイント」 reads as printed. Paragraphs without a heading
/// style are still read as headings when numbered like one. The table of contents and the TOC styles are left out,
/// headers and footers are not in the body, footnotes go with the paragraph that cites them.
/// </summary>
internal static class WordBlocks
{
    public static (string? Title, IReadOnlyList<Block> Blocks) Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var doc = WordprocessingDocument.Open(stream, false);
        var main = doc.MainDocumentPart ?? throw new InvalidDataException("The package has no main document part.");
        var body = main.Document?.Body ?? throw new InvalidDataException("The document has no body.");
        var reader = new Reader(main);
        var title = doc.PackageProperties.Title is { Length: > 0 } t ? t : null;
        foreach (var element in body.Elements())
        {
            reader.Element(element, ref title);
        }

        return (title, reader.Blocks);
    }

    private sealed class Reader(MainDocumentPart main)
    {
        private readonly Dictionary<string, Style> styles = (main.StyleDefinitionsPart?.Styles?.Elements<Style>() ?? [])
            .Where(s => s.StyleId?.Value is not null).GroupBy(s => s.StyleId!.Value!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        private readonly Numbering? numbering = main.NumberingDefinitionsPart?.Numbering;
        private readonly Dictionary<int, int[]> counters = [];
        private readonly HashSet<int> startedInstances = [];
        private readonly Dictionary<long, string> footnotes = (main.FootnotesPart?.Footnotes?.Elements<Footnote>() ?? [])
            .Where(f => f.Id?.Value is not null && (f.Type is null || f.Type.Value == FootnoteEndnoteValues.Normal))
            .GroupBy(f => f.Id!.Value).ToDictionary(g => g.Key, g => HeadingStyles.Collapse(string.Join(" ", g.First().Elements<Paragraph>().Select(p => PlainText(p, null)))));

        public List<Block> Blocks { get; } = [];

        public void Element(OpenXmlElement element, ref string? title)
        {
            switch (element)
            {
                case Paragraph paragraph:
                    Paragraph(paragraph, ref title);
                    break;
                case Table table:
                    foreach (var row in table.Elements<TableRow>())
                    {
                        var cells = row.Elements<TableCell>().Select(c => HeadingStyles.Collapse(string.Join(" ", c.Elements<Paragraph>().Select(p => PlainText(p, null))))).ToList();
                        if (cells.Any(c => c.Length > 0))
                        {
                            Blocks.Add(new TextItem(string.Join(TableText.CellSeparator, cells), 0));
                        }
                    }

                    break;
                case SdtBlock sdt when !IsTableOfContents(sdt):
                    foreach (var inner in sdt.SdtContentBlock?.Elements() ?? [])
                    {
                        Element(inner, ref title);
                    }

                    break;
            }
        }

        private void Paragraph(Paragraph paragraph, ref string? title)
        {
            var styleId = paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
            var styleName = StyleChain(styleId).Select(s => s.StyleName?.Val?.Value ?? string.Empty).FirstOrDefault() ?? string.Empty;
            if (styleName.StartsWith("toc", StringComparison.OrdinalIgnoreCase) || styleName.StartsWith("目次", StringComparison.Ordinal)
                || paragraph.Descendants<FieldCode>().Any(f => f.Text.Contains("PAGEREF", StringComparison.Ordinal) || f.Text.TrimStart().StartsWith("TOC", StringComparison.Ordinal)))
            {
                return;
            }

            var notes = new List<long>();
            var text = HeadingStyles.Collapse(PlainText(paragraph, notes));
            var number = NumberText(paragraph, styleId);
            if (text.Length == 0)
            {
                return;
            }

            if (styleName is "Title" or "表題" or "title")
            {
                title ??= text;
                return;
            }

            var full = number.Length == 0 ? text : HeadingStyles.Collapse(number + text);
            var level = OutlineLevel(paragraph, styleId);
            if (level is int l)
            {
                Blocks.Add(new HeadingItem(MarkdownBlocks.Styled(full), l + 1, 0));
            }
            else if (HeadingStyles.Match(full) is { } candidate)
            {
                Blocks.Add(new HeadingItem(candidate, null, 0));
            }
            else if (title is null && Blocks.Count == 0 && full.Length <= 60 && !full.EndsWith('。'))
            {
                title = full;
            }
            else
            {
                Blocks.Add(new TextItem(full, 0));
            }

            foreach (var id in notes)
            {
                if (footnotes.TryGetValue(id, out var note) && note.Length > 0)
                {
                    Blocks.Add(new FootnoteItem(note, 0));
                }
            }
        }

        private static bool IsTableOfContents(SdtBlock sdt) =>
            sdt.SdtProperties?.Descendants<DocPartGallery>().Any(g => g.Val?.Value?.Contains("Table of Contents", StringComparison.OrdinalIgnoreCase) == true) == true;

        private IEnumerable<Style> StyleChain(string? styleId)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (styleId is not null && seen.Add(styleId) && styles.TryGetValue(styleId, out var style))
            {
                yield return style;
                styleId = style.BasedOn?.Val?.Value;
            }
        }

        /// <summary>0-based outline level (見出し 1 = 0), from the paragraph, its style or the style it is based on; 9 is body text.</summary>
        private int? OutlineLevel(Paragraph paragraph, string? styleId)
        {
            var level = paragraph.ParagraphProperties?.OutlineLevel?.Val?.Value
                ?? StyleChain(styleId).Select(s => s.StyleParagraphProperties?.OutlineLevel?.Val?.Value).FirstOrDefault(v => v is not null);
            if (level is null)
            {
                var name = StyleChain(styleId).Select(s => s.StyleName?.Val?.Value).FirstOrDefault(n => n is not null) ?? string.Empty;
                if ((name.StartsWith("heading ", StringComparison.OrdinalIgnoreCase) || name.StartsWith("見出し ", StringComparison.Ordinal))
                    && int.TryParse(name.AsSpan(name.IndexOf(' ', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture, out var n))
                {
                    level = n - 1;
                }
            }

            return level is >= 0 and < 9 ? level : null;
        }

        /// <summary>The number Word shows in front of the paragraph, with its separator, or empty.</summary>
        private string NumberText(Paragraph paragraph, string? styleId)
        {
            var props = paragraph.ParagraphProperties?.NumberingProperties;
            var numId = props?.NumberingId?.Val?.Value;
            var ilvl = props?.NumberingLevelReference?.Val?.Value;
            if (numId is null)
            {
                var styled = StyleChain(styleId).Select(s => s.StyleParagraphProperties?.NumberingProperties).FirstOrDefault(n => n?.NumberingId is not null);
                numId = styled?.NumberingId?.Val?.Value;
                ilvl ??= styled?.NumberingLevelReference?.Val?.Value;
            }

            if (numId is not int id || id == 0 || numbering is null)
            {
                return string.Empty;
            }

            var instance = numbering.Elements<NumberingInstance>().FirstOrDefault(n => n.NumberID?.Value == id);
            var abstractId = instance?.AbstractNumId?.Val?.Value;
            var definition = numbering.Elements<AbstractNum>().FirstOrDefault(a => a.AbstractNumberId?.Value == abstractId);
            if (instance is null || definition is null)
            {
                return string.Empty;
            }

            var levelIndex = Math.Clamp(ilvl ?? 0, 0, 8);
            Level? LevelOf(int i) =>
                instance.Elements<LevelOverride>().FirstOrDefault(o => o.LevelIndex?.Value == i)?.Level
                ?? definition.Elements<Level>().FirstOrDefault(l => l.LevelIndex?.Value == i);
            int StartOf(int i) =>
                instance.Elements<LevelOverride>().FirstOrDefault(o => o.LevelIndex?.Value == i)?.StartOverrideNumberingValue?.Val?.Value
                ?? LevelOf(i)?.StartNumberingValue?.Val?.Value ?? 1;

            // Counters run per list definition; a numbering instance with a start override restarts it once.
            var key = abstractId!.Value;
            if (!counters.TryGetValue(key, out var values) || (startedInstances.Add(id) && instance.Elements<LevelOverride>().Any(o => o.StartOverrideNumberingValue is not null)))
            {
                values = counters[key] = Enumerable.Repeat(int.MinValue, 9).ToArray();
            }

            values[levelIndex] = values[levelIndex] == int.MinValue ? StartOf(levelIndex) : values[levelIndex] + 1;
            for (var deeper = levelIndex + 1; deeper < 9; deeper++)
            {
                values[deeper] = int.MinValue;
            }

            var level = LevelOf(levelIndex);
            var format = level?.NumberingFormat?.Val?.InnerText ?? "decimal";
            var pattern = level?.LevelText?.Val?.Value ?? string.Empty;
            if (format is "none")
            {
                return string.Empty;
            }

            if (format is "bullet")
            {
                return "・";
            }

            var legal = level?.IsLegalNumberingStyle is not null;
            var sb = new StringBuilder();
            for (var i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] == '%' && i + 1 < pattern.Length && pattern[i + 1] is >= '1' and <= '9')
                {
                    var at = pattern[i + 1] - '1';
                    var value = values[at] == int.MinValue ? StartOf(at) : values[at];
                    sb.Append(Format(value, legal ? "decimal" : LevelOf(at)?.NumberingFormat?.Val?.InnerText ?? "decimal"));
                    i++;
                }
                else
                {
                    sb.Append(pattern[i]);
                }
            }

            var suffix = level?.LevelSuffix?.Val?.InnerText ?? "tab";
            return sb.Append(suffix == "nothing" ? string.Empty : " ").ToString();
        }

        private static string Format(int value, string format) => format switch
        {
            "decimalFullWidth" or "decimalFullWidth2" => string.Concat(value.ToString(CultureInfo.InvariantCulture).Select(c => (char)(c + 0xFEE0))),
            "decimalEnclosedCircle" or "decimalEnclosedCircleChinese" when value is >= 1 and <= 20 => ((char)('①' + value - 1)).ToString(),
            "aiueoFullWidth" or "aiueo" when value is >= 1 and <= 46 => "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"[value - 1].ToString(),
            "irohaFullWidth" or "iroha" when value is >= 1 and <= 47 => "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"[value - 1].ToString(),
            "upperRoman" when value is >= 1 and <= 12 => ((char)('Ⅰ' + value - 1)).ToString(),
            "lowerRoman" when value is >= 1 and <= 12 => ((char)('ⅰ' + value - 1)).ToString(),
            "upperLetter" when value is >= 1 and <= 26 => ((char)('A' + value - 1)).ToString(),
            "lowerLetter" when value is >= 1 and <= 26 => ((char)('a' + value - 1)).ToString(),
            "japaneseCounting" or "japaneseDigitalTenThousand" or "ideographDigital" or "chineseCounting" => Kanji(value),
            _ => value.ToString(CultureInfo.InvariantCulture),
        };

        private static string Kanji(int value)
        {
            const string digits = "〇一二三四五六七八九";
            if (value < 10)
            {
                return digits[Math.Max(value, 0)].ToString();
            }

            var tens = value / 10;
            var ones = value % 10;
            return (tens > 1 ? digits[tens].ToString() : string.Empty) + "十" + (ones > 0 ? digits[ones].ToString() : string.Empty);
        }

        /// <summary>The paragraph's visible text (deleted runs and field codes left out); footnote references collected.</summary>
        private static string PlainText(OpenXmlElement paragraph, List<long>? notes)
        {
            var sb = new StringBuilder();
            foreach (var node in paragraph.Descendants())
            {
                switch (node)
                {
                    case Text t when t.Parent is Run:
                        sb.Append(t.Text);
                        break;
                    case TabChar or Break or CarriageReturn:
                        sb.Append(' ');
                        break;
                    case NoBreakHyphen:
                        sb.Append('-');
                        break;
                    case FootnoteReference reference when reference.Id?.Value is long id:
                        notes?.Add(id);
                        break;
                }
            }

            return sb.ToString();
        }
    }
}
