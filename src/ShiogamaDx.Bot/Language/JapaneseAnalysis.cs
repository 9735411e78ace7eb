using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Icu.Segmentation;
using Lucene.Net.Analysis.TokenAttributes;

namespace ShiogamaDx.Bot.Language;

public enum TokenKind
{
    /// <summary>A word of the dictionary segmentation (ICU).</summary>
    Word,

    /// <summary>A katakana word of the dictionary (パスポート), which stands whole: no bigrams are taken of it.</summary>
    LoanWord,

    /// <summary>A word of the city's list, held as its group's first word (じゅうみんひょう → 住民票).</summary>
    Concept,

    /// <summary>A concept that says what to do, not about what (作りたい, 捨てる).</summary>
    Action,

    /// <summary>A word of the city's filler list (したい, 教えて): nothing about what is asked.</summary>
    Filler,

    /// <summary>A one-character hiragana word between words of kanji, katakana or letters (の, な, を): grammar.</summary>
    Particle,
}

/// <param name="Text">The matching key (<see cref="JapaneseText.Normalize"/>); for a concept, its group's first word.</param>
/// <param name="Surface">The words as written (folded: katakana kept), for showing and for tests.</param>
public sealed record Token(string Text, string Surface, TokenKind Kind)
{
    public bool IsConcept => Kind is TokenKind.Concept or TokenKind.Action;
}

/// <summary>A question or passage analysed once: its tokens in order and the runs of text between the city's words.</summary>
/// <param name="Normalized">The whole text's matching key.</param>
/// <param name="Runs">
/// Stretches of words between concepts, fillers, particles, katakana words and breaks (spaces, punctuation), as
/// matching keys: character bigrams are taken within a run, never across a removed word, so they catch what the
/// dictionary splits badly (hiragana-only input, typos: じゅうみんぴょう). Katakana words stand only as words.
/// </param>
public sealed record AnalyzedText(string Normalized, IReadOnlyList<Token> Tokens, IReadOnlyList<string> Runs)
{
    /// <summary>The text as it was given (what is read whole, such as another institution's name before の).</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>The words that carry meaning, in order: concepts and dictionary words, fillers and particles left out.</summary>
    public IEnumerable<string> Words => Tokens.Where(t => t.Kind is not (TokenKind.Filler or TokenKind.Particle)).Select(t => t.Text);

    public IEnumerable<Token> Concepts => Tokens.Where(t => t.IsConcept);

    /// <summary>
    /// The city's words that begin inside a concept of the text, other than it (納税証明書: 税 → 税金, 証明書): a compound
    /// read as one word hides them, though it is about them too. Actions are not counted (印鑑登録 is no 登録 request).
    /// </summary>
    public IReadOnlyList<string> Parts { get; init; } = [];

    /// <summary>
    /// The index of the first run that is the text's ending: the hiragana going on from its last city word, without a
    /// particle, to the end (ひっこし|するんだけど). <see cref="Runs"/>.Count when there is none.
    /// </summary>
    public int EndingFrom { get; init; } = int.MaxValue;

    /// <summary>Character bigrams of every run; a one-character run as itself.</summary>
    public IEnumerable<string> Bigrams() => Runs.SelectMany(JapaneseAnalysis.Bigrams);
}

/// <summary>
/// The one Japanese analysis of the bot. Text is folded (<see cref="JapaneseText.Fold"/>), segmented with ICU's
/// dictionary (Lucene.Net.ICU's <see cref="ICUTokenizer"/>: 住民票をオンラインで取りたい → 住民 | 票 | を | オンライン | で |
/// 取り | たい), turned into matching keys, then the city's words are found over the keys (longest first, across
/// dictionary boundaries: the list knows 住民票 and じゅうみんひょう, the dictionary does not) and its fillers are
/// dropped where they stand as whole words. Every feature that matches Japanese uses this, so a word is read the
/// same way in a question, a catalog entry and a guideline.
/// </summary>
public sealed class JapaneseAnalysis : IDisposable
{
    // The one-kana particles of Japanese (a closed class).
    private const string Particles = "をがはにでへともやかねよのな";

    // How the inflection and auxiliaries of a word begin when they follow it directly (a closed class of grammar):
    // する, すんだ, した, して, します, しよう, た, だ, て, った, ん(です), ます, ました, こと(になりました). A word written in
    // hiragana after it with its particle left out (いんかんしょうめい, すいどうしゅうり) begins otherwise, and is kept.
    private static readonly string[] EndingOpenings = ["する", "すん", "した", "して", "しま", "しよ", "た", "だ", "て", "っ", "ん", "ます", "まし", "こと"];

    private readonly IcuSegmenter segmenter = new();

    // The last text a Lucene field was made of: a passage's words and bigrams fields are the same text, given to
    // Lucene one after the other, and analysed once. (A question is analysed once by its turn: Turn.Analyzed.)
    private FieldText? lastField;

    public JapaneseAnalysis(CityWords words)
    {
        CityWords = words;
        WordsAnalyzer = TermsAnalyzer(a => a.Words);
        BigramsAnalyzer = TermsAnalyzer(a => a.Bigrams());
    }

    /// <summary>The dictionary segmentation alone, with no word list.</summary>
    public static JapaneseAnalysis Plain { get; } = new(CityWords.Empty);

    public CityWords CityWords { get; }

    /// <summary>A Lucene analyzer whose terms are <see cref="AnalyzedText.Words"/>: the field for precision.</summary>
    public Analyzer WordsAnalyzer { get; }

    /// <summary>A Lucene analyzer whose terms are <see cref="AnalyzedText.Bigrams"/>: the field for recall.</summary>
    public Analyzer BigramsAnalyzer { get; }

    /// <summary>
    /// A Lucene analyzer whose terms are what <paramref name="terms"/> takes of the analysis (a field of its own, such as
    /// the guideline's, which adds the city's words as written). The caller disposes it.
    /// </summary>
    public Analyzer TermsAnalyzer(Func<AnalyzedText, IEnumerable<string>> terms) => new AnalysisAnalyzer(this, terms);

    public AnalyzedText Analyze(string? text)
    {
        var folded = JapaneseText.Fold(text);
        if (folded.Length == 0)
        {
            return new AnalyzedText(string.Empty, [], []) { Source = text ?? string.Empty };
        }

        // The keys of the dictionary's words, joined: where each key character came from, where words begin,
        // and where a break (space, punctuation) stood before a word.
        var key = new StringBuilder(folded.Length);
        var origin = new List<int>(folded.Length);
        var wordStart = new List<bool>(folded.Length);
        var breakBefore = new List<bool>(folded.Length);
        var lastEnd = 0;
        foreach (var (start, end) in JoinSplitLoanWords(folded, segmenter.Segment(folded)))
        {
            var first = true;
            for (var i = start; i < end; i++)
            {
                if (!JapaneseText.TryKey(folded[i], out var k))
                {
                    continue;
                }

                key.Append(k);
                origin.Add(i);
                wordStart.Add(first);
                breakBefore.Add(first && key.Length > 1 && folded.AsSpan(lastEnd, start - lastEnd).Contains(' '));
                first = false;
            }

            lastEnd = end;
        }

        var n = key.ToString();
        var cover = BestCover();
        var tokens = new List<Token>();
        var parts = new List<string>();
        var runs = new List<string>();
        var runStarts = new List<int>();
        var run = new StringBuilder();
        var runFrom = 0;
        var word = new StringBuilder();
        var wordFrom = 0;
        var lastConceptEnd = -1;
        var at = 0;
        while (at < n.Length)
        {
            if (CoveringWord(at) is var (length, concept))
            {
                EndWord();
                EndRun();
                tokens.Add(new Token(concept, Surface(at, at + length), CityWords.IsAction(concept) ? TokenKind.Action : TokenKind.Concept));
                AddParts(at, length, concept);
                at += length;
                lastConceptEnd = at;
                continue;
            }

            if (CoveringFiller(at) is { } filler)
            {
                EndWord();
                EndRun();
                tokens.Add(new Token(filler, Surface(at, at + filler.Length), TokenKind.Filler));
                at += filler.Length;
                continue;
            }

            if (wordStart[at])
            {
                EndWord();
                if (breakBefore[at])
                {
                    EndRun();
                }

                if (IsParticle(at))
                {
                    EndRun();
                    tokens.Add(new Token(n[at].ToString(), Surface(at, at + 1), TokenKind.Particle));
                    at++;
                    continue;
                }

                if (LoanWordEnd(at) is { } end)
                {
                    EndRun();
                    tokens.Add(new Token(n[at..end], Surface(at, end), TokenKind.LoanWord));
                    at = end;
                    continue;
                }
            }

            if (word.Length == 0)
            {
                wordFrom = at;
            }

            if (run.Length == 0)
            {
                runFrom = at;
            }

            word.Append(n[at]);
            run.Append(n[at]);
            at++;
        }

        EndWord();
        EndRun();
        return new AnalyzedText(n, tokens, runs) { Source = text!, Parts = parts, EndingFrom = EndingFrom() };

        // The hiragana that goes on from the last of the city's words to the end of the text, without a particle, is that
        // word's inflection and the sentence's ending (ひっこし|するんだけど, うまれ|たんですが, 結婚|することになりました):
        // mostly grammar, whose pairs (んだ, だけ, とに, まし) are shared with whatever entry says something in the same
        // tone, though its tense may still tell something (生まれました). Its runs are the last ones, marked as the ending.
        int EndingFrom()
        {
            if (lastConceptEnd <= 0 || lastConceptEnd >= n.Length || !EndingOpenings.Any(o => n.AsSpan(lastConceptEnd).StartsWith(o, StringComparison.Ordinal)))
            {
                return runs.Count;
            }

            for (var i = lastConceptEnd; i < n.Length; i++)
            {
                if (!JapaneseText.IsHiragana(folded[origin[i]]))
                {
                    return runs.Count;
                }
            }

            var first = runs.Count;
            while (first > 0 && runStarts[first - 1] >= lastConceptEnd)
            {
                first--;
            }

            return first;
        }

        void AddParts(int from, int length, string concept)
        {
            for (var i = from; i < from + length; i++)
            {
                foreach (var (partLength, part) in WordsAt(i))
                {
                    if ((i == from && partLength == length) || part == concept || CityWords.IsAction(part) || parts.Contains(part))
                    {
                        continue;
                    }

                    parts.Add(part);
                }
            }
        }

        string Surface(int from, int to) => folded[origin[from]..(origin[to - 1] + 1)];

        void EndWord()
        {
            if (word.Length > 0)
            {
                tokens.Add(new Token(word.ToString(), Surface(wordFrom, wordFrom + word.Length), TokenKind.Word));
                word.Clear();
            }
        }

        void EndRun()
        {
            if (run.Length > 0)
            {
                runs.Add(run.ToString());
                runStarts.Add(runFrom);
                run.Clear();
            }
        }

        // The most characters of the key that the city's words and fillers can cover, from each position on. Taking the
        // first (longest) word at each position loses words: inside hiragana the first word may eat the start of a
        // better one (とくていけんしん: いけん 意見 before けんしん 健診), and a longer filler may begin with a shorter
        // word (あなた: あな 穴). So a word or filler is taken only where it is part of a best cover of what follows.
        int[] BestCover()
        {
            var best = new int[n.Length + 1];
            for (var i = n.Length - 1; i >= 0; i--)
            {
                // A character may be left out for a better cover only inside hiragana, where nothing marks where a
                // word begins. In kanji or katakana a word of the list that begins here is read (要介護認定: 要介護 and
                // 認定, not 要 and 介護認定, which lost the procedure's 認定 to the guide's 電話で相談).
                best[i] = JapaneseText.IsHiragana(folded[origin[i]]) || (!WordsAt(i).Any() && !FillersAt(i).Any()) ? best[i + 1] : 0;
                foreach (var (length, _) in WordsAt(i))
                {
                    best[i] = Math.Max(best[i], length + best[i + length]);
                }

                foreach (var filler in FillersAt(i))
                {
                    best[i] = Math.Max(best[i], filler.Length + best[i + filler.Length]);
                }
            }

            return best;
        }

        // The longest city word at a position that is part of a best cover; a city word before a filler of the same cover.
        (int Length, string Concept)? CoveringWord(int i)
        {
            foreach (var (length, concept) in WordsAt(i))
            {
                if (length + cover[i + length] == cover[i])
                {
                    return (length, concept);
                }
            }

            return null;
        }

        string? CoveringFiller(int i)
        {
            foreach (var filler in FillersAt(i))
            {
                if (filler.Length + cover[i + filler.Length] == cover[i])
                {
                    return filler;
                }
            }

            return null;
        }

        // The city's words at a position; a word written in katakana or with long vowels (タクシー) only where the text is
        // written so (タクシ, たくしー), never inside hiragana (わたくし).
        IEnumerable<(int Length, string Concept)> WordsAt(int i)
        {
            foreach (var (length, concept, kana) in CityWords.MatchesAt(n, i))
            {
                if (!kana || WrittenAsLoanWord(i, i + length))
                {
                    yield return (length, concept);
                }
            }
        }

        bool WrittenAsLoanWord(int from, int to)
        {
            var last = origin[to - 1];
            for (var c = origin[from]; c <= last; c++)
            {
                if (JapaneseText.IsKatakana(folded[c]) || folded[c] == 'ー')
                {
                    return true;
                }
            }

            return last + 1 < folded.Length && folded[last + 1] == 'ー';
        }

        // Fillers count where they are whole words (の of のうふ is not a particle), longest first.
        IEnumerable<string> FillersAt(int i)
        {
            if (!wordStart[i])
            {
                yield break;
            }

            foreach (var filler in CityWords.Fillers)
            {
                var end = i + filler.Length;
                if (end <= n.Length && (end == n.Length || wordStart[end]) && string.CompareOrdinal(n, i, filler, 0, filler.Length) == 0
                    && (filler.Length > 1 || NotInAWord(i)))
                {
                    yield return filler;
                }
            }
        }

        // の in 手続の数, not み of じゅう|み|ん|ひょう: the dictionary splits hiragana-only text into pieces. A particle
        // standing alone between spaces (じゅうみんひょう を とりたい) is one too, whatever is written around it; another
        // kana alone is a word (ごみ を だす ひ: 日).
        bool IsParticle(int i) =>
            JapaneseText.IsHiragana(n[i]) && (i + 1 == n.Length || wordStart[i + 1])
            && (((i == 0 || !JapaneseText.IsHiragana(n[i - 1])) && (i + 1 == n.Length || !JapaneseText.IsHiragana(n[i + 1])))
                || (i > 0 && breakBefore[i] && (i + 1 == n.Length || breakBefore[i + 1]) && Particles.Contains(n[i], StringComparison.Ordinal)));

        // A one-kana filler (も, を, の) never begins a phrase: at the start of the text or after a space, with hiragana
        // going on (も|らい|たい: the dictionary cut a word of hiragana), it is part of that word.
        bool NotInAWord(int i) =>
            !((i == 0 || breakBefore[i]) && i + 1 < n.Length && !breakBefore[i + 1] && JapaneseText.IsHiragana(folded[origin[i + 1]]));

        // A katakana word of the dictionary stands as a word, never as bigrams: ICU reads a katakana run whole, and
        // bigrams of loan words meet where the words do not (サポート and パスポート share ぽと).
        int? LoanWordEnd(int from)
        {
            var end = from + 1;
            while (end < n.Length && !wordStart[end])
            {
                end++;
            }

            for (var i = from; i < end; i++)
            {
                if (!JapaneseText.IsKatakana(folded[origin[i]]) || WordsAt(i).Any())
                {
                    return null;
                }
            }

            return end - from >= 2 ? end : null;
        }
    }

    /// <summary>
    /// A katakana word whose long vowels were not typed (or were dropped by a normalisation) is not in the dictionary:
    /// ICU cuts it into pieces (リダ → リ | ダ, デタ → デ | タ) that match nothing. Adjacent katakana pieces, one of them a
    /// single kana and none longer than two, with no long vowel among them, are read as one word again (its key is the
    /// key of リーダー). Katakana written with its long vowels, or cut into longer pieces (セキュリティ | ポリシ), is left
    /// as the dictionary cut it.
    /// </summary>
    internal static List<(int Start, int End)> JoinSplitLoanWords(string text, List<(int Start, int End)> spans)
    {
        var result = new List<(int Start, int End)>(spans.Count);
        for (var i = 0; i < spans.Count; i++)
        {
            var last = i;
            while (last + 1 < spans.Count && spans[last + 1].Start == spans[last].End && IsKatakana(spans[last]) && IsKatakana(spans[last + 1]))
            {
                last++;
            }

            var (start, end) = (spans[i].Start, spans[last].End);
            var pieces = spans.Skip(i).Take(last - i + 1).ToList();
            if (last > i && !text.AsSpan(start, end - start).Contains('ー') && pieces.Any(s => s.End - s.Start == 1) && pieces.All(s => s.End - s.Start <= 2))
            {
                result.Add((start, end));
            }
            else
            {
                result.AddRange(spans.Skip(i).Take(last - i + 1));
            }

            i = last;
        }

        return result;

        bool IsKatakana((int Start, int End) span)
        {
            for (var c = span.Start; c < span.End; c++)
            {
                if (!JapaneseText.IsKatakana(text[c]))
                {
                    return false;
                }
            }

            return span.End > span.Start;
        }
    }

    /// <summary>Character bigrams of one run; a one-character run as itself.</summary>
    public static IEnumerable<string> Bigrams(string run)
    {
        if (run.Length == 1)
        {
            yield return run;
            yield break;
        }

        for (var i = 0; i + 1 < run.Length; i++)
        {
            yield return run.Substring(i, 2);
        }
    }

    private sealed record FieldText(string Text, AnalyzedText Analysis);

    private AnalyzedText AnalyzeField(string text)
    {
        if (Volatile.Read(ref lastField) is { } kept && string.Equals(kept.Text, text, StringComparison.Ordinal))
        {
            return kept.Analysis;
        }

        var analyzed = Analyze(text);
        Volatile.Write(ref lastField, new FieldText(text, analyzed));
        return analyzed;
    }

    public void Dispose()
    {
        segmenter.Dispose();
        WordsAnalyzer.Dispose();
        BigramsAnalyzer.Dispose();
    }

    /// <summary>ICU dictionary segmentation; Lucene's analyzer keeps one tokenizer per thread.</summary>
    private sealed class IcuSegmenter : IDisposable
    {
        private readonly Analyzer icu = Analyzer.NewAnonymous((_, reader) => new TokenStreamComponents(new ICUTokenizer(reader)));

        public List<(int Start, int End)> Segment(string text)
        {
            var spans = new List<(int, int)>();
            using var stream = icu.GetTokenStream("text", text);
            var offset = stream.AddAttribute<IOffsetAttribute>();
            stream.Reset();
            while (stream.IncrementToken())
            {
                spans.Add((offset.StartOffset, offset.EndOffset));
            }

            stream.End();
            return spans;
        }

        public void Dispose() => icu.Dispose();
    }

    /// <summary>Terms of the analysis for a Lucene field. Offsets are not kept (the fields are for matching).</summary>
    private sealed class AnalysisAnalyzer(JapaneseAnalysis analysis, Func<AnalyzedText, IEnumerable<string>> terms) : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader) =>
            new(new AnalysisTokenizer(reader, analysis, terms));
    }

    private sealed class AnalysisTokenizer : Tokenizer
    {
        private readonly JapaneseAnalysis analysis;
        private readonly Func<AnalyzedText, IEnumerable<string>> select;
        private readonly ICharTermAttribute term;
        private List<string> terms = [];
        private int next;

        public AnalysisTokenizer(TextReader reader, JapaneseAnalysis analysis, Func<AnalyzedText, IEnumerable<string>> select)
            : base(reader)
        {
            this.analysis = analysis;
            this.select = select;
            term = AddAttribute<ICharTermAttribute>();
        }

        public override bool IncrementToken()
        {
            ClearAttributes();
            if (next >= terms.Count)
            {
                return false;
            }

            term.SetEmpty().Append(terms[next++]);
            return true;
        }

        public override void Reset()
        {
            base.Reset();
            terms = select(analysis.AnalyzeField(m_input.ReadToEnd())).ToList();
            next = 0;
        }
    }
}
