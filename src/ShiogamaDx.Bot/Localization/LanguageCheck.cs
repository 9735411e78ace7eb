using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// What `check content` (and a test, in CI) says about Content/languages/: each pack loads, names only procedures of the
/// catalog, names only dialogs and steps of dialogs/ (with as many choices, no placeholder the flow does not fill, and
/// button labels LINE shows whole), and every やさしい日本語 text passes <see cref="EasyJapaneseLinter"/>, each problem
/// with its file and line.
/// </summary>
public static partial class LanguageCheck
{
    private const int MaxLabel = 20; // LINE cuts button labels after 20 characters

    private static readonly string[] EasyTextsLinted = ["switched", "no-easy-version", "not-understood", "apology", .. LanguagePack.OptionalEasyTexts.Keys];

    public static List<ContentFileException> Problems(string folder, string? catalogFile, string? dialogsFolder = null)
    {
        var packs = LanguageCatalog.LoadFolder(folder, out var problems);
        var dialogs = dialogsFolder is not null && Directory.Exists(dialogsFolder) ? Dialogs(dialogsFolder) : null;
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

            if (pack.Menu is { } menu)
            {
                // The resident menu in やさしい日本語: what it says passes the linter, and each item it relabels is one of menus.yaml.
                foreach (var (key, text) in new[] { ("greeting", menu.Greeting), ("prompt", menu.Prompt) })
                {
                    foreach (var problem in text is null ? [] : EasyJapaneseLinter.Check(text))
                    {
                        problems.Add(new ContentFileException(pack.File, menu.Line, $"menu: {key}: {problem}"));
                    }
                }

                var labels = dialogsFolder is null ? null : MenuLabels(dialogsFolder);
                foreach (var (regular, easy) in menu.Items)
                {
                    foreach (var problem in EasyJapaneseLinter.Check(easy))
                    {
                        problems.Add(new ContentFileException(pack.File, menu.ItemLines[regular], $"menu: items: {regular}: {problem}"));
                    }

                    if (easy.Length > MaxLabel)
                    {
                        problems.Add(new ContentFileException(pack.File, menu.ItemLines[regular], $"menu: items: '{easy}' is a button label: at most {MaxLabel} characters (LINE's limit)"));
                    }

                    if (labels is not null && !labels.Contains(regular))
                    {
                        problems.Add(new ContentFileException(pack.File, menu.ItemLines[regular], $"menu: items: '{regular}' is not an item of the resident menu in menus.yaml ({string.Join(", ", labels)})"));
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

            foreach (var (id, dialog) in pack.Dialogs)
            {
                var line = LineOf(id);
                if (pack.IsEasy)
                {
                    // A flow said in やさしい日本語: each of its sentences and buttons passes the linter too.
                    foreach (var (stepId, step) in dialog.Steps)
                    {
                        foreach (var problem in new[] { step.Prompt, step.Help }.Concat(step.Choices).OfType<string>().SelectMany(EasyJapaneseLinter.Check))
                        {
                            problems.Add(new ContentFileException(pack.File, step.Line, $"dialogs: '{id}': '{stepId}': {problem}"));
                        }
                    }
                }

                foreach (var label in dialog.Steps.Values.SelectMany(s => s.Choices).Where(l => l.Length > MaxLabel))
                {
                    problems.Add(new ContentFileException(pack.File, line, $"dialogs: '{id}': '{label}' is a button label: at most {MaxLabel} characters (LINE's limit)"));
                }

                if (dialogs is null)
                {
                    continue;
                }

                if (!dialogs.TryGetValue(id, out var japanese))
                {
                    problems.Add(new ContentFileException(pack.File, line, $"dialogs: '{id}' is not a dialog of dialogs/"));
                    continue;
                }

                foreach (var (stepId, step) in dialog.Steps)
                {
                    if (japanese.Find(stepId) is not { } original)
                    {
                        problems.Add(new ContentFileException(pack.File, step.Line, $"dialogs: '{id}': '{stepId}' is not a step of {Path.GetFileName(japanese.SourceFile)}"));
                        continue;
                    }

                    if (step.Choices.Count > 0 && (original.ChoicesFrom is not null || step.Choices.Count != original.Choices.Count))
                    {
                        problems.Add(new ContentFileException(pack.File, step.Line, $"dialogs: '{id}': '{stepId}': {step.Choices.Count} choices, the dialog has {original.Choices.Count} (the same, in the same order)"));
                    }

                    var filled = Placeholder().Matches(original.Prompt ?? string.Empty).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
                    foreach (var unknown in Placeholder().Matches(step.Prompt ?? string.Empty).Select(m => m.Value).Where(v => !filled.Contains(v)))
                    {
                        problems.Add(new ContentFileException(pack.File, step.Line, $"dialogs: '{id}': '{stepId}': {unknown} is not in the dialog's text (it has {(filled.Count == 0 ? "none" : string.Join(", ", filled))})"));
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>The labels of the resident menu of menus.yaml; null when it cannot be read (the dialogs' own check reports it).</summary>
    private static HashSet<string>? MenuLabels(string folder)
    {
        var file = Path.Combine(folder, "menus.yaml");
        try
        {
            return File.Exists(file) ? MenuSet.Parse(File.ReadAllText(file), file).Resident.Items.Select(i => i.Label).ToHashSet(StringComparer.Ordinal) : null;
        }
        catch (ContentFileException)
        {
            return null;
        }
    }

    private static Dictionary<string, DialogDefinition> Dialogs(string folder)
    {
        try
        {
            return DialogLoader.LoadFolder(folder).ToDictionary(d => d.Id, StringComparer.Ordinal);
        }
        catch (ContentFileException)
        {
            return []; // the dialogs' own check reports it
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{[\w.\-]+\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();
}
