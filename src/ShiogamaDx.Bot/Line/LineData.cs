using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShiogamaDx.Bot.Line;

public enum LineEventStatus
{
    Pending = 0,
    Done = 1,

    /// <summary>Stored but not to be answered (standby mode, or a type the bot does not act on).</summary>
    Skipped = 2,

    /// <summary>Delivery failed in a way a retry will not heal (blocked, unknown user); kept for the record.</summary>
    Failed = 3,
}

/// <summary>
/// A webhook event as LINE sent it, stored before the 200 so none is lost, and unique by webhookEventId so a
/// redelivery is never answered twice. The payload is cleared once the event is handled: residents' words are
/// not kept here longer than needed.
/// </summary>
public sealed class LineInboxEvent
{
    public long Id { get; set; }

    public required string WebhookEventId { get; set; }

    public required string Type { get; set; }

    /// <summary>Pseudonymous key of the person (null for events without a user, e.g. a group without userId).</summary>
    public string? UserKey { get; set; }

    /// <summary>LINE message id, so an unsend can clear the stored text.</summary>
    public string? MessageId { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public bool IsRedelivery { get; set; }

    public string? PayloadJson { get; set; }

    public LineEventStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The answer, kept once the engine produced it so a retried delivery never runs the turn twice.</summary>
    public string? RepliesJson { get; set; }

    /// <summary>X-Line-Retry-Key of the pushes of this answer (one UUID per event, one derived per message batch).</summary>
    public Guid RetryKey { get; set; }

    /// <summary>Set before the reply call: a reply token is used once, whatever the outcome.</summary>
    public bool ReplyTokenUsed { get; set; }

    /// <summary>
    /// The answer goes by push from now on: LINE refused the reply, or it was asked again and failed again. A used
    /// token without it and without a delivered batch means the outcome of the reply is unknown (the host stopped
    /// between the call and recording it, or the call timed out): the reply is tried again with the same token, and
    /// LINE's "Invalid reply token" then says the first one arrived.
    /// </summary>
    public bool ReplyFailed { get; set; }

    /// <summary>Message batches (of 5) already delivered, so a retry resumes after them.</summary>
    public int DeliveredBatches { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>The raw LINE user id behind a pseudonymous key: needed only to push, deleted when the person blocks the account.</summary>
public sealed class LineUser
{
    public required string UserKey { get; set; }

    public string? LineUserId { get; set; }

    public bool Following { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class LineInboxEventConfiguration : IEntityTypeConfiguration<LineInboxEvent>
{
    public void Configure(EntityTypeBuilder<LineInboxEvent> b)
    {
        b.ToTable("LineInbox");
        b.Property(x => x.WebhookEventId).HasMaxLength(64);
        b.Property(x => x.Type).HasMaxLength(40);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.MessageId).HasMaxLength(64);
        b.Property(x => x.LastError).HasMaxLength(500);
        b.HasIndex(x => x.WebhookEventId).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextAttemptAt, x.Timestamp });
        b.HasIndex(x => x.MessageId);
        // A person's pending events in time order (a batch reads each person's oldest): with UserKey alone, SQLite
        // took the Status index and sorted every pending event of everyone, a cost that grew with the backlog.
        b.HasIndex(x => new { x.UserKey, x.Status, x.Timestamp });
        b.HasIndex(x => x.ReceivedAt);
    }
}

internal sealed class LineUserConfiguration : IEntityTypeConfiguration<LineUser>
{
    public void Configure(EntityTypeBuilder<LineUser> b)
    {
        b.ToTable("LineUsers");
        b.HasKey(x => x.UserKey);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.LineUserId).HasMaxLength(64);
    }
}
