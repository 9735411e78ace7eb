using System.Security.Cryptography;
using System.Text;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Announcements;

public sealed record DisasterLink(string Label, Uri Url);

/// <summary>What the office writes in Content/disaster.yaml: the notice residents read while the disaster mode is on.</summary>
public sealed record DisasterNotice(string Title, string Text, IReadOnlyList<string> Shelters, IReadOnlyList<DisasterLink> Links, string Phone)
{
    /// <summary>The notice as residents read it, headings from messages.yaml.</summary>
    public string Render(MessageSet m)
    {
        var text = new StringBuilder(Title).Append('\n').Append(Text.Trim());
        if (Shelters.Count > 0)
        {
            text.Append("\n\n").Append(m[DisasterTexts.NoticeShelters]);
            foreach (var s in Shelters)
            {
                text.Append('\n').Append(m.Format(DisasterTexts.NoticeShelter, s));
            }
        }

        text.Append("\n\n").Append(Standing(m));
        return text.ToString();
    }

    /// <summary>The links and the phone number: what holds whether or not the mode is on.</summary>
    public string Standing(MessageSet m)
    {
        var text = new StringBuilder();
        if (Links.Count > 0)
        {
            text.Append(m[DisasterTexts.NoticeLinks]);
            foreach (var link in Links)
            {
                text.Append('\n').Append(m.Format(DisasterTexts.NoticeLink, link.Label, link.Url.AbsoluteUri));
            }

            text.Append("\n\n");
        }

        return text.Append(m.Format(DisasterTexts.NoticePhone, Phone)).ToString();
    }

    /// <summary>Changes when the office changes the notice: residents who read the old one read the new one once.</summary>
    public string Version(MessageSet m) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Render(m))))[..16];
}

/// <summary>
/// Content/disaster.yaml, read again whenever the file changes (the office edits it during a disaster, the bot must not
/// need a restart); a file that does not pass its checks leaves the last good notice in use and says why in the log.
/// </summary>
public sealed class DisasterNoticeFile(string path, ILogger<DisasterNoticeFile> logger)
{
    public const string FileName = "disaster.yaml";

    /// <summary>Longest notice in characters, so that the notice and an answer stay within LINE's 5,000 per text.</summary>
    public const int MaxLength = 2_000;

    private readonly Lock gate = new();
    private (DateTime Written, DisasterNotice Notice)? loaded;

    public string Path { get; } = path;

    public DisasterNotice Current
    {
        get
        {
            var written = File.GetLastWriteTimeUtc(Path);
            lock (gate)
            {
                if (loaded is { } l && l.Written == written)
                {
                    return l.Notice;
                }

                try
                {
                    loaded = (written, Load(Path));
                    logger.LogInformation("Disaster notice loaded from {File}", Path);
                }
                catch (Exception ex) when (ex is ContentFileException or IOException)
                {
                    if (loaded is not { } last)
                    {
                        throw;
                    }

                    logger.LogWarning("Disaster notice not reloaded, the last good one stays in use: {Problem}", ex.Message);
                    loaded = (written, last.Notice);
                }

                return loaded.Value.Notice;
            }
        }
    }

    public static DisasterNotice Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new ContentFileException(file, 1, "the disaster notice file is missing");
        }

        var root = DialogLoader.ReadRoot(File.ReadAllText(file), file);
        var title = DialogLoader.Required(root, "title", file);
        var text = DialogLoader.Required(root, "text", file);
        var phone = DialogLoader.Required(root, "phone", file);
        if (!phone.Any(char.IsAsciiDigit))
        {
            throw new ContentFileException(file, DialogLoader.Line(root), $"phone '{phone}' has no number");
        }

        var shelters = new List<string>();
        if (root.Children.TryGetValue(new YamlScalarNode("shelters"), out var s) && s is YamlSequenceNode shelterList)
        {
            shelters.AddRange(shelterList.Children.OfType<YamlScalarNode>().Select(n => n.Value?.Trim()).OfType<string>().Where(v => v.Length > 0));
        }

        var links = new List<DisasterLink>();
        if (root.Children.TryGetValue(new YamlScalarNode("links"), out var l) && l is YamlSequenceNode linkList)
        {
            foreach (var node in linkList.Children)
            {
                if (node is not YamlMappingNode map)
                {
                    throw new ContentFileException(file, DialogLoader.Line(node), "a link is a mapping with label and url");
                }

                var url = DialogLoader.Required(map, "url", file);
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                {
                    throw new ContentFileException(file, DialogLoader.Line(map), $"link '{url}' must be an https:// address");
                }

                links.Add(new DisasterLink(DialogLoader.Required(map, "label", file), uri));
            }
        }

        var length = title.Length + text.Length + phone.Length + shelters.Sum(x => x.Length + 3) + links.Sum(x => x.Label.Length + x.Url.AbsoluteUri.Length + 2);
        return length > MaxLength
            ? throw new ContentFileException(file, 1, $"the notice is {length} characters; at most {MaxLength}, so that it and the answer after it fit one LINE message each")
            : new DisasterNotice(title.Trim(), text.Trim(), shelters, links, phone.Trim());
    }
}
