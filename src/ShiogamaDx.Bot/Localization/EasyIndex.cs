using System.Runtime.CompilerServices;
using ShiogamaDx.Bot.Language;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// The catalog as a やさしい日本語 resident says it: each procedure's own fields, and beside them its easy version
/// (name, everyday words, text) from Content/languages/easy.yaml, read with the one Japanese analysis. An easy version
/// is written in the plain words and hiragana such a resident types (かぞくが なくなった, おおきい ごみ), so a question
/// with no kanji the catalog shares still reaches the procedure. The city edits those words as content.
/// </summary>
public sealed partial class EasyIndex
{
    private const double NameBoost = 3.0;
    private const double KeywordBoost = 3.0;
    private const double TextBoost = 1.0;
    private const double ReadingBoost = 0.8; // a field read aloud: a little less sure than its own words

    /// <summary>How much a phrase of the easy version found whole in the question lifts its entry (times the share of the question it is).</summary>
    private const double PhraseWeight = 1.0;

    private readonly FieldIndex<Procedure> index;
    private readonly JapaneseAnalysis analysis;

    // Every text the index reads (the catalog's fields, their readings, the easy versions), normalised: a word found
    // in it is one the city uses, not a place's name.
    private readonly string known;

    // The pack's words for another city (elsewhere:), and the verbs its phrases go there with (ひっこ of ほかの まちへ ひっこす).
    private readonly string? elsewhere;
    private readonly List<string> moving = [];

    // Each procedure's easy name and keywords as phrases: their words, in order (see Pieces and Forms).
    private readonly Dictionary<Procedure, List<string[]>> phrases = [];

    // The pack's framing words (function-words:), longest first.
    private readonly string[] framing;

    public EasyIndex(LanguagePack easy, IReadOnlyList<Procedure> procedures, JapaneseAnalysis analysis)
    {
        framing = [.. easy.FunctionWords.OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal)];
        foreach (var p in procedures)
        {
            if (easy.Procedures.GetValueOrDefault(p.Id) is { } written)
            {
                var own = new[] { written.Name }.Concat(written.Keywords).OfType<string>().SelectMany(Forms).ToList();
                if (own.Count > 0)
                {
                    phrases[p] = own;
                }
            }
        }

        var words = easy.Readings.Keys.OrderByDescending(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).ToList();
        IEnumerable<(string Text, double Boost)> Fields(Procedure p)
        {
            foreach (var (own, boost) in ProcedureIndex.Fields(p))
            {
                yield return (own, boost);
                var read = Read(own, words, easy.Readings);
                if (read != own)
                {
                    yield return (read, boost * ReadingBoost);
                }
            }

            if (easy.Procedures.GetValueOrDefault(p.Id) is not { } version)
            {
                yield break;
            }

            if (version.Name is { } name)
            {
                yield return (name, NameBoost);
            }

            foreach (var keyword in version.Keywords)
            {
                yield return (keyword, KeywordBoost);
            }

            if (version.Text is { } text)
            {
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    yield return (line, TextBoost);
                }
            }
        }

        index = new FieldIndex<Procedure>(procedures, analysis, Fields, p => p.Position);
        this.analysis = analysis;
        known = JapaneseText.Normalize(string.Join('\n', procedures.SelectMany(p => Fields(p).Select(f => f.Text)).Concat(easy.Readings.Keys)));
        elsewhere = easy.Elsewhere;
        if (elsewhere is not null && Pieces(elsewhere) is { } other)
        {
            // The closing verb of each name or keyword that holds the words for another city, when it says more than one kana (not き of きた).
            moving.AddRange(phrases.Values.SelectMany(own => own)
                .Where(p => p.Length > other.Length && Share(string.Concat(p), other) > 0 && p[^1].Length >= 2)
                .Select(p => p[^1])
                .Distinct(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// The question without the pack's framing words (<c>function-words:</c> しやくしょ, まどぐち): they say where a
    /// resident asks, not what about, yet both indexes read them as rare (only the city's job offer holds しやくしょ in a
    /// keyword, 市役所で働く), so a question about anything else done at the city hall went there. The same text when
    /// nothing of two letters would be left (しやくしょ alone).
    /// </summary>
    public string WithoutFraming(string text)
    {
        var rest = framing.Aggregate(text, (t, word) => t.Replace(word, " ", StringComparison.Ordinal));
        return rest.Count(char.IsLetter) >= 2 ? rest : text;
    }

    /// <summary>
    /// A question of moving that names a place the city's words do not hold, before に, へ or から (とうきょう に
    /// ひっこします, よこはま から ひっこして きました), read with the pack's words for another city in its stead (ほかの
    /// まちへ, ほかの まちから): the easy versions say moving out and in that way, and a place's name is no word of them.
    /// A word the catalog, its readings or the easy versions use (ちかく, しやくしょ, しおがま) or the city's dictionary
    /// knows is no place; nor is one in a question without a verb of moving the pack's phrases go to another city with.
    /// </summary>
    internal string ReadElsewhere(string text)
    {
        if (elsewhere is null || moving.Count == 0 || !moving.Any(JapaneseText.Normalize(text).Contains))
        {
            return text;
        }

        return Place().Replace(text, m =>
        {
            var word = JapaneseText.Normalize(m.Groups["w"].Value);
            if (known.Contains(word, StringComparison.Ordinal) || analysis.Analyze(word).Concepts.Any())
            {
                return m.Value;
            }

            // に and へ both say where to; the easy versions write へ.
            return elsewhere + (m.Groups["p"].Value == "から" ? "から" : "へ");
        });
    }

    // A word written apart (after the start, a space or a stop) right before に, へ or から, which stand apart too.
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=^|[\s、。，,.!?！？])(?<w>[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}ー]{2,}?)[ \u3000]*(?<p>に|へ|から)(?=[\s、。，,.!?！？]|$)")]
    private static partial System.Text.RegularExpressions.Regex Place();

    /// <summary>A text with each kanji word of the readings replaced by its reading, longest first: 国民健康保険の加入 → こくみんけんこうほけんの加入.</summary>
    internal static string Read(string text, IReadOnlyList<string> words, IReadOnlyDictionary<string, string> readings)
    {
        if (words.Count == 0 || !text.Any(JapaneseText.IsKanji))
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length * 2);
        for (var i = 0; i < text.Length;)
        {
            var word = words.FirstOrDefault(w => string.CompareOrdinal(text, i, w, 0, w.Length) == 0);
            if (word is null)
            {
                sb.Append(text[i]);
                i++;
                continue;
            }

            sb.Append(readings[word]);
            i += word.Length;
        }

        return sb.ToString();
    }

    /// <summary>
    /// The best procedures for a question, most likely first. Words written apart (こくみん けんこう ほけん, as easy
    /// Japanese is often typed) are also read joined, so a word of the city's list spelt over several pieces is found.
    /// </summary>
    public IReadOnlyList<ProcedureHit> Search(string text, int max = 3)
    {
        text = ReadElsewhere(WithoutBecoming(WithoutFraming(text)));
        var all = phrases.Count + (max * 2);
        var hits = index.Search(text, all).ToDictionary(h => h.Item, h => h.Confidence);
        var joined = JoinKana(text);
        foreach (var variant in new[] { joined, Plain(text), Plain(joined) }.Distinct(StringComparer.Ordinal).Where(v => v != text))
        {
            foreach (var (item, confidence) in index.Search(variant, all))
            {
                hits[item] = Math.Max(hits.GetValueOrDefault(item), confidence);
            }
        }

        // A phrase of an easy version whose words all stand in the question, in order (こどもの てあて in こども の
        // てあて を もらいたい), says more than the same words scattered over other entries' fields: the entry is
        // lifted by the share of the question the phrase explains.
        // The question read plain too (しにました → しんだ), as the index searched it: a phrase written plain is found in it.
        var question = JapaneseText.Normalize(text);
        var plain = JapaneseText.Normalize(Plain(joined));
        foreach (var (item, confidence) in hits.ToList())
        {
            var share = phrases.TryGetValue(item, out var own) ? own.Max(p => Math.Max(Share(question, p), Share(plain, p))) : 0;
            if (share > 0)
            {
                hits[item] = Math.Round(confidence + ((1 - confidence) * PhraseWeight * share), 4);
            }
        }

        return hits.OrderByDescending(h => h.Value).ThenBy(h => h.Key.Position).Take(max).Select(h => new ProcedureHit(h.Key, h.Value)).ToList();
    }

    /// <summary>The share of a question (its matching key) that a phrase's words, found in it in order, explain; 0 when one is missing.</summary>
    internal static double Share(string question, string[] pieces)
    {
        var at = 0;
        var found = 0;
        foreach (var piece in pieces)
        {
            var i = question.IndexOf(piece, at, StringComparison.Ordinal);
            if (i < 0)
            {
                return 0;
            }

            at = i + piece.Length;
            found += piece.Length;
        }

        return question.Length == 0 ? 0 : Math.Min(1.0, (double)found / question.Length);
    }

    /// <summary>
    /// A phrase's words (<see cref="Pieces"/>), and when it closes with a verb, the same words with the verb's stem as
    /// its polite forms write it (かぞくが しんだ → かぞく, しに: しにました; いぬを かう → いぬ, かい: かいました).
    /// </summary>
    internal static IReadOnlyList<string[]> Forms(string phrase)
    {
        if (Pieces(phrase) is not { } pieces)
        {
            return [];
        }

        var words = phrase.Split([' ', '\u3000'], StringSplitOptions.RemoveEmptyEntries);
        var last = words.Length > 1 ? JapaneseText.Normalize(words[^1]) : string.Empty;
        return [pieces, .. PoliteStems(last).Where(stem => stem != pieces[^1]).Select(stem => (string[])[.. pieces[..^1], stem])];
    }

    /// <summary>The stems a verb's polite forms (〜ます, 〜ました) are written with, from its dictionary or past form.</summary>
    internal static IEnumerable<string> PoliteStems(string verb)
    {
        if (verb.Length >= 2 && IRow(verb[^1]) is { } i)
        {
            yield return verb[..^1] + i; // しぬ → しに, かう → かい
            yield break;
        }

        if (verb.Length < 3)
        {
            yield break;
        }

        var (before, ending) = (verb[..^2], verb[^2..]);
        var stems = ending switch
        {
            "んだ" => new[] { 'に', 'み', 'び' }, // しんだ ← しぬ, よんだ ← よむ, とんだ ← とぶ
            "った" => ['い', 'ち', 'り'],          // かった ← かう, まった ← まつ, はいった ← はいる
            "いた" => ['き'],                      // かいた ← かく
            "いだ" => ['ぎ'],                      // ぬいだ ← ぬぐ
            _ => [],
        };
        foreach (var stem in stems)
        {
            yield return before + stem;
        }
    }

    private static char? IRow(char u) => u switch
    {
        'う' => 'い', 'く' => 'き', 'す' => 'し', 'つ' => 'ち', 'ぬ' => 'に', 'ふ' => 'ひ', 'む' => 'み', 'る' => 'り', 'ぐ' => 'ぎ', 'ぶ' => 'び',
        _ => null,
    };

    /// <summary>
    /// A name or keyword of an easy version as the words a resident would type, in order (matching keys): what is in
    /// parentheses left out (the kanji name shown beside the reading), the particle joining a word to the next taken
    /// off (こどもの てあて → こども, てあて; not へ, に, で, which say where), and a closing verb cut to its stem, so
    /// its other forms match (ぜいきんを はらう → ぜいきん, はら: はらいたい, はらえる; ひっこして きた → ひっこして, き:
    /// きました). Null when nothing of three letters or more is left.
    /// </summary>
    internal static string[]? Pieces(string phrase)
    {
        var cut = phrase.IndexOfAny(['（', '(']);
        var words = (cut > 0 ? phrase[..cut] : phrase)
            .Split([' ', '\u3000'], StringSplitOptions.RemoveEmptyEntries)
            .Select(JapaneseText.Normalize)
            .Where(w => w.Length > 0)
            .ToList();
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (words[i].Length >= 3 && IsJoiningParticle(words[i][^1]))
            {
                words[i] = words[i][..^1];
            }
        }

        if (words.Count > 1 && ((words[^1].Length >= 3 && IsVerbEnding(words[^1][^1])) || (words[^1].Length >= 2 && IsPast(words[^1][^1]))))
        {
            words[^1] = words[^1][..^1];
        }

        return words.Sum(w => w.Length) >= 3 ? [.. words] : null;
    }

    // Particles that only join words; へ, に, から, で say where to or from, and stay.
    private static bool IsJoiningParticle(char c) => c is 'を' or 'が' or 'の' or 'は';

    // The last kana of a verb's past form (きた, しんだ).
    private static bool IsPast(char c) => c is 'た' or 'だ';

    // The last kana of a verb's dictionary form (はらう, ひっこす, はいる).
    private static bool IsVerbEnding(char c) => c is 'う' or 'く' or 'す' or 'つ' or 'ぬ' or 'ふ' or 'む' or 'る' or 'ぐ' or 'ぶ';

    /// <summary>
    /// A question's polite verbs in their plain forms, as the easy versions and the catalog write them: しにました →
    /// しんだ, なくなりました → なくなった, かいました → かった, いきます → いく. The same text when it has none.
    /// </summary>
    internal static string Plain(string text)
    {
        text = WithoutBecoming(text);
        var sb = new System.Text.StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var past = string.CompareOrdinal(text, i + 1, "ました", 0, 3) == 0;
            var present = !past && string.CompareOrdinal(text, i + 1, "ます", 0, 2) == 0;
            if ((past || present) && JapaneseText.IsHiragana(text[i]))
            {
                // A verb of one kana (きました, します, いました) is 来る, する, いる: its own plain forms.
                var alone = sb.Length == 0 || char.IsWhiteSpace(sb[^1]);
                sb.Append(alone ? (past ? text[i] + "た" : text[i] switch { 'し' => "する", 'き' => "くる", _ => text[i] + "る" })
                    : past ? PlainPast(text[i]) : PlainPresent(text[i]));
                i += past ? 4 : 3;
                continue;
            }

            sb.Append(text[i]);
            i++;
        }

        return sb.ToString();
    }

    /// <summary>
    /// 「…に なる」「…と なりました」 without the なる: it only says something became so (ひっこす ことに なりました, びょうきに
    /// なった), and read as the word なった it matched inside なくなった (a death). なる standing alone is a word of its own
    /// only after に or と; elsewhere (なくなる, となりの) it is part of another word and stays.
    /// </summary>
    internal static string WithoutBecoming(string text) => Becoming().Replace(text, "$1");

    [System.Text.RegularExpressions.GeneratedRegex(@"([にと])[ \u3000]*(?:なりました|なります|なった|なる|なって)(?=$|[ \u3000、。！？!?,.])")]
    private static partial System.Text.RegularExpressions.Regex Becoming();

    // The stem's last kana → the plain past (しに → しんだ, かい → かった, かき → かいた); an e-row stem (たべ) takes た.
    private static string PlainPast(char stem) => stem switch
    {
        'に' or 'み' or 'び' => "んだ",
        'い' or 'ち' or 'り' => "った",
        'き' => "いた",
        'ぎ' => "いだ",
        'し' => "した",
        _ => stem + "た",
    };

    // The stem's last kana → the dictionary form (いき → いく, かい → かう); an e-row stem (たべ) takes る.
    private static string PlainPresent(char stem) => stem switch
    {
        'い' => "う", 'き' => "く", 'し' => "す", 'ち' => "つ", 'に' => "ぬ", 'ひ' => "ふ", 'み' => "む", 'り' => "る", 'ぎ' => "ぐ", 'び' => "ぶ",
        _ => stem + "る",
    };

    /// <summary>The spaces between two kana or kanji taken out: こくみん けんこう ほけん → こくみんけんこうほけん.</summary>
    internal static string JoinKana(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && sb.Length > 0 && IsJapanese(sb[^1]))
            {
                var j = i;
                while (j < text.Length && char.IsWhiteSpace(text[j]))
                {
                    j++;
                }

                if (j < text.Length && IsJapanese(text[j]))
                {
                    i = j - 1;
                    continue;
                }
            }

            sb.Append(text[i]);
        }

        return sb.ToString();
    }

    private static bool IsJapanese(char c) => JapaneseText.IsHiragana(c) || JapaneseText.IsKatakana(c) || JapaneseText.IsKanji(c);
}

/// <summary>One easy index per easy pack and catalog revision, rebuilt when either changes.</summary>
public sealed class EasyIndexCache(ProcedureIndexCache procedures, JapaneseAnalysis analysis)
{
    private readonly ConditionalWeakTable<LanguagePack, Built> built = new();

    public EasyIndex Get(LanguagePack easy, Data.BotDbContext db)
    {
        var catalog = procedures.Get(db);
        if (built.TryGetValue(easy, out var entry) && ReferenceEquals(entry.Catalog, catalog))
        {
            return entry.Index;
        }

        var index = new EasyIndex(easy, catalog.Procedures, analysis);
        built.AddOrUpdate(easy, new Built(catalog, index));
        return index;
    }

    private sealed record Built(ProcedureIndex Catalog, EasyIndex Index);
}
