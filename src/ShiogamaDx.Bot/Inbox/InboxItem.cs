using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Inbox;

public enum InboxStatus
{
    Pending = 0,
    Done = 1,

    /// <summary>Stored but not to be answered (standby mode, a type the bot does not act on, unreadable, rate limited).</summary>
    Skipped = 2,

    /// <summary>Delivery failed in a way a retry will not heal (blocked, unknown user, conversation gone); kept for the record.</summary>
    Failed = 3,
}

/// <summary>
/// A LINE webhook event or a staff activity, stored before the 200 so none is lost, unique by the channel's own id
/// so a redelivery is never answered twice. The payload and the answer are cleared once the item is handled: people's
/// words are not kept here longer than needed.
/// </summary>
public sealed class InboxItem
{
    public long Id { get; set; }

    /// <summary><c>line</c> or <c>staff</c>.</summary>
    public required string Channel { get; set; }

    /// <summary>LINE's webhookEventId, or the activity id (with a suffix for each person a greeting goes to).</summary>
    public required string EventId { get; set; }

    public required string Type { get; set; }

    /// <summary>Whose items are answered one at a time, in order: a LINE user's key, a staff conversation's key. Null: nobody's (a group).</summary>
    public string? PersonKey { get; set; }

    /// <summary>LINE message id, so an unsend can clear the stored text.</summary>
    public string? MessageId { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public bool IsRedelivery { get; set; }

    public string? PayloadJson { get; set; }

    public InboxStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The answer, kept once the engine produced it so a retried delivery never runs the turn twice.</summary>
    public string? RepliesJson { get; set; }

    /// <summary>X-Line-Retry-Key of the pushes of this answer (one per item, one derived per message batch).</summary>
    public Guid RetryKey { get; set; }

    /// <summary>Set before the reply call: a reply token is used once, whatever the outcome.</summary>
    public bool ReplyTokenUsed { get; set; }

    /// <summary>
    /// The answer goes by push from now on: LINE refused the reply, or it was asked again and failed again. A used
    /// token without it and without a delivered part means the reply's outcome is unknown (a stop or crash between
    /// the call and recording it): the reply is tried again with the same token, and LINE's "Invalid reply token"
    /// then says the first one arrived.
    /// </summary>
    public bool ReplyFailed { get; set; }

    /// <summary>Parts of the answer already delivered (LINE: batches of 5 messages; staff: activities), so a retry resumes after them.</summary>
    public int DeliveredParts { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>Handled: the person's words, the reply token and the answer are not kept.</summary>
    public void Finish(InboxStatus status, string? error, DateTimeOffset now)
    {
        (Status, ProcessedAt, LastError) = (status, now, error is null ? null : TextNormalizer.Clip(error, 500));
        (PayloadJson, RepliesJson) = (null, null);
    }

    /// <summary>Tried again after a backoff; given up (Failed) after <paramref name="maxAttempts"/>.</summary>
    /// <returns>False when it was given up.</returns>
    public bool RetryLater(string error, DateTimeOffset now, int maxAttempts, TimeSpan firstBackoff, TimeSpan maxBackoff)
    {
        Attempts++;
        if (Attempts >= maxAttempts)
        {
            Finish(InboxStatus.Failed, "gave up after retries: " + error, now);
            return false;
        }

        var backoff = firstBackoff * Math.Pow(2, Math.Min(Attempts - 1, 16));
        NextAttemptAt = now + (backoff < maxBackoff ? backoff : maxBackoff);
        LastError = TextNormalizer.Clip(error, 500);
        return true;
    }
}

internal sealed class InboxItemConfiguration : IEntityTypeConfiguration<InboxItem>
{
    public void Configure(EntityTypeBuilder<InboxItem> b)
    {
        b.ToTable("Inbox");
        b.Property(x => x.Channel).HasMaxLength(20);
        b.Property(x => x.EventId).HasMaxLength(200);
        b.Property(x => x.Type).HasMaxLength(40);
        b.Property(x => x.PersonKey).HasMaxLength(100);
        b.Property(x => x.MessageId).HasMaxLength(64);
        b.Property(x => x.LastError).HasMaxLength(500);
        b.HasIndex(x => new { x.Channel, x.EventId }).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextAttemptAt, x.Timestamp });

        // A person's pending items in time order: the worker answers each person's oldest first.
        b.HasIndex(x => new { x.PersonKey, x.Status, x.Timestamp });
        b.HasIndex(x => x.MessageId);
        b.HasIndex(x => x.ReceivedAt);
    }
}
