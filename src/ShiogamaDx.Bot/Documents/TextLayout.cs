using System.Text;
using System.Text.RegularExpressions;

namespace ShiogamaDx.Bot.Documents;

/// <summary>One printed line: of a PDF page, or of text extracted from one.</summary>
/// <param name="Page">1-based page, or 0 when the text does not say (plain text: pages are then found by their numbers).</param>
/// <param name="Number">1-based line of a text file (for errors), or the line's place on its page.</param>
/// <param name="Size">Font size in points when known (PDF), else 0.</param>
/// <param name="BreakBefore">The layout starts a paragraph here (a wider gap, an indent).</param>
internal sealed record SourceLine(string Text, int Page, int Number, double Size = 0, bool BreakBefore = false);

/// <summary>
/// Turns printed lines into blocks: drops the table of contents (leader lines with page numbers), page numbers and
/// running headers/footers; takes the footnotes at the foot of each page out of the running text; joins wrapped
/// lines into paragraphs; and marks lines numbered like headings as heading candidates.
/// </summary>
internal static partial class TextLayout
{
    /// <summary>The title (first short line that is not a heading) and the blocks of the body.</summary>
    public static (string? Title, IReadOnlyList<Block> Blocks) Read(IReadOnlyList<SourceLine> lines)
    {
        var pages = Paginate(lines);
        var repeated = RunningLines(pages);
        var title = pages.Count > 0 ? TakeTitle(pages[0]) : null; // the first page's title often repeats as the running header
        var footnotes = new Dictionary<int, List<string>>();
        var body = new List<SourceLine>();
        var bodySize = BodySize(lines);
        for (var p = 0; p < pages.Count; p++)
        {
            var page = pages[p].ToList();
            var content = page.Where(l => l.Text.Trim().Length > 0).ToList();
            var edges = content.Take(2).Concat(content.TakeLast(2)).ToHashSet();
            page.RemoveAll(l => edges.Contains(l) && (IsPageNumber(l.Text) || repeated.Contains(Mask(l.Text))));
            TrimBlank(page);
            var notes = FootnoteStart(page, bodySize);
            if (notes < page.Count)
            {
                footnotes[p] = JoinFootnotes(page.Skip(notes));
                page.RemoveRange(notes, page.Count - notes);
                TrimBlank(page);
            }

            body.AddRange(page.Select(l => l with { Page = p + 1 }));
            body.Add(new SourceLine(string.Empty, p + 1, -1)); // page end marker (footnotes go out here)
        }

        var listed = RemoveTableOfContents(body);
        return (title, Assemble(body, footnotes, listed));
    }

    /// <summary>Blank lines at a page's top and foot say nothing about paragraphs: one may go on over the page.</summary>
    private static void TrimBlank(List<SourceLine> page)
    {
        while (page.Count > 0 && page[0].Text.Trim().Length == 0)
        {
            page.RemoveAt(0);
        }

        while (page.Count > 0 && page[^1].Text.Trim().Length == 0)
        {
            page.RemoveAt(page.Count - 1);
        }
    }

    /// <summary>Splits text into lines, keeping form feeds (pdftotext's page breaks) as page boundaries.</summary>
    public static List<SourceLine> FromText(string text)
    {
        var result = new List<SourceLine>();
        var page = 1;
        var number = 0;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'))
        {
            number++;
            var parts = raw.Split('\f');
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    page++;
                }

                var indented = parts[i].StartsWith('\u3000') || parts[i].StartsWith("  ", StringComparison.Ordinal);
                result.Add(new SourceLine(parts[i].TrimEnd(), text.Contains('\f', StringComparison.Ordinal) ? page : 0, number, 0, indented));
            }
        }

        return result;
    }

    private static List<List<SourceLine>> Paginate(IReadOnlyList<SourceLine> lines)
    {
        var pages = new List<List<SourceLine>>();
        if (lines.Any(l => l.Page > 0))
        {
            pages.AddRange(lines.GroupBy(l => l.Page).OrderBy(g => g.Key).Select(g => g.ToList()));
            return pages;
        }

        // No page breaks in the text: a line holding only a page number ends a page (a footer).
        var current = new List<SourceLine>();
        foreach (var line in lines)
        {
            current.Add(line);
            if (IsPageNumber(line.Text))
            {
                pages.Add(current);
                current = [];
            }
        }

        if (current.Count > 0)
        {
            pages.Add(current);
        }

        return pages;
    }

    /// <summary>Lines repeated at the top or foot of many pages (digits aside): running headers and footers.</summary>
    private static HashSet<string> RunningLines(List<List<SourceLine>> pages)
    {
        if (pages.Count < 3)
        {
            return [];
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            var content = page.Where(l => l.Text.Trim().Length > 0 && !IsPageNumber(l.Text)).ToList();
            foreach (var key in content.Take(2).Concat(content.TakeLast(2)).Select(l => Mask(l.Text)).Distinct())
            {
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return counts.Where(c => c.Value >= Math.Max(3, pages.Count * 0.3) && c.Key.Length > 0).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Where the footnotes at the foot of a page begin (the page's length if it has none). In a PDF they are the
    /// last lines in a smaller type; in text, the last lines that start with a footnote mark (「19)」, 「※1」, 「注2」,
    /// 「3 」 followed by a source), each followed by at most three lines of its own.
    /// </summary>
    private static int FootnoteStart(List<SourceLine> page, double bodySize)
    {
        var start = page.Count;
        if (bodySize > 0)
        {
            // The lines in smaller type at the foot of the page (their marks, smaller still, are already gone).
            for (var i = page.Count - 1; i >= 0 && page[i].Size > 0 && page[i].Size < bodySize * 0.88; i--)
            {
                start = i;
            }

            return start;
        }

        var pending = 0;
        for (var i = page.Count - 1; i >= 0; i--)
        {
            var text = page[i].Text.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (IsFootnoteLine(text))
            {
                start = i;
                pending = 0;
            }
            else if (++pending > 3 || HeadingStyles.Match(text) is not null)
            {
                break;
            }
        }

        return start;
    }

    private static bool IsFootnoteLine(string text)
    {
        var folded = HeadingStyles.Fold(text);
        var m = FootnoteMark().Match(folded);
        if (!m.Success)
        {
            return false;
        }

        // A bare number (「19 文部科学省「…」」) could be a section number: only a source-like line counts.
        return !m.Groups["bare"].Success || folded.Contains("http", StringComparison.Ordinal) || folded.Contains('「', StringComparison.Ordinal)
            || folded.Contains("参照", StringComparison.Ordinal) || folded.EndsWith('。') || folded.Length > 40;
    }

    private static List<string> JoinFootnotes(IEnumerable<SourceLine> lines)
    {
        var notes = new List<string>();
        foreach (var line in lines.Select(l => l.Text.Trim()).Where(t => t.Length > 0))
        {
            var folded = HeadingStyles.Fold(line);
            if (notes.Count == 0 || FootnoteMark().IsMatch(folded) || (char.IsAsciiDigit(folded[0]) && notes[^1].EndsWith('。')))
            {
                notes.Add(line);
            }
            else
            {
                notes[^1] = Join(notes[^1], line);
            }
        }

        return notes;
    }

    /// <summary>
    /// Blanks the table of contents and returns the titles it lists (compact, folded): a heading the contents name
    /// is a heading even when nothing in its own line says so (「参考資料　よくある質問」, 「導入スケジュールの例」, or
    /// 「問１　…するのか。」, a question that reads as a sentence).
    /// </summary>
    private static HashSet<string> RemoveTableOfContents(List<SourceLine> body)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var inToc = false;
        for (var i = 0; i < body.Count; i++)
        {
            var text = HeadingStyles.Fold(body[i].Text.Trim());
            if (TocTitle().IsMatch(text))
            {
                inToc = true;
                body[i] = body[i] with { Text = string.Empty };
                continue;
            }

            // A statute's table of contents has no page numbers: 「第１章　総則（第１条―第４条）」, 「附則」, each a
            // heading that comes again further down.
            var entryLine = LeaderLine().IsMatch(text) || (inToc && TocEntry().IsMatch(text));
            if (entryLine || (inToc && ComesAgain(body, i, text)))
            {
                if (entryLine)
                {
                    var entry = Compact(TocPage().Replace(text, string.Empty));
                    if (entry.Length >= 2)
                    {
                        listed.Add(entry);
                    }
                }

                body[i] = body[i] with { Text = string.Empty };
                continue;
            }

            if (text.Length > 0 && body[i].Number >= 0)
            {
                inToc = false;
            }
        }

        return listed;
    }

    private static bool ComesAgain(List<SourceLine> body, int at, string folded)
    {
        var entry = Compact(ArticleRange().Replace(folded, string.Empty));
        if (entry.Length < 2 || HeadingStyles.Match(entry) is null)
        {
            return false;
        }

        for (var j = at + 1; j < body.Count; j++)
        {
            if (body[j].Number >= 0 && Compact(HeadingStyles.Fold(body[j].Text)).StartsWith(entry, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string? TakeTitle(List<SourceLine> body)
    {
        var first = body.FindIndex(l => l.Text.Trim().Length > 0 && !IsPageNumber(l.Text));
        if (first < 0)
        {
            return null;
        }

        var text = HeadingStyles.Collapse(body[first].Text);
        if (text.Length > 60 || text.EndsWith('。') || HeadingStyles.Match(text) is not null || HeadingStyles.IsCaption(text))
        {
            return null;
        }

        body[first] = body[first] with { Text = string.Empty };
        return text;
    }

    private static List<Block> Assemble(List<SourceLine> body, Dictionary<int, List<string>> footnotes, HashSet<string> listed)
    {
        var blocks = new List<Block>();
        var wrap = WrapLength(body);

        // Text not wrapped at a fixed width either has a paragraph a line or paragraphs between blank lines.
        var lines = body.Where(l => l.Number >= 0).ToList();
        var blankSeparated = wrap is null && lines.Count(l => l.Text.Trim().Length == 0) * 5 >= lines.Count(l => l.Text.Trim().Length > 0);
        var paragraph = new StringBuilder();
        var paragraphPage = 0;
        var pendingNotes = new List<FootnoteItem>();

        void Flush()
        {
            if (paragraph.Length > 0)
            {
                blocks.Add(new TextItem(paragraph.ToString(), paragraphPage));
                paragraph.Clear();
            }

            blocks.AddRange(pendingNotes);
            pendingNotes.Clear();
        }

        SourceLine? previous = null;
        for (var i = 0; i < body.Count; i++)
        {
            var line = body[i];
            if (line.Number == -1)
            {
                // The page ends; its footnotes belong to the section being read, whose paragraph may go on.
                if (footnotes.TryGetValue(line.Page - 1, out var notes))
                {
                    pendingNotes.AddRange(notes.Select(n => new FootnoteItem(n, line.Page)));
                }

                continue;
            }

            var text = HeadingStyles.Collapse(line.Text);
            if (text.Length == 0)
            {
                Flush();
                previous = null;
                continue;
            }

            // A line with tabs is a table row (text saved from a spreadsheet or a table): its own paragraph, its cells
            // kept apart as the Word reader keeps them, so a glossary's terms (用語 | 説明) can be told apart.
            if (TableCells(line.Text) is { Count: > 1 } cells)
            {
                Flush();
                blocks.Add(new TextItem(string.Join(TableText.CellSeparator, cells), line.Page));
                previous = null;
                continue;
            }

            // 「（目的）」 above 「第１条　…」 is the article's caption.
            if (HeadingStyles.IsCaption(text) && NextText(body, i) is { } next && HeadingStyles.Match(next.Text) is { Kind: HeadingKind.Article, Title.Length: 0 })
            {
                Flush();
                var article = HeadingStyles.Match(next.Text)!;
                blocks.Add(new HeadingItem(article with { Title = text, Text = article.Number.Length > 0 ? HeadingStyles.Collapse(next.Text)[..ArticleNumberLength(next.Text)] + text : text, Body = null }, null, next.Line.Page));
                if (article.Body is { } articleBody)
                {
                    paragraph.Append(articleBody);
                    paragraphPage = next.Line.Page;
                }

                i = next.Index;
                previous = body[i];
                continue;
            }

            // A line the table of contents lists is a heading the first time it comes (a running header repeating it
            // later is not another one).
            var heading = HeadingStyles.Match(text) ?? (listed.Remove(Compact(HeadingStyles.Fold(text))) ? HeadingStyles.Listed(text) : null);
            if (heading is not null)
            {
                Flush();
                blocks.Add(new HeadingItem(heading with { Body = null }, null, line.Page));
                if (heading.Body is { } articleBody)
                {
                    paragraph.Append(articleBody);
                    paragraphPage = line.Page;
                }

                previous = line;
                continue;
            }

            var startsItem = ItemStart().IsMatch(HeadingStyles.Fold(text));
            var endsParagraph = previous is not null && !blankSeparated && EndsParagraph(previous.Text.Trim(), wrap);
            if (line.BreakBefore || startsItem || endsParagraph)
            {
                Flush();
            }

            if (paragraph.Length == 0)
            {
                paragraphPage = line.Page;
                paragraph.Append(text);
            }
            else
            {
                var joined = Join(paragraph.ToString(), text);
                paragraph.Clear().Append(joined);
            }

            previous = line;
        }

        Flush();
        return blocks;
    }

    /// <summary>The non-empty cells of a tab-separated line (one cell for a line without tabs).</summary>
    private static List<string> TableCells(string line) =>
        line.Contains('\t', StringComparison.Ordinal)
            ? line.Split('\t').Select(HeadingStyles.Collapse).Where(c => c.Length > 0).ToList()
            : [];

    private static int ArticleNumberLength(string line)
    {
        var text = HeadingStyles.Collapse(line);
        var at = text.IndexOf('条', StringComparison.Ordinal);
        return at < 0 ? 0 : at + 1;
    }

    private static (string Text, SourceLine Line, int Index)? NextText(List<SourceLine> body, int i)
    {
        for (var j = i + 1; j < body.Count; j++)
        {
            if (body[j].Number == -1)
            {
                continue;
            }

            if (body[j].Text.Trim().Length > 0)
            {
                return (body[j].Text, body[j], j);
            }
        }

        return null;
    }

    /// <summary>
    /// A line ending a sentence ends its paragraph when it is shorter than the text's wrapped lines; when the text
    /// is not wrapped at all (one paragraph a line), every line is a paragraph.
    /// </summary>
    private static bool EndsParagraph(string previous, int? wrap) =>
        wrap is null ? previous.Length < 20 || "。」）)：:".Contains(previous[^1], StringComparison.Ordinal) : (previous.Length > 0 && "。」）)：:".Contains(previous[^1], StringComparison.Ordinal) && HeadingStyles.Collapse(previous).Length < wrap.Value - 1);

    /// <summary>The length most long lines share when the text was wrapped at a fixed width, or null.</summary>
    private static int? WrapLength(List<SourceLine> body)
    {
        var lengths = body.Where(l => l.Number >= 0).Select(l => HeadingStyles.Collapse(l.Text).Length).Where(n => n >= 15).ToList();
        if (lengths.Count < 4)
        {
            return null;
        }

        var mode = lengths.GroupBy(n => n).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First().Key;
        var near = lengths.Count(n => Math.Abs(n - mode) <= 1);
        return near >= lengths.Count * 0.25 ? lengths.Where(n => Math.Abs(n - mode) <= 1).Max() : body.Any(l => l.Size > 0) ? mode : null;
    }

    private static double BodySize(IReadOnlyList<SourceLine> lines)
    {
        var sizes = lines.Where(l => l.Size > 0).SelectMany(l => Enumerable.Repeat(Math.Round(l.Size, 1), Math.Max(1, l.Text.Length))).ToList();
        return sizes.Count == 0 ? 0 : sizes.GroupBy(s => s).OrderByDescending(g => g.Count()).First().Key;
    }

    public static bool IsPageNumber(string text) => PageNumber().IsMatch(HeadingStyles.Fold(text.Trim()));

    /// <summary>Japanese lines join as they are; two Latin words get a space back.</summary>
    public static string Join(string left, string right) =>
        left.Length > 0 && right.Length > 0 && char.IsAsciiLetterOrDigit(left[^1]) && char.IsAsciiLetterOrDigit(right[0]) ? left + " " + right : left + right;

    private static string Mask(string text) => Digits().Replace(HeadingStyles.Fold(HeadingStyles.Collapse(text)), "#");

    [GeneratedRegex(@"^(?:-+ ?[0-9]{1,3} ?-+|(?:p\.|P\.|ページ)? ?[0-9]{1,3}(?: ?/ ?[0-9]{1,3})?(?: ?ページ)?|[ivx]{1,5})$")]
    private static partial Regex PageNumber();

    [GeneratedRegex(@"[0-9]+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^(?:[0-9]{1,3}\)|\*[0-9]{1,3}|※[0-9]{0,3}|注[0-9]{1,3}|\[[0-9]{1,3}\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|(?<bare>[0-9]{1,3}(?= )))")]
    private static partial Regex FootnoteMark();

    [GeneratedRegex(@"^目 ?次$|^(?:table of )?contents$", RegexOptions.IgnoreCase)]
    private static partial Regex TocTitle();

    /// <summary>A table-of-contents line: a title, a run of leader dots, a page number.</summary>
    [GeneratedRegex(@"^.*\S ?(?:[.・…‥·_]{3,}|…{2,}|‥{2,}|[ ]{4,}|-{4,}) ?\(?[0-9]{1,3}\)?$")]
    private static partial Regex LeaderLine();

    [GeneratedRegex(@"\(第[0-9]+条(?:の[0-9]+)?(?:[-―~〜・、][^)]*)?\)$")]
    private static partial Regex ArticleRange();

    [GeneratedRegex(@"^.{1,80}\S ?[0-9]{1,3}$")]
    private static partial Regex TocEntry();

    /// <summary>The leader and page number that end a table-of-contents line.</summary>
    [GeneratedRegex(@"[\s.・…‥·_\-]*\(?[0-9]{1,3}\)?$")]
    private static partial Regex TocPage();

    [GeneratedRegex(@"^(?:[・●○■□◆◇▶▷►※*]|- |[①-⑳]|\([0-9]{1,2}\)|\([アイウエオカキクケコ]\)|[0-9]{1,2}\.(?![0-9])|[0-9]{1,2} |[一二三四五六七八九十]{1,3} |[アイウエオカキクケコ] )")]
    private static partial Regex ItemStart();
}
