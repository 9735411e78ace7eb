using Lucene.Net.Analysis;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// The terms a passage is indexed with: the one Japanese analysis's words (or bigrams), and beside each of the city's
/// words (a concept of the host's word list: 申請 read as the group 申し込み) that word as written (and its bigrams).
/// The word list is the residents': its groups join words a guideline keeps apart (申請 and 申し込み, 届け出 and 届),
/// and the guideline's own synonym groups look for the words as the document writes them. Procedure matching reads
/// the analysis itself and is not changed by this.
/// </summary>
internal static class PassageTerms
{
    /// <summary>A concept's words as written, as matching keys, where they differ from the concept.</summary>
    public static IEnumerable<string> WrittenConcepts(AnalyzedText analyzed) =>
        analyzed.Tokens.Where(t => t.IsConcept).Select(t => JapaneseText.Normalize(t.Surface)).Where(w => w.Length > 0)
            .Where(w => !analyzed.Tokens.Any(t => t.IsConcept && t.Text == w));

    public static IEnumerable<string> Words(AnalyzedText analyzed) => analyzed.Words.Concat(WrittenConcepts(analyzed));

    public static IEnumerable<string> Bigrams(AnalyzedText analyzed) => analyzed.Bigrams().Concat(WrittenConcepts(analyzed).SelectMany(JapaneseAnalysis.Bigrams));

    /// <summary>A Lucene analyzer of these terms (<paramref name="bigrams"/>: the bigram field's).</summary>
    public static Analyzer Analyzer(JapaneseAnalysis analysis, bool bigrams) => analysis.TermsAnalyzer(bigrams ? Bigrams : Words);
}
