using System.Text.RegularExpressions;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>Checks on what an LLM wrote before anyone reads it.</summary>
internal static partial class LlmOutput
{
    /// <summary>
    /// Images and HTML go; a link stays (as its text only, or whole for an allow-listed host) so that nobody is
    /// sent anywhere the city did not choose.
    /// </summary>
    public static string RemoveLinksAndImages(string text, IReadOnlyList<string> allowedHosts)
    {
        text = MarkdownImage().Replace(text, string.Empty);
        text = MarkdownLink().Replace(text, m => Allowed(m.Groups["url"].Value, allowedHosts) ? m.Value : m.Groups["text"].Value);
        text = HtmlTag().Replace(text, string.Empty);
        text = BareUrl().Replace(text, m => Allowed(m.Value, allowedHosts) ? m.Value : string.Empty);
        return MultipleBlankLines().Replace(text, "\n\n").Trim();
    }

    /// <summary>
    /// The retrieved sections the answer cites, or null when it cites none of them or cites anything else
    /// (a citation of a section that was not retrieved is an invention).
    /// </summary>
    public static IReadOnlyList<GuidelineSection>? CitedSections(string text, IReadOnlyList<GuidelineSection> retrieved)
    {
        var citations = Citation().Matches(text).Select(m => m.Groups["ref"].Value).ToList();
        if (citations.Count == 0)
        {
            return null;
        }

        var cited = new List<GuidelineSection>();
        foreach (var citation in citations)
        {
            var section = retrieved.FirstOrDefault(s => Refers(citation, s));
            if (section is null)
            {
                return null;
            }

            if (!cited.Contains(section))
            {
                cited.Add(section);
            }
        }

        return cited;
    }

    private static bool Refers(string citation, GuidelineSection section)
    {
        var normalized = GuidelineText.Normalize(citation);
        if (section.CitedPath is { Length: > 0 } path && normalized.Contains(GuidelineText.Normalize(path), StringComparison.Ordinal))
        {
            return true; // the heading path as the answer shows it
        }

        var title = GuidelineText.Normalize(section.Title);
        if (section.Number.Length == 0)
        {
            return normalized.Contains(title, StringComparison.Ordinal);
        }

        // The number must stand alone (3.2 is not 13.2 or 3.21) and no other number may be cited.
        var numbers = SectionNumber().Matches(citation).Select(m => m.Value).ToList();
        return numbers.Count > 0 && numbers.All(n => n == section.Number) || (numbers.Count == 0 && normalized.Contains(title, StringComparison.Ordinal));
    }

    private static bool Allowed(string url, IReadOnlyList<string> hosts) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
        && hosts.Any(h => uri.Host.Equals(h, StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase));

    // A document's name may hold a bracketed part (「生成AI利用の手引き（サンプル）」): one level is kept, the closing
    // bracket of the citation itself ends it.
    [GeneratedRegex(@"出典\s*[:：]\s*(?<ref>(?:[^（(）)】\]\n]|[（(][^（(）)】\]\n]*[）)])+)")]
    private static partial Regex Citation();

    [GeneratedRegex(@"(?<![\d.])\d{1,2}(?:\.\d{1,2}){0,3}(?![\d.]*\d)")]
    private static partial Regex SectionNumber();

    [GeneratedRegex(@"!\[[^\]]*\]\([^)]*\)")]
    private static partial Regex MarkdownImage();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\((?<url>[^)\s]*)[^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"(?:https?|ftp|data|javascript):[^\s)）」』]+", RegexOptions.IgnoreCase)]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex MultipleBlankLines();
}
