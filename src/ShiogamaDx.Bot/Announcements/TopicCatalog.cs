using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Announcements;

/// <param name="DefaultOn">Residents receive it until they turn it off (防災).</param>
/// <param name="Emergency">May be sent by one person with the emergency role, without a second approver.</param>
public sealed record Topic(string Id, string Name, string? Description, bool DefaultOn, bool Emergency);

/// <summary>The topics residents choose from (Content/topics.yaml), read once at start; a bad file stops the start with its line.</summary>
public sealed partial class TopicCatalog(IReadOnlyList<Topic> topics)
{
    public const string FileName = "topics.yaml";

    public IReadOnlyList<Topic> All { get; } = topics;

    /// <summary>By id or by name, as staff type it (「防災」 finds 防災・災害).</summary>
    public Topic? Find(string? idOrName)
    {
        var wanted = idOrName?.Trim();
        if (string.IsNullOrEmpty(wanted))
        {
            return null;
        }

        return All.FirstOrDefault(t => t.Id.Equals(wanted, StringComparison.OrdinalIgnoreCase) || t.Name == wanted)
               ?? All.FirstOrDefault(t => t.Name.StartsWith(wanted, StringComparison.Ordinal));
    }

    public static TopicCatalog Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new ContentFileException(file, 1, "the topics file is missing");
        }

        var root = DialogLoader.ReadRoot(File.ReadAllText(file), file);
        var topics = new List<Topic>();
        foreach (var node in DialogLoader.Sequence(root, "topics", file))
        {
            if (node is not YamlMappingNode map)
            {
                throw new ContentFileException(file, DialogLoader.Line(node), "a topic is a mapping with id and name");
            }

            var id = DialogLoader.Required(map, "id", file);
            if (!IdPattern().IsMatch(id) || topics.Any(t => t.Id == id))
            {
                throw new ContentFileException(file, DialogLoader.Line(map), $"id '{id}' must be unique: lower-case letters, digits and '-'");
            }

            topics.Add(new Topic(id, DialogLoader.Required(map, "name", file), DialogLoader.Optional(map, "description"),
                DialogLoader.Flag(map, "default", file), DialogLoader.Flag(map, "emergency", file)));
        }

        return topics.Count == 0 ? throw new ContentFileException(file, 1, "'topics' must list at least one topic") : new TopicCatalog(topics);
    }

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    private static partial Regex IdPattern();
}
