using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShiogamaDx.Bot.Classes;

public enum ClassStatus
{
    Scheduled,
    Cancelled,
}

public enum RegistrationStatus
{
    Confirmed,
    Waiting,
    Cancelled,
}

/// <summary>One スマホ教室 session, from the schedule content file. <see cref="SeatsTaken"/> is the bot's own.</summary>
public sealed class SmartphoneClass
{
    /// <summary>The id in the schedule file, e.g. <c>2026-12-05-kouminkan</c>; short because it travels in postbacks.</summary>
    public required string Id { get; set; }

    public required string Title { get; set; }

    public required string Topic { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    public required string Venue { get; set; }

    public required string Address { get; set; }

    public int Capacity { get; set; }

    /// <summary>People holding a seat (registrants and companions); changed only by conditional updates.</summary>
    public int SeatsTaken { get; set; }

    public required string WhatToBring { get; set; }

    public string? Partner { get; set; }

    public ClassStatus Status { get; set; }

    /// <summary>From a sample schedule (<c>sample: true</c>): its card says so, residents must not take it for the city's.</summary>
    public bool IsSample { get; set; }

    public int SeatsLeft => Math.Max(0, Capacity - SeatsTaken);
}

public sealed class ClassRegistration
{
    public long Id { get; set; }

    public required string ClassId { get; set; }

    /// <summary>Pseudonymous key of the person; replaced by <c>erased:{Id}</c> when their data is erased.</summary>
    public required string UserKey { get; set; }

    /// <summary>The channel the person registered on; reminders and promotions are pushed there.</summary>
    public required string Channel { get; set; }

    public int Companions { get; set; }

    public RegistrationStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? PromotedAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>The person left (unfollowed) before the class: the seat is kept, the key erased once the class is over.</summary>
    public bool EraseAfterClass { get; set; }

    public SmartphoneClass? Class { get; set; }

    public int Seats => 1 + Companions;
}

/// <summary>One participant's comprehension survey for one class; kept anonymised when the person's data is erased.</summary>
public sealed class ClassSurveyAnswer
{
    public long Id { get; set; }

    public required string ClassId { get; set; }

    /// <summary>Fiscal year of the class date (April–March, the Western year it starts in): the KPI's year.</summary>
    public int FiscalYear { get; set; }

    /// <summary>Null once anonymised.</summary>
    public long? RegistrationId { get; set; }

    /// <summary>Null once anonymised.</summary>
    public string? UserKey { get; set; }

    /// <summary>4 よく理解できた … 1 理解できなかった (the values of the survey file's comprehension choices).</summary>
    public int Comprehension { get; set; }

    public required string ComprehensionLabel { get; set; }

    public string? Satisfaction { get; set; }

    public string? Difficulty { get; set; }

    public string? Comment { get; set; }

    /// <summary>Every answer by step id, so questions the city adds to the survey file are kept too.</summary>
    public required string AnswersJson { get; set; }

    public DateTimeOffset AnsweredAt { get; set; }
}

internal sealed class SmartphoneClassConfiguration : IEntityTypeConfiguration<SmartphoneClass>
{
    public void Configure(EntityTypeBuilder<SmartphoneClass> b)
    {
        b.ToTable("SmartphoneClasses");
        b.Ignore(x => x.SeatsLeft);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.Title).HasMaxLength(100);
        b.Property(x => x.Topic).HasMaxLength(300);
        b.Property(x => x.Venue).HasMaxLength(100);
        b.Property(x => x.Address).HasMaxLength(200);
        b.Property(x => x.WhatToBring).HasMaxLength(300);
        b.Property(x => x.Partner).HasMaxLength(100);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => x.StartsAt);
    }
}

internal sealed class ClassRegistrationConfiguration : IEntityTypeConfiguration<ClassRegistration>
{
    public void Configure(EntityTypeBuilder<ClassRegistration> b)
    {
        b.ToTable("ClassRegistrations");
        b.Ignore(x => x.Seats);
        b.Property(x => x.ClassId).HasMaxLength(40);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.Channel).HasMaxLength(20);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.HasOne(x => x.Class).WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Cascade);

        // The last line of defence against a double registration (double tap, two replicas).
        b.HasIndex(x => new { x.ClassId, x.UserKey }).IsUnique().HasFilter("\"Status\" <> 'Cancelled'");
        b.HasIndex(x => new { x.UserKey, x.Status });
    }
}

internal sealed class ClassSurveyAnswerConfiguration : IEntityTypeConfiguration<ClassSurveyAnswer>
{
    public void Configure(EntityTypeBuilder<ClassSurveyAnswer> b)
    {
        b.ToTable("ClassSurveyAnswers");
        b.Property(x => x.ClassId).HasMaxLength(40);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.ComprehensionLabel).HasMaxLength(50);
        b.Property(x => x.Satisfaction).HasMaxLength(50);
        b.Property(x => x.Difficulty).HasMaxLength(50);
        b.Property(x => x.Comment).HasMaxLength(500);
        b.HasIndex(x => x.RegistrationId).IsUnique();
        b.HasIndex(x => x.ClassId);
        b.HasIndex(x => x.FiscalYear);
    }
}
