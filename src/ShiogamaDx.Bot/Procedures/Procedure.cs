using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>Whether a procedure needs the マイナンバーカード (online: for the electronic signature).</summary>
public enum MyNumberCardUse
{
    NotNeeded,
    Optional,
    Required,
}

/// <summary>How a procedure is really done, first: the headline of its card.</summary>
public enum ProcedureChannel
{
    Online,
    ConvenienceStore,
    Post,
    Counter,
    Phone,

    /// <summary>Nothing to apply for (ごみの分け方): the card informs and has no payment line.</summary>
    Information,
}

/// <summary>One procedure of the city's catalog, as the city wrote it in Content/procedures.yaml.</summary>
public sealed class Procedure
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public string Description { get; set; } = string.Empty;

    public required string Category { get; set; }

    /// <summary>担当課.</summary>
    public required string Department { get; set; }

    /// <summary>Phone or "市役所代表" style contact; never invented.</summary>
    public string Contact { get; set; } = string.Empty;

    public bool Online { get; set; }

    /// <summary>How it is done, in a sentence residents understand (online form, post, counter).</summary>
    public string How { get; set; } = string.Empty;

    public string? Url { get; set; }

    /// <summary>Ways to pay online (クレジットカード, PayPay …); empty: not payable online.</summary>
    public List<string> Payment { get; set; } = [];

    public bool OnlinePayment => Payment.Count > 0;

    /// <summary>The way the card's headline names; a file without it: online when <see cref="Online"/>, else the counter.</summary>
    public ProcedureChannel Channel { get; set; }

    /// <summary>窓口キャッシュレス: ways to pay at the counter without cash; empty: cash only at the counter.</summary>
    public List<string> CounterPayment { get; set; } = [];

    public bool CounterCashless => CounterPayment.Count > 0;

    public MyNumberCardUse MyNumberCard { get; set; }

    /// <summary>What to bring to the counter.</summary>
    public List<string> Bring { get; set; } = [];

    /// <summary>書かない窓口: staff fill in the form at the counter.</summary>
    public bool WritingFreeCounter { get; set; }

    /// <summary>
    /// The bot's own feature that does this procedure (<c>classes</c>: スマホ教室 are booked in this chat); null for
    /// procedures done elsewhere. A question that finds the procedure is answered by that feature, not by its card.
    /// </summary>
    public string? Feature { get; set; }

    public string Fee { get; set; } = string.Empty;

    public List<string> Keywords { get; set; } = [];

    public List<string> Examples { get; set; } = [];

    public DateOnly Reviewed { get; set; }

    /// <summary>True for the bundled sample records, which are not the city's real data.</summary>
    public bool Sample { get; set; }

    /// <summary>Order in the file: lists follow the city's order.</summary>
    public int Position { get; set; }
}

/// <summary>Which catalog is loaded: the hash decides whether start-up must seed again.</summary>
public sealed class ProcedureCatalogState
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Hash of the catalog now in the database (changes with every import that changed something).</summary>
    public required string Revision { get; set; }

    /// <summary>Hash of the seed file last applied at start; a later change of that file is seeded again.</summary>
    public string? SeedHash { get; set; }

    public required string Source { get; set; }

    public string? PortalUrl { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    public int Count { get; set; }
}

/// <summary>「役に立った / 役に立たなかった」 counted per procedure: counts only, nothing about the person.</summary>
public sealed class ProcedureFeedback
{
    public required string ProcedureId { get; set; }

    public int Helpful { get; set; }

    public int NotHelpful { get; set; }
}

/// <summary>
/// How often residents asked about a procedure, per month: the demand behind the plan's next candidates for
/// going online (OODA). Counts only; who asked is not kept.
/// </summary>
public sealed class ProcedureDemand
{
    public required string ProcedureId { get; set; }

    /// <summary>First day of the month, Japan time.</summary>
    public DateOnly Month { get; set; }

    public int Asked { get; set; }
}

internal sealed class ProcedureDemandConfiguration : IEntityTypeConfiguration<ProcedureDemand>
{
    public void Configure(EntityTypeBuilder<ProcedureDemand> builder)
    {
        builder.ToTable("ProcedureDemand");
        builder.HasKey(d => new { d.ProcedureId, d.Month });
        builder.Property(d => d.ProcedureId).HasMaxLength(64);
    }
}

internal sealed class ProcedureConfiguration : IEntityTypeConfiguration<Procedure>
{
    public void Configure(EntityTypeBuilder<Procedure> builder)
    {
        builder.ToTable("Procedures");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(64);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Category).HasMaxLength(100);
        builder.Property(p => p.Department).HasMaxLength(100);
        builder.Property(p => p.Url).HasMaxLength(500);
        builder.Property(p => p.Feature).HasMaxLength(40);
        builder.Property(p => p.MyNumberCard).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(p => p.OnlinePayment);
        builder.Ignore(p => p.CounterCashless);
        builder.Property(p => p.Channel).HasConversion<string>().HasMaxLength(24);
        builder.HasIndex(p => p.Position);
    }
}

internal sealed class ProcedureCatalogStateConfiguration : IEntityTypeConfiguration<ProcedureCatalogState>
{
    public void Configure(EntityTypeBuilder<ProcedureCatalogState> builder)
    {
        builder.ToTable("ProcedureCatalogState");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Revision).HasMaxLength(64);
        builder.Property(s => s.SeedHash).HasMaxLength(64);
        builder.Property(s => s.Source).HasMaxLength(500);
        builder.Property(s => s.PortalUrl).HasMaxLength(500);
    }
}

internal sealed class ProcedureFeedbackConfiguration : IEntityTypeConfiguration<ProcedureFeedback>
{
    public void Configure(EntityTypeBuilder<ProcedureFeedback> builder)
    {
        builder.ToTable("ProcedureFeedback");
        builder.HasKey(f => f.ProcedureId);
        builder.Property(f => f.ProcedureId).HasMaxLength(64);
    }
}
