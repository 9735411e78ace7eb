using System.Collections.Concurrent;
using System.Globalization;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>A section found for a question: its rank score, and the share of the question it holds (0..1).</summary>
internal sealed record RankedSection(GuidelineSection Section, float Score, double Coverage, IReadOnlySet<string> MatchedTerms)
{
    /// <summary>
    /// The share of the question's words the documents write anywhere that this section holds (1 when the section holds
    /// every one of them): a word no section writes (a paraphrase: ステップ, 大事) lowers <see cref="Coverage"/> but not this.
    /// </summary>
    public double KnownCoverage { get; init; } = Coverage;
}

/// <summary>What retrieval found: sections best first, and the question's weighted words (for quoting).</summary>
/// <param name="OnTopic">The question names the guideline's subject (<see cref="GuidelinesOptions.TopicWords"/>).</param>
/// <param name="General">
/// Every word of the question is found in a large share of the passages (「生成AIを業務で使ってもいいですか」): nothing
/// in it tells one section from another, so no section is shown to answer it.
/// </param>
internal sealed record GuidelineSearch(IReadOnlyList<RankedSection> Sections, IReadOnlyDictionary<string, double> QueryTerms, bool OnTopic, bool General = false)
{
    /// <summary>The sections worth answering from, best first: those holding at least <see cref="GuidelinesOptions.MinCoverage"/> of the question.</summary>
    public IReadOnlyList<RankedSection> Confident(GuidelinesOptions options, int max = 3) =>
        General ? [] : Sections.Where(s => s.Coverage >= options.MinCoverage).Take(max).ToList();
}

/// <summary>
/// Retrieval over guideline passages (a section, or a window of paragraphs of a long one), in an in-memory Lucene
/// index rebuilt whole when the documents change. Text goes through the one Japanese analysis (Language/): dictionary
/// words for precision, character bigrams for recall, each for the body and for the heading path. Ranking is BM25
/// times the square of coverage; coverage, the IDF-weighted share of the question's words a section holds (a synonym
/// group counts once, by its commonest word), decides between an answer and the refusal. See docs/guidelines.md.
/// </summary>
internal sealed class GuidelineIndex : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string WordsField = "words";
    private const string BigramsField = "bigrams";
    private const string HeadWordsField = "head_words";
    private const string HeadBigramsField = "head_bigrams";
    private const string IdField = "id";
    private const string FileField = "file";

    // HeadBoost, BigramBoost, CommonShare and the feedback's three are calibrated together with the refusal threshold
    // (GuidelineWeights, docs/guidelines.md "Calibrated weights").
    private readonly GuidelineWeights weights;

    private readonly JapaneseAnalysis analysis;
    private readonly Analyzer analyzer;
    private readonly Analyzer wordsAnalyzer;
    private readonly Analyzer bigramsAnalyzer;
    private readonly RAMDirectory directory;
    private readonly DirectoryReader reader;
    private readonly IndexSearcher searcher;
    private readonly IReadOnlyList<GuidelineChunk> chunks;
    private readonly GuidelineSynonyms synonyms;

    // A document's own synonym groups (「規程.synonyms.txt」 beside 「規程.txt」) with the general ones after them, by file:
    // they apply to that document's sections only.
    private readonly IReadOnlyDictionary<string, GuidelineSynonyms> ownSynonyms;
    private readonly IReadOnlyList<string> topicWords;
    private readonly bool feedback;
    private readonly Dictionary<string, (string Key, HashSet<string> Words)> sectionText = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> sectionPrinted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> sectionHeads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> sectionsHolding = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IReadOnlyList<string>, IReadOnlyList<IReadOnlyList<string>>> phrases = new(ReferenceEqualityComparer.Instance);
    private readonly int[] docToChunk;

    private GuidelineIndex(IReadOnlyList<GuidelineChunk> chunks, GuidelineSynonyms synonyms, IReadOnlyDictionary<string, GuidelineSynonyms> own, IEnumerable<string> topicWords, JapaneseAnalysis analysis, bool feedback, GuidelineWeights weights)
    {
        this.weights = weights;
        this.feedback = feedback;
        this.analysis = analysis;
        this.chunks = chunks;
        this.synonyms = synonyms;
        var files = chunks.Select(c => c.Section.File).ToHashSet(StringComparer.Ordinal);
        ownSynonyms = own.Where(o => files.Contains(o.Key) && o.Value.Groups.Count > 0)
            .ToDictionary(o => o.Key, o => new GuidelineSynonyms([.. o.Value.Groups, .. synonyms.Groups]) { OnlyForUnwrittenWords = o.Value.OnlyForUnwrittenWords, Written = o.Value.Written }, StringComparer.Ordinal);
        this.topicWords = topicWords.Select(JapaneseText.Normalize).Where(w => w.Length > 0).ToList();
        // A city word is indexed as its concept and as written (PassageTerms): the guideline's synonyms look for the latter.
        wordsAnalyzer = PassageTerms.Analyzer(analysis, bigrams: false);
        bigramsAnalyzer = PassageTerms.Analyzer(analysis, bigrams: true);
        analyzer = new PerFieldAnalyzerWrapper(wordsAnalyzer, new Dictionary<string, Analyzer>
        {
            [WordsField] = wordsAnalyzer,
            [HeadWordsField] = wordsAnalyzer,
            [BigramsField] = bigramsAnalyzer,
            [HeadBigramsField] = bigramsAnalyzer,
        });
        directory = new RAMDirectory();
        var config = new IndexWriterConfig(Version, analyzer) { Similarity = new BM25Similarity() };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var chunk in chunks)
            {
                var head = Preamble(chunk.Section) ? string.Empty : string.Join(" ", chunk.Section.HeadingPath.DefaultIfEmpty(chunk.Section.Title));
                writer.AddDocument(
                [
                    new StoredField(IdField, chunk.Id),
                    new StringField(FileField, chunk.Section.File, Field.Store.NO),
                    new TextField(WordsField, chunk.Text, Field.Store.NO),
                    new TextField(BigramsField, chunk.Text, Field.Store.NO),
                    new TextField(HeadWordsField, head, Field.Store.NO),
                    new TextField(HeadBigramsField, head, Field.Store.NO),
                ]);
            }

            writer.Commit();
        }

        // What each section holds, for coverage: its heading path and text as one matching key, and its words.
        foreach (var section in chunks.Select(c => c.Section).DistinctBy(s => s.Key))
        {
            var analyzed = analysis.Analyze(string.Join("\n", Heads(section).Concat(section.Paragraphs)));
            var words = analyzed.Tokens.Select(t => t.Text).ToHashSet(StringComparer.Ordinal);
            words.UnionWith(analyzed.Tokens.Select(Stem).OfType<string>());
            words.UnionWith(PassageTerms.WrittenConcepts(analyzed));
            sectionText[section.Key] = (analyzed.Normalized, words);
            sectionPrinted[section.Key] = GuidelineText.Normalize(string.Join("\n", section.Paragraphs.Concat(section.Footnotes)));
            // Its own heading: 「1 はじめに」 names what 1.1 目的 is part of, not what 1.2 対象者 is.
            sectionHeads[section.Key] = Preamble(section) ? string.Empty : GuidelineText.Normalize(section.Title);
        }

        reader = DirectoryReader.Open(directory);
        searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };

        // Lucene document → passage, read once here instead of loading a stored field for every hit of every question.
        docToChunk = new int[reader.MaxDoc];
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            docToChunk[doc] = reader.Document(doc).GetField(IdField).GetInt32Value()!.Value;
        }

        Sections = chunks.Select(c => c.Section).DistinctBy(s => s.Key).ToList();
    }

    public IReadOnlyList<GuidelineSection> Sections { get; }

    /// <summary>
    /// A section's headings, for its heading field and its coverage: the path and its own title. The text before a
    /// document's first heading (a 規程's title, date and number) has no heading of its own: it is titled by the whole
    /// document's name, which names what every section is about, not what this one says, so it has none.
    /// </summary>
    private static IEnumerable<string> Heads(GuidelineSection section) => Preamble(section) ? [] : section.HeadingPath.Append(section.Title);

    private static bool Preamble(GuidelineSection section) => section.HeadingPath.Count == 0 && section.Title == section.Document;

    public IReadOnlyList<string> Documents => Sections.Select(s => s.Document).Distinct().ToList();

    /// <param name="own">Synonym groups of one document each, by its file (<see cref="GuidelineSection.File"/>): used for that document's sections only.</param>
    public static GuidelineIndex Build(IEnumerable<GuidelineSection> sections, GuidelineSynonyms synonyms, GuidelinesOptions options, JapaneseAnalysis? analysis = null, IReadOnlyDictionary<string, GuidelineSynonyms>? own = null)
    {
        var chunks = new List<GuidelineChunk>();
        foreach (var section in sections)
        {
            foreach (var part in Windows(section.Paragraphs, options.MaxChunkLength))
            {
                chunks.Add(new GuidelineChunk(chunks.Count, section, part));
            }
        }

        return new GuidelineIndex(chunks, synonyms, own ?? new Dictionary<string, GuidelineSynonyms>(), options.TopicWords, analysis ?? JapaneseAnalysis.Plain, options.Feedback, options.Weights);
    }

    public GuidelineSearch Search(string question, int maxSections = 5)
    {
        var normalized = JapaneseText.Normalize(question);
        var onTopic = topicWords.Any(w => normalized.Contains(w, StringComparison.Ordinal));
        if (ownSynonyms.Count == 0)
        {
            var (ranked, concepts, general) = SearchScope(question, synonyms, null);
            return new GuidelineSearch(ranked.Take(maxSections).ToList(), QueryTerms(concepts), onTopic, concepts.Count == 0 || Sections.Count == 0 ? onTopic : general);
        }

        // Each document with synonyms of its own is searched with them, the others with the general list; one ranking.
        var scopes = ownSynonyms.Select(o => SearchScope(question, o.Value, new TermQuery(new Term(FileField, o.Key)))).ToList();
        var rest = new BooleanQuery { { new MatchAllDocsQuery(), Occur.MUST } };
        foreach (var file in ownSynonyms.Keys)
        {
            rest.Add(new TermQuery(new Term(FileField, file)), Occur.MUST_NOT);
        }

        var others = Sections.Any(s => !ownSynonyms.ContainsKey(s.File));
        if (others)
        {
            scopes.Add(SearchScope(question, synonyms, rest));
        }

        var all = scopes.SelectMany(x => x.Concepts).ToList();
        return new GuidelineSearch(
            scopes.SelectMany(x => x.Ranked).OrderByDescending(r => r.Score).Take(maxSections).ToList(),
            QueryTerms(all),
            onTopic,
            all.Count == 0 ? onTopic : scopes.All(x => x.General));
    }

    private static Dictionary<string, double> QueryTerms(IEnumerable<Concept> concepts) =>
        concepts.SelectMany(c => c.Words.Select(w => (w, c.Weight))).GroupBy(x => x.w).ToDictionary(g => g.Key, g => g.Max(x => x.Weight), StringComparer.Ordinal);

    /// <summary>The sections (of the documents <paramref name="only"/> selects, or all) ranked for the question read with these synonyms.</summary>
    private (List<RankedSection> Ranked, List<Concept> Concepts, bool General) SearchScope(string question, GuidelineSynonyms groups, Query? only)
    {
        var concepts = Concepts(question, groups);
        if (concepts.Count == 0 || Sections.Count == 0)
        {
            return ([], concepts, true);
        }

        var query = new BooleanQuery();

        // A verb's kanji counts in coverage only: as a term it would match only where the kanji stands alone.
        foreach (var concept in concepts.Where(c => !c.Inflected))
        {
            // A concept counts once, by its best-matching word: a long synonym group does not outweigh the rest.
            var any = new DisjunctionMaxQuery(0.1f);
            foreach (var word in concept.Words.Where(w => !AskedFor.IsMarker(w) && !SectionKinds.IsMarker(w)))
            {
                any.Add(new TermQuery(new Term(WordsField, word)));
                any.Add(new TermQuery(new Term(HeadWordsField, word)) { Boost = weights.HeadBoost });
                if (Phrase(BigramsField, word, weights.BigramBoost) is { } body)
                {
                    any.Add(body);
                    any.Add(Phrase(HeadBigramsField, word, weights.BigramBoost * weights.HeadBoost)!);
                }
            }

            // A synonym the analysis splits into words (オンライン決済 → おんらいん|決済, コンパクトシティ → こんぱくと|してぃ) is
            // no term of the index, and katakana has no bigrams: it is looked for as its words in a row.
            foreach (var words in concept.Phrases)
            {
                any.Add(WordsPhrase(WordsField, words, 1));
                any.Add(WordsPhrase(HeadWordsField, words, weights.HeadBoost));
            }

            if (any.Disjuncts.Count > 0)
            {
                query.Add(any, Occur.SHOULD);
            }
        }

        var total = concepts.Sum(c => c.Weight);
        var ranked = Rank(query, only, concepts, total);
        if (ranked.Count > 0 && feedback)
        {
            ranked = Feedback(query, only, concepts, total, ranked);
        }

        var general = !concepts.Any(c => Holding(c) <= Math.Max(1, Sections.Count * weights.CommonShare));
        return (ranked.Values.OrderByDescending(r => r.Score).ToList(), concepts, general);
    }

    /// <summary>
    /// Pseudo-relevance feedback: the words the first <see cref="GuidelineWeights.FeedbackSections"/> sections write (kanji words, weighed by
    /// how many of them write it times their rarity), the <see cref="GuidelineWeights.FeedbackWords"/> best, are added to the query at a small
    /// weight (at most <see cref="GuidelineWeights.FeedbackWeight"/> of a word of the question), and the sections are ranked again. Coverage,
    /// and so the refusal, stays the question's own; the added words only order sections that hold the question alike by
    /// the vocabulary of the part of the document the question is about. Measured on the development sets (docs/evaluation.md).
    /// </summary>
    private Dictionary<string, RankedSection> Feedback(Query query, Query? only, List<Concept> concepts, double total, Dictionary<string, RankedSection> ranked)
    {
        var asked = concepts.SelectMany(c => c.Words).ToHashSet(StringComparer.Ordinal);
        var expansion = ranked.Values.OrderByDescending(r => r.Score).Take(weights.FeedbackSections)
            .SelectMany(r => sectionText[r.Section.Key].Words.Where(w => w.Length >= 2 && w.Any(JapaneseText.IsKanji) && !asked.Contains(w)))
            .GroupBy(w => w, StringComparer.Ordinal)
            .Select(g => (Word: g.Key, Weight: g.Count() * Idf(HoldingWord(g.Key))))
            .OrderByDescending(x => x.Weight)
            .ThenBy(x => x.Word, StringComparer.Ordinal)
            .Take(weights.FeedbackWords)
            .ToList();
        if (expansion.Count == 0 || expansion[0].Weight <= 0)
        {
            return ranked;
        }

        var expanded = new BooleanQuery { { query, Occur.SHOULD } };
        foreach (var (word, weight) in expansion)
        {
            expanded.Add(new TermQuery(new Term(WordsField, word)) { Boost = (float)(weights.FeedbackWeight * weight / expansion[0].Weight) }, Occur.SHOULD);
        }

        return Rank(expanded, only, concepts, total);
    }

    private Dictionary<string, RankedSection> Rank(Query query, Query? only, List<Concept> concepts, double total)
    {
        var ranked = new Dictionary<string, RankedSection>(StringComparer.Ordinal);
        var hits = only is null ? searcher.Search(query, 50) : searcher.Search(query, new QueryWrapperFilter(only), 50);
        foreach (var hit in hits.ScoreDocs)
        {
            var section = chunks[docToChunk[hit.Doc]].Section;
            if (ranked.ContainsKey(section.Key))
            {
                continue; // a section ranks by its best passage
            }

            var matched = concepts.Where(c => Holds(section.Key, c)).ToList();
            var coverage = total > 0 ? matched.Sum(c => c.Weight) / total : 0;
            var known = concepts.Where(c => Holding(c) > 0).Sum(c => c.Weight);
            ranked[section.Key] = new RankedSection(section, hit.Score * (float)(coverage * coverage), coverage, matched.SelectMany(c => c.Words).ToHashSet(StringComparer.Ordinal))
            {
                KnownCoverage = known > 0 ? Math.Min(1, matched.Sum(c => c.Weight) / known) : 0,
            };
        }

        return ranked;
    }

    /// <summary>
    /// What a question asks about and whether a section holds it, one concept each (for the evaluation output and for
    /// whoever extends the synonym list): word, weight, the number of sections holding it, + or - for the section.
    /// </summary>
    public string Explain(string question, GuidelineSection? section) =>
        string.Join(" ", Concepts(question, section is not null && ownSynonyms.TryGetValue(section.File, out var own) ? own : synonyms).Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Words[0]}{(c.Words.Count > 1 ? "…" : string.Empty)}:{c.Weight:0.0}/{Holding(c)}{(section is null ? string.Empty : Holds(section.Key, c) ? "+" : "-")}")));

    /// <summary>The words of a piece of text (for quoting the paragraphs that answer).</summary>
    public IReadOnlySet<string> ContentTerms(string text) => analysis.Analyze(text).Words.ToHashSet(StringComparer.Ordinal);

    public void Dispose()
    {
        reader.Dispose();
        directory.Dispose();
        analyzer.Dispose();
        wordsAnalyzer.Dispose();
        bigramsAnalyzer.Dispose();
    }

    /// <summary>
    /// The question's concepts: each synonym group it mentions (any of its words will do), and each other word of
    /// the analysis that carries content, weighted by rarity across sections (IDF). Question framing (何, 教えて, 大丈夫)
    /// is left out. A word no section holds weighs most: a question about something else is refused.
    /// </summary>
    private List<Concept> Concepts(string question, GuidelineSynonyms synonyms)
    {
        // What the question asks for (何日, 何人, いくら): a section answering it states such a quantity.
        var (asked, rest) = AskedFor.Find(GuidelineText.Normalize(question));
        // What kind of section it asks for (なぜ → the background, 誰 → the organisation): its headings name it.
        var (kinds, unasked) = SectionKinds.Find(rest);
        var (groups, residual) = synonyms.Find(unasked, synonyms.OnlyForUnwrittenWords ? w => HoldingWord(JapaneseText.Normalize(w)) > 0 : null);
        residual = QuestionWords.Blank(residual);
        var concepts = asked.Concat(kinds).Select(a => new Concept([a])).ToList();
        foreach (var group in groups)
        {
            var words = group.Select(JapaneseText.Normalize).Where(w => w.Length > 0).Distinct().ToList();
            if (words.Count > 0)
            {
                concepts.Add(new Concept(words) { Phrases = synonyms.OnlyForUnwrittenWords ? Phrases(group, synonyms.Written) : [] });
            }
        }

        var tokens = analysis.Analyze(GuidelineText.WithLongVowels(question, residual)).Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == TokenKind.Filler)
            {
                continue;
            }

            // A verb or adjective written with one kanji (泊まる, 解かれ, 開け, 遅く) or a word of one kanji and kana (漏えい)
            // counts by its kanji, as part of the words that write it (宿泊, 解除, 開設, 漏洩).
            // One kanji followed by kana other than a particle is the stem of a verb as well (使|って, 作|った).
            var next = i + 1 < tokens.Count ? tokens[i + 1].Surface : string.Empty;
            var stem = Stem(token);
            var inflected = stem is null
                || (stem.Length == 1 && token.Kind == TokenKind.Word && next.Length > 0 && JapaneseText.IsHiragana(next[0]) && !"のをにはがでともやへ".Contains(next[0], StringComparison.Ordinal));
            var word = inflected ? KanjiOf(token) : stem;
            if (word is null || concepts.Any(c => c.Words.Contains(word)))
            {
                continue;
            }

            concepts.Add(new Concept([word], inflected));
        }

        // A group is as telling as its commonest word. A verb's kanji that no section writes says nothing of the topic
        // (遅く, 少ない): it is left out rather than weighing most, as an unknown noun does.
        // Likewise a question asking what a word means, of a document that defines no word: it has no glossary to weigh.
        return concepts
            .Where(c => (!c.Inflected && !AskedFor.IsMeaning(c.Words[0]) && !SectionKinds.IsMarker(c.Words[0])) || Holding(c) > 0)
            .Select(c => c with { Weight = Idf(Holding(c)) * (SectionKinds.IsMarker(c.Words[0]) ? weights.KindWeight : 1) })
            .ToList();
    }

    /// <summary>
    /// What a word says without its grammar: kanji, katakana, letters and digits, the kana endings dropped (決める →
    /// 決, 受け付け → 受付); a word of hiragana only (したら, ところ) is grammar and says nothing, as the content
    /// words of Japanese are written in kanji or katakana.
    /// </summary>
    private static string? Stem(Language.Token token)
    {
        if (token.Kind == TokenKind.Concept)
        {
            return token.Text;
        }

        // One kanji left of a verb (作 of 作った, 書 of 書く) is not a word of its own (the caller counts it as a kanji); one
        // standing alone (絵) is.
        var stem = JapaneseText.Normalize(string.Concat(token.Surface.Where(c => !JapaneseText.IsHiragana(c))));
        return stem.Any(char.IsLetterOrDigit) && (stem.Length > 1 || token.Surface.Length == 1) ? stem : null;
    }

    /// <summary>The one kanji of a word written with one kanji and kana (泊 of 泊まる, 漏 of 漏えい), or null.</summary>
    private static string? KanjiOf(Language.Token token)
    {
        var kanji = token.Surface.Where(JapaneseText.IsKanji).ToList();
        return kanji.Count == 1 && token.Surface.All(c => JapaneseText.IsKanji(c) || JapaneseText.IsHiragana(c))
            ? JapaneseText.Normalize(kanji[0].ToString())
            : null;
    }

    private bool Holds(string sectionKey, Concept concept)
    {
        var (key, words) = sectionText[sectionKey];
        return concept.Words.Any(w => AskedFor.IsMarker(w) ? AskedFor.States(w, sectionPrinted[sectionKey])
            : SectionKinds.IsMarker(w) ? SectionKinds.Names(w, sectionHeads[sectionKey])
            : HeldIn(w, key, words));
    }

    /// <summary>
    /// A word with a kanji, or of three characters or more, is held wherever it is written (申請 in 申請書, 泊 in 宿泊,
    /// 所 in 避難所: a kanji keeps its meaning in the words it writes, and one a few sections write weighs by that);
    /// a short kana or Latin word only as a word of its own (ログ is not in ログイン, id not in android). A verb's stem is
    /// also held where the section writes the verb with its kana (切替 of 切り替えた in 切り替え): the words of a section
    /// include their stems.
    /// </summary>
    private static bool HeldIn(string word, string key, HashSet<string> words) =>
        word.Length >= 3 || (word.Length == 2 && word.Any(JapaneseText.IsKanji)) || (word.Length == 1 && JapaneseText.IsKanji(word[0]))
            ? key.Contains(word, StringComparison.Ordinal) || words.Contains(word)
            : words.Contains(word);

    private int Holding(Concept concept) => concept.Words.Select(HoldingWord).DefaultIfEmpty(0).Max();

    private int HoldingWord(string word) =>
        sectionsHolding.GetOrAdd(word, w => AskedFor.IsMarker(w)
            ? sectionPrinted.Values.Count(p => AskedFor.States(w, p))
            : SectionKinds.IsMarker(w) ? sectionHeads.Values.Count(h => SectionKinds.Names(w, h))
            : sectionText.Values.Count(s => HeldIn(w, s.Key, s.Words)));

    private double Idf(int holding) => Math.Log(1 + ((Sections.Count - holding + 0.5) / (holding + 0.5)));

    /// <summary>The group's words that the analysis reads as more than one word, each as those words (analysed once per index).</summary>
    private IReadOnlyList<IReadOnlyList<string>> Phrases(IReadOnlyList<string> group, IReadOnlyDictionary<string, string> written) =>
        phrases.GetOrAdd(group, g => [.. g.Select(w => (IReadOnlyList<string>)[.. analysis.Analyze(written.GetValueOrDefault(w, w)).Words]).Where(t => t.Count > 1)]);

    private static PhraseQuery WordsPhrase(string field, IReadOnlyList<string> words, float boost)
    {
        var phrase = new PhraseQuery { Boost = boost };
        foreach (var word in words)
        {
            phrase.Add(new Term(field, word));
        }

        return phrase;
    }

    /// <summary>A word as its bigrams in a row (or its one character), so it matches however the text was segmented.</summary>
    private static PhraseQuery? Phrase(string field, string word, float boost)
    {
        var grams = JapaneseAnalysis.Bigrams(word).ToList();
        if (grams.Count == 0)
        {
            return null;
        }

        var phrase = new PhraseQuery { Boost = boost };
        for (var i = 0; i < grams.Count; i++)
        {
            phrase.Add(new Term(field, grams[i]), i);
        }

        return phrase;
    }

    /// <summary>Paragraph windows no longer than the limit (a single longer paragraph stays whole).</summary>
    private static IEnumerable<IReadOnlyList<string>> Windows(IReadOnlyList<string> paragraphs, int maxLength)
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

    /// <summary>One thing the question asks about: a word, or a synonym group any of whose words will do.</summary>
    /// <param name="Inflected">A verb's or adjective's kanji (泊 of 泊まる), not a word of the question as written.</param>
    private sealed record Concept(IReadOnlyList<string> Words, bool Inflected = false)
    {
        public double Weight { get; init; }

        /// <summary>A synonym group's words that are several words of the index, as those words (the plan's groups only).</summary>
        public IReadOnlyList<IReadOnlyList<string>> Phrases { get; init; } = [];
    }
}
