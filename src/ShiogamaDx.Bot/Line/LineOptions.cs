using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Line;

public sealed class LineOptions
{
    public const string SectionName = "Line";

    /// <summary>Verifies X-Line-Signature. Empty: the LINE channel is off (the webhook answers 404), never "unverified".</summary>
    public string? ChannelSecret { get; set; }

    /// <summary>The secret before a rotation, accepted too while the console switches over; remove it afterwards.</summary>
    public string? PreviousChannelSecret { get; set; }

    /// <summary>Long-lived channel access token (Bearer) for the Messaging API.</summary>
    public string? ChannelAccessToken { get; set; }

    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://api.line.me");

    [Required]
    public Uri DataApiBaseUrl { get; set; } = new("https://api-data.line.me");

    /// <summary>The bot's own user id (U…). When set, webhooks for another destination are ignored.</summary>
    public string? Destination { get; set; }

    /// <summary>A reply token is good for about a minute; past this age the answer is pushed instead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ReplyTokenLifetime { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>When an answer takes longer than this, the person sees LINE's loading animation.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan LoadingAnimationAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the outbox (reminders, surveys) is checked for LINE pushes due later or written by another replica (one committed here wakes it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Per-request timeout towards LINE (each attempt).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>After LINE says the month's message limit is reached, pushes stop for this long.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "31.00:00:00")]
    public TimeSpan MonthlyLimitPause { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Messages (and button taps) one person may send at once before the per-person limit applies.</summary>
    [Range(1, 1000)]
    public int UserBurst { get; set; } = 10;

    /// <summary>Sustained messages per minute one person is answered; beyond, one "please wait" then silence until it refills.</summary>
    [Range(1, 6000)]
    public int UserMessagesPerMinute { get; set; } = 20;

    public bool Enabled => !string.IsNullOrWhiteSpace(ChannelSecret) && !string.IsNullOrWhiteSpace(ChannelAccessToken);
}
