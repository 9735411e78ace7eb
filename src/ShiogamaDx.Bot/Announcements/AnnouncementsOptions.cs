using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Announcements;

public sealed class AnnouncementsOptions
{
    public const string SectionName = "Announcements";

    /// <summary>Staff who may write announcements (Entra ID object ids, or Bot Framework from.ids).</summary>
    public List<string> Authors { get; set; } = [];

    /// <summary>Staff who may approve another's announcement (never their own).</summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>
    /// Staff who may write / approve the announcements of one topic only, by topic id (e.g. <c>childcare</c>), besides
    /// those of <see cref="Authors"/> and <see cref="Approvers"/> who may do so for every topic.
    /// </summary>
    public Dictionary<string, TopicRoles> TopicRoles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The topic whose roles write and approve a class's own announcements (to its participants).</summary>
    public string ClassesTopic { get; set; } = "smartphone-classes";

    /// <summary>
    /// An announcement that reaches every LINE friend (a topic on by default that no friend turned off) goes as one
    /// broadcast instead of multicasts of 500.
    /// </summary>
    public bool Broadcast { get; set; } = true;

    /// <summary>Staff who may send an emergency announcement alone (emergency topics only; marked so in the record).</summary>
    public List<string> Emergency { get; set; } = [];

    /// <summary>Staff who may switch the disaster mode on and off (besides those of <see cref="Emergency"/>).</summary>
    public List<string> Disaster { get; set; } = [];

    /// <summary>The disaster notice residents read while the disaster mode is on; default: disaster.yaml in the content folder.</summary>
    public string? DisasterFile { get; set; }

    /// <summary>Hosts a link in an announcement may point to (https only); a subdomain of one is allowed too.</summary>
    public List<string> LinkHosts { get; set; } = ["www.city.shiogama.miyagi.jp"];

    /// <summary>Recipients per outbox message (one LINE multicast call each); LINE allows at most 500.</summary>
    [Range(1, 500)]
    public int ChunkSize { get; set; } = 500;

    /// <summary>How often scheduled announcements are released and finished ones reported to their author.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>File of the topics residents choose from; default: topics.yaml in the content folder.</summary>
    public string? TopicsFile { get; set; }

    /// <summary>Checked at start: a host list entry must be a plain host name, not a URL.</summary>
    internal bool RolesHaveIds() => Authors.Concat(Approvers).Concat(Emergency).Concat(Disaster)
        .Concat(TopicRoles.Values.SelectMany(r => r.Authors.Concat(r.Approvers))).All(id => !string.IsNullOrWhiteSpace(id));

    internal bool HostsAreNames() => LinkHosts.All(h => h.Length > 0 && Uri.CheckHostName(h) == UriHostNameType.Dns);
}

/// <summary>The roles of one topic (<c>Announcements:TopicRoles:{topic}:Authors</c> / <c>:Approvers</c>).</summary>
public sealed class TopicRoles
{
    public List<string> Authors { get; set; } = [];

    public List<string> Approvers { get; set; } = [];
}
