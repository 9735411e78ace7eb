using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ShiogamaDx.Bot.Staff;

/// <summary>
/// The engine's plain-text answers (one line per thought, 「・」 bullets, 「1. 」 steps, 「（出典: …）」) laid out so
/// Teams keeps the lines: Teams' markdown joins lines split by a single newline into one paragraph, and
/// an Adaptive Card TextBlock does the same. So every line becomes its own paragraph, bullets a "- " list,
/// steps a numbered list, and a list always ends with a blank line, so what follows is not part of its
/// last item. The words are not changed: the terminal and screen readers read the same text.
/// </summary>
internal static partial class TeamsText
{
    public enum Kind
    {
        Paragraph,
        Heading,
        Bullets,
        Steps,
        Citation,
    }

    /// <summary>A paragraph (one line), or a run of list items (bullets without their 「・」).</summary>
    public sealed record Block(Kind Kind, IReadOnlyList<string> Lines);

    public static IReadOnlyList<Block> Blocks(string text)
    {
        var blocks = new List<Block>();
        List<string>? items = null;
        var listKind = Kind.Bullets;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            var (kind, content) = Classify(line);
            if (items is not null && (kind != listKind || line.Length == 0))
            {
                blocks.Add(new Block(listKind, items));
                items = null;
            }

            if (line.Length == 0)
            {
                continue;
            }

            if (kind is Kind.Bullets or Kind.Steps)
            {
                items ??= [];
                listKind = kind;
                items.Add(content);
                continue;
            }

            blocks.Add(new Block(kind, [content]));
        }

        if (items is not null)
        {
            blocks.Add(new Block(listKind, items));
        }

        return blocks;
    }

    /// <summary>Markdown for a message's text: blocks apart by a blank line, list items by one newline.</summary>
    public static string Markdown(string text)
    {
        var sb = new StringBuilder();
        foreach (var block in Blocks(text))
        {
            if (sb.Length > 0)
            {
                sb.Append("\n\n");
            }

            switch (block.Kind)
            {
                case Kind.Bullets:
                    sb.AppendJoin('\n', block.Lines.Select(l => "- " + l));
                    break;
                case Kind.Steps:
                    sb.AppendJoin('\n', block.Lines);
                    break;
                default:
                    sb.Append(block.Lines[0]);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Adaptive Card TextBlocks: a heading bold, a citation subtle, a list one block (items apart by \r, as the card markdown wants).</summary>
    public static IEnumerable<JsonObject> TextBlocks(string text)
    {
        var first = true;
        foreach (var block in Blocks(text))
        {
            var textBlock = new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = block.Kind == Kind.Bullets ? string.Join('\r', block.Lines.Select(l => "- " + l)) : string.Join('\r', block.Lines),
                ["wrap"] = true,
            };
            if (block.Kind == Kind.Heading)
            {
                textBlock["weight"] = "Bolder";
            }

            if (block.Kind == Kind.Citation)
            {
                textBlock["isSubtle"] = true;
                textBlock["size"] = "Small";
            }

            if (!first && block.Kind is Kind.Bullets or Kind.Steps)
            {
                textBlock["spacing"] = "Small";
            }

            first = false;
            yield return textBlock;
        }
    }

    private static (Kind Kind, string Content) Classify(string line)
    {
        if (line.StartsWith('・') || line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("• ", StringComparison.Ordinal))
        {
            return (Kind.Bullets, line[1..].TrimStart());
        }

        if (Step().IsMatch(line))
        {
            return (Kind.Steps, line);
        }

        if (Citation().IsMatch(line))
        {
            return (Kind.Citation, line);
        }

        return (line.StartsWith('【') && line.EndsWith('】') ? Kind.Heading : Kind.Paragraph, line);
    }

    /// <summary>"1. " to "99. ": what markdown reads as a numbered list item.</summary>
    [GeneratedRegex(@"^\d{1,2}\. ")]
    private static partial Regex Step();

    [GeneratedRegex(@"^[（(]?出典[:：]")]
    private static partial Regex Citation();
}
