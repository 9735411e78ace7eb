using ShiogamaDx.Bot.Documents;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>The guideline folder's documents (read by <see cref="DocumentReader"/>) as citable sections.</summary>
internal static class GuidelineLoader
{
    public static IReadOnlyList<string> Extensions => DocumentReader.Extensions;

    /// <summary>Every readable document of the folder; a file that cannot be read is reported (file, page or line) and skipped.</summary>
    public static IReadOnlyList<GuidelineSection> LoadFolder(string folder, Action<string, Exception> skipped) =>
        DocumentReader.ReadFolder(folder, skipped).SelectMany(Sections).ToList();

    public static IReadOnlyList<GuidelineSection> LoadFile(string name, byte[] bytes) => Sections(DocumentReader.Read(name, bytes)).ToList();

    private static IEnumerable<GuidelineSection> Sections(ParsedDocument document) =>
        document.Sections.Select((s, i) => new GuidelineSection(
            document.Title,
            document.File,
            s.Heading?.Number ?? string.Empty,
            s.Heading is null ? document.Title : s.Heading.Title.Length > 0 ? s.Heading.Title : s.Heading.Text,
            s.Path.Select(h => h.Text).ToList(),
            s.Paragraphs,
            s.Heading is null ? string.Empty : s.CitedPathText,
            i)
        {
            Footnotes = s.Footnotes,
        });
}
