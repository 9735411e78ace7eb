using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// What `check content` (and a test, in CI) says about Content/languages/: each pack loads, names only procedures of the
/// catalog, and every やさしい日本語 text passes <see cref="EasyJapaneseLinter"/>, each problem with its file and line.
/// </summary>
public static class LanguageCheck
{
    private static readonly string[] EasyTextsLinted = ["switched", "no-easy-version", "not-understood"];

    public static List<ContentFileException> Problems(string folder, string? catalogFile)
    {
        var packs = LanguageCatalog.LoadFolder(folder, out var problems);
        var ids = catalogFile is not null && File.Exists(catalogFile) ? ProcedureFile.Load(catalogFile).Procedures.Select(p => p.Id).ToHashSet(StringComparer.Ordinal) : null;
        foreach (var pack in packs.Values)
        {
            var lines = File.ReadAllLines(pack.File);
            int LineOf(string id) => Array.FindIndex(lines, l => l.TrimStart().StartsWith(id + ":", StringComparison.Ordinal) && l.StartsWith("  ", StringComparison.Ordinal)) + 1;
            if (pack.IsEasy)
            {
                // What the bot says in やさしい日本語 (「ふつうの日本語」に戻したときの文は、ふつうの日本語).
                foreach (var key in EasyTextsLinted.Where(pack.Texts.ContainsKey))
                {
                    foreach (var problem in EasyJapaneseLinter.Check(pack.Texts[key]))
                    {
                        problems.Add(new ContentFileException(pack.File, Array.FindIndex(lines, l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal)) + 1, $"texts: {key}: {problem}"));
                    }
                }
            }

            foreach (var (id, procedure) in pack.Procedures)
            {
                if (ids is not null && !ids.Contains(id))
                {
                    problems.Add(new ContentFileException(pack.File, LineOf(id), $"procedures: '{id}' is not a procedure of {Path.GetFileName(catalogFile)}"));
                }

                if (pack.IsEasy)
                {
                    foreach (var problem in new[] { procedure.Name, procedure.Text }.OfType<string>().SelectMany(EasyJapaneseLinter.Check))
                    {
                        problems.Add(new ContentFileException(pack.File, LineOf(id), $"{id}: {problem}"));
                    }
                }
            }
        }

        return problems;
    }
}
