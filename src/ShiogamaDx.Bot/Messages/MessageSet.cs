using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Messages;

/// <summary>
/// The wording of one version of Content/messages.yaml: <c>feature: { key: "text with {placeholder}" }</c>.
/// Loaded whole and checked against the keys the code declares, so a missing text, an unknown key or a placeholder
/// the code does not fill is refused with its file and line, never found by a resident.
/// </summary>
public sealed partial class MessageSet
{
    public const string FileName = "messages.yaml";

    private readonly IReadOnlyDictionary<string, string> texts;

    private MessageSet(IReadOnlyDictionary<string, string> texts, string file)
    {
        this.texts = texts;
        SourceFile = file;
    }

    public string SourceFile { get; }

    public string this[MessageKey key] => Format(key);

    /// <summary>The text with each placeholder replaced by the value at its position in <see cref="MessageKey.Placeholders"/>.</summary>
    public string Format(MessageKey key, params object?[] values)
    {
        if (values.Length != key.Placeholders.Length)
        {
            throw new ArgumentException($"{key.Key} takes {key.Placeholders.Length} value(s): {string.Join(", ", key.Placeholders)}", nameof(values));
        }

        var text = texts[key.Key];
        if (values.Length == 0)
        {
            return text;
        }

        return Placeholder().Replace(text, m =>
        {
            var index = Array.IndexOf(key.Placeholders, m.Groups[1].Value);
            return Convert.ToString(values[index], CultureInfo.InvariantCulture) ?? string.Empty;
        });
    }

    public static MessageSet Load(string file, IReadOnlyList<MessageKey> declared)
    {
        var problems = Check(file, declared, out var set);
        return problems.Count > 0 ? throw problems[0] : set!;
    }

    /// <summary>Every problem of the file (the start stops at the first; the content check lists them all).</summary>
    public static IReadOnlyList<ContentFileException> Check(string file, IReadOnlyList<MessageKey> declared, out MessageSet? set)
    {
        set = null;
        if (!File.Exists(file))
        {
            return [new ContentFileException(file, 0, "the messages file is missing")];
        }

        var problems = new List<ContentFileException>();
        YamlMappingNode root;
        try
        {
            root = DialogLoader.ReadRoot(File.ReadAllText(file, Encoding.UTF8), file);
        }
        catch (ContentFileException ex)
        {
            return [ex];
        }

        var byKey = declared.ToDictionary(k => k.Key, StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (featureNode, node) in root.Children)
        {
            var feature = (featureNode as YamlScalarNode)?.Value ?? string.Empty;
            if (node is not YamlMappingNode entries)
            {
                problems.Add(new ContentFileException(file, DialogLoader.Line(node), $"'{feature}' holds the messages of one feature as key: \"text\""));
                continue;
            }

            foreach (var (keyNode, textNode) in entries.Children)
            {
                var key = feature + "." + ((keyNode as YamlScalarNode)?.Value ?? string.Empty);
                var line = DialogLoader.Line(keyNode);
                if (!byKey.TryGetValue(key, out var messageKey))
                {
                    problems.Add(new ContentFileException(file, line, $"'{key}' is not a message the host uses (a typo? the keys of '{feature}': {string.Join(", ", declared.Where(k => k.Key.StartsWith(feature + ".", StringComparison.Ordinal)).Select(k => k.Key[(feature.Length + 1)..]))})"));
                    continue;
                }

                if (textNode is not YamlScalarNode { Value: { Length: > 0 } text })
                {
                    problems.Add(new ContentFileException(file, line, $"'{key}' needs a text"));
                    continue;
                }

                if (!texts.TryAdd(key, text))
                {
                    problems.Add(new ContentFileException(file, line, $"'{key}' is written twice"));
                    continue;
                }

                foreach (Match m in Placeholder().Matches(text))
                {
                    if (!messageKey.Placeholders.Contains(m.Groups[1].Value, StringComparer.Ordinal))
                    {
                        problems.Add(new ContentFileException(file, line, messageKey.Placeholders.Length == 0
                            ? $"'{key}' has no placeholders: {{{m.Groups[1].Value}}} would be shown as it is"
                            : $"'{key}': {{{m.Groups[1].Value}}} is not filled by the host (it fills {string.Join(", ", messageKey.Placeholders.Select(p => "{" + p + "}"))})"));
                    }
                }
            }
        }

        foreach (var missing in declared.Where(k => !texts.ContainsKey(k.Key) && !problems.Any(p => p.Reason.StartsWith($"'{k.Key}'", StringComparison.Ordinal))))
        {
            problems.Add(new ContentFileException(file, DialogLoader.Line(root), $"'{missing.Key}' is missing{(missing.Placeholders.Length > 0 ? $" (it may use {string.Join(", ", missing.Placeholders.Select(p => "{" + p + "}"))})" : string.Empty)}"));
        }

        if (problems.Count == 0)
        {
            set = new MessageSet(texts, file);
        }

        return problems;
    }

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9.\-]*)\}")]
    private static partial Regex Placeholder();
}
