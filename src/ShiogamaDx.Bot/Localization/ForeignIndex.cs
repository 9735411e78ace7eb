using System.Runtime.CompilerServices;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Localization;

public sealed record ForeignHit(string Id, double Score);

/// <summary>
/// Questions in a foreign language, matched against that language's translated fields (name, keywords, text) of
/// each procedure and the class schedule's words. Words are compared without accents and by their first six letters
/// (register, registration; vacina, vacinação); Chinese and Korean by characters and pairs of characters, which needs
/// no dictionary and copes with particles (주민표를). Scores add each matched word's rarity (idf), weighted by field.
/// </summary>
public sealed class ForeignIndex
{
    public const string ClassesId = "classes";

    /// <summary>About one distinctive word found in a name or keyword; below it the question is not understood.</summary>
    public const double MinScore = 3.0;

    private const int Stem = 6;
    private readonly string language;
    private readonly List<(string Id, Dictionary<string, double> Terms)> documents = [];
    private readonly Dictionary<string, double> idf = new(StringComparer.Ordinal);

    public ForeignIndex(LanguagePack pack, IReadOnlyList<Procedure> procedures)
    {
        language = pack.Code;
        foreach (var p in procedures)
        {
            if (pack.Procedures.TryGetValue(p.Id, out var t))
            {
                Add(p.Id, [(t.Name, 1.0), (string.Join(" / ", t.Keywords), 1.0), (t.Text, 0.5)]);
            }
        }

        Add(ClassesId, [(string.Join(" / ", pack.ClassKeywords), 1.0)]);
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in documents.SelectMany(d => d.Terms.Keys))
        {
            df[term] = df.GetValueOrDefault(term) + 1;
        }

        foreach (var (term, n) in df)
        {
            idf[term] = Math.Log(1 + ((double)documents.Count / n));
        }
    }

    public IReadOnlyList<ForeignHit> Search(string text, int max = 3)
    {
        var query = Terms(text, language).Distinct(StringComparer.Ordinal).ToList();
        return documents
            .Select(d => new ForeignHit(d.Id, query.Sum(q => d.Terms.TryGetValue(q, out var weight) ? weight * idf[q] : 0)))
            .Where(h => h.Score >= MinScore)
            .OrderByDescending(h => h.Score)
            .Take(max)
            .ToList();
    }

    private void Add(string id, IEnumerable<(string? Text, double Weight)> fields)
    {
        var terms = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (text, weight) in fields.Where(f => !string.IsNullOrWhiteSpace(f.Text)))
        {
            foreach (var term in Terms(text!, language))
            {
                terms[term] = Math.Max(terms.GetValueOrDefault(term), weight);
            }
        }

        if (terms.Count > 0)
        {
            documents.Add((id, terms));
        }
    }

    /// <summary>The terms of a text in a language: stems of words, and for Chinese and Korean characters and their pairs.</summary>
    internal static IEnumerable<string> Terms(string text, string language)
    {
        var words = LanguageDetector.Words(text);
        foreach (var word in words)
        {
            if (word.Any(IsCjk))
            {
                foreach (var term in Grams(word))
                {
                    yield return term;
                }
            }
            else if (word.Length >= 2 || char.IsDigit(word[0]))
            {
                yield return StemOf(word);
            }
        }

        if (language == "vi")
        {
            // Vietnamese writes a word as syllables: bảo hiểm, nhà trẻ. Pairs carry the meaning single syllables lack.
            for (var i = 0; i + 1 < words.Count; i++)
            {
                yield return words[i] + "_" + words[i + 1];
            }
        }
    }

    /// <summary>A plural's s dropped (classes, class; sofas, sofa), then the first six letters.</summary>
    internal static string StemOf(string word)
    {
        var w = word switch
        {
            _ when word.EndsWith("sses", StringComparison.Ordinal) => word[..^2],
            _ when word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4 => word[..^3] + "y",
            _ when word.EndsWith("ss", StringComparison.Ordinal) => word,
            _ when word.EndsWith('s') && word.Length > 3 => word[..^1],
            _ => word,
        };
        return w.Length > Stem ? w[..Stem] : w;
    }

    private static IEnumerable<string> Grams(string word)
    {
        // Runs of Han or Hangul: each character, and each pair.
        var run = new List<char>();
        foreach (var c in word.Append(' '))
        {
            if (IsCjk(c))
            {
                run.Add(c);
                continue;
            }

            for (var i = 0; i < run.Count; i++)
            {
                yield return run[i].ToString();
                if (i + 1 < run.Count)
                {
                    yield return new string([run[i], run[i + 1]]);
                }
            }

            run.Clear();
        }
    }

    private static bool IsCjk(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7A3';
}

/// <summary>One index per language and catalog revision, rebuilt when either changes.</summary>
public sealed class ForeignIndexCache(ProcedureIndexCache procedures)
{
    private readonly ConditionalWeakTable<LanguagePack, Built> built = new();

    public ForeignIndex Get(LanguagePack pack, Data.BotDbContext db)
    {
        var catalog = procedures.Get(db);
        if (built.TryGetValue(pack, out var entry) && ReferenceEquals(entry.Catalog, catalog))
        {
            return entry.Index;
        }

        var index = new ForeignIndex(pack, catalog.Procedures);
        built.AddOrUpdate(pack, new Built(catalog, index));
        return index;
    }

    private sealed record Built(ProcedureIndex Catalog, ForeignIndex Index);
}
