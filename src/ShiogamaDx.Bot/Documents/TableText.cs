namespace ShiogamaDx.Bot.Documents;

/// <summary>
/// A table row as every reader gives it: one paragraph, its cells joined by <see cref="CellSeparator"/> (a Word table,
/// a tab-separated line of text, a Markdown pipe table). And the terms of a glossary's two-column table
/// (用語 | 説明), so that each term can be a passage of its own.
/// </summary>
internal static class TableText
{
    public const string CellSeparator = " | ";

    // The words a glossary's header row names its two columns with. Structure of documents, not of any question.
    private static readonly string[] TermHeads = ["用語", "語句", "用語名", "言葉", "ことば", "単語", "略語", "キーワード"];

    private static readonly string[] MeaningHeads = ["説明", "意味", "解説", "定義", "内容", "概要", "用語の説明", "用語の意味"];

    // A term is a word or a name with its reading, never a sentence.
    private const int MaxTermLength = 40;

    public static string[] Cells(string paragraph) => paragraph.Split(CellSeparator);

    /// <summary>
    /// The terms of a section's glossary table: after a header row naming a term column and a meaning column, each row
    /// of two cells whose first is a term (short, no sentence), up to the first paragraph of another shape. Everything
    /// else, the header rows too, is returned as the others, in order. No header row: no terms.
    /// </summary>
    public static (List<string> Others, List<(string Term, string Meaning)> Terms) Terms(IReadOnlyList<string> paragraphs)
    {
        var rest = new List<string>();
        var terms = new List<(string, string)>();
        var inTable = false;
        foreach (var paragraph in paragraphs)
        {
            var cells = Cells(paragraph);
            if (cells.Length == 2 && IsHeader(cells[0], TermHeads) && IsHeader(cells[1], MeaningHeads))
            {
                inTable = true;
                continue;
            }

            if (inTable && cells.Length == 2 && cells[0].Length <= MaxTermLength && !cells[0].Contains('。', StringComparison.Ordinal) && cells[1].Length > 0)
            {
                terms.Add((cells[0].Trim(), cells[1].Trim()));
                continue;
            }

            inTable = false;
            rest.Add(paragraph);
        }

        return (rest, terms);
    }

    private static bool IsHeader(string cell, string[] words) => words.Contains(cell.Trim(), StringComparer.Ordinal);
}
