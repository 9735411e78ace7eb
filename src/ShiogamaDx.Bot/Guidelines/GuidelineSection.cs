namespace ShiogamaDx.Bot.Guidelines;

/// <summary>One section of a guideline document: the unit of citation.</summary>
/// <param name="Document">Name cited for the document (front-matter title, first heading, or file name).</param>
/// <param name="File">File name within the guideline folder, for operators.</param>
/// <param name="Number">Section number as written ("3.2"), empty when the heading has none.</param>
/// <param name="HeadingPath">Headings from the top of the document down to this section's own.</param>
/// <param name="Paragraphs">The section's text, one entry a paragraph or list item, as written.</param>
internal sealed record GuidelineSection(
    string Document,
    string File,
    string Number,
    string Title,
    IReadOnlyList<string> HeadingPath,
    IReadOnlyList<string> Paragraphs)
{
    /// <summary>Stable key of the section, used to compare citations.</summary>
    public string Key => $"{File}#{Number}#{Title}";

    public string Label => Number.Length > 0 ? $"{Number} {Title}" : Title;

    /// <summary>「出典: 生成AI利用の手引き 3.2 入力してはいけない情報」.</summary>
    public string Citation => $"出典: {Document} {Label}";
}

/// <summary>A piece of a section small enough to rank on its own; long sections have several.</summary>
internal sealed record GuidelineChunk(int Id, GuidelineSection Section, IReadOnlyList<string> Paragraphs)
{
    public string Text => string.Join("\n", Paragraphs);
}
