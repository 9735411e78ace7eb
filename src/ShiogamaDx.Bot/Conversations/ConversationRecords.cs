using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>The stored state of an active dialog, one row per conversation.</summary>
public sealed class ConversationStateRecord
{
    public required string ConversationKey { get; set; }

    public required string DialogId { get; set; }

    public required string StepId { get; set; }

    public required string StateJson { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Version { get; set; }
}

/// <summary>The options last offered in a conversation, so a typed number or label answers them.</summary>
public sealed class ConversationOffersRecord
{
    public required string ConversationKey { get; set; }

    public required string OffersJson { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A question the bot could not answer, kept (pseudonymised) for staff to review and improve content.</summary>
public sealed class UnansweredQuestion
{
    public long Id { get; set; }

    public required string Channel { get; set; }

    public Audience Audience { get; set; }

    public required string UserKey { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset AskedAt { get; set; }
}

internal sealed class ConversationStateConfiguration : IEntityTypeConfiguration<ConversationStateRecord>
{
    public void Configure(EntityTypeBuilder<ConversationStateRecord> b)
    {
        b.ToTable("ConversationStates");
        b.HasKey(x => x.ConversationKey);
        b.Property(x => x.ConversationKey).HasMaxLength(200);
        b.Property(x => x.DialogId).HasMaxLength(100);
        b.Property(x => x.StepId).HasMaxLength(100);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.ExpiresAt);
    }
}

internal sealed class ConversationOffersConfiguration : IEntityTypeConfiguration<ConversationOffersRecord>
{
    public void Configure(EntityTypeBuilder<ConversationOffersRecord> b)
    {
        b.ToTable("ConversationOffers");
        b.HasKey(x => x.ConversationKey);
        b.Property(x => x.ConversationKey).HasMaxLength(200);
    }
}

internal sealed class UnansweredQuestionConfiguration : IEntityTypeConfiguration<UnansweredQuestion>
{
    public void Configure(EntityTypeBuilder<UnansweredQuestion> b)
    {
        b.ToTable("UnansweredQuestions");
        b.Property(x => x.Channel).HasMaxLength(20);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.Text).HasMaxLength(500);
        b.Property(x => x.Audience).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => x.AskedAt);
    }
}
