using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Kpis;

public sealed class KpiOptions
{
    public const string SectionName = "Kpis";

    /// <summary>Staff chat ids (Entra ID object ids, as the staff channel sees them) allowed to update actuals in chat.</summary>
    public List<string> Editors { get; set; } = [];

    /// <summary>Public address of <c>/dashboard</c> as staff reach it (e.g. https://bot.city.example/dashboard), linked under KPI answers in chat; empty: no link.</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>A .ttf/.otf/.ttc with Japanese glyphs for the charts in chat; empty: Noto Sans CJK etc. found on the machine.</summary>
    public string? ChartFontFile { get; set; }

    public string? DashboardLink => string.IsNullOrWhiteSpace(DashboardUrl) ? null : DashboardUrl.Trim();

    public bool DashboardUrlIsValid =>
        DashboardLink is null || (Uri.TryCreate(DashboardLink, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Fragment.Length == 0);
}

/// <summary>Plan values are the file's; they are replaced at every start. Manual actuals and the audit stay.</summary>
internal sealed class KpiContentSeeder(BotDbContext db, KpiCatalog catalog, ILogger<KpiContentSeeder> logger) : IContentSeeder
{
    public int Order => 20;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<KpiProject>().ExecuteDeleteAsync(cancellationToken);
        await db.Set<KpiDefinition>().ExecuteDeleteAsync(cancellationToken);
        await db.Set<KpiValue>().Where(v => v.Source == KpiSources.Plan).ExecuteDeleteAsync(cancellationToken);

        var order = 0;
        foreach (var p in catalog.Projects)
        {
            db.Add(new KpiProject
            {
                Id = p.Id, Plan = p.Plan, Policy = p.Policy, PolicyName = p.PolicyName, Measure = p.Measure, Name = p.Name,
                Source = p.Source, Department = p.Department, Summary = p.Summary, ResultStatus = p.ResultStatus,
                ResultText = p.ResultText, BudgetNote = p.BudgetNote, SortOrder = order++,
            });
            foreach (var cell in p.Budget)
            {
                db.Add(PlanValue(p.Id, p, cell));
            }

            foreach (var k in p.Kpis)
            {
                db.Add(new KpiDefinition { Id = k.Id, ProjectId = p.Id, Name = k.Name, Unit = k.Unit, Note = k.Note, SortOrder = order++ });
                foreach (var cell in k.Cells)
                {
                    db.Add(PlanValue(k.Id, p, cell));
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("KPIs loaded: {Projects} projects, {Kpis} indicators", catalog.Projects.Count, catalog.Kpis.Count());
    }

    private static KpiValue PlanValue(string id, KpiProjectDef project, PlanCell cell) => new()
    {
        KpiId = id,
        FiscalYear = cell.FiscalYear,
        Field = cell.Field,
        Value = cell.Value,
        Text = cell.Text,
        Note = cell.Note,
        Source = KpiSources.Plan,
        SourceDetail = cell.Discrepancy ?? project.Source,
        IsPrimary = cell.Discrepancy is null,
    };
}

/// <summary>One value as shown: the number or the plan's words, and where it comes from.</summary>
public sealed record KpiCell(decimal? Value, string? Text, string? Note, string Source, string? SourceDetail, string? RecordedBy, DateTimeOffset? RecordedAt);

public sealed record KpiAchievement(string Status, decimal? Rate);

/// <summary>Everything known about the KPIs at one moment: plan, manual and computed values.</summary>
public sealed class KpiSnapshot(KpiCatalog catalog, IReadOnlyList<KpiValue> stored, IReadOnlyList<ComputedKpiValue> computed)
{
    public const string Achieved = "達成";
    public const string NotAchieved = "未達";
    public const string Undetermined = "未確定";
    public const string NoTarget = "目標なし";

    public KpiCatalog Catalog => catalog;

    /// <summary>The figures computed now (live), as the sources gave them.</summary>
    public IReadOnlyList<ComputedKpiValue> ComputedValues => computed;

    public KpiCell? Target(KpiDef kpi, int year) => Plan(kpi.Id, year, KpiField.Target, primary: true).FirstOrDefault();

    public KpiCell? Budget(KpiProjectDef project, int year) => Plan(project.Id, year, KpiField.Budget, primary: true).FirstOrDefault();

    /// <summary>What the plan says elsewhere about the same cell (kept, not chosen).</summary>
    public IReadOnlyList<KpiCell> OtherPlanValues(string id, int year, KpiField field) => Plan(id, year, field, primary: false).ToList();

    /// <summary>
    /// A manual value wins (someone decided it, and it is audited), then the plan's, then one computed now (the current
    /// fiscal year only), then the last one recorded for that year (how a past year's computed figure survives).
    /// </summary>
    public KpiCell? Actual(KpiDef kpi, int year) => Actuals(kpi, year) is { Count: > 0 } list ? list[0] : null;

    public IReadOnlyList<KpiCell> Actuals(KpiDef kpi, int year)
    {
        var manual = stored.Where(v => v.KpiId == kpi.Id && v.FiscalYear == year && v.Field == KpiField.Actual && v.Source == KpiSources.Manual)
            .OrderByDescending(v => v.RecordedAt).Select(ToCell);
        var computedCells = Computed(kpi, year).ToList();
        // The record only stands in when nothing is computed for that year now (a year gone by): never both.
        var recorded = computedCells.Count > 0 ? [] : stored.Where(v => v.KpiId == kpi.Id && v.FiscalYear == year && v.Field == KpiField.Actual && v.Source == KpiSources.Snapshot).Select(ToCell);
        return [.. manual, .. Plan(kpi.Id, year, KpiField.Actual, primary: true), .. computedCells, .. recorded];
    }

    public IEnumerable<KpiCell> Computed(KpiDef kpi, int year) =>
        computed.Where(c => c.KpiId == kpi.Id && c.FiscalYear == year)
            .Select(c => new KpiCell(c.Value, null, c.Note, c.Source, c.Note, null, null));

    public int? LatestActualYear(KpiDef kpi)
    {
        var years = stored.Where(v => v.KpiId == kpi.Id && v.Field == KpiField.Actual && (v.IsPrimary || v.Source is KpiSources.Manual or KpiSources.Snapshot) && (v.Value is not null || v.Text is not null))
            .Select(v => v.FiscalYear)
            .Concat(computed.Where(c => c.KpiId == kpi.Id).Select(c => c.FiscalYear))
            .ToList();
        return years.Count == 0 ? null : years.Max();
    }

    public IEnumerable<int> Years(KpiDef kpi)
    {
        var (first, last) = KpiCatalog.YearsOf(kpi.Plan);
        var years = Enumerable.Range(first, last - first + 1)
            .Concat(stored.Where(v => v.KpiId == kpi.Id).Select(v => v.FiscalYear))
            .Concat(computed.Where(c => c.KpiId == kpi.Id).Select(c => c.FiscalYear));
        return years.Distinct().Order();
    }

    public KpiAchievement Achievement(KpiDef kpi, int year)
    {
        var target = Target(kpi, year);
        var actual = Actual(kpi, year);
        if (target?.Value is not { } t || t == 0)
        {
            return new KpiAchievement(NoTarget, null);
        }

        if (actual?.Value is not { } a)
        {
            return new KpiAchievement(Undetermined, null);
        }

        return new KpiAchievement(a >= t ? Achieved : NotAchieved, Math.Round(a / t * 100, 0, MidpointRounding.AwayFromZero));
    }

    private IEnumerable<KpiCell> Plan(string id, int year, KpiField field, bool primary) =>
        stored.Where(v => v.KpiId == id && v.FiscalYear == year && v.Field == field && v.Source == KpiSources.Plan && v.IsPrimary == primary)
            .Select(ToCell);

    private static KpiCell ToCell(KpiValue v) => new(v.Value, v.Text, v.Note, v.Source, v.SourceDetail, v.RecordedBy, v.RecordedAt);
}

public sealed record KpiChange(KpiDef Kpi, int FiscalYear, KpiCell? Old, decimal New, KpiCell? Computed);

/// <summary>Reads the KPIs (stored and computed) and records manual actuals with their audit entry.</summary>
public sealed class KpiService(BotDbContext db, KpiCatalog catalog, IEnumerable<IKpiValueSource> sources, MessageCatalog messages, TimeProvider clock, ILogger<KpiService> logger)
{
    public KpiCatalog Catalog => catalog;

    public int CurrentFiscalYear => FiscalYears.Current(clock);

    public async Task<KpiSnapshot> SnapshotAsync(CancellationToken ct)
    {
        var stored = await db.Set<KpiValue>().AsNoTracking().ToListAsync(ct);
        var computed = new List<ComputedKpiValue>();
        foreach (var source in sources)
        {
            try
            {
                computed.AddRange(await source.ComputeAsync(ct));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One broken source must not hide the plan: its values are simply not shown.
                logger.LogWarning(e, "KPI source {Source} failed", source.GetType().Name);
            }
        }

        // A computed value is only ever an actual of a known KPI; it can never replace a plan target.
        return new KpiSnapshot(catalog, stored, computed.Where(c => catalog.Kpi(c.KpiId) is not null).ToList());
    }

    /// <summary>
    /// Records each figure computed now (the catalog's counts) for its fiscal year, replacing that year's earlier
    /// record: run every hour by <see cref="KpiSnapshotJob"/>, so when a fiscal year ends its last record is its
    /// figure, whatever the catalog becomes; and by the office through the operations API.
    /// </summary>
    public async Task<IReadOnlyList<ComputedKpiValue>> RecordComputedAsync(string recordedBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var values = (await SnapshotAsync(ct)).ComputedValues;

        // Each year's record is replaced, so delete and insert commit together: a crash between them loses nothing.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var c in values)
        {
            await db.Set<KpiValue>().Where(v => v.KpiId == c.KpiId && v.FiscalYear == c.FiscalYear && v.Field == KpiField.Actual && v.Source == KpiSources.Snapshot).ExecuteDeleteAsync(ct);
            db.Add(new KpiValue
            {
                KpiId = c.KpiId, FiscalYear = c.FiscalYear, Field = KpiField.Actual, Value = c.Value, Source = KpiSources.Snapshot,
                SourceDetail = c.Note, Note = c.Note, IsPrimary = false, RecordedBy = recordedBy, RecordedAt = now,
            });
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return values;
    }

    /// <summary>Validates without saving: the error to show, or null.</summary>
    public static string? Validate(KpiCatalog catalog, MessageSet texts, string kpiId, int fiscalYear, decimal value)
    {
        if (catalog.Kpi(kpiId) is not { } kpi)
        {
            return texts.Format(KpiTexts.UnknownKpi, kpiId);
        }

        var (first, last) = KpiCatalog.YearsOf(kpi.Plan);
        if (fiscalYear < first || fiscalYear > last)
        {
            return texts.Format(KpiTexts.YearOutOfRange, kpi.Name, FiscalYears.Label(first), FiscalYears.Label(last), FiscalYears.Label(fiscalYear));
        }

        return value is < 0 or > 100_000_000 ? texts[KpiTexts.ValueInvalid] : null;
    }

    public async Task<KpiChange> SetActualAsync(string kpiId, int fiscalYear, decimal value, string changedBy, string reason, string via, CancellationToken ct)
    {
        if (Validate(catalog, messages.Current, kpiId, fiscalYear, value) is { } error)
        {
            throw new ArgumentException(error);
        }

        var kpi = catalog.Kpi(kpiId)!;
        var snapshot = await SnapshotAsync(ct);
        var old = snapshot.Actual(kpi, fiscalYear);
        var computed = snapshot.Computed(kpi, fiscalYear).FirstOrDefault();
        var now = clock.GetUtcNow();

        var row = await db.Set<KpiValue>().FirstOrDefaultAsync(
            v => v.KpiId == kpiId && v.FiscalYear == fiscalYear && v.Field == KpiField.Actual && v.Source == KpiSources.Manual, ct);
        if (row is null)
        {
            row = new KpiValue { KpiId = kpiId, FiscalYear = fiscalYear, Field = KpiField.Actual, Source = KpiSources.Manual, IsPrimary = true };
            db.Add(row);
        }

        row.Value = value;
        row.Text = null;
        row.SourceDetail = reason;
        row.RecordedBy = changedBy;
        row.RecordedAt = now;
        db.Add(new KpiAuditEntry
        {
            KpiId = kpiId,
            FiscalYear = fiscalYear,
            Field = KpiField.Actual,
            OldValue = old is null ? null : KpiFormat.Raw(old),
            OldSource = old?.Source,
            NewValue = value.ToString("0.##########", CultureInfo.InvariantCulture),
            ChangedBy = changedBy,
            Via = via,
            ChangedAt = now,
            Reason = reason,
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("KPI {KpiId} actual for {FiscalYear} set via {Via}", kpiId, fiscalYear, via);
        return new KpiChange(kpi, fiscalYear, old, value, computed);
    }

    public Task<List<KpiAuditEntry>> AuditAsync(string? kpiId, CancellationToken ct) =>
        db.Set<KpiAuditEntry>().AsNoTracking()
            .Where(a => kpiId == null || a.KpiId == kpiId)
            .OrderByDescending(a => a.ChangedAt).ThenByDescending(a => a.Id)
            .Take(500)
            .ToListAsync(ct);
}

public static class KpiFormat
{
    private static readonly CultureInfo Ja = CultureInfo.GetCultureInfo("ja-JP");

    public static string Number(decimal value) => value.ToString(value == decimal.Truncate(value) ? "#,0" : "#,0.##", Ja);

    // SQLite gives decimals back with the scale they were stored with (4.0); people write 4.
    public static string Raw(KpiCell cell) => cell.Value is { } v ? v.ToString("0.##########", CultureInfo.InvariantCulture) : cell.Text ?? string.Empty;

    /// <summary>68件, 77.5%, 方針転換により見送り.</summary>
    public static string Value(KpiCell? cell, string unit) => cell switch
    {
        null => "—",
        { Value: { } v } => Number(v) + UnitSuffix(unit),
        { Text: { } t } => t,
        _ => "—",
    };

    public static string Budget(KpiCell? cell, MessageSet texts) => cell switch
    {
        null => "—",
        { Value: { } v } => texts.Format(KpiTexts.BudgetAmount, Number(v)),
        { Text: { } t } => t,
        _ => "—",
    };

    public static string SourceLabel(KpiCell cell, MessageSet texts) => cell.Source switch
    {
        KpiSources.Plan => texts[KpiTexts.SourcePlan],
        KpiSources.Manual => texts[KpiTexts.SourceManual],
        KpiSources.Survey => texts[KpiTexts.SourceSurvey],
        KpiSources.Catalog => texts[KpiTexts.SourceCatalog],
        // Japan time (UTC+9 all year, no summer time): the label has no zone at hand.
        KpiSources.Snapshot => texts.Format(KpiTexts.SourceSnapshot, cell.RecordedAt is { } at ? at.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy/MM/dd", CultureInfo.InvariantCulture) : "—"),
        var other => other,
    };

    /// <summary>「計画（5. 具体的な事業 …）」「手入力（user, 2026/11/25）」.</summary>
    public static string Provenance(KpiCell cell, TimeZoneInfo zone, MessageSet texts) => cell.Source switch
    {
        KpiSources.Manual => texts.Format(KpiTexts.ProvenanceManual, cell.RecordedBy, cell.RecordedAt is { } at ? TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture) : "—", cell.SourceDetail),
        _ when string.IsNullOrEmpty(cell.SourceDetail) => SourceLabel(cell, texts),
        _ => texts.Format(KpiTexts.Provenance, SourceLabel(cell, texts), cell.SourceDetail),
    };

    /// <summary>A figure with its unit: 19件, 50%.</summary>
    public static string Amount(decimal value, string unit) => Number(value) + UnitSuffix(unit);

    /// <summary>A difference without its sign: 19件, 20ポイント (a difference of percentages is in points).</summary>
    public static string Points(decimal diff, string unit, MessageSet texts) => Number(diff) + (unit == "%" ? texts[KpiTexts.PercentPoints] : UnitSuffix(unit));

    /// <summary>A difference with its sign: +20ポイント, −2件, ±0件.</summary>
    public static string Change(decimal diff, string unit, MessageSet texts) =>
        (diff > 0 ? "+" : diff < 0 ? "−" : "±") + Points(Math.Abs(diff), unit, texts);

    private static string UnitSuffix(string unit) => unit switch
    {
        "" => string.Empty,
        "人（累計）" => "人",
        _ => unit,
    };
}
