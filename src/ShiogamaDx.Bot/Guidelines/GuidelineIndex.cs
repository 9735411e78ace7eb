using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>A section found for a question, with its rank score and how much of the question it contains.</summary>
internal sealed record RankedSection(GuidelineSection Section, float Score, double Coverage, IReadOnlySet<string> MatchedTerms);

/// <summary>What retrieval found: sections best first, and the question's weighted terms (for quoting).</summary>
internal sealed record GuidelineSearch(IReadOnlyList<RankedSection> Sections, IReadOnlyDictionary<string, double> QueryTerms)
{
    /// <summary>The sections worth answering from: none unless the best one holds enough of the question.</summary>
    public IReadOnlyList<RankedSection> Confident(double minCoverage) =>
        Sections.Count > 0 && Sections[0].Coverage >= minCoverage ? Sections : [];
}

/// <summary>
/// An immutable in-memory Lucene index over guideline chunks. Japanese without a morphological analyser: CJK
/// bigrams plus unigrams (StandardTokenizer → CJKBigramFilter), text normalised first, heading path in front of
/// every chunk and in a boosted field of its own. Rebuilt whole and swapped when the documents change.
/// </summary>
internal sealed class GuidelineIndex : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string BodyField = "body";
    private const string HeadField = "head";
    private const string IdField = "id";
    private const float HeadBoost = 2.0f;
    private const float UnigramBoost = 0.3f;

    private static readonly Analyzer Analyzer = new BigramAnalyzer();

    private readonly RAMDirectory directory;
    private readonly DirectoryReader reader;
    private readonly IndexSearcher searcher;
    private readonly IReadOnlyList<GuidelineChunk> chunks;
    private readonly Dictionary<string, HashSet<string>> sectionTerms;
    private readonly Dictionary<string, int> documentFrequency;
    private readonly GuidelineSynonyms synonyms;

    private GuidelineIndex(IReadOnlyList<GuidelineChunk> chunks, GuidelineSynonyms synonyms)
    {
        this.chunks = chunks;
        this.synonyms = synonyms;
        directory = new RAMDirectory();
        sectionTerms = [];
        documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var config = new IndexWriterConfig(Version, Analyzer) { Similarity = new BM25Similarity() };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var chunk in chunks)
            {
                var head = HeadText(chunk.Section);
                var body = head + "\n" + GuidelineText.Normalize(chunk.Text);
                writer.AddDocument(
                [
                    new StoredField(IdField, chunk.Id),
                    new TextField(HeadField, head, Field.Store.NO),
                    new TextField(BodyField, body, Field.Store.NO),
                ]);

                var terms = Tokens(body).Select(t => t.Term).ToHashSet(StringComparer.Ordinal);
                foreach (var term in terms)
                {
                    documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
                }

                var key = chunk.Section.Key;
                if (!sectionTerms.TryGetValue(key, out var set))
                {
                    sectionTerms[key] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.UnionWith(terms);
            }

            writer.Commit();
        }

        reader = DirectoryReader.Open(directory);
        searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        Sections = chunks.Select(c => c.Section).DistinctBy(s => s.Key).ToList();
    }

    public IReadOnlyList<GuidelineSection> Sections { get; }

    public IReadOnlyList<string> Documents => Sections.Select(s => s.Document).Distinct().ToList();

    public static GuidelineIndex Build(IEnumerable<GuidelineSection> sections, GuidelineSynonyms synonyms, int maxChunkLength)
    {
        var chunks = new List<GuidelineChunk>();
        foreach (var section in sections)
        {
            foreach (var part in Split(section.Paragraphs, maxChunkLength))
            {
                chunks.Add(new GuidelineChunk(chunks.Count, section, part));
            }
        }

        return new GuidelineIndex(chunks, synonyms);
    }

    public GuidelineSearch Search(string question, int maxSections = 3)
    {
        var normalized = GuidelineText.Normalize(question);
        var (groups, residual) = synonyms.Find(normalized);
        var concepts = Concepts(groups, residual);
        var expanded = normalized + " " + string.Join(" ", groups.SelectMany(g => g));

        var query = new BooleanQuery();
        foreach (var (term, boost) in QueryTerms(expanded))
        {
            query.Add(new TermQuery(new Term(BodyField, term)) { Boost = boost }, Occur.SHOULD);
            query.Add(new TermQuery(new Term(HeadField, term)) { Boost = boost * HeadBoost }, Occur.SHOULD);
        }

        var queryTerms = concepts.SelectMany(c => c.Terms.Select(t => (t, c.Weight))).GroupBy(x => x.t).ToDictionary(g => g.Key, g => g.Max(x => x.Weight), StringComparer.Ordinal);
        if (query.Clauses.Count == 0 || concepts.Count == 0)
        {
            return new GuidelineSearch([], queryTerms);
        }

        var ranked = new List<RankedSection>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hit in searcher.Search(query, 30).ScoreDocs)
        {
            var chunk = chunks[searcher.Doc(hit.Doc).GetField(IdField).GetInt32Value()!.Value];
            if (!seen.Add(chunk.Section.Key))
            {
                continue;
            }

            var terms = sectionTerms[chunk.Section.Key];
            var total = concepts.Sum(c => c.Weight);
            var matched = concepts.Where(c => c.Terms.Any(terms.Contains)).ToList();
            var coverage = total > 0 ? matched.Sum(c => c.Weight) / total : 0;
            ranked.Add(new RankedSection(chunk.Section, hit.Score, coverage, matched.SelectMany(c => c.Terms).Where(terms.Contains).ToHashSet(StringComparer.Ordinal)));
            if (ranked.Count == maxSections)
            {
                break;
            }
        }

        return new GuidelineSearch(ranked, queryTerms);
    }

    /// <summary>The content terms of a piece of text (for quoting the sentences that answer).</summary>
    public static IReadOnlySet<string> ContentTerms(string text) =>
        Tokens(GuidelineText.Normalize(text)).Where(t => IsContentTerm(t.Term, t.Type)).Select(t => t.Term).ToHashSet(StringComparer.Ordinal);

    public void Dispose()
    {
        reader.Dispose();
        directory.Dispose();
    }

    private static string HeadText(GuidelineSection section) =>
        GuidelineText.Normalize(string.Join(" ", section.HeadingPath.Append(section.Label).Distinct()));

    /// <summary>
    /// What the question asks about, each weighted by rarity: a synonym group it mentions counts once (any of
    /// its words will do), its other content terms count alone. Hiragana-only bigrams are grammar and left out.
    /// </summary>
    private List<(IReadOnlyList<string> Terms, double Weight)> Concepts(IReadOnlyList<IReadOnlyList<string>> groups, string residual)
    {
        var concepts = new List<(IReadOnlyList<string> Terms, double Weight)>();
        foreach (var group in groups)
        {
            var terms = group.SelectMany(w => Tokens(w).Where(t => IsContentTerm(t.Term, t.Type) || (t.Type == CJKBigramFilter.SINGLE_TYPE && w.Length == 1)).Select(t => t.Term)).Distinct().ToList();
            if (terms.Count > 0)
            {
                // The commonest word of the group decides: a group is only as telling as its plainest member.
                concepts.Add((terms, terms.Min(Idf)));
            }
        }

        var text = residual;
        foreach (var (term, type, start, end) in Tokens(text))
        {
            if (IsContentTerm(term, type))
            {
                concepts.Add(([term], Idf(term)));
            }
            else if (type == CJKBigramFilter.SINGLE_TYPE && GuidelineText.IsKanji(term[0]) && IsLone(text, start, end))
            {
                concepts.Add(([term], Idf(term) * 0.5)); // a kanji on its own is a word (家, 絵), if a short one
            }
        }

        return concepts;
    }

    private static bool IsLone(string text, int start, int end) =>
        (start == 0 || !GuidelineText.IsContent(text[start - 1])) && (end >= text.Length || !GuidelineText.IsContent(text[end]));

    private double Idf(string term)
    {
        var n = chunks.Count;
        var df = documentFrequency.GetValueOrDefault(term);
        return Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
    }

    private static IEnumerable<(string Term, float Boost)> QueryTerms(string text) =>
        Tokens(text)
            .Select(t => IsContentTerm(t.Term, t.Type) ? (t.Term, 1f) : t.Type == CJKBigramFilter.SINGLE_TYPE && GuidelineText.IsKanji(t.Term[0]) ? (t.Term, UnigramBoost) : (t.Term, 0f))
            .Where(t => t.Item2 > 0)
            .GroupBy(t => t.Term)
            .Select(g => (g.Key, g.Max(x => x.Item2)));

    /// <summary>Bigrams of kanji/katakana, and words of letters or digits: what carries meaning.</summary>
    private static bool IsContentTerm(string term, string type) =>
        type == CJKBigramFilter.DOUBLE_TYPE
            ? term.All(c => !GuidelineText.IsHiragana(c))
            : type != CJKBigramFilter.SINGLE_TYPE && term.Any(char.IsLetterOrDigit);

    private static List<(string Term, string Type, int Start, int End)> Tokens(string text)
    {
        var tokens = new List<(string, string, int, int)>();
        using var stream = Analyzer.GetTokenStream(BodyField, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var type = stream.AddAttribute<ITypeAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add((term.ToString(), type.Type, offset.StartOffset, offset.EndOffset));
        }

        stream.End();
        return tokens;
    }

    /// <summary>Paragraph groups no longer than the limit (a single longer paragraph stays whole).</summary>
    private static IEnumerable<IReadOnlyList<string>> Split(IReadOnlyList<string> paragraphs, int maxLength)
    {
        var current = new List<string>();
        var length = 0;
        foreach (var paragraph in paragraphs)
        {
            if (current.Count > 0 && length + paragraph.Length > maxLength)
            {
                yield return current;
                current = [];
                length = 0;
            }

            current.Add(paragraph);
            length += paragraph.Length;
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }

    private sealed class BigramAnalyzer : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream stream = new CJKWidthFilter(source);
            stream = new LowerCaseFilter(Version, stream);
            stream = new CJKBigramFilter(stream, CJKScript.HAN | CJKScript.HIRAGANA | CJKScript.KATAKANA | CJKScript.HANGUL, outputUnigrams: true);
            return new TokenStreamComponents(source, stream);
        }
    }
}
