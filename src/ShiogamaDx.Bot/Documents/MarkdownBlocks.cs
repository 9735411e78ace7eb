using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace ShiogamaDx.Bot.Documents;

/// <summary>Markdown (Markdig): # headings give the levels; the title is front matter's title: or the first # heading.</summary>
internal static partial class MarkdownBlocks
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static (string? Title, IReadOnlyList<Block> Blocks) Read(string markdown)
    {
        var doc = Markdown.Parse(markdown, Pipeline);
        var title = doc.Descendants<YamlFrontMatterBlock>().FirstOrDefault() is { } front ? FrontMatterTitle(front.Lines.ToString()) : null;
        var blocks = new List<Block>();
        var seenHeading = false;
        foreach (var block in doc)
        {
            switch (block)
            {
                case YamlFrontMatterBlock:
                    break;
                case HeadingBlock heading:
                    var text = HeadingStyles.Collapse(InlineText(heading));
                    if (!seenHeading && heading.Level == 1 && blocks.Count == 0)
                    {
                        title ??= text; // the document's own name, not a section
                        seenHeading = true;
                        break;
                    }

                    seenHeading = true;
                    blocks.Add(new HeadingItem(Styled(text), heading.Level, 0));
                    break;
                case ListBlock list:
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var bullet = list.IsOrdered ? $"{item.Order}. " : "・";
                        blocks.Add(new TextItem(bullet + PlainMarkdown(Slice(markdown, item.Span), stripListMarker: true), 0));
                    }

                    break;
                default:
                    if (PipeRows(Slice(markdown, block.Span)) is { Count: > 0 } rows)
                    {
                        blocks.AddRange(rows.Select(r => new TextItem(r, 0)));
                        break;
                    }

                    var paragraph = PlainMarkdown(Slice(markdown, block.Span), stripListMarker: false);
                    if (paragraph.Length > 0)
                    {
                        blocks.Add(new TextItem(paragraph, 0));
                    }

                    break;
            }
        }

        return (title, blocks);
    }

    /// <summary>
    /// A pipe table (「| 用語 | 説明 |」 lines; Markdig reads it as a paragraph without its table extension): one row a
    /// paragraph, its cells apart as the other readers give them, the 「|---|」 line left out. Empty when not a table.
    /// </summary>
    private static List<string> PipeRows(string source)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2 || !lines.All(l => l.StartsWith('|')) || !lines.Any(l => PipeRule().IsMatch(l)))
        {
            return [];
        }

        return lines.Where(l => !PipeRule().IsMatch(l))
            .Select(l => l.Trim('|').Split('|').Select(c => PlainMarkdown(c, stripListMarker: false)).Where(c => c.Length > 0))
            .Select(cells => string.Join(TableText.CellSeparator, cells))
            .Where(r => r.Length > 0)
            .ToList();
    }

    /// <summary>A heading known by its style: numbered as its text says, or titled as written.</summary>
    public static HeadingMatch Styled(string text) =>
        HeadingStyles.Match(text) ?? new HeadingMatch(HeadingKind.Styled, [0], string.Empty, text, text, null);

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

    private static string Slice(string source, SourceSpan span) =>
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

        var text = lines.Aggregate(string.Empty, TextLayout.Join);
        text = MarkdownLink().Replace(text, "$1");
        return Emphasis().Replace(text, string.Empty).Trim();
    }

    [GeneratedRegex(@"^\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")]
    private static partial Regex PipeRule();

    [GeneratedRegex(@"^(>\s?)+")]
    private static partial Regex QuoteMarker();

    [GeneratedRegex(@"^([-*+]|\d{1,3}[.)])\s+")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"(?<!!)\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"\*\*|__|`")]
    private static partial Regex Emphasis();
}
