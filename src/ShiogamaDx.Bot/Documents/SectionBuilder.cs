namespace ShiogamaDx.Bot.Documents;

/// <summary>What a reader found in a document, in reading order, before headings are placed in their hierarchy.</summary>
internal abstract record Block(int Page);

/// <param name="StyleLevel">
/// 1-based level a style gives it (Markdown #, Word 見出し N), or null for a line that only looks like a heading
/// by its numbering; such a candidate may still turn out to be a list item.
/// </param>
internal sealed record HeadingItem(HeadingMatch Match, int? StyleLevel, int Page) : Block(Page);

internal sealed record TextItem(string Text, int Page) : Block(Page);

internal sealed record FootnoteItem(string Text, int Page) : Block(Page);

/// <summary>
/// Places headings in their hierarchy and collects the text under each. The level model: kinds whose depth their
/// numbering says (章 › 節 › 条, 3 › 3-1 › 3-1-1) close every deeper heading; the other kinds (（１）, ①, ア, Box) nest
/// under whatever is open when they first appear, and a second heading of the same kind is its sibling. A candidate
/// heading out of sequence (a ② with no ① before it, 「1.」 inside an article) is text, and a run of candidates with
/// nothing between them (① 個人情報 / ② 機密情報) is a list.
/// </summary>
internal static class SectionBuilder
{
    public static IReadOnlyList<DocumentSection> Build(IReadOnlyList<Block> blocks)
    {
        var list = DemoteLists(blocks);
        var sections = new List<DocumentSection>();
        var stack = new List<(HeadingMatch Match, int? Order)>();
        var paragraphs = new List<string>();
        var footnotes = new List<string>();
        var page = list.Count > 0 ? list[0].Page : 0;
        var lastTopDecimal = 0;

        // A Box (column) hangs off the numbered heading it stands in and leaves the open items as they are.
        HeadingMatch? box = null;

        void Close()
        {
            if (paragraphs.Count > 0)
            {
                var path = box is null ? stack.Select(s => s.Match.ToHeading()) : stack.Where(s => s.Order is not null).Select(s => s.Match.ToHeading()).Append(box.ToHeading());
                sections.Add(new DocumentSection(path.ToList(), paragraphs.ToList(), footnotes.ToList(), page));
                footnotes.Clear();
            }
            else if (footnotes.Count > 0 && sections.Count > 0)
            {
                var last = sections[^1];
                sections[^1] = last with { Footnotes = last.Footnotes.Concat(footnotes).ToList() };
                footnotes.Clear();
            }

            paragraphs.Clear();
        }

        foreach (var block in list)
        {
            switch (block)
            {
                case TextItem text:
                    if (paragraphs.Count == 0)
                    {
                        page = text.Page;
                    }

                    paragraphs.Add(text.Text);
                    break;
                case FootnoteItem note:
                    footnotes.Add(note.Text);
                    break;
                case HeadingItem heading:
                    var match = heading.Match;
                    var order = heading.StyleLevel is int level ? match.Order is int o && o <= 6 ? o : 6 + level : match.Order;
                    if (heading.StyleLevel is null && !InSequence(match, stack, lastTopDecimal))
                    {
                        if (paragraphs.Count == 0)
                        {
                            page = heading.Page;
                        }

                        paragraphs.Add(match.Text);
                        break;
                    }

                    // 「様式第３号」 under an open 「別記様式」 is one of its forms: nested in it and cited by the group's path
                    // (別記様式（…関係） ＞ 様式第３号 復命書), not a sibling that closes it.
                    if (IsForm(match) && stack.Any(s => IsFormGroup(s.Match)))
                    {
                        match = match with { Kind = HeadingKind.Styled };
                        order = HeadingMatch.FormInGroupOrder;
                    }

                    Close();
                    box = null;
                    page = heading.Page;
                    if (match.Kind == HeadingKind.Box)
                    {
                        box = match;
                        break;
                    }

                    if (order is int structural)
                    {
                        while (stack.Count > 0 && (stack[^1].Order is null || stack[^1].Order >= structural))
                        {
                            stack.RemoveAt(stack.Count - 1);
                        }

                        if (match.Kind == HeadingKind.Decimal && match.Values.Count == 1)
                        {
                            lastTopDecimal = match.Value;
                        }
                        else if (structural < 6)
                        {
                            lastTopDecimal = 0; // a new chapter numbers its sections from 1 again
                        }
                    }
                    else
                    {
                        var sibling = stack.FindLastIndex(s => s.Order is null && s.Match.Kind == match.Kind);
                        if (sibling >= 0)
                        {
                            stack.RemoveRange(sibling, stack.Count - sibling);
                        }
                    }

                    stack.Add((match, order));
                    if (match.Body is { Length: > 0 } body)
                    {
                        paragraphs.Add(body);
                    }

                    break;
            }
        }

        Close();
        return sections;
    }

    private static bool IsForm(HeadingMatch match) => match.Kind == HeadingKind.Appendix && match.Number.StartsWith("様式", StringComparison.Ordinal);

    private static bool IsFormGroup(HeadingMatch match) =>
        match.Kind == HeadingKind.Appendix && match.Number.StartsWith("別記", StringComparison.Ordinal) && match.Title.StartsWith("様式", StringComparison.Ordinal);

    /// <summary>Whether a candidate continues the numbering open at that point; one that does not is running text.</summary>
    private static bool InSequence(HeadingMatch match, List<(HeadingMatch Match, int? Order)> stack, int lastTopDecimal)
    {
        var inArticle = stack.Any(s => s.Match.Kind == HeadingKind.Article);
        switch (match.Order)
        {
            case int order when order <= 6 || match.Kind == HeadingKind.Listed:
                return true; // 章, 節, 条, 附則, a heading the table of contents names: never a list item
            case not null when inArticle:
                return false; // 「２　…」 inside an article is its second paragraph (項)
            case not null:
                var values = match.Values;
                if (values.Count == 1)
                {
                    // Sections are numbered from 1 (0 at most before it): a first 「50 …」 is a table row.
                    return lastTopDecimal == 0 ? values[0] <= 2 : values[0] == lastTopDecimal + 1;
                }

                // 3-2 belongs under an open 3, after 3-1 or as the first of its level.
                var parent = stack.LastOrDefault(s => s.Match.Kind == HeadingKind.Decimal && s.Match.Values.Count == values.Count - 1).Match;
                if (parent is null || !parent.Values.SequenceEqual(values.Take(values.Count - 1)))
                {
                    return false;
                }

                var before = stack.LastOrDefault(s => s.Match.Kind == HeadingKind.Decimal && s.Match.Values.Count == values.Count).Match;
                return before is null ? values[^1] <= 2 : values[^1] > before.Value && values[^1] <= before.Value + 2;
            default:
                if (inArticle)
                {
                    return false; // 号 and their sub-items
                }

                if (match.Kind == HeadingKind.Box)
                {
                    return true;
                }

                var same = stack.FindLastIndex(s => s.Order is null && s.Match.Kind == match.Kind);
                return same >= 0 ? match.Value > stack[same].Match.Value && match.Value <= stack[same].Match.Value + 2 : match.Value == 1;
        }
    }

    /// <summary>Candidates of one kind numbered one after another with no text between them are a list, not headings.</summary>
    private static List<Block> DemoteLists(IReadOnlyList<Block> blocks)
    {
        var result = blocks.ToList();
        for (var i = 0; i < result.Count - 1; i++)
        {
            if (result[i] is not HeadingItem { StyleLevel: null } first || first.Match.Order is <= 6)
            {
                continue;
            }

            var end = i;
            while (end + 1 < result.Count && result[end + 1] is HeadingItem { StyleLevel: null } next
                && next.Match.Kind == first.Match.Kind && next.Match.Values.Count == first.Match.Values.Count
                && next.Match.Value == ((HeadingItem)result[end]).Match.Value + 1)
            {
                end++;
            }

            if (end > i)
            {
                for (var j = i; j <= end; j++)
                {
                    var h = (HeadingItem)result[j];
                    result[j] = new TextItem(h.Match.Text, h.Page);
                }

                i = end;
            }
        }

        return result;
    }
}
