using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>Where a value comes from. Plan values are reloaded from Content/kpis.yaml at every start; manual ones stay.</summary>
public static class KpiSources
{
    public const string Plan = "plan";
    public const string Manual = "manual";
    public const string Survey = "survey";
    public const string Catalog = "catalog";

    /// <summary>A computed figure recorded for its fiscal year (KpiSnapshotJob, POST /api/admin/kpis/snapshot): it outlives a changed catalog.</summary>
    public const string Snapshot = "snapshot";
}

public sealed class KpiProject
{
    public required string Id { get; set; }

    public PlanKind Plan { get; set; }

    public int Policy { get; set; }

    public required string PolicyName { get; set; }

    public int Measure { get; set; }

    public required string Name { get; set; }

    public required string Source { get; set; }

    public required string Department { get; set; }

    public required string Summary { get; set; }

    public string? ResultStatus { get; set; }

    public string? ResultText { get; set; }

    public string? BudgetNote { get; set; }

    public int SortOrder { get; set; }
}

public sealed class KpiDefinition
{
    public required string Id { get; set; }

    public required string ProjectId { get; set; }

    public required string Name { get; set; }

    public required string Unit { get; set; }

    public string? Note { get; set; }

    public int SortOrder { get; set; }
}

/// <summary>
/// One value of a KPI (target or actual) or of a project (budget, KpiId = project id) for one fiscal year.
/// Several rows may exist for one cell: the plan's detail table (primary), another place of the plan that says
/// something else (not primary, SourceDetail names it), and a manual actual.
/// </summary>
public sealed class KpiValue
{
    public long Id { get; set; }

    public required string KpiId { get; set; }

    public int FiscalYear { get; set; }

    public KpiField Field { get; set; }

    public decimal? Value { get; set; }

    /// <summary>The plan's words when the cell is not a number.</summary>
    public string? Text { get; set; }

    public string? Note { get; set; }

    public required string Source { get; set; }

    public string? SourceDetail { get; set; }

    public bool IsPrimary { get; set; }

    /// <summary>Staff user key or operator name for manual values.</summary>
    public string? RecordedBy { get; set; }

    public DateTimeOffset? RecordedAt { get; set; }
}

/// <summary>Every change of a value: who, when, what it was, what it became, and why.</summary>
public sealed class KpiAuditEntry
{
    public long Id { get; set; }

    public required string KpiId { get; set; }

    public int FiscalYear { get; set; }

    public KpiField Field { get; set; }

    public string? OldValue { get; set; }

    public string? OldSource { get; set; }

    public required string NewValue { get; set; }

    public required string ChangedBy { get; set; }

    /// <summary>"chat" or "api".</summary>
    public required string Via { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public required string Reason { get; set; }
}

internal sealed class KpiProjectConfiguration : IEntityTypeConfiguration<KpiProject>
{
    public void Configure(EntityTypeBuilder<KpiProject> b)
    {
        b.ToTable("KpiProjects");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(60);
        b.Property(x => x.Plan).HasConversion<string>().HasMaxLength(10);
    }
}

internal sealed class KpiDefinitionConfiguration : IEntityTypeConfiguration<KpiDefinition>
{
    public void Configure(EntityTypeBuilder<KpiDefinition> b)
    {
        b.ToTable("KpiDefinitions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(60);
        b.Property(x => x.ProjectId).HasMaxLength(60);
    }
}

internal sealed class KpiValueConfiguration : IEntityTypeConfiguration<KpiValue>
{
    public void Configure(EntityTypeBuilder<KpiValue> b)
    {
        b.ToTable("KpiValues");
        b.Property(x => x.KpiId).HasMaxLength(60);
        b.Property(x => x.Field).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Source).HasMaxLength(20);
        b.Property(x => x.RecordedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.KpiId, x.FiscalYear, x.Field });
    }
}

internal sealed class KpiAuditEntryConfiguration : IEntityTypeConfiguration<KpiAuditEntry>
{
    public void Configure(EntityTypeBuilder<KpiAuditEntry> b)
    {
        b.ToTable("KpiAudit");
        b.Property(x => x.KpiId).HasMaxLength(60);
        b.Property(x => x.Field).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.ChangedBy).HasMaxLength(100);
        b.Property(x => x.Via).HasMaxLength(10);
        b.Property(x => x.Reason).HasMaxLength(500);
        b.HasIndex(x => x.ChangedAt);
    }
}
