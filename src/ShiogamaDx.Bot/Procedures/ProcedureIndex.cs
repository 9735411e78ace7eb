using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Procedures;

/// <param name="Confidence">0..1: how sure the search is that this is what was asked.</param>
public sealed record ProcedureHit(Procedure Procedure, double Confidence);

/// <summary>
/// Ranked retrieval over the catalog, in memory and offline (the scoring is <see cref="FieldIndex{T}"/>'s). Fields are
/// weighted: name and keywords above example questions above the description.
/// </summary>
public sealed class ProcedureIndex
{
    private readonly FieldIndex<Procedure> index;
    private readonly Dictionary<string, Procedure> byId = new(StringComparer.Ordinal);

    /// <param name="weights">The retrieval's weights; <see cref="RetrievalWeights.Procedures"/> when not given.</param>
    public ProcedureIndex(IReadOnlyList<Procedure> procedures, JapaneseAnalysis analysis, string revision, string? portalUrl = null, RetrievalWeights? weights = null)
    {
        var w = weights ?? RetrievalWeights.Procedures;
        PortalUrl = portalUrl;
        Procedures = procedures;
        Revision = revision;
        foreach (var p in procedures)
        {
            byId[p.Id] = p;
        }

        // Only the catalog's index takes compounds' parts: its names are compounds; the easy index's plain-word entries
        // lost two held-out questions with parts.
        index = new FieldIndex<Procedure>(procedures, analysis, p => FieldsOf(p, w), p => p.Position, w.PartFactor, w);
    }

    public IReadOnlyList<Procedure> Procedures { get; }

    public string Revision { get; }

    public string? PortalUrl { get; }

    public Procedure? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>The best procedures for a question, most likely first.</summary>
    public IReadOnlyList<ProcedureHit> Search(string text, int max = 3) => Hits(index.Search(text, max));

    /// <summary>The best procedures for a turn's text, read with the turn's one analysis.</summary>
    public IReadOnlyList<ProcedureHit> Search(Turn turn, int max = 3) => Hits(index.Search(turn, max));

    private static List<ProcedureHit> Hits(IReadOnlyList<(Procedure Item, double Confidence)> hits) =>
        hits.Select(h => new ProcedureHit(h.Item, h.Confidence)).ToList();

    /// <summary>A procedure's texts and their weights in a search (also where the guides are searched beside the catalog).</summary>
    public static IEnumerable<(string Text, double Boost)> Fields(Procedure p) => FieldsOf(p, RetrievalWeights.Default);

    private static IEnumerable<(string Text, double Boost)> FieldsOf(Procedure p, RetrievalWeights w) =>
    [
        (p.Name, w.NameBoost),
        .. p.Keywords.Select(k => (k, w.KeywordBoost)),
        .. p.Examples.Select(e => (e, w.ExampleBoost)),
        (p.Category, w.CategoryBoost),
        (p.Description, w.DescriptionBoost),
    ];
}

/// <summary>
/// Weighted-field retrieval for the few hundred short entries the bot answers from (the catalog, the residents'
/// guides). Text is normalised, split into dictionary concepts (住民票 ← じゅうみんひょう, 粗大ごみ ← ソファ) and the runs
/// between them, and the runs into character bigrams plus kanji unigrams (so 犬 or 税 alone still match). The score
/// is turned into a confidence from both how much evidence there is and how much of the question it explains, so
/// chatty questions about a known entry score well and questions about something else score low.
/// </summary>
public sealed class FieldIndex<T>
    where T : class
{
    // A city word typed with one wrong kanji is looked for only in words of three or more: two kanji with one wrong
    // say too little (市民 is not 住民).
    private const int NearMissShortest = 3;

    private readonly JapaneseAnalysis analysis;
    private readonly IReadOnlyList<T> items;
    private readonly Func<T, int> order;
    // Term → its idf and the entries holding it with their boosts, in entry order: a question scores only the
    // entries that share a term with it, not every entry (#19: two such indexes are searched on every resident turn).
    private readonly Dictionary<string, (double Idf, (int Entry, double Boost)[] Postings)> terms = new(StringComparer.Ordinal);
    private readonly double unknownIdf;
    // The city's words the entries write in kanji (住民票, 国民健康保険), as matching keys, by length: what a question's
    // unknown kanji compound is compared with, to read a near-miss kanji (住民標, 保険症) as the word meant.
    private readonly Dictionary<int, Dictionary<string, string>> kanjiWords = [];
    // Two-character fillers (たい, です, ます, 必要, 方法): the analysis drops them where they stand as words, but inside
    // a run of hiragana (うけたい, もらいたい) they were bigrams every entry with a wish in its examples shared.
    private readonly HashSet<string> fillerPairs;
    private readonly double partFactor;
    private readonly RetrievalWeights w;

    /// <param name="fields">Each entry's texts with their boosts (at most <see cref="RetrievalWeights.TopBoost"/>).</param>
    /// <param name="order">Breaks ties: the file's order.</param>
    /// <param name="partFactor">
    /// The weight, against its field's, of a city word inside an entry's compound (<see cref="AnalyzedText.Parts"/>);
    /// 0: parts are not indexed.
    /// </param>
    /// <param name="weights">The scoring's weights; <see cref="RetrievalWeights.Default"/> when not given.</param>
    public FieldIndex(IReadOnlyList<T> items, JapaneseAnalysis analysis, Func<T, IEnumerable<(string Text, double Boost)>> fields, Func<T, int> order, double partFactor = 0, RetrievalWeights? weights = null)
    {
        w = weights ?? RetrievalWeights.Default;
        this.analysis = analysis;
        this.partFactor = partFactor;
        this.items = items;
        fillerPairs = analysis.CityWords.Fillers.Where(f => f.Length == 2).ToHashSet(StringComparer.Ordinal);
        this.order = order;
        var postings = new Dictionary<string, List<(int, double)>>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var entry = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (text, boost) in fields(items[i]))
            {
                AddField(entry, text, boost);
            }

            foreach (var (term, boost) in entry)
            {
                if (!postings.TryGetValue(term, out var list))
                {
                    postings[term] = list = [];
                }

                list.Add((i, boost));
            }
        }

        var n = Math.Max(1, items.Count);
        foreach (var (term, list) in postings)
        {
            terms[term] = (Math.Log(1 + (n / (double)list.Count)), [.. list]);
        }

        unknownIdf = Math.Log(1 + n);
    }

    /// <summary>The best entries for a question, most likely first; none for a question about another institution.</summary>
    public IReadOnlyList<(T Item, double Confidence)> Search(string text, int max = 3) => Search(analysis.Analyze(text), max);

    /// <summary>The best entries for a turn's text, read with the turn's one analysis (#19: several handlers search it).</summary>
    public IReadOnlyList<(T Item, double Confidence)> Search(Turn turn, int max = 3) => Search(turn.Analyzed(analysis), max);

    /// <summary>
    /// The best entries for a text this index's analysis has read (<see cref="Search(Turn, int)"/>: once per turn),
    /// most likely first.
    /// </summary>
    public IReadOnlyList<(T Item, double Confidence)> Search(AnalyzedText analyzed, int max = 3)
    {
        var hits = Scored(analyzed);
        return hits.Count == 0 ? [] : hits.OrderByDescending(h => h.Confidence).ThenBy(h => order(h.Item)).Take(max).ToList();
    }

    /// <summary>Every entry sharing a term with the question, with its confidence, in entry order (not ranked).</summary>
    private List<(T Item, double Confidence)> Scored(AnalyzedText analyzed)
    {
        // 郵便局の営業時間, 銀行の口座: another institution's business, though a word of it (時間, 口座) is the city's too.
        if (analysis.CityWords.IsAboutOtherInstitution(analyzed.Source))
        {
            return [];
        }

        var query = QueryTerms(analyzed);
        if (query.Count == 0)
        {
            return [];
        }

        // The most this question could score: every term found in a name or keyword.
        var known = 0.0;
        var unknown = 0.0;
        foreach (var (term, weight) in query)
        {
            if (terms.TryGetValue(term, out var found))
            {
                known += weight * found.Idf;
            }
            else
            {
                unknown += weight * unknownIdf;
            }
        }

        var ceiling = (known + (w.UnknownWeight * unknown)) * w.TopBoost;
        if (ceiling <= 0)
        {
            return [];
        }

        // Each entry's score adds the query's terms in the same order as a scan of every entry did: the same sums.
        var scores = new double[items.Count];
        var topicals = new bool[items.Count];

        // A question naming a thing no entry knows (テレビ, a kanji word no entry writes) is about that thing: an entry
        // sharing only hiragana with it (らな, なっ, った of うつらなくなった) shares its grammar, not what it is about.
        var namesUnknown = query.Keys.Any(t => !terms.ContainsKey(t) && (t.StartsWith("w:", StringComparison.Ordinal) || t.All(JapaneseText.IsKanji)));
        var beyondKana = new bool[items.Count];
        foreach (var (term, weight) in query)
        {
            if (!terms.TryGetValue(term, out var posted))
            {
                continue;
            }

            var topical = !(term[0] == '#' && analysis.CityWords.IsAction(term[1..]));
            foreach (var (entry, boost) in posted.Postings)
            {
                scores[entry] += weight * posted.Idf * boost;
                topicals[entry] |= topical;
                beyondKana[entry] |= !term.All(JapaneseText.IsHiragana);
            }
        }

        var hits = new List<(T Item, double Confidence)>();
        for (var i = 0; i < items.Count; i++)
        {
            var score = scores[i];
            var topical = topicals[i] && !(namesUnknown && !beyondKana[i]);
            if (score <= 0)
            {
                continue;
            }

            var coverage = Math.Min(1.0, score / ceiling);
            var evidence = 1 - Math.Exp(-score / w.EvidenceScale);
            var confidence = (w.CoverageShare * coverage) + ((1 - w.CoverageShare) * evidence);

            // 「作りたい」 alone (パスポートを作りたい) says nothing about which entry, nor kana alone beside an unknown name:
            // never confident.
            hits.Add((items[i], Math.Round(topical ? confidence : Math.Min(confidence, w.ActionOnlyCeiling), 4)));
        }

        return hits;
    }

    private Dictionary<string, double> QueryTerms(AnalyzedText analyzed)
    {
        var terms = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var concept in analyzed.Concepts)
        {
            terms["#" + concept.Text] = concept.Kind == TokenKind.Action ? w.ActionWeight : w.ConceptWeight;
        }

        foreach (var (whole, r) in analyzed.Runs.Select((run, r) => (run, r)))
        {
            var factor = r >= analyzed.EndingFrom ? w.EndingWeight : 1.0;
            foreach (var run in WithoutNearMisses(whole, terms))
            {
                foreach (var (term, weight) in Grams(run))
                {
                    terms[term] = Math.Max(terms.GetValueOrDefault(term), weight * factor);
                }
            }
        }

        // A katakana word stands whole (the analysis takes no bigrams of it), with the weight of the bigrams it replaces.
        foreach (var word in analyzed.Tokens.Where(t => t.Kind == TokenKind.LoanWord))
        {
            terms["w:" + word.Text] = Math.Max(1, word.Text.Length - 1);
        }

        // Every procedure is done at city hall: the catalog rarely writes 市役所, so its rarity would outweigh the word
        // that says which procedure. It weighs fully only when the question names nothing else (市役所ってどこ).
        var words = analysis.CityWords;
        if (terms.Keys.Any(t => t[0] == '#' && !words.IsAction(t[1..]) && !words.IsPlace(t[1..])))
        {
            foreach (var place in terms.Keys.Where(t => t[0] == '#' && words.IsPlace(t[1..])).ToList())
            {
                terms[place] = w.PlaceWeight;
            }
        }

        return terms;
    }

    /// <summary>
    /// The run's pieces left once each near-miss kanji compound in it is taken as the city's word it differs from by one
    /// kanji (put in <paramref name="query"/> as that concept). A compound is a near miss only when the question writes
    /// a pair of characters no entry does: a real word the entries use (保険料 beside 保険証) is never re-read.
    /// </summary>
    private IEnumerable<string> WithoutNearMisses(string run, Dictionary<string, double> query)
    {
        // Most runs hold no pair of kanji that no entry writes: nothing to compare (every resident turn searches).
        if (!HasUnknownKanjiPair(run))
        {
            yield return run;
            yield break;
        }

        var from = 0;
        var at = 0;
        while (at + NearMissShortest <= run.Length)
        {
            var matched = 0;
            for (var length = run.Length - at; length >= NearMissShortest && matched == 0; length--)
            {
                if (!kanjiWords.TryGetValue(length, out var words))
                {
                    continue;
                }

                var window = run.Substring(at, length);
                if (!window.All(JapaneseText.IsKanji) || !HasUnknownKanjiPair(window))
                {
                    continue;
                }

                foreach (var (word, concept) in words)
                {
                    if (OneKanjiApart(window, word))
                    {
                        query["#" + concept] = Math.Max(query.GetValueOrDefault("#" + concept), w.ConceptWeight * w.NearMissFactor);
                        matched = length;
                    }
                }
            }

            if (matched == 0)
            {
                at++;
                continue;
            }

            if (at > from)
            {
                yield return run[from..at];
            }

            at += matched;
            from = at;
        }

        if (from < run.Length)
        {
            yield return run[from..];
        }
    }

    private bool HasUnknownKanjiPair(string run)
    {
        for (var i = 0; i + 1 < run.Length; i++)
        {
            if (JapaneseText.IsKanji(run[i]) && JapaneseText.IsKanji(run[i + 1]) && !terms.ContainsKey(run.Substring(i, 2)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OneKanjiApart(string a, string b)
    {
        var apart = 0;
        for (var i = 0; i < a.Length && apart <= 1; i++)
        {
            apart += a[i] == b[i] ? 0 : 1;
        }

        return apart == 1;
    }

    private void AddKanjiWord(string key, string concept)
    {
        if (key.Length < NearMissShortest || !key.All(JapaneseText.IsKanji))
        {
            return;
        }

        if (!kanjiWords.TryGetValue(key.Length, out var words))
        {
            kanjiWords[key.Length] = words = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        words.TryAdd(key, concept);
    }

    private void AddField(Dictionary<string, double> terms, string text, double boost)
    {
        var analyzed = analysis.Analyze(text);
        foreach (var concept in analyzed.Concepts)
        {
            Put(terms, "#" + concept.Text, boost);
            if (concept.Kind == TokenKind.Concept)
            {
                AddKanjiWord(concept.Text, concept.Text);
                AddKanjiWord(JapaneseText.Normalize(concept.Surface), concept.Text);
            }

            foreach (var reading in analysis.CityWords.ReadingsOf(concept.Text))
            {
                foreach (var (gram, _) in Grams(reading))
                {
                    Put(terms, gram, boost * w.ReadingFactor);
                }
            }
        }

        // Only the entries' side: a question that writes the compound means it, not its parts.
        foreach (var part in partFactor > 0 ? analyzed.Parts : [])
        {
            Put(terms, "#" + part, boost * partFactor);
        }

        foreach (var run in analyzed.Runs)
        {
            foreach (var (gram, _) in Grams(run))
            {
                Put(terms, gram, boost);
            }
        }

        foreach (var word in analyzed.Tokens.Where(t => t.Kind == TokenKind.LoanWord))
        {
            Put(terms, "w:" + word.Text, boost);
        }
    }

    private static void Put(Dictionary<string, double> terms, string term, double boost) =>
        terms[term] = Math.Max(terms.GetValueOrDefault(term), boost);

    /// <summary>Bigrams of a run, kanji unigrams, and a one-character run as itself.</summary>
    private IEnumerable<(string Term, double Weight)> Grams(string run) =>
        RunGrams(run, w.UnigramWeight).Where(g => !fillerPairs.Contains(g.Term));

    private static IEnumerable<(string Term, double Weight)> RunGrams(string run, double unigramWeight)
    {
        if (run.Length == 1)
        {
            yield return (run, JapaneseText.IsKanji(run[0]) ? unigramWeight : 0.1);
            yield break;
        }

        for (var i = 0; i + 1 < run.Length; i++)
        {
            yield return (run.Substring(i, 2), 1.0);
        }

        foreach (var c in run)
        {
            if (JapaneseText.IsKanji(c))
            {
                yield return (c.ToString(), unigramWeight);
            }
        }
    }

}
