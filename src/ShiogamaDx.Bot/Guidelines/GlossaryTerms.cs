using ShiogamaDx.Bot.Documents;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// A glossary's two-column table (用語 | 説明) as one passage per term, cited 「用語集 ＞ RPA」: one long section of
/// every term holds a little of almost any question and answers none of them well. Any document's term table counts,
/// found by its header row (<see cref="TableText.Terms"/>), whatever the section is called.
/// </summary>
internal static class GlossaryTerms
{
    // The rest of a glossary section (「ア行」 labels between the tables) is kept only when it says something.
    private const int MinRestLength = 9;

    public static IReadOnlyList<GuidelineSection> Apart(IReadOnlyList<GuidelineSection> sections)
    {
        var result = new List<GuidelineSection>(sections.Count);
        foreach (var section in sections)
        {
            var (rest, terms) = TableText.Terms(section.Paragraphs);
            if (terms.Count == 0)
            {
                result.Add(section);
                continue;
            }

            if (rest.Any(p => p.Length >= MinRestLength))
            {
                result.Add(section with { Paragraphs = rest });
            }

            foreach (var (term, meaning) in terms)
            {
                result.Add(section with
                {
                    Number = string.Empty,
                    Title = term,
                    HeadingPath = [.. section.HeadingPath, term],
                    Paragraphs = [meaning],
                    CitedPath = $"{section.Label} ＞ {term}",
                    Footnotes = [],
                });
            }
        }

        // Ordinals stay the place in the document, one per section, so that two terms alike stay two.
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        return result.Select(s =>
        {
            var ordinal = next.GetValueOrDefault(s.File);
            next[s.File] = ordinal + 1;
            return s with { Ordinal = ordinal };
        }).ToList();
    }
}
