using System.ComponentModel.DataAnnotations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Conversations;

public sealed class DialogOptions
{
    public const string SectionName = "Dialogs";

    /// <summary>Folder of the dialog YAML files; relative paths are resolved against the app's folder.</summary>
    [Required]
    public string Path { get; set; } = "dialogs";

    public string FullPath => System.IO.Path.GetFullPath(Path, AppContext.BaseDirectory);
}

/// <summary>
/// Every dialog and menu under <c>dialogs/</c>, checked at start and replaced in one step when a checked new version
/// of the folder is loaded (<see cref="Replace"/>): a reader sees the old files or the new ones, never a mix.
/// </summary>
public sealed class DialogCatalog
{
    private Snapshot current;

    public DialogCatalog(IReadOnlyList<DialogDefinition> dialogs, MenuSet menus) =>
        current = new Snapshot(dialogs, menus, dialogs.ToDictionary(d => d.Id, StringComparer.Ordinal), ByTrigger(dialogs));

    public IReadOnlyList<DialogDefinition> Dialogs => Volatile.Read(ref current).Dialogs;

    public MenuSet Menus => Volatile.Read(ref current).Menus;

    public DialogDefinition Get(string id) =>
        Volatile.Read(ref current).ById.TryGetValue(id, out var d) ? d : throw new KeyNotFoundException($"No dialog '{id}' in dialogs/.");

    public bool Contains(string id) => Volatile.Read(ref current).ById.ContainsKey(id);

    /// <summary>The first dialog of the audience one of whose triggers reads <paramref name="normalized"/> (a matching key).</summary>
    public DialogDefinition? Triggered(Audience audience, string normalized) =>
        Volatile.Read(ref current).Triggers.GetValueOrDefault((audience, normalized));

    /// <summary>Takes the other catalog's dialogs and menus (checked by the caller).</summary>
    public void Replace(DialogCatalog other) => Volatile.Write(ref current, Volatile.Read(ref other.current));

    public static DialogCatalog Load(string folder)
    {
        var dialogs = DialogLoader.LoadFolder(folder);
        var menuFile = System.IO.Path.Combine(folder, "menus.yaml");
        if (!File.Exists(menuFile))
        {
            throw new FileNotFoundException($"The main menus are missing: {menuFile}");
        }

        return new DialogCatalog(dialogs, MenuSet.Parse(File.ReadAllText(menuFile), menuFile));
    }

    /// <summary>
    /// Every problem of a dialogs folder, file by file: the start stops at the first, the content check lists them all.
    /// Without <paramref name="handlerNames"/> the menu topics are not checked.
    /// </summary>
    public static IReadOnlyList<ContentFileException> Check(string folder, IEnumerable<IDialogAction> actions, IEnumerable<string>? handlerNames)
    {
        var problems = new List<ContentFileException>();
        var dialogs = new List<DialogDefinition>();
        foreach (var file in DialogLoader.Files(folder))
        {
            try
            {
                if (DialogLoader.Parse(File.ReadAllText(file), file) is { } dialog)
                {
                    dialogs.Add(dialog);
                }
            }
            catch (ContentFileException ex)
            {
                problems.Add(ex);
            }
        }

        problems.AddRange(DialogLoader.Duplicates(dialogs));
        var menuFile = System.IO.Path.Combine(folder, "menus.yaml");
        MenuSet? menus = null;
        try
        {
            menus = File.Exists(menuFile) ? MenuSet.Parse(File.ReadAllText(menuFile), menuFile) : null;
            if (menus is null)
            {
                problems.Add(new ContentFileException(menuFile, 0, "the main menus are missing (menus.yaml)"));
            }
        }
        catch (ContentFileException ex)
        {
            problems.Add(ex);
        }

        if (menus is not null)
        {
            var catalog = new DialogCatalog(dialogs.DistinctBy(d => d.Id).ToList(), menus);
            problems.AddRange(catalog.Problems(actions, handlerNames));
        }

        return problems;
    }

    /// <summary>The checked catalog of a folder, or null with its problems.</summary>
    public static DialogCatalog? TryLoad(string folder, IEnumerable<IDialogAction> actions, IEnumerable<string>? handlerNames, out IReadOnlyList<ContentFileException> problems)
    {
        problems = Check(folder, actions, handlerNames);
        return problems.Count == 0 ? Load(folder) : null;
    }

    /// <summary>The first problem <see cref="Problems"/> finds, thrown: a broken file stops the start with its file and line.</summary>
    public void Validate(IEnumerable<IDialogAction> actions, IEnumerable<string> handlerNames)
    {
        if (Problems(actions, handlerNames).FirstOrDefault() is { } first)
        {
            throw first;
        }
    }

    /// <summary>
    /// What the files promise the code and the code cannot find: an action that does not exist, a step an action reads
    /// (<see cref="IDialogAction.Needs"/>) missing, asked too late, of another kind or with other choice values, and a
    /// menu topic that names no feature.
    /// </summary>
    public IEnumerable<ContentFileException> Problems(IEnumerable<IDialogAction> actions, IEnumerable<string>? handlerNames)
    {
        var byName = actions.ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var dialog in Dialogs)
        {
            for (var at = 0; at < dialog.Steps.Count; at++)
            {
                var step = dialog.Steps[at];
                foreach (var name in new[] { step.Action, step.ChoicesFrom }.OfType<string>())
                {
                    if (!byName.TryGetValue(name, out var action))
                    {
                        yield return new ContentFileException(dialog.SourceFile, step.Line, $"step '{step.Id}' calls action '{name}', which the host does not have");
                        continue;
                    }

                    foreach (var need in action.Needs)
                    {
                        if (NeedProblem(dialog, at, name, need) is { } problem)
                        {
                            yield return problem;
                        }
                    }
                }
            }
        }

        if (handlerNames is null)
        {
            yield break;
        }

        var handlers = handlerNames.ToHashSet(StringComparer.Ordinal);
        foreach (var menu in new[] { Menus.Resident, Menus.Staff })
        {
            foreach (var topic in menu.Topics.Keys.Where(t => !handlers.Contains(t)))
            {
                yield return new ContentFileException(Menus.SourceFile, menu.TopicLines?.GetValueOrDefault(topic) ?? 1,
                    $"topic '{topic}' names no feature of the host (known: {string.Join(", ", handlers.Order(StringComparer.Ordinal))})");
            }
        }
    }

    // The triggers' matching keys, normalised once per catalog rather than on every turn (#19); the first dialog wins.
    private static Dictionary<(Audience, string), DialogDefinition> ByTrigger(IReadOnlyList<DialogDefinition> dialogs)
    {
        var byTrigger = new Dictionary<(Audience, string), DialogDefinition>();
        foreach (var dialog in dialogs)
        {
            foreach (var trigger in dialog.Triggers)
            {
                byTrigger.TryAdd((dialog.Audience, TextNormalizer.Normalize(trigger)), dialog);
            }
        }

        return byTrigger;
    }

    private sealed record Snapshot(
        IReadOnlyList<DialogDefinition> Dialogs,
        MenuSet Menus,
        IReadOnlyDictionary<string, DialogDefinition> ById,
        IReadOnlyDictionary<(Audience, string), DialogDefinition> Triggers);

    private static ContentFileException? NeedProblem(DialogDefinition dialog, int callerIndex, string action, StepNeed need)
    {
        var caller = dialog.Steps[callerIndex];
        var why = need.Why is null ? string.Empty : $" ({need.Why})";
        var index = dialog.Steps.ToList().FindIndex(s => s.Id == need.StepId);
        if (index < 0)
        {
            return need.IfPresent ? null : new ContentFileException(dialog.SourceFile, caller.Line,
                $"step '{caller.Id}' calls '{action}', which reads the answer of a step '{need.StepId}': this dialog has no such step{why}");
        }

        var step = dialog.Steps[index];
        if (index > callerIndex)
        {
            return new ContentFileException(dialog.SourceFile, step.Line, $"step '{need.StepId}' must come before step '{caller.Id}', whose action '{action}' reads it{why}");
        }

        if (need.Kind is { } kind && step.Kind != kind)
        {
            return new ContentFileException(dialog.SourceFile, step.Line, $"step '{need.StepId}' must be of type {kind.ToString().ToLowerInvariant()}: '{action}' reads it{why}");
        }

        if (need.Values is { } values)
        {
            var offered = step.Choices.Select(c => c.Input).ToList();
            if (step.ChoicesFrom is not null || !offered.Order(StringComparer.Ordinal).SequenceEqual(values.Order(StringComparer.Ordinal)))
            {
                return new ContentFileException(dialog.SourceFile, step.Line,
                    $"step '{need.StepId}' must offer choices valued {string.Join(", ", values)} (it offers {string.Join(", ", offered)}): '{action}' counts them{why}");
            }
        }

        return null;
    }
}

/// <summary>The main menu of each audience and the city's contact, from <c>dialogs/menus.yaml</c>.</summary>
/// <param name="SmallTalk">Short acknowledgements and greetings (はい, ありがとう), answered briefly outside a flow.</param>
/// <param name="ResumePrompt">Said with <paramref name="ResumeLabel"/>, the button back into a flow that waits while a new request is answered; {title} is the flow's.</param>
/// <param name="AskWhich">The question when two features are equally likely (<see cref="Menu.Topics"/>).</param>
public sealed record MenuSet(Menu Resident, Menu Staff, string Contact, string NotUnderstood, IReadOnlyList<SmallTalk> SmallTalk, IReadOnlyList<string> SmallTalkEndings, string ResumePrompt, string ResumeLabel, string AskWhich, string SourceFile = "menus.yaml")
{
    public Menu For(Audience audience) => audience == Audience.Staff ? Staff : Resident;

    /// <summary>
    /// The small talk a whole message is, or null: made only of one entry's words and the polite endings
    /// (「了解です！」「承知しました」 are; 「はい、住民票」 is not).
    /// </summary>
    public SmallTalk? SmallTalkFor(string normalized) =>
        normalized.Length == 0 ? null : SmallTalk.FirstOrDefault(t => t.Composes(normalized, SmallTalkEndings));

    public static MenuSet Parse(string yaml, string file)
    {
        var root = DialogLoader.ReadRoot(yaml, file);
        var contact = DialogLoader.Required(root, "contact", file);
        var notUnderstood = DialogLoader.Required(root, "notUnderstood", file);
        if (!root.Children.TryGetValue(new YamlScalarNode("menus"), out var menusNode) || menusNode is not YamlMappingNode menus)
        {
            throw new ContentFileException(file, DialogLoader.Line(root), "'menus' with resident and staff is required");
        }

        var smallTalk = DialogLoader.Sequence(root, "smallTalk", file).Select(n => ReadSmallTalk(n, file)).ToList();
        var endings = DialogLoader.Sequence(root, "smallTalkEndings", file).Select(n => Language.JapaneseText.Normalize(DialogLoader.Scalar(n, file))).Where(e => e.Length > 0).ToList();
        return new MenuSet(ReadMenu(menus, "resident", file, notUnderstood), ReadMenu(menus, "staff", file, notUnderstood), contact, notUnderstood, smallTalk, endings,
            DialogLoader.Required(root, "resumePrompt", file), DialogLoader.Required(root, "resumeLabel", file), DialogLoader.Required(root, "askWhich", file), file);
    }

    private static SmallTalk ReadSmallTalk(YamlNode node, string file)
    {
        if (node is not YamlMappingNode map)
        {
            throw new ContentFileException(file, DialogLoader.Line(node), "a smallTalk entry needs words and reply");
        }

        var words = DialogLoader.Sequence(map, "words", file).Select(w => Language.JapaneseText.Normalize(DialogLoader.Scalar(w, file))).Where(w => w.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (words.Count == 0)
        {
            throw new ContentFileException(file, DialogLoader.Line(map), "a smallTalk entry needs at least one word");
        }

        return new SmallTalk(words, DialogLoader.Required(map, "reply", file));
    }

    private static Menu ReadMenu(YamlMappingNode menus, string key, string file, string notUnderstood)
    {
        if (!menus.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is not YamlMappingNode menu)
        {
            throw new ContentFileException(file, DialogLoader.Line(menus), $"menus.{key} is required");
        }

        var items = DialogLoader.Sequence(menu, "items", file).Select(n => n is YamlMappingNode m
                ? new MenuItem(DialogLoader.Required(m, "label", file), DialogLoader.Optional(m, "description"))
                : throw new ContentFileException(file, DialogLoader.Line(n), "a menu item needs label"))
            .ToList();
        if (items.Count is 0 or > 13)
        {
            throw new ContentFileException(file, DialogLoader.Line(menu), $"menus.{key} needs 1 to 13 items (LINE shows at most 13 quick replies)");
        }

        var topics = new Dictionary<string, string>(StringComparer.Ordinal);
        var topicLines = new Dictionary<string, int>(StringComparer.Ordinal);
        if (menu.Children.TryGetValue(new YamlScalarNode("topics"), out var topicsNode))
        {
            if (topicsNode is not YamlMappingNode topicMap)
            {
                throw new ContentFileException(file, DialogLoader.Line(topicsNode), $"menus.{key}.topics maps a feature's name to the label of its choice");
            }

            foreach (var (name, label) in topicMap.Children)
            {
                topics[DialogLoader.Scalar(name, file)] = DialogLoader.Scalar(label, file);
                topicLines[DialogLoader.Scalar(name, file)] = DialogLoader.Line(name);
            }
        }

        // An audience may word "not understood" its own way (staff ask about KPIs, not 住民票).
        return new Menu(DialogLoader.Required(menu, "greeting", file), DialogLoader.Required(menu, "prompt", file), items, DialogLoader.Optional(menu, "notUnderstood") ?? notUnderstood, topics, topicLines);
    }
}

/// <param name="Topics">Features the router may ask between when they are equally likely, by name, with the label of each choice.</param>
/// <param name="TopicLines">The line of each topic in menus.yaml, to name it when it names no feature.</param>
public sealed record Menu(string Greeting, string Prompt, IReadOnlyList<MenuItem> Items, string NotUnderstood, IReadOnlyDictionary<string, string> Topics, IReadOnlyDictionary<string, int>? TopicLines = null)
{
    public ChoicesReply AsChoices() => new(Prompt, Items.Select(i => new Choice(i.Label)).ToList());
}

public sealed record MenuItem(string Label, string? Description);

/// <param name="Words">Matching keys of the words this small talk is made of.</param>
public sealed record SmallTalk(IReadOnlySet<string> Words, string Reply)
{
    /// <summary>Whether the text is nothing but these words and the endings, with at least one of the words.</summary>
    public bool Composes(string normalized, IReadOnlyList<string> endings)
    {
        // reach[i]: 0 = not reachable, 1 = reachable by endings only, 2 = reachable with one of the words.
        var reach = new byte[normalized.Length + 1];
        reach[0] = 1;
        for (var i = 0; i < normalized.Length; i++)
        {
            if (reach[i] == 0)
            {
                continue;
            }

            foreach (var (piece, isWord) in Words.Select(w => (w, true)).Concat(endings.Select(e => (e, false))))
            {
                if (string.CompareOrdinal(normalized, i, piece, 0, piece.Length) == 0 && i + piece.Length <= normalized.Length)
                {
                    var state = (byte)(isWord ? 2 : reach[i]);
                    reach[i + piece.Length] = Math.Max(reach[i + piece.Length], state);
                }
            }
        }

        return reach[^1] == 2;
    }
}
