namespace ShiogamaDx.Bot.Guidelines;

/// <summary>One section of a guideline document (read by Documents/): the unit of citation.</summary>
/// <param name="Document">Name cited for the document (front-matter title, first heading or line, or file name).</param>
/// <param name="File">File name within the guideline folder, for operators.</param>
/// <param name="Number">Its own heading's number with widths folded ("3.2", "3-1", "(3)", "②", "第3条"), empty when it has none.</param>
/// <param name="HeadingPath">Headings from the top of the document down to this section's own, as written (the document's title excluded).</param>
/// <param name="Paragraphs">The section's text, one entry a paragraph or list item, as written.</param>
/// <param name="CitedPath">
/// The part of the path a citation shows: from the last heading whose number stands on its own
/// (「３－１．… ＞ （３）利活用の際のポイント ＞ ② 情報セキュリティの確保」, 「3.2 入力してはいけない情報」).
/// </param>
/// <param name="Ordinal">Place of the section in its document, so that two sections with the same headings stay two.</param>
internal sealed record GuidelineSection(
    string Document,
    string File,
    string Number,
    string Title,
    IReadOnlyList<string> HeadingPath,
    IReadOnlyList<string> Paragraphs,
    string? CitedPath = null,
    int Ordinal = 0)
{
    public IReadOnlyList<string> Footnotes { get; init; } = [];

    /// <summary>Stable key of the section, used to compare citations.</summary>
    public string Key => $"{File}#{Ordinal}#{string.Join(" > ", HeadingPath)}#{Title}";

    /// <summary>What the answer's 【】 and citation show: the cited heading path, else the number and title.</summary>
    public string Label => CitedPath is { Length: > 0 } path ? path : Number.Length > 0 ? $"{Number} {Title}" : Title;

    /// <summary>「出典: 生成AI利用の手引き 3.2 入力してはいけない情報」; the document alone for text before its first heading.</summary>
    public string Citation => Label.Length == 0 || Label == Document ? $"出典: {Document}" : $"出典: {Document} {Label}";
}

/// <summary>A piece of a section small enough to rank on its own; long sections have several.</summary>
internal sealed record GuidelineChunk(int Id, GuidelineSection Section, IReadOnlyList<string> Paragraphs)
{
    public string Text => string.Join("\n", Paragraphs);
}
