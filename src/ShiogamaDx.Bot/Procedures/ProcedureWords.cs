using ShiogamaDx.Bot.Conversations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// The city's word list for understanding residents (Content/procedure-words.yaml): groups of words that
/// mean the same thing (kanji, hiragana reading, common typos, colloquial words, e.g. 粗大ごみ = そだいごみ =
/// 大型ごみ = ソファ), and filler words that carry no meaning for finding a procedure (したい, 教えて …).
/// Without a morphological analyser this is what lets "じゅうみんひょう" find 住民票.
/// </summary>
public sealed class ProcedureWords
{
    public const string FileName = "procedure-words.yaml";

    // Variants by first character, longest first, so matching is a short scan per position.
    private readonly Dictionary<char, List<(string Variant, string Concept)>> byFirst = [];
    private readonly Dictionary<string, List<string>> readings = new(StringComparer.Ordinal);
    private readonly List<string> fillers;
    private readonly HashSet<string> actions = new(StringComparer.Ordinal);

    /// <param name="actions">Groups of verbs (捨てる, 作りたい, 予約 …): they say what to do, not about what, so alone they never make an answer.</param>
    public ProcedureWords(IEnumerable<IReadOnlyList<string>> groups, IEnumerable<string> fillers, IEnumerable<IReadOnlyList<string>>? actions = null)
    {
        foreach (var action in actions ?? [])
        {
            if (action.Select(TextNormalizer.Normalize).FirstOrDefault(v => v.Length > 0) is { } concept)
            {
                this.actions.Add(concept);
            }
        }

        foreach (var group in (actions ?? []).Concat(groups))
        {
            var normalized = group.Select(TextNormalizer.Normalize).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
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

                list.Add((variant, concept));
            }

            if (!readings.TryGetValue(concept, out var kana))
            {
                readings[concept] = kana = [];
            }

            kana.AddRange(normalized.Where(v => v.All(IsKana)));
        }

        foreach (var list in byFirst.Values)
        {
            list.Sort((a, b) => b.Variant.Length.CompareTo(a.Variant.Length));
        }

        this.fillers = fillers.Select(TextNormalizer.Normalize).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Length).ToList();
    }

    public static ProcedureWords Empty { get; } = new([], []);

    public bool IsAction(string concept) => actions.Contains(concept);

    /// <summary>Hiragana readings of a concept, so a reading typed with a typo still shares most bigrams.</summary>
    public IReadOnlyList<string> ReadingsOf(string concept) => readings.TryGetValue(concept, out var r) ? r : [];

    /// <summary>
    /// Splits normalised text into concepts (dictionary words, longest match first) and the runs of text
    /// between them, with filler words removed. Runs keep their order so bigrams never bridge a removed word.
    /// </summary>
    public (List<string> Concepts, List<string> Runs) Segment(string normalized, bool dropFillers)
    {
        var concepts = new List<string>();
        var runs = new List<string>();
        var run = new System.Text.StringBuilder();
        var i = 0;
        while (i < normalized.Length)
        {
            var matched = false;
            if (byFirst.TryGetValue(normalized[i], out var candidates))
            {
                foreach (var (variant, concept) in candidates)
                {
                    if (string.CompareOrdinal(normalized, i, variant, 0, variant.Length) == 0)
                    {
                        concepts.Add(concept);
                        i += variant.Length;
                        matched = true;
                        break;
                    }
                }
            }

            if (!matched && dropFillers)
            {
                foreach (var filler in fillers)
                {
                    if (string.CompareOrdinal(normalized, i, filler, 0, filler.Length) == 0)
                    {
                        i += filler.Length;
                        matched = true;
                        break;
                    }
                }
            }

            if (matched)
            {
                Flush();
                continue;
            }

            run.Append(normalized[i]);
            i++;
        }

        Flush();
        return (concepts, runs);

        void Flush()
        {
            if (run.Length > 0)
            {
                runs.Add(run.ToString());
                run.Clear();
            }
        }
    }

    public static bool IsKana(char c) => c is >= 'ぁ' and <= 'ゖ';

    public static ProcedureWords Load(string path)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        var root = DialogLoader.ReadRoot(File.ReadAllText(path), path);
        var groups = new List<IReadOnlyList<string>>();
        var actions = new List<IReadOnlyList<string>>();
        var fillers = new List<string>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (key is not ("words" or "actions" or "fillers"))
            {
                throw new ContentFileException(path, DialogLoader.Line(keyNode), $"unknown key '{key}' (known: words, actions, fillers)");
            }

            if (value is not YamlSequenceNode seq)
            {
                throw new ContentFileException(path, DialogLoader.Line(value), $"'{key}' must be a list");
            }

            foreach (var item in seq.Children)
            {
                if (key == "fillers")
                {
                    fillers.Add(DialogLoader.Scalar(item, path));
                    continue;
                }

                if (item is not YamlSequenceNode group || group.Children.Count < 2)
                {
                    throw new ContentFileException(path, DialogLoader.Line(item), $"each entry of '{key}' is a list of at least two words that mean the same, e.g. [住民票, じゅうみんひょう]");
                }

                var list = group.Children.Select(n => DialogLoader.Scalar(n, path)).ToList();
                if (list.Any(w => TextNormalizer.Normalize(w).Length == 0))
                {
                    throw new ContentFileException(path, DialogLoader.Line(item), "an empty word cannot be matched");
                }

                (key == "actions" ? actions : groups).Add(list);
            }
        }

        return new ProcedureWords(groups, fillers, actions);
    }
}
