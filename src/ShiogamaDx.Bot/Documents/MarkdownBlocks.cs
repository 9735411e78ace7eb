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

    [GeneratedRegex(@"^(>\s?)+")]
    private static partial Regex QuoteMarker();

    [GeneratedRegex(@"^([-*+]|\d{1,3}[.)])\s+")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"(?<!!)\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"\*\*|__|`")]
    private static partial Regex Emphasis();
}
