using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShiogamaDx.Bot.Surveys;

/// <summary>A staff training whose survey the bot runs. Kind picks the survey file (staff-survey-&lt;kind&gt;.yaml).</summary>
public sealed class Training
{
    public int Id { get; set; }

    public required string Title { get; set; }

    /// <summary>generative-ai, excel, digital-tools, security … (free; a matching dialog file is optional).</summary>
    public required string Kind { get; set; }

    public DateOnly HeldOn { get; set; }

    public string? Audience { get; set; }

    /// <summary>Answers are accepted (and replaceable) until then.</summary>
    public DateTimeOffset ClosesAt { get; set; }

    public bool IsSample { get; set; }
}

/// <summary>One person's answers to one training's survey; the person only as the pseudonymous key.</summary>
public sealed class StaffSurveyResponse
{
    public long Id { get; set; }

    public int TrainingId { get; set; }

    public required string RespondentKey { get; set; }

    public int Satisfaction { get; set; }

    public required string Difficulty { get; set; }

    public int DigitalToolUse { get; set; }

    /// <summary>Only asked after generative-AI trainings.</summary>
    public int? GenAiEfficiency { get; set; }

    public string? Comment { get; set; }

    public DateTimeOffset AnsweredAt { get; set; }
}

/// <summary>Who was sent a training's survey, so the non-respondents get one reminder.</summary>
public sealed class StaffSurveyInvitation
{
    public long Id { get; set; }

    public int TrainingId { get; set; }

    public required string UserKey { get; set; }

    public DateTimeOffset SentAt { get; set; }

    public DateTimeOffset? RemindedAt { get; set; }
}

internal sealed class TrainingConfiguration : IEntityTypeConfiguration<Training>
{
    public void Configure(EntityTypeBuilder<Training> b)
    {
        b.ToTable("Trainings");
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Kind).HasMaxLength(50);
        b.Property(x => x.Audience).HasMaxLength(200);
    }
}

internal sealed class StaffSurveyResponseConfiguration : IEntityTypeConfiguration<StaffSurveyResponse>
{
    public void Configure(EntityTypeBuilder<StaffSurveyResponse> b)
    {
        b.ToTable("StaffSurveyResponses");
        b.Property(x => x.RespondentKey).HasMaxLength(100);
        b.Property(x => x.Difficulty).HasMaxLength(20);
        b.Property(x => x.Comment).HasMaxLength(1000);
        b.HasIndex(x => new { x.TrainingId, x.RespondentKey }).IsUnique(); // one answer per person per training
        b.HasOne<Training>().WithMany().HasForeignKey(x => x.TrainingId);
    }
}

internal sealed class StaffSurveyInvitationConfiguration : IEntityTypeConfiguration<StaffSurveyInvitation>
{
    public void Configure(EntityTypeBuilder<StaffSurveyInvitation> b)
    {
        b.ToTable("StaffSurveyInvitations");
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.HasIndex(x => new { x.TrainingId, x.UserKey }).IsUnique();
        b.HasOne<Training>().WithMany().HasForeignKey(x => x.TrainingId);
    }
}
