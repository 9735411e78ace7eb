using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShiogamaDx.Bot.Announcements;

/// <summary>A resident's choice for one topic, by pseudonymous key; no row means the topic's default.</summary>
public sealed class TopicSubscription
{
    public required string UserKey { get; set; }

    public required string TopicId { get; set; }

    public bool On { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum AnnouncementStatus
{
    /// <summary>Written, waiting for a second person to approve or return it.</summary>
    Pending,

    /// <summary>Sent back to its author by an approver, with a reason; never sent.</summary>
    Returned,

    /// <summary>Approved (or sent as an emergency); released at <see cref="Announcement.SendAt"/>.</summary>
    Approved,

    /// <summary>Its recipients are fixed and its chunks are in the outbox.</summary>
    Sending,

    /// <summary>Every chunk delivered or given up; the author has been told the result.</summary>
    Done,
}

/// <summary>An announcement and its record (who wrote, who approved, emergency or not, what came of it): the audit.</summary>
public sealed class Announcement
{
    public long Id { get; set; }

    public required string TopicId { get; set; }

    /// <summary>What the author wrote: up to five messages, separated by a line <c>---</c>.</summary>
    public required string Text { get; set; }

    /// <summary>A class's own announcement: to the people registered for it (waiting too), whatever their topics.</summary>
    public string? ClassId { get; set; }

    public string? Link { get; set; }

    public string? ImageUrl { get; set; }

    /// <summary>Pseudonymous staff key of the author.</summary>
    public required string AuthorKey { get; set; }

    public string? ApproverKey { get; set; }

    public AnnouncementStatus Status { get; set; }

    /// <summary>Sent by one person with the emergency role, without a second approver.</summary>
    public bool Emergency { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it is to go out; null: as soon as it is approved.</summary>
    public DateTimeOffset? SendAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? ReturnReason { get; set; }

    /// <summary>How many it was addressed to when its recipients were fixed.</summary>
    public int Recipients { get; set; }

    public int Delivered { get; set; }

    public int Failed { get; set; }

    /// <summary>Recipients who blocked the account within 24 hours of delivery: the cost of the message.</summary>
    public int UnfollowsAfter { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

internal sealed class TopicSubscriptionConfiguration : IEntityTypeConfiguration<TopicSubscription>
{
    public void Configure(EntityTypeBuilder<TopicSubscription> b)
    {
        b.ToTable("TopicSubscriptions");
        b.HasKey(x => new { x.UserKey, x.TopicId });
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.TopicId).HasMaxLength(40);
        b.HasIndex(x => new { x.TopicId, x.On });
    }
}

internal sealed class AnnouncementConfiguration : IEntityTypeConfiguration<Announcement>
{
    public void Configure(EntityTypeBuilder<Announcement> b)
    {
        b.ToTable("Announcements");
        b.Property(x => x.TopicId).HasMaxLength(40);
        b.Property(x => x.Text).HasMaxLength(30000);
        b.Property(x => x.ClassId).HasMaxLength(40);
        b.Property(x => x.Link).HasMaxLength(1000);
        b.Property(x => x.ImageUrl).HasMaxLength(2000);
        b.Property(x => x.AuthorKey).HasMaxLength(100);
        b.Property(x => x.ApproverKey).HasMaxLength(100);
        b.Property(x => x.ReturnReason).HasMaxLength(500);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.Status, x.SendAt });
    }
}
