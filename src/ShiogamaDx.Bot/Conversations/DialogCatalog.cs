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

/// <summary>Every dialog and menu under <c>dialogs/</c>, loaded and checked once at start.</summary>
public sealed class DialogCatalog
{
    private readonly Dictionary<string, DialogDefinition> byId;

    public DialogCatalog(IReadOnlyList<DialogDefinition> dialogs, MenuSet menus)
    {
        byId = dialogs.ToDictionary(d => d.Id, StringComparer.Ordinal);
        Dialogs = dialogs;
        Menus = menus;
    }

    public IReadOnlyList<DialogDefinition> Dialogs { get; }

    public MenuSet Menus { get; }

    public DialogDefinition Get(string id) => byId.TryGetValue(id, out var d) ? d : throw new KeyNotFoundException($"No dialog '{id}' in dialogs/.");

    public bool Contains(string id) => byId.ContainsKey(id);

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

    /// <summary>Every action a dialog names must exist, so a typo fails at start rather than mid-conversation.</summary>
    public void Validate(DialogRuntime runtime)
    {
        foreach (var dialog in Dialogs)
        {
            foreach (var step in dialog.Steps)
            {
                foreach (var name in new[] { step.Action, step.ChoicesFrom }.OfType<string>())
                {
                    if (!runtime.HasAction(name))
                    {
                        throw new ContentFileException(dialog.SourceFile, step.Line, $"step '{step.Id}' calls action '{name}', which the host does not have");
                    }
                }
            }
        }
    }
}

/// <summary>The main menu of each audience and the city's contact, from <c>dialogs/menus.yaml</c>.</summary>
public sealed record MenuSet(Menu Resident, Menu Staff, string Contact, string NotUnderstood)
{
    public Menu For(Audience audience) => audience == Audience.Staff ? Staff : Resident;

    public static MenuSet Parse(string yaml, string file)
    {
        var root = DialogLoader.ReadRoot(yaml, file);
        var contact = DialogLoader.Required(root, "contact", file);
        var notUnderstood = DialogLoader.Required(root, "notUnderstood", file);
        if (!root.Children.TryGetValue(new YamlScalarNode("menus"), out var menusNode) || menusNode is not YamlMappingNode menus)
        {
            throw new ContentFileException(file, DialogLoader.Line(root), "'menus' with resident and staff is required");
        }

        return new MenuSet(ReadMenu(menus, "resident", file, notUnderstood), ReadMenu(menus, "staff", file, notUnderstood), contact, notUnderstood);
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

        // An audience may word "not understood" its own way (staff ask about KPIs, not 住民票).
        return new Menu(DialogLoader.Required(menu, "greeting", file), DialogLoader.Required(menu, "prompt", file), items, DialogLoader.Optional(menu, "notUnderstood") ?? notUnderstood);
    }
}

public sealed record Menu(string Greeting, string Prompt, IReadOnlyList<MenuItem> Items, string NotUnderstood)
{
    public ChoicesReply AsChoices() => new(Prompt, Items.Select(i => new Choice(i.Label)).ToList());
}

public sealed record MenuItem(string Label, string? Description);
