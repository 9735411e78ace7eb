using System.Text;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Guides;

/// <summary>Which catalog procedures a guide lists after its text.</summary>
public enum GuideProcedures
{
    None,

    /// <summary>The procedures marked <c>writingFreeCounter: true</c> (書かない窓口).</summary>
    WritingFree,
}

/// <summary>One of the city's measures explained to residents (書かない窓口, the city's SMS, help beyond the classes).</summary>
public sealed record Guide(string Id, string Title, bool Sample, IReadOnlyList<string> Keywords, string Text, GuideProcedures Procedures, string Contact, int Position);

/// <summary>
/// Reads Content/guides.yaml, the residents' guides the office keeps. Every problem is reported with its line, all
/// at once, like the catalog.
/// </summary>
public static partial class GuideFile
{
    public const string FileName = "guides.yaml";

    private static readonly HashSet<string> Keys = ["id", "title", "sample", "keywords", "text", "procedures", "contact"];

    public static IReadOnlyList<Guide> Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path, Encoding.UTF8), path) : throw new FileNotFoundException($"Guides not found: {path}", path);

    public static IReadOnlyList<Guide> Parse(string yaml, string file)
    {
        var root = DialogLoader.ReadRoot(yaml, file);
        if (!root.Children.TryGetValue(new YamlScalarNode("guides"), out var listNode) || listNode is not YamlSequenceNode list)
        {
            throw new ContentFileException(file, DialogLoader.Line(root), "expected 'guides:' with a list of guides (- id: …)");
        }

        var errors = new List<(int Line, string Message)>();
        foreach (var key in root.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value != "guides"))
        {
            errors.Add((DialogLoader.Line(key), $"unknown key '{key.Value}' at the top (known: guides)"));
        }

        var guides = new List<Guide>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in list.Children)
        {
            var line = DialogLoader.Line(node);
            if (node is not YamlMappingNode map)
            {
                errors.Add((line, "a guide must be a mapping (id: …, title: …)"));
                continue;
            }

            var before = errors.Count;
            foreach (var key in map.Children.Keys)
            {
                if (key is not YamlScalarNode { Value: { } name } || !Keys.Contains(name))
                {
                    errors.Add((DialogLoader.Line(key), $"unknown key '{(key as YamlScalarNode)?.Value}' (known: {string.Join(", ", Keys)})"));
                }
            }

            var id = DialogLoader.Text(map, "id", errors, required: true);
            if (id.Length > 0 && !IdPattern().IsMatch(id))
            {
                errors.Add((line, $"id '{id}' must be lower-case letters, digits and '-', e.g. city-sms"));
            }

            var procedures = DialogLoader.Text(map, "procedures", errors, required: false) switch
            {
                "" => GuideProcedures.None,
                "writing-free" => GuideProcedures.WritingFree,
                var other => Fail(errors, line, $"procedures '{other}' must be writing-free (the catalog's 書かない窓口 procedures) or left out"),
            };
            var sampleText = DialogLoader.Text(map, "sample", errors, required: false);
            if (sampleText is not ("" or "true" or "false"))
            {
                errors.Add((line, $"'sample' must be true or false, not '{sampleText}'"));
            }

            var keywords = DialogLoader.List(map, "keywords", errors);
            if (keywords.Count == 0)
            {
                errors.Add((line, $"guide '{id}' needs keywords: the words residents use for it"));
            }

            var guide = new Guide(id, DialogLoader.Text(map, "title", errors, required: true), sampleText == "true", keywords, DialogLoader.Text(map, "text", errors, required: true), procedures, DialogLoader.Text(map, "contact", errors, required: false), guides.Count);
            if (errors.Count > before)
            {
                continue;
            }

            if (!ids.TryAdd(id, line))
            {
                errors.Add((line, $"id '{id}' is already used on line {ids[id]}"));
                continue;
            }

            guides.Add(guide);
        }

        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(e => e.Line).ToList();
            throw new ContentFileException(file, ordered[0].Line, ordered[0].Message + string.Concat(ordered.Skip(1).Select(e => $"\n  line {e.Line}: {e.Message}")));
        }

        return guides;
    }

    private static GuideProcedures Fail(List<(int, string)> errors, int line, string message)
    {
        errors.Add((line, message));
        return GuideProcedures.None;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();
}
