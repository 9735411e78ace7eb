using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// Reads guideline documents into sections. Markdown headings (Markdig) give the structure; plain text and PDF
/// text (PdfPig) are split at numbered heading lines ("3.2 入力してはいけない情報", "第3章 …").
/// </summary>
internal static partial class GuidelineLoader
{
    public static readonly string[] Extensions = [".md", ".txt", ".pdf"];

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every readable document of the folder; a file that cannot be read is reported and skipped.</summary>
    public static IReadOnlyList<GuidelineSection> LoadFolder(string folder, Action<string, Exception> skipped)
    {
        var sections = new List<GuidelineSection>();
        if (!Directory.Exists(folder))
        {
            skipped(folder, new DirectoryNotFoundException($"The guideline folder '{folder}' does not exist."));
            return sections;
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            try
            {
                var relative = Path.GetRelativePath(folder, file);
                var loaded = LoadFile(relative, File.ReadAllBytes(file));
                if (loaded.Count == 0)
                {
                    throw new InvalidDataException("The document has no text.");
                }

                sections.AddRange(loaded);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or DecoderFallbackException
                or InvalidOperationException or ArgumentException or FormatException or NotSupportedException
                or UglyToad.PdfPig.Core.PdfDocumentFormatException)
            {
                skipped(file, ex);
            }
        }

        return sections;
    }

    public static IReadOnlyList<GuidelineSection> LoadFile(string name, byte[] bytes) =>
        Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".md" => ParseMarkdown(name, StrictUtf8.GetString(StripBom(bytes))),
            ".txt" => ParsePlainText(name, StrictUtf8.GetString(StripBom(bytes))),
            ".pdf" => ParsePlainText(name, PdfText(bytes)),
            _ => throw new NotSupportedException($"'{name}' is not a guideline format (.md, .txt, .pdf)."),
        };

    public static IReadOnlyList<GuidelineSection> ParseMarkdown(string name, string markdown)
    {
        var doc = Markdown.Parse(markdown, Pipeline);
        var frontTitle = doc.Descendants<YamlFrontMatterBlock>().FirstOrDefault() is { } front ? FrontMatterTitle(front.Lines.ToString()) : null;
        var firstHeading = doc.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1);
        var document = frontTitle ?? (firstHeading is null ? null : InlineText(firstHeading)) ?? Path.GetFileNameWithoutExtension(name);

        var builder = new SectionBuilder(document, name);
        foreach (var block in doc)
        {
            switch (block)
            {
                case YamlFrontMatterBlock:
                    break;
                case HeadingBlock heading:
                    builder.Heading(heading.Level, InlineText(heading));
                    break;
                case ListBlock list:
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var bullet = list.IsOrdered ? $"{item.Order}. " : "・";
                        builder.Paragraph(bullet + PlainMarkdown(Slice(markdown, item.Span), stripListMarker: true));
                    }

                    break;
                default:
                    builder.Paragraph(PlainMarkdown(Slice(markdown, block.Span), stripListMarker: false));
                    break;
            }
        }

        return builder.Build();
    }

    /// <summary>Plain text and PDF text: numbered short lines are headings; blank lines end paragraphs.</summary>
    public static IReadOnlyList<GuidelineSection> ParsePlainText(string name, string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var firstLine = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        var hasTitle = firstLine is not null && firstLine.Length <= 60 && !HeadingLine().IsMatch(firstLine) && !firstLine.EndsWith('。');
        var builder = new SectionBuilder(hasTitle ? firstLine! : Path.GetFileNameWithoutExtension(name), name);
        if (hasTitle)
        {
            builder.Heading(1, firstLine!);
        }

        var paragraph = new StringBuilder();
        void Flush()
        {
            if (paragraph.Length > 0)
            {
                builder.Paragraph(paragraph.ToString());
                paragraph.Clear();
            }
        }

        foreach (var raw in lines.SkipWhile(l => l.Trim().Length == 0).Skip(hasTitle ? 1 : 0))
        {
            var line = raw.Trim();
            var heading = HeadingLine().Match(line);
            if (line.Length == 0)
            {
                Flush();
            }
            else if (heading.Success && line.Length <= 50 && !line.EndsWith('。'))
            {
                Flush();
                var number = heading.Groups["num"].Value;
                builder.Heading(number.StartsWith('第') ? 2 : 2 + number.Count(c => c == '.'), line);
            }
            else if (line.StartsWith('・') || line.StartsWith("- ", StringComparison.Ordinal) || ListLine().IsMatch(line))
            {
                Flush();
                paragraph.Append(line);
            }
            else
            {
                paragraph.Append(line);
            }
        }

        Flush();
        return builder.Build();
    }

    private static string PdfText(byte[] bytes)
    {
        using var pdf = PdfDocument.Open(bytes);
        var sb = new StringBuilder();
        foreach (var page in pdf.GetPages())
        {
            sb.AppendLine(ContentOrderTextExtractor.GetText(page, true)).AppendLine();
        }

        return sb.ToString();
    }

    private static string? FrontMatterTitle(string yaml)
    {
        foreach (var line in yaml.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("title:", StringComparison.OrdinalIgnoreCase))
            {
                var value = trimmed["title:".Length..].Trim().Trim('"', '\'');
                return value.Length > 0 ? value : null;
            }
        }

        return null;
    }

    private static string InlineText(LeafBlock block) =>
        block.Inline is null ? string.Empty : PlainMarkdown(string.Concat(block.Inline.Descendants<Markdig.Syntax.Inlines.LiteralInline>().Select(l => l.Content.ToString())), false);

    private static string Slice(string source, Markdig.Syntax.SourceSpan span) =>
        span.Start >= 0 && span.End < source.Length && span.End >= span.Start ? source.Substring(span.Start, span.Length) : string.Empty;

    /// <summary>Markdown source of one block as the text a person reads: markers and emphasis removed, lines joined.</summary>
    private static string PlainMarkdown(string source, bool stripListMarker)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(l => QuoteMarker().Replace(l.Trim(), string.Empty).Trim())
            .Where(l => l.Length > 0)
            .ToList();
        if (stripListMarker && lines.Count > 0)
        {
            lines[0] = ListMarker().Replace(lines[0], string.Empty);
        }

        var text = string.Join(string.Empty, lines.Select((l, i) => i > 0 && char.IsAscii(lines[i - 1][^1]) && char.IsAscii(l[0]) ? " " + l : l));
        text = MarkdownLink().Replace(text, "$1");
        return Emphasis().Replace(text, string.Empty).Trim();
    }

    private static byte[] StripBom(byte[] bytes) =>
        bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? bytes[3..] : bytes;

    [GeneratedRegex(@"^(?<num>\d{1,2}(?:[.．]\d{1,2}){0,3}|第\d{1,2}[章節条])[\s\u3000.．、]+\S")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^(\d{1,2}[.)）]|[（(]\d{1,2}[)）]|[①-⑳])\s*")]
    private static partial Regex ListLine();

    [GeneratedRegex(@"^(>\s?)+")]
    private static partial Regex QuoteMarker();

    [GeneratedRegex(@"^([-*+]|\d{1,3}[.)])\s+")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"(?<!!)\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"\*\*|__|`")]
    private static partial Regex Emphasis();

    /// <summary>Collects paragraphs under the current heading path and closes a section at each heading.</summary>
    private sealed partial class SectionBuilder(string document, string file)
    {
        private readonly List<GuidelineSection> sections = [];
        private readonly List<(int Level, string Text)> path = [];
        private readonly List<string> paragraphs = [];

        public void Heading(int level, string text)
        {
            Close();
            path.RemoveAll(h => h.Level >= level);
            path.Add((level, text.Trim()));
        }

        public void Paragraph(string text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                paragraphs.Add(text.Trim());
            }
        }

        public IReadOnlyList<GuidelineSection> Build()
        {
            Close();
            return sections;
        }

        private void Close()
        {
            if (paragraphs.Count == 0)
            {
                return;
            }

            var own = path.Count > 0 ? path[^1].Text : document;
            var match = NumberedTitle().Match(own);
            var (number, title) = match.Success ? (match.Groups["num"].Value.Replace('．', '.'), match.Groups["title"].Value.Trim()) : (string.Empty, own);
            sections.Add(new GuidelineSection(document, file, number, title, path.Select(p => p.Text).ToList(), paragraphs.ToList()));
            paragraphs.Clear();
        }

        [GeneratedRegex(@"^(?<num>\d{1,2}(?:[.．]\d{1,2}){0,3}|第\d{1,2}[章節条])[\s\u3000.．、]+(?<title>.+)$")]
        private static partial Regex NumberedTitle();
    }
}
