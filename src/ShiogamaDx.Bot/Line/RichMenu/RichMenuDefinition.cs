using System.Globalization;
using ShiogamaDx.Bot.Conversations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Line.RichMenu;

internal sealed record RichMenuBounds(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool Overlaps(RichMenuBounds other) => X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;
}

internal abstract record RichMenuAction;

internal sealed record RichMenuMessageAction(string Text) : RichMenuAction;

internal sealed record RichMenuUriAction(Uri Uri) : RichMenuAction;

/// <param name="Handler">The intent handler that answers it (its postback route), e.g. "contact".</param>
internal sealed record RichMenuPostbackAction(string Handler, string Action, IReadOnlyList<(string Key, string Value)> Args, string? DisplayText) : RichMenuAction;

/// <param name="Line">Where its bounds are written.</param>
internal sealed record RichMenuArea(string Label, string? Note, string Color, string TextColor, RichMenuBounds Bounds, RichMenuAction Action, int Line);

/// <param name="Languages">The same menu in each language the file translates (<c>easy</c>, en, zh …), by code: shown to a
/// resident who keeps that language (a rich menu linked to them). Empty in a translated menu itself.</param>
internal sealed record RichMenuDefinition(string Name, string ChatBarText, int Width, int Height, bool Selected, string Background, IReadOnlyList<RichMenuArea> Areas, string SourceFile)
{
    public IReadOnlyDictionary<string, RichMenuDefinition> Languages { get; init; } = new Dictionary<string, RichMenuDefinition>();
}

/// <summary>
/// Reads and checks <c>Content/richmenu.yaml</c> against LINE's rules for rich menus (image 800–2500 px wide, at
/// least 250 high, width/height at least 1.45; at most 20 areas inside the image; chat bar text 14 characters;
/// action limits) and against our own: areas do not overlap, and each label is readable (contrast 4.5:1 or more).
/// Every problem names the file and line.
/// </summary>
internal static class RichMenuFile
{
    public const string FileName = "richmenu.yaml";

    /// <summary>The menu everyone sees while the disaster mode is on.</summary>
    public const string DisasterFileName = "richmenu-disaster.yaml";

    public const int MaxAreas = 20;

    private static readonly HashSet<string> TopKeys = ["name", "chatBarText", "size", "selected", "background", "areas", "i18n"];
    private static readonly HashSet<string> AreaKeys = ["label", "note", "color", "textColor", "bounds", "action", "i18n"];
    private static readonly HashSet<string> MenuLanguageKeys = ["name", "chatBarText"];
    private static readonly HashSet<string> AreaLanguageKeys = ["label", "note", "action"];
    private static readonly HashSet<string> ActionKeys = ["type", "text", "uri", "handler", "action", "args", "displayText"];
    private static readonly HashSet<string> UriSchemes = ["https", "http", "tel", "line"];

    public static RichMenuDefinition Load(string file) => Parse(File.ReadAllText(file), file);

    public static RichMenuDefinition Parse(string yaml, string file)
    {
        var root = DialogLoader.ReadRoot(yaml, file);
        CheckKeys(root, TopKeys, file);

        var name = Text(root, "name", file, max: 300);
        var chatBarText = Text(root, "chatBarText", file, max: 14);
        var size = Mapping(root, "size", file);
        var width = Int(size, "width", file, 800, 2500);
        var height = Int(size, "height", file, 250, 10_000);
        if (width / (double)height < 1.45)
        {
            throw new ContentFileException(file, DialogLoader.Line(size), $"size {width}x{height}: LINE needs width / height of at least 1.45 (use 2500x1686 or 2500x843)");
        }

        var selected = DialogLoader.Optional(root, "selected") is not { } s || Bool(s, root, file);
        var background = Color(root, "background", file, "#FFFFFF");

        if (!root.Children.TryGetValue(new YamlScalarNode("areas"), out var areasNode) || areasNode is not YamlSequenceNode areaList || areaList.Children.Count == 0)
        {
            throw new ContentFileException(file, DialogLoader.Line(root), "'areas' must be a list of one or more buttons");
        }

        if (areaList.Children.Count > MaxAreas)
        {
            throw new ContentFileException(file, DialogLoader.Line(areaList.Children[MaxAreas]), $"LINE allows at most {MaxAreas} areas");
        }

        var areas = new List<RichMenuArea>();
        foreach (var node in areaList.Children)
        {
            var area = ParseArea(node, file, width, height);
            if (areas.FirstOrDefault(a => a.Bounds.Overlaps(area.Bounds)) is { } other)
            {
                throw new ContentFileException(file, area.Line, $"area '{area.Label}' overlaps area '{other.Label}' (line {other.Line}): a tap must have one meaning");
            }

            areas.Add(area);
        }

        var menu = new RichMenuDefinition(name, chatBarText, width, height, selected, background, areas, file);
        return menu with { Languages = ParseLanguages(root, areaList, menu, file) };
    }

    /// <summary>
    /// The menu in each language of the top-level <c>i18n:</c> (its chat bar text, optionally its name), each area with its
    /// own <c>i18n:</c> entry of that language (label, optionally note and action). A language the menu names must label
    /// every area: a button never falls back to Japanese unannounced. In a foreign language, an area that sends words
    /// (a message, a postback's displayText) must say what it sends in that language: its own action.
    /// </summary>
    private static Dictionary<string, RichMenuDefinition> ParseLanguages(YamlMappingNode root, YamlSequenceNode areaList, RichMenuDefinition menu, string file)
    {
        var languages = new Dictionary<string, RichMenuDefinition>(StringComparer.Ordinal);
        if (!root.Children.TryGetValue(new YamlScalarNode("i18n"), out var node))
        {
            return languages;
        }

        var known = new[] { Localization.LanguagePack.Easy }.Concat(Localization.LanguagePack.Foreign).ToList();
        var i18n = node as YamlMappingNode ?? throw new ContentFileException(file, DialogLoader.Line(node), "'i18n' must be a mapping of language codes (easy, en, zh, ko, vi, pt, tl) to chatBarText and name");
        var perArea = areaList.Children.Select(a => a is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("i18n"), out var n)
            ? n as YamlMappingNode ?? throw new ContentFileException(file, DialogLoader.Line(n), "an area's 'i18n' must be a mapping of language codes to label, note and action")
            : null).ToList();
        foreach (var (codeNode, valueNode) in i18n.Children)
        {
            var code = DialogLoader.Scalar(codeNode, file);
            if (!known.Contains(code))
            {
                throw new ContentFileException(file, DialogLoader.Line(codeNode), $"unknown language '{code}' (known: {string.Join(", ", known)})");
            }

            var top = valueNode as YamlMappingNode ?? throw new ContentFileException(file, DialogLoader.Line(valueNode), $"i18n '{code}' must be a mapping with chatBarText (and optionally name)");
            CheckKeys(top, MenuLanguageKeys, file);
            var areas = new List<RichMenuArea>();
            for (var i = 0; i < menu.Areas.Count; i++)
            {
                var area = menu.Areas[i];
                if (perArea[i]?.Children.TryGetValue(new YamlScalarNode(code), out var entryNode) != true || entryNode is not YamlMappingNode entry)
                {
                    throw new ContentFileException(file, area.Line, $"area '{area.Label}' has no i18n '{code}' with its label: every button of a language's menu is in that language");
                }

                CheckKeys(entry, AreaLanguageKeys, file);
                var label = Text(entry, "label", file, max: 20);
                var note = DialogLoader.Optional(entry, "note");
                if (note is { Length: > 40 })
                {
                    throw new ContentFileException(file, ValueLine(entry, "note"), "'note' is a short second line: at most 40 characters");
                }

                var action = entry.Children.ContainsKey(new YamlScalarNode("action")) ? ParseAction(Mapping(entry, "action", file), file) : null;
                if (action is null && code != Localization.LanguagePack.Easy && area.Action is RichMenuMessageAction or RichMenuPostbackAction { DisplayText: not null })
                {
                    throw new ContentFileException(file, DialogLoader.Line(entry), $"area '{area.Label}' sends Japanese words: i18n '{code}' needs its own action (what the button sends in that language)");
                }

                areas.Add(area with { Label = label, Note = string.IsNullOrWhiteSpace(note) ? null : note, Action = action ?? area.Action });
            }

            foreach (var extra in perArea.OfType<YamlMappingNode>().SelectMany(m => m.Children.Keys).Where(k => !i18n.Children.ContainsKey(k)))
            {
                throw new ContentFileException(file, DialogLoader.Line(extra), $"i18n '{DialogLoader.Scalar(extra, file)}' of an area is not in the menu's i18n (which gives its chatBarText)");
            }

            var name = DialogLoader.Optional(top, "name") is { Length: > 0 } own ? own : $"{menu.Name} [{code}]";
            languages[code] = menu with { Name = name.Length <= 250 ? name : name[..250], ChatBarText = Text(top, "chatBarText", file, max: 14), Areas = areas };
        }

        return languages;
    }

    private static RichMenuArea ParseArea(YamlNode node, string file, int width, int height)
    {
        if (node is not YamlMappingNode map)
        {
            throw new ContentFileException(file, DialogLoader.Line(node), "an area must be a mapping with label, bounds and action");
        }

        CheckKeys(map, AreaKeys, file);
        var label = Text(map, "label", file, max: 20); // also what screen readers say for the area
        var note = DialogLoader.Optional(map, "note");
        if (note is { Length: > 40 })
        {
            throw new ContentFileException(file, ValueLine(map, "note"), "'note' is a short second line: at most 40 characters");
        }

        var color = Color(map, "color", file, "#0B4F8A");
        var textColor = Color(map, "textColor", file, "#FFFFFF");
        var contrast = Contrast(color, textColor);
        if (contrast < 4.5)
        {
            throw new ContentFileException(file, ValueLine(map, "color"), string.Create(CultureInfo.InvariantCulture, $"area '{label}': text {textColor} on {color} has contrast {contrast:0.0}:1; at least 4.5:1 is needed to be readable"));
        }

        var b = Mapping(map, "bounds", file);
        var bounds = new RichMenuBounds(Int(b, "x", file, 0, width - 1), Int(b, "y", file, 0, height - 1), Int(b, "width", file, 1, width), Int(b, "height", file, 1, height));
        if (bounds.Right > width || bounds.Bottom > height)
        {
            throw new ContentFileException(file, DialogLoader.Line(b), $"area '{label}' ({bounds.X},{bounds.Y} {bounds.Width}x{bounds.Height}) reaches outside the {width}x{height} menu");
        }

        return new RichMenuArea(label, string.IsNullOrWhiteSpace(note) ? null : note, color, textColor, bounds, ParseAction(Mapping(map, "action", file), file), DialogLoader.Line(b));
    }

    private static RichMenuAction ParseAction(YamlMappingNode map, string file)
    {
        CheckKeys(map, ActionKeys, file);
        var type = DialogLoader.Required(map, "type", file);
        switch (type)
        {
            case "message":
                Only(map, file, "type", "text");
                return new RichMenuMessageAction(Text(map, "text", file, max: 300));
            case "uri":
                Only(map, file, "type", "uri");
                var raw = Text(map, "uri", file, max: 1000);
                if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || !UriSchemes.Contains(uri.Scheme))
                {
                    throw new ContentFileException(file, ValueLine(map, "uri"), $"uri '{raw}' must be a full address (https://…, tel:…, line://…)");
                }

                return new RichMenuUriAction(uri);
            case "postback":
                Only(map, file, "type", "handler", "action", "args", "displayText");
                var handler = Text(map, "handler", file, max: 40);
                var action = DialogLoader.Optional(map, "action") ?? "open";
                var args = new List<(string, string)>();
                if (map.Children.TryGetValue(new YamlScalarNode("args"), out var argsNode))
                {
                    if (argsNode is not YamlMappingNode argsMap)
                    {
                        throw new ContentFileException(file, DialogLoader.Line(argsNode), "'args' must be a mapping of names to values");
                    }

                    args.AddRange(argsMap.Children.Select(kv => (DialogLoader.Scalar(kv.Key, file), DialogLoader.Scalar(kv.Value, file))));
                }

                var displayText = DialogLoader.Optional(map, "displayText");
                if (displayText is { Length: > 300 })
                {
                    throw new ContentFileException(file, ValueLine(map, "displayText"), "'displayText' has more than 300 characters");
                }

                // Signed data must stay within LINE's 300 characters (the signature adds 17).
                if (Postback.Create(handler, action, [.. args]).Length > 300 - 17)
                {
                    throw new ContentFileException(file, DialogLoader.Line(map), "postback data too long for LINE (300 characters with its signature)");
                }

                return new RichMenuPostbackAction(handler, action, args, displayText);
            default:
                throw new ContentFileException(file, ValueLine(map, "type"), $"action type '{type}' is not supported (message, uri, postback)");
        }
    }

    /// <summary>WCAG 2 contrast ratio of two #RRGGBB colours.</summary>
    internal static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string hex)
    {
        static double Channel(string hex, int at)
        {
            var c = int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(hex, 1)) + (0.7152 * Channel(hex, 3)) + (0.0722 * Channel(hex, 5));
    }

    private static void CheckKeys(YamlMappingNode map, HashSet<string> known, string file)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = DialogLoader.Scalar(key, file);
            if (!known.Contains(name))
            {
                throw new ContentFileException(file, DialogLoader.Line(key), $"unknown key '{name}' (known: {string.Join(", ", known)})");
            }
        }
    }

    private static void Only(YamlMappingNode map, string file, params string[] allowed)
    {
        foreach (var key in map.Children.Keys.Select(k => DialogLoader.Scalar(k, file)).Where(k => !allowed.Contains(k)))
        {
            throw new ContentFileException(file, ValueLine(map, key), $"'{key}' does not belong to this action type (it takes {string.Join(", ", allowed.Skip(1))})");
        }
    }

    private static int ValueLine(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? DialogLoader.Line(node) : DialogLoader.Line(map);

    private static YamlMappingNode Mapping(YamlMappingNode map, string key, string file) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? node as YamlMappingNode ?? throw new ContentFileException(file, DialogLoader.Line(node), $"'{key}' must be a mapping")
            : throw new ContentFileException(file, DialogLoader.Line(map), $"'{key}' is required");

    private static string Text(YamlMappingNode map, string key, string file, int max)
    {
        var value = DialogLoader.Required(map, key, file);
        return value.Length <= max ? value : throw new ContentFileException(file, ValueLine(map, key), $"'{key}' has {value.Length} characters; LINE allows {max}");
    }

    private static int Int(YamlMappingNode map, string key, string file, int min, int max)
    {
        var value = DialogLoader.Required(map, key, file);
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ContentFileException(file, ValueLine(map, key), $"'{key}' must be a whole number from {min} to {max} (was '{value}')");
    }

    private static bool Bool(string value, YamlMappingNode map, string file) =>
        DialogLoader.ParseFlag(value) ?? throw new ContentFileException(file, ValueLine(map, "selected"), "'selected' must be true or false");

    private static string Color(YamlMappingNode map, string key, string file, string fallback)
    {
        var value = DialogLoader.Optional(map, key) ?? fallback;
        return value.Length == 7 && value[0] == '#' && value.Skip(1).All(char.IsAsciiHexDigit)
            ? value.ToUpperInvariant()
            : throw new ContentFileException(file, ValueLine(map, key), $"'{key}' must be a colour like #0B4F8A (was '{value}')");
    }
}
