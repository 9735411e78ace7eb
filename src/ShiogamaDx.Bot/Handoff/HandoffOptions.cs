using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Handoff;

/// <summary>A staff conversation that receives residents' handoff requests (a Teams channel of the DX office or a department).</summary>
public sealed class HandoffConversation
{
    /// <summary>What staff call it (転送 names it); unique.</summary>
    public string Name { get; set; } = "";

    public string ServiceUrl { get; set; } = "";

    public string ConversationId { get; set; } = "";

    public string? TenantId { get; set; }

    /// <summary>The Bot Framework channel (msteams, webchat, emulator …); empty: Teams.</summary>
    public string? ChannelId { get; set; }
}

public sealed class HandoffOptions
{
    public const string SectionName = "Handoff";

    /// <summary>Where requests are posted. Empty: handoff off, residents get the phone number.</summary>
    public List<HandoffConversation> Conversations { get; set; } = [];

    /// <summary>Staff who may claim: aadObjectId (Teams) or the Bot Framework from.id where the channel gives no aadObjectId.</summary>
    public List<string> Staff { get; set; } = [];

    /// <summary>Unclaimed this long within office hours, the resident is told kindly and given the phone number.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Closed handoffs (messages, times, who answered) are erased after this many days.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Residents see the staff member's name; false: 「市の担当者」.</summary>
    public bool ShowStaffNames { get; set; }

    /// <summary>How often timeouts and retention are checked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The office calendar (weekdays, hours, 年末年始 and holidays), relative to Content:Path.</summary>
    [Required]
    public string CalendarFile { get; set; } = "office-hours.yaml";

    public bool Enabled => Conversations.Count > 0;
}

/// <summary>A handoff nobody may claim, or posted to a conversation the connector cannot find, fails at start, not when a resident asks.</summary>
internal sealed class HandoffOptionsValidator : IValidateOptions<HandoffOptions>
{
    public ValidateOptionsResult Validate(string? name, HandoffOptions options)
    {
        var problems = new List<string>();
        foreach (var (c, i) in options.Conversations.Select((c, i) => (c, i)))
        {
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                problems.Add($"Handoff:Conversations:{i}:Name is required.");
            }

            if (!Uri.TryCreate(c.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            {
                problems.Add($"Handoff:Conversations:{i}:ServiceUrl must be an absolute http(s) URL (the connector's serviceUrl of that conversation).");
            }

            if (string.IsNullOrWhiteSpace(c.ConversationId))
            {
                problems.Add($"Handoff:Conversations:{i}:ConversationId is required.");
            }
        }

        if (options.Conversations.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add($"Handoff:Conversations: the name '{twice.Key}' is used twice.");
        }

        if (options.Enabled && !options.Staff.Any(s => !string.IsNullOrWhiteSpace(s)))
        {
            problems.Add("Handoff:Staff must name at least one staff member (aadObjectId) when Handoff:Conversations is set: nobody could claim a request.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
