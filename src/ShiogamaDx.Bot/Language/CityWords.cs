using ShiogamaDx.Bot.Conversations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Language;

/// <summary>
/// The city's own word list (content, <see cref="FileName"/>), which a general dictionary cannot know: groups of
/// words that mean the same thing (kanji, hiragana reading, common typos, colloquial words: 粗大ごみ = そだいごみ =
/// ソファ), actions (捨てる, 作りたい: what to do, not about what), and fillers that say nothing about what is asked
/// (したい, 教えて, オンライン). Every word is held as its matching key (<see cref="JapaneseText.Normalize"/>).
/// </summary>
public sealed class CityWords
{
    public const string FileName = "procedure-words.yaml";

    // Variants by first character, longest first, so matching is a short scan per position.
    // A variant written in katakana or with long vowels (タクシー, たくしー) is marked: its key (たくし) has lost what
    // made it a loan word and is found inside native words (わたくし), so it matches only text written the same way.
    private readonly Dictionary<char, List<(string Variant, string Concept, bool Kana)>> byFirst = [];
    private readonly Dictionary<string, List<string>> readings = new(StringComparer.Ordinal);
    // Each concept's words that end in kanji (障害者手帳), for a word typed with its start in hiragana.
    private readonly Dictionary<string, List<string>> wordsOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> actions = new(StringComparer.Ordinal);
    private readonly HashSet<string> places = new(StringComparer.Ordinal);
    private readonly List<string> elsewhere;

    public CityWords(IEnumerable<IReadOnlyList<string>> groups, IEnumerable<string> fillers, IEnumerable<IReadOnlyList<string>>? actions = null, IEnumerable<string>? elsewhere = null, IEnumerable<IReadOnlyList<string>>? places = null)
    {
        var placeGroups = (places ?? []).ToList();
        this.places.UnionWith(placeGroups.Select(ConceptOf).OfType<string>());
        groups = groups.Concat(placeGroups);
        this.elsewhere = (elsewhere ?? []).Select(JapaneseText.Normalize).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal)
            .OrderByDescending(e => e.Length).ToList();
        var actionGroups = (actions ?? []).ToList();
        this.actions.UnionWith(actionGroups.Select(ConceptOf).OfType<string>());

        foreach (var group in actionGroups.Concat(groups))
        {
            var written = group.Select(w => (Key: JapaneseText.Normalize(w), Kana: IsWrittenAsLoanWord(w))).Where(v => v.Key.Length > 0).ToList();
            var normalized = written.Select(v => v.Key).Distinct(StringComparer.Ordinal).ToList();
            if (normalized.Count == 0)
            {
                continue;
            }

            var concept = normalized[0];
            foreach (var variant in normalized)
            {
                if (!byFirst.TryGetValue(variant[0], out var list))
                {
                    byFirst[variant[0]] = list = [];
                }

                // The same key written once as plain kana or kanji (わくちん beside ワクチン) matches anywhere.
                list.Add((variant, concept, written.Where(v => v.Key == variant).All(v => v.Kana)));
            }

            if (!readings.TryGetValue(concept, out var kana))
            {
                readings[concept] = kana = [];
            }

            if (!wordsOf.TryGetValue(concept, out var kanjiWords))
            {
                wordsOf[concept] = kanjiWords = [];
            }

            kanjiWords.AddRange(normalized.Where(v => JapaneseText.IsKanji(v[^1])));

            // Readings are what was written in hiragana: a loan word's key (タクシー → たくし) is no reading.
            kana.AddRange(written.Where(v => !v.Kana && v.Key.All(JapaneseText.IsHiragana)).Select(v => v.Key).Distinct(StringComparer.Ordinal));
        }

        foreach (var list in byFirst.Values)
        {
            list.Sort((a, b) => b.Variant.Length.CompareTo(a.Variant.Length));
        }

        Fillers = fillers.Select(JapaneseText.Normalize).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Length).ToList();
    }

    public static CityWords Empty { get; } = new([], []);

    /// <summary>A group's concept: its first word, normalised (what the analysis names the group by).</summary>
    private static string? ConceptOf(IReadOnlyList<string> group) => group.Select(JapaneseText.Normalize).FirstOrDefault(v => v.Length > 0);

    /// <summary>Filler keys, longest first.</summary>
    public IReadOnlyList<string> Fillers { get; }

    public bool IsAction(string concept) => actions.Contains(concept);

    /// <summary>A place where every procedure is done (市役所): what a question is about only when it names nothing else.</summary>
    public bool IsPlace(string concept) => places.Contains(concept);

    /// <summary>Hiragana readings of a concept, so a reading typed with a typo still shares most bigrams.</summary>
    public IReadOnlyList<string> ReadingsOf(string concept) => readings.TryGetValue(concept, out var r) ? r : [];

    /// <summary>The longest word of the list at <paramref name="at"/> of a matching key, as (length, concept), or null.</summary>
    public (int Length, string Concept)? MatchAt(string key, int at)
    {
        foreach (var (length, concept, _) in MatchesAt(key, at))
        {
            return (length, concept);
        }

        return null;
    }

    /// <summary>
    /// Every word of the list at <paramref name="at"/> of a matching key, longest first; <c>Kana</c> when the word was
    /// written in katakana or with long vowels, so the text matched must be written so too.
    /// </summary>
    public IEnumerable<(int Length, string Concept, bool Kana)> MatchesAt(string key, int at)
    {
        if (byFirst.TryGetValue(key[at], out var candidates))
        {
            foreach (var (variant, concept, kana) in candidates)
            {
                if (string.CompareOrdinal(key, at, variant, 0, variant.Length) == 0)
                {
                    yield return (variant.Length, concept, kana);
                }
            }

            foreach (var mixed in HalfInReadingAt(key, at, candidates))
            {
                yield return mixed;
            }

            foreach (var mixed in ReadingThenKanjiAt(key, at, candidates))
            {
                yield return mixed;
            }
        }
    }

    /// <summary>
    /// A word of the list written half in its reading the other way round, its start in hiragana and its kanji last
    /// (しょうがいしゃ手帳 for 障害者手帳: people convert the part they know how to write): the hiragana is the start of a
    /// reading of the word's group, at least one kana for each character it stands for and two at least, and the kanji
    /// after it are the last characters of one of the group's kanji words.
    /// </summary>
    private IEnumerable<(int Length, string Concept, bool Kana)> ReadingThenKanjiAt(string key, int at, List<(string Variant, string Concept, bool Kana)> candidates)
    {
        if (!JapaneseText.IsHiragana(key[at]))
        {
            yield break;
        }

        var kanaEnd = at;
        while (kanaEnd < key.Length && JapaneseText.IsHiragana(key[kanaEnd]))
        {
            kanaEnd++;
        }

        var kanjiEnd = kanaEnd;
        while (kanjiEnd < key.Length && JapaneseText.IsKanji(key[kanjiEnd]))
        {
            kanjiEnd++;
        }

        if (kanjiEnd == kanaEnd)
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (reading, concept, kana) in candidates)
        {
            if (kana || kanaEnd - at < 2 || !reading.All(JapaneseText.IsHiragana) || !seen.Add(concept))
            {
                continue;
            }

            var longest = 0;
            foreach (var word in WordsOf(concept).Where(w => JapaneseText.IsKanji(w[^1])))
            {
                // The kanji the text writes (k of them, right after its hiragana) end the word; the hiragana before stand
                // for the word's characters before them and begin one of the group's readings.
                for (var k = Math.Min(kanjiEnd - kanaEnd, word.Length - 1); k >= 1; k--)
                {
                    var kanaLength = kanaEnd - at;
                    if (kanaLength >= word.Length - k && word[^k..].All(JapaneseText.IsKanji)
                        && string.CompareOrdinal(key, kanaEnd, word, word.Length - k, k) == 0
                        && ReadingsOf(concept).Any(r => r.Length > kanaLength && string.CompareOrdinal(key, at, r, 0, kanaLength) == 0))
                    {
                        longest = Math.Max(longest, kanaLength + k);
                        break;
                    }
                }
            }

            if (longest > 0)
            {
                yield return (longest, concept, false);
            }
        }
    }

    private IEnumerable<string> WordsOf(string concept) => wordsOf.TryGetValue(concept, out var w) ? w : [];

    /// <summary>
    /// A word of the list written half in its reading, its kanji first (水もれ for 水漏れ, 住民ひょう for 住民票): the
    /// text's kanji are the word's first ones, and the hiragana after them is the end of a reading of the word's group
    /// (みずもれ), at least one kana for each character left and two at least, so that one kana of grammar (市民い) is
    /// never read as the rest of a word.
    /// </summary>
    private IEnumerable<(int Length, string Concept, bool Kana)> HalfInReadingAt(string key, int at, List<(string Variant, string Concept, bool Kana)> candidates)
    {
        if (!JapaneseText.IsKanji(key[at]))
        {
            yield break;
        }

        var kanjiEnd = at;
        while (kanjiEnd < key.Length && JapaneseText.IsKanji(key[kanjiEnd]))
        {
            kanjiEnd++;
        }

        var written = kanjiEnd - at;
        if (kanjiEnd == key.Length || !JapaneseText.IsHiragana(key[kanjiEnd]))
        {
            yield break;
        }

        foreach (var (variant, concept, kana) in candidates)
        {
            if (kana || variant.Length <= written || !JapaneseText.IsKanji(variant[written]) || string.CompareOrdinal(key, at, variant, 0, written) != 0)
            {
                continue;
            }

            var longest = 0;
            foreach (var reading in ReadingsOf(concept))
            {
                for (var t = reading.Length - written; t >= Math.Max(2, variant.Length - written) && t > longest; t--)
                {
                    if (kanjiEnd + t <= key.Length && string.CompareOrdinal(key, kanjiEnd, reading, reading.Length - t, t) == 0)
                    {
                        longest = t;
                        break;
                    }
                }
            }

            if (longest > 0)
            {
                yield return (written + longest, concept, false);
            }
        }
    }

    // What names an institution the city does not run, as the last characters of a kanji noun (a closed, general
    // class of Japanese institution names: 郵便局・法務局, 税務署・警察署, 〇〇銀行, 信用金庫). A noun the city's list knows
    // whole is the city's, whatever it ends with. Names without such an ending (ハローワーク, ゆうちょ) are content:
    // the list's "elsewhere" entries.
    private static readonly string[] OtherInstitutionEndings = ["局", "署", "銀行", "金庫"];

    // What makes the institution's name the question's topic (郵便局の営業時間, 銀行は何時まで, 税務署ってどこ); not
    // で/に/へ, which say where a city procedure is done (郵便局で税金を払える？).
    private static readonly string[] TopicMarkers = ["の", "は", "が", "って"];

    /// <summary>
    /// The question's topic is an institution the city does not run (郵便局の営業時間, 銀行の口座をつくりたい,
    /// 近くの郵便局の電話番号, ハローワークの求人): what follows (時間, 口座, 電話) is that institution's, not a city
    /// procedure's. The name stands at the start of the question or after の (近くの, 塩竈の), and a topic marker follows
    /// it; a kanji noun ending in 局/署/銀行/金庫 that the city's list does not know whole, or a name of the list's
    /// "elsewhere" entries. After another particle (税金を銀行の窓口で) the institution is where, not what, and is
    /// not read.
    /// </summary>
    public bool IsAboutOtherInstitution(string? text)
    {
        var key = JapaneseText.Normalize(text);
        for (var at = 0; at < key.Length; at++)
        {
            if (at > 0 && key[at - 1] != 'の')
            {
                continue;
            }

            if (ElsewhereAt(key, at) is { } length && IsTopic(key, at + length))
            {
                return true;
            }

            if (!JapaneseText.IsKanji(key[at]))
            {
                continue;
            }

            var noun = at;
            while (noun < key.Length && JapaneseText.IsKanji(key[noun]))
            {
                noun++;
            }

            var name = key[at..noun];
            if (name.Length >= 2 && IsTopic(key, noun)
                && OtherInstitutionEndings.Any(e => name.EndsWith(e, StringComparison.Ordinal)) && MatchAt(name, 0)?.Length != name.Length)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTopic(string key, int at) => TopicMarkers.Any(m => string.CompareOrdinal(key, at, m, 0, m.Length) == 0);

    private int? ElsewhereAt(string key, int at)
    {
        foreach (var name in elsewhere)
        {
            if (string.CompareOrdinal(key, at, name, 0, name.Length) == 0)
            {
                return name.Length;
            }
        }

        return null;
    }

    /// <summary>Katakana or a long vowel in a word as written (NFKC, so half-width katakana counts).</summary>
    public static bool IsWrittenAsLoanWord(string text) =>
        JapaneseText.Nfkc(text).Any(c => JapaneseText.IsKatakana(c) || c is 'ー' or '－' or '〜' or '~' or '～');

    public static CityWords Load(string path)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        var root = DialogLoader.ReadRoot(File.ReadAllText(path), path);
        var groups = new List<IReadOnlyList<string>>();
        var actions = new List<IReadOnlyList<string>>();
        var fillers = new List<string>();
        var elsewhere = new List<string>();
        var places = new List<IReadOnlyList<string>>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (key is not ("words" or "actions" or "places" or "fillers" or "elsewhere"))
            {
                throw new ContentFileException(path, DialogLoader.Line(keyNode), $"unknown key '{key}' (known: words, actions, places, fillers, elsewhere)");
            }

            if (value is not YamlSequenceNode seq)
            {
                throw new ContentFileException(path, DialogLoader.Line(value), $"'{key}' must be a list");
            }

            foreach (var item in seq.Children)
            {
                if (key is "fillers" or "elsewhere")
                {
                    (key == "fillers" ? fillers : elsewhere).Add(DialogLoader.Scalar(item, path));
                    continue;
                }

                if (item is not YamlSequenceNode group || group.Children.Count < 2)
                {
                    throw new ContentFileException(path, DialogLoader.Line(item), $"each entry of '{key}' is a list of at least two words that mean the same, e.g. [住民票, じゅうみんひょう]");
                }

                var list = group.Children.Select(n => DialogLoader.Scalar(n, path)).ToList();
                if (list.Any(w => JapaneseText.Normalize(w).Length == 0))
                {
                    throw new ContentFileException(path, DialogLoader.Line(item), "an empty word cannot be matched");
                }

                (key switch { "actions" => actions, "places" => places, _ => groups }).Add(list);
            }
        }

        return new CityWords(groups, fillers, actions, elsewhere, places);
    }
}
