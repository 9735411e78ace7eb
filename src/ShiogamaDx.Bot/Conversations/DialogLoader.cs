using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>A content file the host cannot use; the message names the file and line so the city can fix it.</summary>
public sealed class ContentFileException(string file, int line, string message)
    : Exception($"{Path.GetFileName(file)}:{line}: {message}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    /// <summary>The message without the file and line in front.</summary>
    public string Reason { get; } = message;
}

/// <summary>
/// Reads dialog YAML through the representation model (not a serializer) so that every error, syntax or
/// meaning, is reported with its line.
/// </summary>
public static class DialogLoader
{
    private static readonly HashSet<string> StepKeys =
    [
        "id", "type", "prompt", "text", "choices", "choicesFrom", "action", "when", "next", "help",
        "retryPrompt", "maxAttempts", "optional", "min", "max", "maxLength",
    ];

    public static IReadOnlyList<DialogDefinition> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Dialog folder not found: {folder}");
        }

        var dialogs = Files(folder)
            .Select(f => Parse(File.ReadAllText(f), f))
            .Where(d => d is not null)
            .Select(d => d!)
            .ToList();

        if (Duplicates(dialogs).FirstOrDefault() is { } duplicate)
        {
            throw duplicate;
        }

        return dialogs;
    }

    public static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(folder, "*.yml", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal);

    internal static IEnumerable<ContentFileException> Duplicates(IEnumerable<DialogDefinition> dialogs) =>
        dialogs.GroupBy(d => d.Id).Where(g => g.Count() > 1).Select(g =>
            new ContentFileException(g.ElementAt(1).SourceFile, 1, $"dialog id '{g.Key}' is also used by {Path.GetFileName(g.First().SourceFile)}"));

    /// <summary>Parses one file; returns null for files that are not dialogs (no <c>steps</c>, e.g. menus or surveys).</summary>
    public static DialogDefinition? Parse(string yaml, string file)
    {
        var root = ReadRoot(yaml, file);
        if (!root.Children.ContainsKey(new YamlScalarNode("steps")))
        {
            return null;
        }

        var id = Required(root, "id", file);
        var audience = ParseEnum<Audience>(root, "audience", file, Audience.Resident);
        var title = Optional(root, "title") ?? id;
        var expires = TimeSpan.FromMinutes(30);
        if (Optional(root, "expiresAfterMinutes") is { } minutes)
        {
            if (!int.TryParse(minutes, CultureInfo.InvariantCulture, out var m) || m <= 0)
            {
                throw Error(file, root, "expiresAfterMinutes", "must be a positive whole number of minutes");
            }

            expires = TimeSpan.FromMinutes(m);
        }

        var triggers = Sequence(root, "triggers", file).Select(n => Scalar(n, file)).ToList();
        var stepsNode = root.Children[new YamlScalarNode("steps")] as YamlSequenceNode
            ?? throw Error(file, root, "steps", "must be a list of steps");
        var steps = stepsNode.Children.Select(n => ParseStep(n, file)).ToList();
        if (steps.Count == 0)
        {
            throw new ContentFileException(file, Line(stepsNode), "a dialog needs at least one step");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (!ids.Add(step.Id))
            {
                throw new ContentFileException(file, step.Line, $"step id '{step.Id}' is used twice");
            }
        }

        foreach (var step in steps.Where(s => s.Next is not null && s.Next != "end" && !ids.Contains(s.Next)))
        {
            throw new ContentFileException(file, step.Line, $"next: '{step.Next}' is not a step of this dialog");
        }

        return new DialogDefinition(id, audience, title, expires, triggers, steps, file);
    }

    internal static YamlMappingNode ReadRoot(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ContentFileException(file, (int)ex.Start.Line, ex.InnerException?.Message ?? ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet reports some syntax errors (an unclosed [ …) without a position: name the line by scanning.
            throw new ContentFileException(file, UnclosedBracketLine(yaml), "YAML syntax error (a [ or \" is not closed?): " + ex.Message);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ContentFileException(file, 1, "expected a mapping (key: value) at the top of the file");
        }

        return root;
    }

    private static int UnclosedBracketLine(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var comment = line.IndexOf(" #", StringComparison.Ordinal);
            var code = comment >= 0 ? line[..comment] : line;
            if (code.Count(c => c == '[') != code.Count(c => c == ']') || code.Count(c => c == '"') % 2 == 1)
            {
                return i + 1;
            }
        }

        return 1;
    }

    private static DialogStep ParseStep(YamlNode node, string file)
    {
        if (node is not YamlMappingNode map)
        {
            throw new ContentFileException(file, Line(node), "a step must be a mapping with id and type");
        }

        foreach (var key in map.Children.Keys)
        {
            var name = Scalar(key, file);
            if (!StepKeys.Contains(name))
            {
                throw new ContentFileException(file, Line(key), $"unknown step key '{name}' (known: {string.Join(", ", StepKeys)})");
            }
        }

        var id = Required(map, "id", file);
        var kind = ParseEnum<StepKind>(map, "type", file, null);
        var prompt = Optional(map, "prompt") ?? Optional(map, "text");
        var choices = Sequence(map, "choices", file).Select(c => ParseChoice(c, file)).ToList();
        var choicesFrom = Optional(map, "choicesFrom");
        var action = Optional(map, "action");
        var line = Line(map);

        switch (kind)
        {
            case StepKind.Choice when choices.Count == 0 && choicesFrom is null:
                throw new ContentFileException(file, line, $"choice step '{id}' needs choices or choicesFrom");
            case StepKind.Action when action is null:
                throw new ContentFileException(file, line, $"action step '{id}' needs action: <name>");
            case StepKind.Message when prompt is null:
                throw new ContentFileException(file, line, $"message step '{id}' needs text");
            case not (StepKind.Action or StepKind.Message) when prompt is null:
                throw new ContentFileException(file, line, $"step '{id}' needs a prompt");
            default:
                break;
        }

        return new DialogStep(
            id,
            kind,
            prompt,
            choices,
            choicesFrom,
            action,
            Optional(map, "when"),
            Optional(map, "next"),
            Optional(map, "help"),
            Optional(map, "retryPrompt"),
            Int(map, "maxAttempts", file) ?? 3,
            Optional(map, "optional") is "true" or "yes",
            Decimal(map, "min", file),
            Decimal(map, "max", file),
            Int(map, "maxLength", file) ?? 500,
            line);
    }

    private static Choice ParseChoice(YamlNode node, string file) => node switch
    {
        YamlScalarNode s => new Choice(s.Value ?? string.Empty),
        YamlMappingNode m => new Choice(Required(m, "label", file), Optional(m, "value")),
        _ => throw new ContentFileException(file, Line(node), "a choice is a label or {label, value}"),
    };

    internal static int Line(YamlNode node) => (int)node.Start.Line;

    internal static string? Optional(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

    /// <summary>An optional yes/no of a content file: on/true/yes or off/false/no; missing is no.</summary>
    internal static bool Flag(YamlMappingNode map, string key, string file) => Optional(map, key) is var value && ParseFlag(value) is { } flag
        ? flag
        : throw new ContentFileException(file, Line(map), $"'{key}' is on or off, not '{value}'");

    /// <summary>A yes/no in any content file, in the same words everywhere; null when the value is none of them.</summary>
    internal static bool? ParseFlag(string? value) => value switch
    {
        null or "" or "off" or "false" or "no" or "いいえ" => false,
        "on" or "true" or "yes" or "はい" => true,
        _ => null,
    };

    internal static string Required(YamlMappingNode map, string key, string file)
    {
        var value = Optional(map, key);
        return string.IsNullOrWhiteSpace(value)
            ? throw new ContentFileException(file, Line(map), $"'{key}' is required")
            : value;
    }

    internal static IEnumerable<YamlNode> Sequence(YamlMappingNode map, string key, string file)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return [];
        }

        return node is YamlSequenceNode seq
            ? seq.Children
            : throw new ContentFileException(file, Line(node), $"'{key}' must be a list");
    }

    // The catalog and guide files report every mistake of a file at once (the office fixes them in one pass), so
    // these two collect errors with their lines instead of throwing at the first, as the dialog readers above do.

    /// <summary>A single text value, trimmed; a list where a text belongs, or a missing or empty required value, is an error.</summary>
    internal static string Text(YamlMappingNode map, string key, List<(int Line, string Message)> errors, bool required)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            if (required)
            {
                errors.Add((Line(map), $"missing '{key}'"));
            }

            return string.Empty;
        }

        if (node is not YamlScalarNode scalar)
        {
            errors.Add((Line(node), $"'{key}' must be a single value, not a list"));
            return string.Empty;
        }

        var value = (scalar.Value ?? string.Empty).Trim();
        if (required && value.Length == 0)
        {
            errors.Add((Line(node), $"'{key}' is empty"));
        }

        return value;
    }

    /// <summary>A list of non-empty texts, trimmed; missing or empty is an empty list, anything else an error.</summary>
    internal static List<string> List(YamlMappingNode map, string key, List<(int Line, string Message)> errors)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (node is not YamlSequenceNode seq)
        {
            errors.Add((Line(node), $"'{key}' must be a list, e.g. [{key}1, {key}2] or lines starting with '- '"));
            return [];
        }

        var items = new List<string>();
        foreach (var item in seq.Children)
        {
            if (item is YamlScalarNode { Value: { } v } && v.Trim().Length > 0)
            {
                items.Add(v.Trim());
            }
            else
            {
                errors.Add((Line(item), $"every item of '{key}' must be a non-empty text"));
            }
        }

        return items;
    }

    internal static string Scalar(YamlNode node, string file) =>
        node is YamlScalarNode s ? s.Value ?? string.Empty : throw new ContentFileException(file, Line(node), "expected a plain value");

    private static T ParseEnum<T>(YamlMappingNode map, string key, string file, T? fallback)
        where T : struct, Enum
    {
        var value = Optional(map, key);
        if (value is null)
        {
            return fallback ?? throw new ContentFileException(file, Line(map), $"'{key}' is required ({string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant()})");
        }

        return Enum.TryParse<T>(value, ignoreCase: true, out var parsed)
            ? parsed
            : throw Error(file, map, key, $"'{value}' is not one of {string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant()}");
    }

    private static int? Int(YamlMappingNode map, string key, string file)
    {
        var value = Optional(map, key);
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw Error(file, map, key, $"'{value}' is not a positive whole number");
    }

    private static decimal? Decimal(YamlMappingNode map, string key, string file)
    {
        var value = Optional(map, key);
        if (value is null)
        {
            return null;
        }

        return decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Error(file, map, key, $"'{value}' is not a number");
    }

    private static ContentFileException Error(string file, YamlMappingNode map, string key, string message)
    {
        var line = map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? Line(node) : Line(map);
        return new ContentFileException(file, line, $"{key}: {message}");
    }
}
