using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// Reads the procedure catalog (YAML). YAML rather than CSV on purpose: a procedure has several lists
/// (keywords, example questions, what to bring, payment methods) that CSV can only squeeze into one cell,
/// comments let the city note why a record says what it says, and a spreadsheet's "save as CSV" silently
/// changes encodings and dates. Every problem is reported with its line; all problems are collected, so the
/// city fixes a file in one pass.
/// </summary>
public static partial class ProcedureFile
{
    public const string FileName = "procedures.yaml";

    private static readonly HashSet<string> Keys =
    [
        "id", "name", "sample", "category", "department", "contact", "description", "online", "channel", "how", "url",
        "payment", "counterPayment", "myNumberCard", "bring", "writingFreeCounter", "feature", "fee", "keywords", "examples", "reviewed",
    ];

    /// <summary>The features of this chat a procedure can be done in (<see cref="Procedure.Feature"/>): the class feature's handler name.</summary>
    public static readonly IReadOnlySet<string> Features = new HashSet<string>(StringComparer.Ordinal) { Classes.ClassMessages.Handler };

    public static ProcedureFileContent Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Procedure catalog not found: {path}", path);
        }

        var bytes = File.ReadAllBytes(path);
        return Parse(Encoding.UTF8.GetString(bytes), path) with { Hash = Convert.ToHexString(SHA256.HashData(bytes)) };
    }

    public static ProcedureFileContent Parse(string yaml, string file)
    {
        var root = DialogLoader.ReadRoot(yaml, file);
        var errors = new List<(int Line, string Message)>();
        if (!root.Children.TryGetValue(new YamlScalarNode("procedures"), out var listNode) || listNode is not YamlSequenceNode list)
        {
            throw new ContentFileException(file, DialogLoader.Line(root), "expected 'procedures:' with a list of procedures (- id: …)");
        }

        var procedures = new List<Procedure>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in list.Children)
        {
            var procedure = ParseOne(node, errors, procedures.Count);
            if (procedure is null)
            {
                continue;
            }

            if (ids.TryGetValue(procedure.Id, out var firstLine))
            {
                errors.Add((DialogLoader.Line(node), $"id '{procedure.Id}' is already used on line {firstLine}"));
                continue;
            }

            ids[procedure.Id] = DialogLoader.Line(node);
            procedures.Add(procedure);
        }

        if (errors.Count == 0 && procedures.Count == 0)
        {
            errors.Add((DialogLoader.Line(list), "the catalog has no procedures"));
        }

        string? portal = null;
        if (root.Children.TryGetValue(new YamlScalarNode("portal"), out var portalNode))
        {
            portal = (portalNode as YamlScalarNode)?.Value?.Trim();
            if (portal is null || !Uri.TryCreate(portal, UriKind.Absolute, out var portalUri) || portalUri.Scheme != Uri.UriSchemeHttps)
            {
                errors.Add((DialogLoader.Line(portalNode), "portal must be the full https:// address of the e-application portal"));
            }
        }

        foreach (var key in root.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value is not ("procedures" or "portal")))
        {
            errors.Add((DialogLoader.Line(key), $"unknown key '{key.Value}' at the top (known: portal, procedures)"));
        }

        if (errors.Count > 0)
        {
            var first = errors.OrderBy(e => e.Line).First();
            var rest = errors.OrderBy(e => e.Line).Skip(1).Select(e => $"\n  line {e.Line}: {e.Message}");
            throw new ContentFileException(file, first.Line, first.Message + string.Concat(rest));
        }

        return new ProcedureFileContent(procedures, portal, string.Empty);
    }

    private static Procedure? ParseOne(YamlNode node, List<(int, string)> errors, int position)
    {
        var line = DialogLoader.Line(node);
        if (node is not YamlMappingNode map)
        {
            errors.Add((line, "a procedure must be a mapping (id: …, name: …)"));
            return null;
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
            errors.Add((LineOf(map, "id"), $"id '{id}' must be lower-case letters, digits and '-' (at most 64), e.g. juminhyo"));
        }

        var online = Bool(map, "online", errors, required: true);
        var url = DialogLoader.Text(map, "url", errors, required: false);
        if (url.Length > 0 && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add((LineOf(map, "url"), $"url '{url}' must be a full https:// address"));
        }
        else if (online && url.Length == 0)
        {
            errors.Add((LineOf(map, "online"), "online: true needs the url of the application"));
        }

        var card = DialogLoader.Text(map, "myNumberCard", errors, required: false) switch
        {
            "" or "none" or "不要" => MyNumberCardUse.NotNeeded,
            "optional" or "あれば便利" or "任意" => MyNumberCardUse.Optional,
            "required" or "必要" => MyNumberCardUse.Required,
            var other => Invalid(LineOf(map, "myNumberCard"), $"myNumberCard '{other}' must be required, optional or none", errors, MyNumberCardUse.NotNeeded),
        };

        var channel = DialogLoader.Text(map, "channel", errors, required: false) switch
        {
            "" => online ? ProcedureChannel.Online : ProcedureChannel.Counter,
            "online" or "オンライン" => ProcedureChannel.Online,
            "konbini" or "コンビニ" => ProcedureChannel.ConvenienceStore,
            "post" or "郵送" => ProcedureChannel.Post,
            "counter" or "窓口" => ProcedureChannel.Counter,
            "phone" or "電話" => ProcedureChannel.Phone,
            "info" or "案内" => ProcedureChannel.Information,
            var other => Invalid(LineOf(map, "channel"), $"channel '{other}' must be online, konbini, post, counter, phone or info", errors, ProcedureChannel.Counter),
        };
        if (channel == ProcedureChannel.Online && !online && map.Children.ContainsKey(new YamlScalarNode("channel")))
        {
            errors.Add((LineOf(map, "channel"), "channel: online needs online: true (and the url of the application)"));
        }

        var feature = DialogLoader.Text(map, "feature", errors, required: false);
        if (feature.Length > 0 && !Features.Contains(feature))
        {
            errors.Add((LineOf(map, "feature"), $"feature '{feature}' must be one of this chat's features: {string.Join(", ", Features)}"));
        }

        var reviewedText = DialogLoader.Text(map, "reviewed", errors, required: true);
        var reviewed = default(DateOnly);
        if (reviewedText.Length > 0 && !DateOnly.TryParseExact(reviewedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out reviewed))
        {
            errors.Add((LineOf(map, "reviewed"), $"reviewed '{reviewedText}' must be a date like 2026-04-01"));
        }

        var procedure = new Procedure
        {
            Id = id,
            Name = DialogLoader.Text(map, "name", errors, required: true),
            Category = DialogLoader.Text(map, "category", errors, required: true),
            Department = DialogLoader.Text(map, "department", errors, required: true),
            Contact = DialogLoader.Text(map, "contact", errors, required: false),
            Description = DialogLoader.Text(map, "description", errors, required: false),
            Online = online,
            How = DialogLoader.Text(map, "how", errors, required: true),
            Url = url.Length == 0 ? null : url,
            Channel = channel,
            Payment = DialogLoader.List(map, "payment", errors),
            CounterPayment = DialogLoader.List(map, "counterPayment", errors),
            MyNumberCard = card,
            Bring = DialogLoader.List(map, "bring", errors),
            WritingFreeCounter = Bool(map, "writingFreeCounter", errors, required: false),
            Feature = feature.Length == 0 ? null : feature,
            Fee = DialogLoader.Text(map, "fee", errors, required: false),
            Keywords = DialogLoader.List(map, "keywords", errors),
            Examples = DialogLoader.List(map, "examples", errors),
            Reviewed = reviewed,
            Sample = Bool(map, "sample", errors, required: false),
            Position = position,
        };

        if (procedure.Keywords.Count == 0 && !errors.Skip(before).Any())
        {
            errors.Add((line, $"procedure '{id}' needs keywords: the words residents use for it"));
        }

        return errors.Count > before ? null : procedure;
    }

    private static T Invalid<T>(int line, string message, List<(int, string)> errors, T fallback)
    {
        errors.Add((line, message));
        return fallback;
    }

    private static int LineOf(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? DialogLoader.Line(value) : DialogLoader.Line(map);

    private static bool Bool(YamlMappingNode map, string key, List<(int, string)> errors, bool required)
    {
        var text = DialogLoader.Text(map, key, errors, required);
        if (DialogLoader.ParseFlag(text) is { } flag)
        {
            return flag;
        }

        errors.Add((LineOf(map, key), $"'{key}' must be true or false, not '{text}'"));
        return false;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();
}

/// <param name="PortalUrl">The city's e-application portal, linked from the list of online procedures.</param>
/// <param name="Hash">SHA-256 of the file's bytes, to notice at start whether it changed.</param>
public sealed record ProcedureFileContent(IReadOnlyList<Procedure> Procedures, string? PortalUrl, string Hash);
