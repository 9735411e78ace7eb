using ShiogamaDx.Bot.Content;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Kpis;

public static class KpisExtensions
{
    public static IHostApplicationBuilder AddKpis(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<KpiOptions>().BindConfiguration(KpiOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.DashboardUrlIsValid, "Kpis:DashboardUrl must be the absolute http(s) address of /dashboard as staff reach it, e.g. https://bot.city.example/dashboard")
            .ValidateOnStart();
        services.AddSingleton(sp => new KpiPlan(KpiCatalogLoader.Load(Path.Combine(sp.GetRequiredService<IOptions<ContentOptions>>().Value.FullPath, KpiCatalogLoader.FileName))));
        services.AddTransient(sp => sp.GetRequiredService<KpiPlan>().Catalog); // the plan in use now (Content/kpis.yaml reloads)
        services.AddTransient(sp => sp.GetRequiredService<KpiPlan>().Reader);
        services.AddSingleton<KpiCharts>();
        services.AddScoped<KpiService>();
        services.AddHostedService<KpiSnapshotJob>();
        services.AddScoped<IContentSeeder, KpiContentSeeder>();
        services.AddScoped<IIntentHandler, KpiHandler>();
        services.AddScoped<IDialogAction, KpiUpdateAction>();
        builder.AddDashboardSignIn();
        return builder;
    }

    public static IEndpointRouteBuilder MapKpis(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminGroup().MapGroup("/kpis");
        group.MapGet("/", ListAsync);
        group.MapGet("/dashboard", DashboardAsync);
        group.MapGet("/export.csv", ExportAsync);
        group.MapGet("/audit", AuditAsync);
        group.MapPut("/{id}/actuals/{fiscalYear:int}", SetActualAsync);
        group.MapPost("/actuals", ImportAsync).Accepts<string>("text/csv");
        group.MapPost("/snapshot", RecordAsync);
        KpiDashboardPage.Map(app);
        return app;
    }

    /// <summary>Records the figures computed from the catalog now for their fiscal year (e.g. on the last day of March, after the catalog's last edit).</summary>
    private static async Task<Ok<List<RecordedJson>>> RecordAsync(KpiService service, CancellationToken ct) =>
        TypedResults.Ok((await service.RecordComputedAsync("api", ct)).Select(c => new RecordedJson(c.KpiId, c.FiscalYear, c.Value, c.Note)).ToList());

    public sealed record RecordedJson(string Id, int FiscalYear, decimal Value, string Note);

    private static async Task<Results<Ok<List<KpiJson>>, BadRequest<string>>> ListAsync(int? fiscalYear, KpiService service, CancellationToken ct)
    {
        var year = fiscalYear ?? service.CurrentFiscalYear;
        if (year is < 2019 or > 2050)
        {
            return TypedResults.BadRequest("fiscalYear is the Western year the fiscal year starts in, e.g. 2026 for 令和8年度");
        }

        var snapshot = await service.SnapshotAsync(ct);
        return TypedResults.Ok(snapshot.Catalog.Kpis.Select(k => KpiJson.Of(snapshot, k, year)).ToList());
    }

    private static async Task<ContentHttpResult> DashboardAsync(int? fiscalYear, KpiService service, MessageCatalog messages, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var snapshot = await service.SnapshotAsync(ct);
        var html = await DashboardSections.AppendAsync(KpiDashboard.Render(snapshot, messages.Current, fiscalYear ?? service.CurrentFiscalYear, clock, new DashboardLinks("export.csv", null, null)), http.RequestServices, ct);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<FileContentHttpResult> ExportAsync(KpiService service, CancellationToken ct) =>
        KpiCsv.Export(await service.SnapshotAsync(ct));

    private static async Task<Ok<List<KpiAuditEntry>>> AuditAsync(string? kpiId, KpiService service, CancellationToken ct) =>
        TypedResults.Ok(await service.AuditAsync(kpiId, ct));

    private static async Task<Results<Ok<KpiChangeJson>, NotFound<string>, ValidationProblem>> SetActualAsync(
        string id, int fiscalYear, KpiActualRequest body, KpiService service, MessageCatalog messages, CancellationToken ct)
    {
        if (service.Catalog.Kpi(id) is null)
        {
            return TypedResults.NotFound($"KPI '{id}' does not exist");
        }

        var errors = new Dictionary<string, string[]>();
        if (body.Value is null)
        {
            errors["value"] = ["value is required"];
        }

        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            errors["reason"] = ["reason is required: every change is audited with why"];
        }

        if (string.IsNullOrWhiteSpace(body.ChangedBy))
        {
            errors["changedBy"] = ["changedBy is required: every change is audited with who"];
        }

        if (errors.Count == 0 && KpiService.Validate(service.Catalog, messages.Current, id, fiscalYear, body.Value!.Value) is { } error)
        {
            errors["value"] = [error];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var change = await service.SetActualAsync(id, fiscalYear, body.Value!.Value, body.ChangedBy!.Trim(), body.Reason!.Trim(), "api", ct);
        return TypedResults.Ok(new KpiChangeJson(id, fiscalYear, change.Old is null ? null : KpiFormat.Raw(change.Old), change.Old?.Source, change.New));
    }

    /// <summary>
    /// Bulk actuals as CSV (kpiId,fiscalYear,value,reason,changedBy). All or nothing: one bad line and nothing is
    /// saved, and every bad line is named, so the office fixes the file and sends it again.
    /// </summary>
    private static async Task<Results<Ok<KpiImportResult>, BadRequest<KpiImportResult>>> ImportAsync(HttpRequest request, KpiService service, MessageCatalog messages, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        var rows = new List<(string Id, int Year, decimal Value, string Reason, string By)>();
        var errors = new List<string>();
        var lines = text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || (i == 0 && line.StartsWith("kpiId", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var cells = Csv.Split(line);
            if (cells.Count != 5)
            {
                errors.Add($"line {i + 1}: expected 5 columns (kpiId,fiscalYear,value,reason,changedBy), found {cells.Count}");
                continue;
            }

            var year = int.TryParse(cells[1], NumberStyles.None, CultureInfo.InvariantCulture, out var western) && western > 2000
                ? western
                : FiscalYears.Find(FiscalYears.Prepare(cells[1]), service.CurrentFiscalYear) is [var one] ? one.Year : 0;
            if (year == 0)
            {
                errors.Add($"line {i + 1}: '{cells[1]}' is not a fiscal year (2026, R8 or 令和8年度)");
                continue;
            }

            if (!decimal.TryParse(cells[2], NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                errors.Add($"line {i + 1}: '{cells[2]}' is not a number");
                continue;
            }

            if (KpiService.Validate(service.Catalog, messages.Current, cells[0], year, value) is { } error)
            {
                errors.Add($"line {i + 1}: {error}");
                continue;
            }

            if (string.IsNullOrWhiteSpace(cells[3]) || string.IsNullOrWhiteSpace(cells[4]))
            {
                errors.Add($"line {i + 1}: reason and changedBy are required");
                continue;
            }

            rows.Add((cells[0], year, value, cells[3].Trim(), cells[4].Trim()));
        }

        if (errors.Count > 0 || rows.Count == 0)
        {
            return TypedResults.BadRequest(new KpiImportResult(0, errors.Count > 0 ? errors : ["no rows: send kpiId,fiscalYear,value,reason,changedBy"]));
        }

        foreach (var r in rows)
        {
            await service.SetActualAsync(r.Id, r.Year, r.Value, r.By, r.Reason, "api", ct);
        }

        return TypedResults.Ok(new KpiImportResult(rows.Count, []));
    }
}

public sealed record KpiActualRequest(decimal? Value, string? Reason, string? ChangedBy);

public sealed record KpiChangeJson(string Id, int FiscalYear, string? OldValue, string? OldSource, decimal NewValue);

public sealed record KpiImportResult(int Updated, IReadOnlyList<string> Errors);

public sealed record KpiCellJson(decimal? Value, string? Text, string Source, string? SourceDetail, string? RecordedBy, DateTimeOffset? RecordedAt)
{
    public static KpiCellJson? Of(KpiCell? c) => c is null ? null : new(c.Value, c.Text, c.Source, c.SourceDetail, c.RecordedBy, c.RecordedAt);
}

public sealed record KpiJson(
    string Id, string Plan, int Policy, int Measure, string Project, string Name, string Unit, string Department, string Source,
    int FiscalYear, KpiCellJson? Target, KpiCellJson? Actual, IReadOnlyList<KpiCellJson> OtherValues, string Achievement, decimal? AchievementRate, KpiCellJson? Budget)
{
    public static KpiJson Of(KpiSnapshot s, KpiDef k, int year)
    {
        var p = s.Catalog.ProjectOf(k);
        var actuals = s.Actuals(k, year);
        var others = actuals.Skip(1)
            .Concat(s.OtherPlanValues(k.Id, year, KpiField.Target))
            .Concat(s.OtherPlanValues(k.Id, year, KpiField.Actual))
            .Select(c => KpiCellJson.Of(c)!)
            .ToList();
        var a = s.Achievement(k, year);
        return new KpiJson(
            k.Id, p.Plan.ToString().ToLowerInvariant(), p.Policy, p.Measure, p.Name, k.Name, k.Unit, p.Department, p.Source, year,
            KpiCellJson.Of(s.Target(k, year)), KpiCellJson.Of(actuals.Count > 0 ? actuals[0] : null), others, a.Status, a.Rate, KpiCellJson.Of(s.Budget(p, year)));
    }
}

/// <summary>Every KPI per fiscal year as CSV, for the operations API and the dashboard's export link.</summary>
internal static class KpiCsv
{
    public static FileContentHttpResult Export(KpiSnapshot snapshot)
    {
        var sb = new StringBuilder("plan,policy,measure,project,kpiId,kpi,unit,department,fiscalYear,target,actual,actualSource,achievement\n");
        foreach (var k in snapshot.Catalog.Kpis)
        {
            var p = snapshot.Catalog.ProjectOf(k);
            foreach (var y in snapshot.Years(k))
            {
                var t = snapshot.Target(k, y);
                var a = snapshot.Actual(k, y);
                string[] cells =
                [
                    p.Plan.ToString().ToLowerInvariant(), p.Policy.ToString(CultureInfo.InvariantCulture), p.Measure.ToString(CultureInfo.InvariantCulture), p.Name, k.Id, k.Name, k.Unit, p.Department,
                    y.ToString(CultureInfo.InvariantCulture), t is null ? string.Empty : KpiFormat.Raw(t), a is null ? string.Empty : KpiFormat.Raw(a), a?.Source ?? string.Empty,
                    snapshot.Achievement(k, y).Status,
                ];
                sb.AppendJoin(',', cells.Select(Csv.Escape)).Append('\n');
            }
        }

        // A BOM so that Excel on the city's PCs opens the Japanese text correctly.
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray();
        return TypedResults.File(bytes, "text/csv; charset=utf-8", "kpis.csv");
    }
}

internal static class Csv
{
    public static string Escape(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    public static List<string> Split(string line)
    {
        var cells = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    sb.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }

        cells.Add(sb.ToString());
        return cells;
    }
}
