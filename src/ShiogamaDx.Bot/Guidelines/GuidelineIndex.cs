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
/// <param name="Distinctive">
/// The section holds at least one thing the question asks about that few sections hold. A section that shares only
/// words found all over the guideline (生成AI, 職員, 業務, 利用) has not been shown to answer anything.
/// </param>
/// <param name="HoldsTopic">
/// The section holds what the question is about (some of the word before its は or って: 申請 in
/// 「テレワークの申請は」, 内線 or 番号 in 「内線番号は」). A section that holds the rest but not that answers another question.
/// </param>
internal sealed record RankedSection(GuidelineSection Section, float Score, double Coverage, IReadOnlySet<string> MatchedTerms, bool Distinctive = true, bool HoldsTopic = true)
{
    /// <summary>The share of the question held, for ranking: an unknown word counts once, not once per kanji.</summary>
    public double RankCoverage { get; init; } = Coverage;

    /// <summary>
    /// The section's own title names something the question asks about (not only the guideline's subject, 生成AI).
    /// A question of only common words is answered only by a section titled with one of them: 「入力してよい情報は」
    /// by 「入力してよい情報」, but 「AIに仕事をとられますか」 by none.
    /// </summary>
    public bool TitleHoldsQuestion { get; init; }

    /// <summary>The section holds the question's topic as the person wrote it, not only as a synonym.</summary>
    public bool HoldsTypedTopic { get; init; } = true;

    /// <summary>
    /// A question for a number of things (何回, 何人, いくら) is answered only by a section that states such a number
    /// (「年に1回」); one that merely names the thing asked about does not answer how many.
    /// </summary>
    public bool StatesAmount { get; init; } = true;
}

/// <summary>What retrieval found: sections best first, and the question's weighted terms (for quoting).</summary>
/// <param name="OnTopic">The question names generative AI or the guideline itself, so it is meant for the guideline.</param>
/// <param name="General">
/// Nothing the question names tells sections apart (「生成AIを業務で使ってもいいですか」): every word of it is found all
/// over the guideline. Refused like any question no section answers, but the person can be asked for more.
/// </param>
internal sealed record GuidelineSearch(IReadOnlyList<RankedSection> Sections, IReadOnlyDictionary<string, double> QueryTerms, bool OnTopic, bool General = false)
{
    /// <summary>
    /// The sections worth answering from, best first: only those that hold enough of the question. A section that
    /// ranks high on one strong word but misses the rest of the question is passed over, not quoted; so is one that
    /// shares only common words with it, unless it holds all of the question and its title names one of them; so is
    /// one that lacks the question's topic, or, for a question asking how many, states no such number.
    /// </summary>
    public IReadOnlyList<RankedSection> Confident(GuidelinesOptions options, int max = 3) =>
        Sections.Where(s => s.Coverage >= (OnTopic ? options.MinCoverageOnTopic : options.MinCoverage) && (s.Distinctive || (s.Coverage >= FullCoverage && s.TitleHoldsQuestion)) && s.HoldsTopic && s.StatesAmount)
            .Take(max).ToList();

    private const double FullCoverage = 0.99;
}

/// <summary>
/// An immutable in-memory Lucene index over guideline chunks. Japanese without a morphological analyser: CJK
/// bigrams plus unigrams (StandardTokenizer → CJKBigramFilter), text normalised first, heading path in front of
/// every chunk and in a boosted field of its own. Rebuilt whole and swapped when the documents change.
/// </summary>
internal sealed partial class GuidelineIndex : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string BodyField = "body";
    private const string HeadField = "head";
    private const string IdField = "id";
    private const float HeadBoost = 2.0f;
    private const float UnigramBoost = 0.3f;
    private const float GroupTieBreaker = 0.1f;
    private const double CoverageFloor = 0.25;
    private const double TitleBonus = 1.0;
    // Measured 0.2, 0.25, 0.33, 0.4 on the first three sets (a third did best); 0.3 since the fourth tuning, where a
    // question had to hold something rarer than 業務 or 入力 (11 of 34 sections): with the title rule of
    // TitleHoldsQuestion it refuses 「AIに仕事をとられますか」 and keeps every hit on the four sets but one at rank 3.
    private const double CommonSectionShare = 0.3;

    private static readonly Analyzer Analyzer = new BigramAnalyzer();

    private readonly RAMDirectory directory;
    private readonly DirectoryReader reader;
    private readonly IndexSearcher searcher;
    private readonly IReadOnlyList<GuidelineChunk> chunks;
    private readonly Dictionary<string, HashSet<string>> sectionTerms;
    private readonly Dictionary<string, string> sectionText;
    private readonly Dictionary<string, int> documentFrequency;
    private readonly GuidelineSynonyms synonyms;

    private readonly HashSet<string> topicWords;

    // Synonym words are analysed once, not on every question.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<(string Term, int Position)>> wordParts = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<string>> wordTerms = new(StringComparer.Ordinal);

    // Number of sections holding a concept; bounded by the guideline's own terms, as a question's terms absent from
    // the guideline never reach it (only matched concepts are asked).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> sectionsHolding = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> wordFrequency = new(StringComparer.Ordinal);
    private readonly List<string> chunkBodies = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (HashSet<string> Terms, string Text)> titles = new(StringComparer.Ordinal);

    private GuidelineIndex(IReadOnlyList<GuidelineChunk> chunks, GuidelineSynonyms synonyms, IEnumerable<string> topicWords)
    {
        this.topicWords = topicWords.Select(GuidelineText.Normalize).ToHashSet(StringComparer.Ordinal);
        this.chunks = chunks;
        this.synonyms = synonyms;
        directory = new RAMDirectory();
        sectionTerms = [];
        sectionText = new Dictionary<string, string>(StringComparer.Ordinal);
        documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var config = new IndexWriterConfig(Version, Analyzer) { Similarity = new BM25Similarity() };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var chunk in chunks)
            {
                var head = HeadText(chunk.Section);
                var body = head + "\n" + GuidelineText.Normalize(chunk.Text);
                chunkBodies.Add(body);
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
                sectionText[key] = sectionText.GetValueOrDefault(key) + "\n" + body;
            }

            writer.Commit();
        }

        reader = DirectoryReader.Open(directory);
        searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        Sections = chunks.Select(c => c.Section).DistinctBy(s => s.Key).ToList();
    }

    public IReadOnlyList<GuidelineSection> Sections { get; }

    public IReadOnlyList<string> Documents => Sections.Select(s => s.Document).Distinct().ToList();

    public static GuidelineIndex Build(IEnumerable<GuidelineSection> sections, GuidelineSynonyms synonyms, GuidelinesOptions options)
    {
        var chunks = new List<GuidelineChunk>();
        foreach (var section in sections)
        {
            foreach (var part in Split(section.Paragraphs, options.MaxChunkLength))
            {
                chunks.Add(new GuidelineChunk(chunks.Count, section, part));
            }
        }

        return new GuidelineIndex(chunks, synonyms, options.TopicWords);
    }

    public GuidelineSearch Search(string question, int maxSections = 5)
    {
        var normalized = GuidelineText.Normalize(question);
        var (groups, residual) = synonyms.Find(normalized);
        residual = QuestionWords.Blank(residual);
        var spans = TopicSpans(normalized);
        var concepts = Concepts(groups, residual, normalized, spans);
        var queryTerms = concepts.SelectMany(c => c.Terms.Select(t => (t, c.Weight))).GroupBy(x => x.t).ToDictionary(g => g.Key, g => g.Max(x => x.Weight), StringComparer.Ordinal);
        if (concepts.Count == 0)
        {
            return new GuidelineSearch([], queryTerms, false);
        }

        // The person's own words count one by one; a synonym group counts once, by its best-matching word (a
        // disjunction, not a sum), so a section rich in any of a long group's words does not outrank the rest of
        // the question. Each word of a group must appear as written (a phrase of its bigrams).
        var query = new BooleanQuery();
        foreach (var (term, boost) in QueryTerms(residual))
        {
            query.Add(new TermQuery(new Term(BodyField, term)) { Boost = boost }, Occur.SHOULD);
            query.Add(new TermQuery(new Term(HeadField, term)) { Boost = boost * HeadBoost }, Occur.SHOULD);
        }

        // Single kanji only where the question uses one as a word (絵, or half of an unknown pair), and weakly:
        // every other unigram is already inside a bigram and would only add noise from unrelated compounds.
        foreach (var single in concepts.Where(c => c.Alone).Select(c => c.Terms[0]).Distinct())
        {
            query.Add(new TermQuery(new Term(BodyField, single)) { Boost = UnigramBoost }, Occur.SHOULD);
        }

        foreach (var group in concepts.Where(c => c.Words.Count > 0))
        {
            var body = new DisjunctionMaxQuery(GroupTieBreaker);
            var head = new DisjunctionMaxQuery(GroupTieBreaker) { Boost = HeadBoost };
            // A word with a bigram the guideline never uses cannot match: most spellings of a group are not queried.
            foreach (var word in group.Words.Where(w => wordParts.GetOrAdd(w, WordParts).All(p => documentFrequency.ContainsKey(p.Term))))
            {
                // The word the person typed counts for what it is; the others of its group as the plainest one.
                var typed = normalized.Contains(word, StringComparison.Ordinal) || normalized.Contains(GuidelineText.ToHiragana(word), StringComparison.Ordinal)
                    || normalized.Contains(GuidelineText.ToKatakana(word), StringComparison.Ordinal);
                body.Add(WordQuery(BodyField, word, typed ? double.MaxValue : group.Weight));
                head.Add(WordQuery(HeadField, word, typed ? double.MaxValue : group.Weight));
            }

            if (body.Disjuncts.Count > 0)
            {
                query.Add(body, Occur.SHOULD);
                query.Add(head, Occur.SHOULD);
            }
        }

        // The topic counts where a section could hold it (a katakana or Latin word the guideline never uses is more
        // often a spelling, ハルシネーシヨン, than another subject) and where it tells sections apart (生成AI in
        // 「文章生成AIは」 is in every section).
        var topics = concepts.Where(c => c.Topic && (c.Words.Count > 0 || c.Alone || documentFrequency.ContainsKey(c.Terms[0])) && !IsEverywhere(c)).ToList();

        // The topic as the person wrote it (アンケート, 金額): a section that holds that word goes before one that holds
        // only another word of its group (効率化, 数値).
        var typedTopics = topics.Where(c => c.Words.Count > 0).SelectMany(c => c.Words.Where(w => WithinTopic(normalized, w, spans))).ToList();
        var counter = AmountAsked(normalized);
        var total = concepts.Sum(c => c.Weight);
        var answerTotal = concepts.Sum(c => c.AnswerWeight);
        var ranked = new List<RankedSection>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hit in searcher.Search(query, 40).ScoreDocs)
        {
            var chunk = chunks[searcher.Doc(hit.Doc).GetField(IdField).GetInt32Value()!.Value];
            if (!seen.Add(chunk.Section.Key))
            {
                continue;
            }

            var terms = sectionTerms[chunk.Section.Key];
            var text = sectionText[chunk.Section.Key];
            var matched = concepts.Where(c => c.Matches(terms, text)).ToList();
            var coverage = total > 0 ? matched.Sum(c => c.Weight) / total : 0;
            var answerCoverage = answerTotal > 0 ? matched.Sum(c => c.AnswerWeight) / answerTotal : 0;
            ranked.Add(new RankedSection(chunk.Section, hit.Score, answerCoverage, matched.SelectMany(c => c.Terms).Where(terms.Contains).ToHashSet(StringComparer.Ordinal),
                matched.Any(IsDistinctive), topics.Count == 0 || topics.Any(matched.Contains))
            {
                RankCoverage = coverage,
                HoldsTypedTopic = typedTopics.Count == 0 || typedTopics.Any(w => ContainsWord(text, w)),
                StatesAmount = counter is null || StatesAmountOf(text, counter),
                TitleHoldsQuestion = TitleHolds(chunk.Section, matched),
            });
        }

        // Rank by relevance weighted with how much of the question a section holds, so a section that shares one
        // strong word does not beat one that holds the whole question.
        var ordered = ranked.OrderByDescending(r => r.HoldsTypedTopic).ThenByDescending(r => r.Score * Math.Pow(CoverageFloor + r.RankCoverage, 2) * (1 + (TitleBonus * TitleOverlap(normalized, r.Section.Title))))
            .Take(maxSections).ToList();
        return new GuidelineSearch(ordered, queryTerms, groups.Any(g => g.Any(topicWords.Contains)), !concepts.Any(IsDistinctive));
    }

    /// <summary>
    /// What a question asks about and whether a section holds it, one concept a line (for the evaluation output and
    /// for whoever extends the synonym list: it shows which words of a question the guideline lacks).
    /// </summary>
    public string Explain(string question, GuidelineSection? section)
    {
        var normalized = GuidelineText.Normalize(question);
        var (groups, residual) = synonyms.Find(normalized);
        var concepts = Concepts(groups, QuestionWords.Blank(residual), normalized, TopicSpans(normalized));
        var terms = section is null ? null : sectionTerms.GetValueOrDefault(section.Key);
        var text = section is null ? null : sectionText.GetValueOrDefault(section.Key);
        return string.Join(" ", concepts.Select(c =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{(c.Topic ? "^" : string.Empty)}{(c.Words.Count > 0 ? c.Words[0] + "…" : string.Join("|", c.Terms))}:{c.Weight:0.0}{(IsDistinctive(c) ? "!" : string.Empty)}/{SectionsHolding(c)}{(terms is null ? string.Empty : c.Matches(terms, text!) ? "+" : "-")}")));
    }

    /// <summary>
    /// A concept few sections hold (at most 30% of them, or one in a short document): evidence that a section is
    /// about the question. A single kanji standing for a word never is (分 of 分別 found in 60分 proves nothing).
    /// </summary>
    private bool IsDistinctive(Concept concept) =>
        !concept.Alone && concept.Weight > 0 && SectionsHolding(concept) <= Math.Max(1, sectionTerms.Count * CommonSectionShare);

    private int SectionsHolding(Concept concept)
    {
        var key = string.Join("|", concept.Words.Count > 0 ? concept.Words : concept.Terms);
        return sectionsHolding.GetOrAdd(key, _ => sectionTerms.Count(s => concept.Matches(s.Value, sectionText[s.Key])));
    }

    /// <summary>The content terms of a piece of text (for quoting the sentences that answer).</summary>
    public static IReadOnlySet<string> ContentTerms(string text) =>
        Tokens(GuidelineText.Normalize(text)).Where(t => IsContentTerm(t.Term, t.Type)).Select(t => t.Term).ToHashSet(StringComparer.Ordinal);

    public void Dispose()
    {
        reader.Dispose();
        directory.Dispose();
    }

    /// <summary>Whether the section's own title holds one of the concepts, other than those found everywhere.</summary>
    private bool TitleHolds(GuidelineSection section, List<Concept> concepts)
    {
        var (terms, text) = titles.GetOrAdd(section.Key, _ =>
        {
            var title = GuidelineText.Normalize(section.Title);
            return (Tokens(title).Select(t => t.Term).ToHashSet(StringComparer.Ordinal), title);
        });
        return concepts.Any(c => !IsEverywhere(c) && c.Matches(terms, text));
    }

    /// <summary>Held by half the sections or more: it names the guideline's subject, not a section's.</summary>
    private bool IsEverywhere(Concept concept) => SectionsHolding(concept) * 2 >= sectionTerms.Count;

    private static string HeadText(GuidelineSection section) =>
        GuidelineText.Normalize(string.Join(" ", section.HeadingPath.Append(section.Label).Distinct()));

    /// <summary>
    /// What the question asks about, each weighted by rarity: a synonym group it mentions counts once (any of
    /// its words will do), its other content terms count alone. Hiragana-only bigrams are grammar and left out.
    /// </summary>
    private List<Concept> Concepts(IReadOnlyList<IReadOnlyList<string>> groups, string residual, string normalized, List<(int Start, int End)> topicSpans)
    {
        var concepts = new List<Concept>();
        foreach (var group in groups)
        {
            var terms = group.SelectMany(w => wordTerms.GetOrAdd(w, x => Tokens(x).Where(t => IsContentTerm(t.Term, t.Type)).Select(t => t.Term).ToList())).Distinct().ToList();
            var weights = group.Select(w => wordFrequency.GetOrAdd(w, WordFrequency)).Where(df => df > 0).Select(IdfOf).ToList();

            // The commonest word of the group decides: a group is only as telling as its plainest member. A word
            // counts by the chunks that hold it as written, not by its bigrams (利用記録 is rare, 利用 is everywhere).
            concepts.Add(new Concept(terms, weights.Count > 0 ? weights.Min() : AbsentIdf, group, Topic: group.Any(w => WithinTopic(normalized, w, topicSpans))));
        }

        var unknown = new SortedDictionary<int, char>();
        var tokens = Tokens(residual);
        var known = tokens.Where(t => IsContentTerm(t.Term, t.Type) && documentFrequency.ContainsKey(t.Term)).ToList();
        foreach (var (term, type, start, end) in tokens)
        {
            if (IsContentTerm(term, type))
            {
                // A bigram spanning two known words (相談|記録 → 談記) is a seam, not a word the guideline lacks.
                var seam = type == CJKBigramFilter.DOUBLE_TYPE && !documentFrequency.ContainsKey(term)
                    && known.Any(k => k.End == start + 1) && known.Any(k => k.Start == end - 1);
                if (seam)
                {
                    continue;
                }

                if (type == CJKBigramFilter.DOUBLE_TYPE && !documentFrequency.ContainsKey(term) && term.All(GuidelineText.IsKanji))
                {
                    // A kanji pair the guideline never uses (文例, 広報誌) still shares its characters' meaning
                    // with the text (例, 広報), so each kanji is matched on its own; but the pair is a whole word the
                    // guideline lacks (給与, 修理), so it weighs fully: at half weight (measured: 0.5, 0.75, 1) a
                    // question about something else kept too much coverage from its common words.
                    unknown.TryAdd(start, term[0]);
                    unknown.TryAdd(start + 1, term[1]);
                    continue;
                }

                concepts.Add(new Concept([term], Idf(term), [], Topic: InTopic(topicSpans, start, end)));
            }
            else if (type == CJKBigramFilter.SINGLE_TYPE && GuidelineText.IsKanji(term[0]) && IsLone(residual, start, end))
            {
                concepts.Add(new Concept([term], Idf(term) * 0.5, [], Alone: true, Topic: InTopic(topicSpans, start, end))); // a kanji on its own is a word (家, 絵), if a short one
            }
        }

        // A run of unknown kanji (趣味, 土曜日) is one word the guideline lacks: for ranking it weighs as much as its
        // rarest kanji, not as the sum of them all, or one long unknown word would drown what tells sections apart.
        // Whether the guideline answers at all still weighs each kanji fully: a question about a word the
        // guideline lacks (定例会, 文字化け) is most likely about something else.
        foreach (var run in Runs(unknown))
        {
            var weights = run.Select(k => Idf(k.Character.ToString())).ToList();
            var scale = weights.Max() / Math.Max(weights.Sum(), 0.01);
            concepts.AddRange(run.Select((k, i) => new Concept([k.Character.ToString()], weights[i] * scale, [], Alone: true, Topic: InTopic(topicSpans, k.Position, k.Position + 1))
            {
                AnswerWeight = weights[i],
                Unknown = true,
            }));
        }

        // The same word twice (文章 … 文章) is asked about once.
        return concepts.GroupBy(c => (string.Join("|", c.Words.Count > 0 ? c.Words : c.Terms), c.Alone))
            .Select(g => g.First() with { Topic = g.Any(c => c.Topic) }).ToList();
    }

    /// <summary>
    /// The question's topic: the word (a run of kanji, katakana or letters) just before its は or って
    /// (「テレワークの申請は」, 「研修って」, also には, では, とは). What a question is about is what a section must
    /// hold. One kanji alone is not a topic: before って it is a verb (作って, 言って), before は a suffix (使い方は).
    /// </summary>
    private static List<(int Start, int End)> TopicSpans(string normalized)
    {
        var spans = new List<(int Start, int End)>();
        foreach (System.Text.RegularExpressions.Match m in TopicMarker().Matches(normalized))
        {
            var start = m.Index;
            while (start > 0 && GuidelineText.IsContent(normalized[start - 1]))
            {
                start--;
            }

            // 「この資料って」 points at what is at hand (the guideline), it does not name a subject.
            var deictic = start >= 2 && normalized.AsSpan(start - 2, 2) is "この" or "その" or "あの";
            if (m.Index - start >= 2 && !deictic)
            {
                spans.Add((start, m.Index));
            }
        }

        return spans;
    }

    private static bool InTopic(List<(int Start, int End)> topics, int start, int end) => topics.Any(t => start >= t.Start && end <= t.End);

    private static bool WithinTopic(string normalized, string word, List<(int Start, int End)> topics)
    {
        if (topics.Count == 0)
        {
            return false;
        }

        foreach (var form in new[] { word, GuidelineText.ToHiragana(word), GuidelineText.ToKatakana(word) }.Distinct())
        {
            for (var at = normalized.IndexOf(form, StringComparison.Ordinal); at >= 0; at = normalized.IndexOf(form, at + 1, StringComparison.Ordinal))
            {
                if (InTopic(topics, at, at + form.Length))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The counter a question asks a number of (回 for 何回, 円 for いくら), or null. Durations (何日, 何か月) are left to
    /// the 期間 synonym group: a guideline states them in other units (2週間から1か月).
    /// </summary>
    private static string? AmountAsked(string normalized)
    {
        var m = AmountQuestion().Match(normalized);
        return !m.Success ? null : m.Groups[1].Success ? m.Groups[1].Value : "円";
    }

    /// <summary>The text states a number of the counter (1回, 三人).</summary>
    private static bool StatesAmountOf(string text, string counter)
    {
        for (var at = text.IndexOf(counter, StringComparison.Ordinal); at >= 0; at = text.IndexOf(counter, at + 1, StringComparison.Ordinal))
        {
            if (at > 0 && (char.IsAsciiDigit(text[at - 1]) || "一二三四五六七八九十百千万".Contains(text[at - 1], StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    [System.Text.RegularExpressions.GeneratedRegex("(?:何|なん)(回|人|名|台|件|枚|個|円)|いくら")]
    private static partial System.Text.RegularExpressions.Regex AmountQuestion();

    [System.Text.RegularExpressions.GeneratedRegex("(?:[にでと]?は|って)")]
    private static partial System.Text.RegularExpressions.Regex TopicMarker();

    /// <summary>Consecutive positions as runs of characters.</summary>
    private static IEnumerable<List<(int Position, char Character)>> Runs(SortedDictionary<int, char> characters)
    {
        var run = new List<(int Position, char Character)>();
        var last = int.MinValue;
        foreach (var (position, character) in characters)
        {
            if (position != last + 1 && run.Count > 0)
            {
                yield return run;
                run = [];
            }

            run.Add((position, character));
            last = position;
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    /// <summary>
    /// Share of a section's title that the question contains as one run of text (grammar included, so
    /// 「入力してよい情報」 and 「入力してはいけない情報」 differ). Runs under three characters are chance.
    /// </summary>
    private static double TitleOverlap(string question, string title)
    {
        var t = GuidelineText.Normalize(title).Replace(" ", string.Empty, StringComparison.Ordinal);
        var q = question.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (t.Length == 0 || q.Length == 0)
        {
            return 0;
        }

        var longest = 0;
        var previous = new int[q.Length + 1];
        var current = new int[q.Length + 1];
        for (var i = 1; i <= t.Length; i++)
        {
            for (var j = 1; j <= q.Length; j++)
            {
                current[j] = t[i - 1] == q[j - 1] ? previous[j - 1] + 1 : 0;
                longest = Math.Max(longest, current[j]);
            }

            (previous, current) = (current, previous);
        }

        return longest >= 3 ? (double)longest / t.Length : 0;
    }

    private double AbsentIdf => Math.Log(1 + ((chunks.Count + 0.5) / 0.5));

    private static bool IsLone(string text, int start, int end) =>
        (start == 0 || !GuidelineText.IsContent(text[start - 1])) && (end >= text.Length || !GuidelineText.IsContent(text[end]));

    private double Idf(string term) => IdfOf(documentFrequency.GetValueOrDefault(term));

    private double IdfOf(int df) => Math.Log(1 + ((chunks.Count - df + 0.5) / (df + 0.5)));

    private int WordFrequency(string word) => chunkBodies.Count(b => ContainsWord(b, word));

    /// <summary>
    /// Whether a text holds a word as written (in either kana script). A short katakana or Latin word must stand
    /// on its own: ログ is not in ログイン, id not in video, ai not in email.
    /// </summary>
    private static bool ContainsWord(string text, string word)
    {
        var katakana = GuidelineText.ToKatakana(word);
        return GuidelineText.IndexOfWord(text, word) >= 0 || (katakana != word && GuidelineText.IndexOfWord(text, katakana) >= 0);
    }

    /// <summary>A word as written: its bigrams and letter words at their positions (or its one character).</summary>
    /// <remarks>
    /// Every word of a synonym group scores as the group's plainest word would (<paramref name="groupIdf"/>):
    /// otherwise a rare synonym the person never typed (人工知能 for AI) would pull up the one section that uses it.
    /// </remarks>
    private Query WordQuery(string field, string word, double groupIdf)
    {
        var parts = wordParts.GetOrAdd(word, WordParts);
        var wordIdf = parts.Average(p => Idf(p.Term));
        var blend = (float)Math.Min(1, groupIdf / Math.Max(wordIdf, 0.01));
        if (parts.Count == 1)
        {
            return new TermQuery(new Term(field, parts[0].Term)) { Boost = blend };
        }

        // A long word (ハルシネーション, seven bigrams) is one word: it weighs like one, not like seven.
        var phrase = new PhraseQuery { Boost = blend / parts.Count };
        foreach (var (term, position) in parts)
        {
            phrase.Add(new Term(field, term), position);
        }

        return phrase;
    }

    /// <summary>A word's bigrams and letter words with their positions; its first character if it has none.</summary>
    private static List<(string Term, int Position)> WordParts(string word)
    {
        var parts = new List<(string Term, int Position)>();
        var single = (string?)null;
        using (var stream = Analyzer.GetTokenStream(BodyField, word))
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            var type = stream.AddAttribute<ITypeAttribute>();
            var increment = stream.AddAttribute<IPositionIncrementAttribute>();
            stream.Reset();
            var position = -1;
            while (stream.IncrementToken())
            {
                position += increment.PositionIncrement;
                if (type.Type == CJKBigramFilter.SINGLE_TYPE)
                {
                    single ??= term.ToString();
                }
                else
                {
                    parts.Add((term.ToString(), position));
                }
            }

            stream.End();
        }

        if (parts.Count == 0)
        {
            parts.Add((single ?? word, 0));
        }

        return parts;
    }

    private static IEnumerable<(string Term, float Boost)> QueryTerms(string text) =>
        Tokens(text)
            .Where(t => IsContentTerm(t.Term, t.Type))
            .Select(t => t.Term)
            .Distinct()
            .Select(t => (t, 1f));

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

    /// <summary>One thing the question asks about: a term, or a synonym group any of whose words will do.</summary>
    /// <param name="Alone">
    /// A single kanji standing for a word (絵, or half of a pair the guideline never uses): it matches only where
    /// the section also has it on its own, not inside another compound (証 is not found in 認証, 約 not in 契約).
    /// </param>
    /// <param name="Topic">The question is about it: it is part of the word before the question's は or って.</param>
    private sealed record Concept(IReadOnlyList<string> Terms, double Weight, IReadOnlyList<string> Words, bool Alone = false, bool Topic = false)
    {
        /// <summary>Its weight when deciding whether the guideline answers the question at all.</summary>
        public double AnswerWeight { get; init; } = Weight;

        /// <summary>
        /// Part of a word the guideline never uses: its kanji counts where the section uses it as a word of its own
        /// (例 of 文例 in 「表示の例」), not as the stem of a verb (定 of 定例会 in 「定めて」).
        /// </summary>
        public bool Unknown { get; init; }

        public bool Matches(HashSet<string> sectionTerms, string sectionText) =>
            Words.Count > 0
                ? Words.Any(w => ContainsWord(sectionText, w))
                : Alone ? StandsAlone(sectionText, Terms[0][0], Unknown) : Terms.Any(sectionTerms.Contains);

        private static bool StandsAlone(string text, char kanji, bool noun)
        {
            for (var at = text.IndexOf(kanji, StringComparison.Ordinal); at >= 0; at = text.IndexOf(kanji, at + 1))
            {
                if ((at == 0 || !GuidelineText.IsKanji(text[at - 1])) && (at + 1 >= text.Length || !GuidelineText.IsKanji(text[at + 1]))
                    && (!noun || at + 1 >= text.Length || !GuidelineText.IsHiragana(text[at + 1]) || "のをにはがでともやへ".Contains(text[at + 1], StringComparison.Ordinal)))
                {
                    return true;
                }
            }

            return false;
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
