namespace ShiogamaDx.Bot.Documents;

/// <summary>A document read into sections: the unit the guideline library (and the plan) quote and cite.</summary>
/// <param name="Title">Name cited for the document (front-matter title, first heading or line, file name).</param>
/// <param name="File">File name as given (relative to the folder it was read from).</param>
internal sealed record ParsedDocument(string Title, string File, IReadOnlyList<DocumentSection> Sections);

/// <summary>One heading of a document as written (「３－１．教職員が校務で利活用する場面」).</summary>
/// <param name="Number">Its number with widths folded (「3-1」, 「3.2」, 「(3)」, 「②」, 「第3条」), empty when it has none.</param>
/// <param name="Anchored">
/// The number names the heading in the whole document on its own (3.2, ３－１, 第3条, 附則), so a citation may start
/// there; a （３） or ② means something only under its parent.
/// </param>
internal sealed record DocumentHeading(string Text, string Number, string Title, bool Anchored);

/// <summary>
/// The text under one heading, down to the next heading. A heading repeated under several parents (② under two
/// different （３）) gives distinct sections, told apart by their path.
/// </summary>
/// <param name="Path">Headings from the top of the document down to this section's own (the title excluded).</param>
/// <param name="Paragraphs">Running text, one entry a paragraph or list item; no page numbers, headers or footnotes.</param>
/// <param name="Footnotes">The footnotes found while reading this section, kept out of its running text.</param>
/// <param name="Page">The page the section starts on (1-based), 0 when the format has no pages.</param>
internal sealed record DocumentSection(IReadOnlyList<DocumentHeading> Path, IReadOnlyList<string> Paragraphs, IReadOnlyList<string> Footnotes, int Page)
{
    public DocumentHeading? Heading => Path.Count > 0 ? Path[^1] : null;

    /// <summary>
    /// The path a person is shown: from the last heading whose number stands on its own (3-1 implies 3, so 「３．」
    /// is left out), else from the top.
    /// </summary>
    public IReadOnlyList<DocumentHeading> CitedPath
    {
        get
        {
            var start = 0;
            for (var i = Path.Count - 1; i >= 0; i--)
            {
                if (Path[i].Anchored)
                {
                    start = i;
                    break;
                }
            }

            return Path.Skip(start).ToList();
        }
    }

    /// <summary>「３－１．教職員が校務で利活用する場面 ＞ （３）利活用の際のポイント ＞ ② 情報セキュリティの確保」.</summary>
    public string CitedPathText => string.Join(" ＞ ", CitedPath.Select(h => h.Text));
}

/// <summary>A document that cannot be read: names the file, and the page or line where that is known.</summary>
internal sealed class DocumentFormatException(string file, string? where, string reason, Exception? inner = null)
    : Exception(where is null ? $"{file}: {reason}" : $"{file} ({where}): {reason}", inner)
{
    public string File { get; } = file;

    public string? Where { get; } = where;
}
