using System.Globalization;
using System.Net;
using System.Text;
using ShiogamaDx.Bot.Messages;
using T = ShiogamaDx.Bot.Kpis.KpiTexts;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>
/// The DX office's read-only page: every KPI per policy with target vs actual per fiscal year, achievement and
/// source, and a small SVG chart. Server-rendered, no script, no external CDN (the intranet may not reach one).
/// Every text from content or from people goes through <see cref="E"/>; the words are Content/messages.yaml's (section <c>kpis</c>).
/// </summary>
public static class KpiDashboard
{
    /// <summary>The page's one style sheet, inline (no second request, no CDN) and allowed by its hash in the CSP (SecurityHeaders).</summary>
    public const string Style =
        "body{font-family:\"Noto Sans CJK JP\",\"Hiragino Sans\",\"Yu Gothic\",Meiryo,sans-serif;margin:1rem;color:#1a1a1a;background:#fff;line-height:1.5}"
        + "h1{font-size:1.4rem;margin:.25rem 0 .5rem}h2{font-size:1.2rem;border-bottom:2px solid #1a4d8f;margin-top:2rem}h3{font-size:1.05rem;margin:.5rem 0 .25rem}"
        + "main,header{max-width:60rem}section.kpi{border:1px solid #949494;border-radius:6px;padding:.5rem .75rem .75rem;margin:.75rem 0}section.kpi h3{margin-top:0}"
        + ".tools{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}"
        + "a{color:#0b3d7a}a.button{display:inline-block;padding:.5rem 1rem;min-height:1.5rem;background:#1a4d8f;color:#fff;border-radius:6px;text-decoration:none;font-weight:bold}"
        + "a:focus-visible{outline:3px solid #e0a000;outline-offset:2px}"
        + "table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #b0b0b0;padding:.25rem .4rem;text-align:right;white-space:nowrap}tbody th{font-weight:normal}"
        + "th:first-child,td:first-child{text-align:left}th.src,td.src{text-align:left;white-space:normal;min-width:9rem;font-size:.85rem}caption{text-align:left}"
        + ".s-達成{background:#d9f2dd;color:#0b4d1a}.s-未達{background:#fde2e1;color:#7a1010}.s-未確定{background:#eee;color:#333}"
        + ".meta{font-size:.9rem;color:#333}.wrap{overflow-x:auto}svg{max-width:100%;height:auto}"
        + ".key{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;border:2px solid #555;box-sizing:border-box}.key.actual{background:#1a4d8f;border-color:#1a4d8f}";

    public static string Render(KpiSnapshot snapshot, MessageSet texts, int fiscalYear, TimeProvider clock, DashboardLinks? links = null)
    {
        var catalog = snapshot.Catalog;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .Append("<title>").Append(E(texts[T.DashboardTitle])).Append("</title><style>").Append(Style)
          .Append("</style></head><body>");
        sb.Append("<header><h1>").Append(E(texts[T.DashboardTitle])).Append("</h1>");
        if (links is not null)
        {
            sb.Append("<nav class=\"tools\" aria-label=\"").Append(E(texts[T.DashboardTools])).Append("\"><a class=\"button\" href=\"").Append(E(links.ExportHref)).Append("\" download>").Append(E(texts[T.DashboardExport])).Append("</a>");
            if (links.SignOutHref is not null)
            {
                sb.Append(" <a href=\"").Append(E(links.SignOutHref)).Append("\">").Append(E(texts[T.DashboardSignOut])).Append("</a>");
            }

            if (links.SignedInAs is not null)
            {
                sb.Append(" <span class=\"meta\">").Append(E(texts.Format(T.DashboardSignedIn, links.SignedInAs))).Append("</span>");
            }

            sb.Append("</nav>");
        }

        sb.Append("</header><main>");
        sb.Append("<p class=\"meta\">").Append(E(texts[T.DashboardBaseYear])).Append("<strong>").Append(E(texts.Format(T.DashboardYear, FiscalYears.Label(fiscalYear), fiscalYear))).Append("</strong>")
          .Append(" <a href=\"?fiscalYear=").Append(fiscalYear - 1).Append("\">").Append(E(texts[T.DashboardPreviousYear])).Append("</a> <a href=\"?fiscalYear=").Append(fiscalYear + 1).Append("\">").Append(E(texts[T.DashboardNextYear])).Append("</a>")
          .Append(" ／ ").Append(E(texts.Format(T.DashboardShownAt, FiscalYears.LocalNow(clock).ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture)))).Append("</p>")
          .Append("<p class=\"meta\">").Append(E(texts[T.DashboardLegend])).Append(" <span class=\"key\" aria-hidden=\"true\"></span> ").Append(E(texts[T.DashboardLegendTarget]))
          .Append(" <span class=\"key actual\" aria-hidden=\"true\"></span> ").Append(E(texts[T.DashboardLegendActual])).Append(E(texts[T.DashboardLegendStates])).Append("</p>");

        foreach (var plan in new[] { PlanKind.Current, PlanKind.Previous })
        {
            sb.Append("<h2>").Append(E(texts[plan == PlanKind.Current ? T.DashboardCurrentPlan : T.DashboardPreviousPlan])).Append("</h2>");
            foreach (var policy in catalog.Projects.Where(p => p.Plan == plan).GroupBy(p => (p.Policy, p.PolicyName)))
            {
                sb.Append("<h3>").Append(E(texts.Format(T.DashboardPolicy, policy.Key.Policy, policy.Key.PolicyName))).Append("</h3>");
                foreach (var project in policy)
                {
                    if (project.Kpis.Count == 0)
                    {
                        sb.Append("<section class=\"kpi\" id=\"").Append(E(project.Id)).Append("\"><h3>").Append(E(texts.Format(T.DashboardMeasure, project.Measure, project.Name))).Append("</h3>")
                          .Append("<p>").Append(E(texts.Format(T.DashboardResult, project.ResultStatus ?? "—", project.ResultText ?? "—"))).Append("</p>")
                          .Append("<p class=\"meta\">").Append(E(texts.Format(T.DepartmentSource, project.Department, project.Source))).Append("</p></section>");
                    }

                    foreach (var kpi in project.Kpis)
                    {
                        RenderKpi(sb, snapshot, texts, project, kpi, fiscalYear, clock);
                    }
                }
            }
        }

        sb.Append("</main></body></html>");
        return sb.ToString();
    }

    private static void RenderKpi(StringBuilder sb, KpiSnapshot snapshot, MessageSet texts, KpiProjectDef project, KpiDef kpi, int fiscalYear, TimeProvider clock)
    {
        var years = snapshot.Years(kpi).ToList();
        var rows = years.Select(y => (Year: y, Target: snapshot.Target(kpi, y), Actual: snapshot.Actual(kpi, y), Status: snapshot.Achievement(kpi, y))).ToList();
        var current = snapshot.Achievement(kpi, fiscalYear);
        var lastUpdate = rows.Where(r => r.Actual is not null)
            .OrderByDescending(r => r.Actual!.RecordedAt ?? DateTimeOffset.MinValue).ThenByDescending(r => r.Year) // plan values carry no time: the latest year's
            .Select(r => r.Actual!).FirstOrDefault();

        sb.Append("<section class=\"kpi\" data-kpi=\"").Append(E(kpi.Id)).Append("\" id=\"").Append(E(kpi.Id)).Append("\" aria-labelledby=\"h-").Append(E(kpi.Id)).Append("\">");
        sb.Append("<h3 id=\"h-").Append(E(kpi.Id)).Append("\">").Append(E(texts.Format(T.DashboardKpiHeading, project.Measure, project.Name, kpi.Name)));
        if (kpi.Unit.Length > 0)
        {
            sb.Append(E(texts.Format(T.DashboardUnit, kpi.Unit)));
        }

        sb.Append("</h3><p class=\"meta\">").Append(E(FiscalYears.Label(fiscalYear))).Append(": <span class=\"s-").Append(E(current.Status)).Append("\">").Append(E(current.Status));
        if (current.Rate is { } rate)
        {
            sb.Append(' ').Append(rate.ToString(CultureInfo.InvariantCulture)).Append('%');
        }

        sb.Append("</span> ／ ").Append(E(texts.Format(T.DepartmentSource, project.Department, project.Source)));
        if (lastUpdate is not null)
        {
            sb.Append(" ／ ").Append(E(texts.Format(T.DashboardLatestSource, KpiFormat.Provenance(lastUpdate, clock.LocalTimeZone, texts))));
        }

        sb.Append("</p>");
        Chart(sb, texts, kpi, rows.Select(r => (r.Year, r.Target?.Value, r.Actual?.Value)).ToList());
        sb.Append("<div class=\"wrap\"><table><caption class=\"meta\">").Append(E(texts.Format(T.DashboardTableCaption, kpi.Name))).Append("</caption><thead><tr>")
          .Append("<th scope=\"col\">").Append(E(texts[T.ColumnYear])).Append("</th><th scope=\"col\">").Append(E(texts[T.ColumnTarget])).Append("</th>")
          .Append("<th scope=\"col\">").Append(E(texts[T.ColumnActual])).Append("</th><th scope=\"col\">").Append(E(texts[T.ColumnStatus])).Append("</th>")
          .Append("<th scope=\"col\" class=\"src\">").Append(E(texts[T.ColumnActualSource])).Append("</th></tr></thead><tbody>");
        foreach (var r in rows.Where(r => r.Target is not null || r.Actual is not null))
        {
            sb.Append("<tr><th scope=\"row\">").Append(E(FiscalYears.Label(r.Year))).Append("</th><td>").Append(E(KpiFormat.Value(r.Target, kpi.Unit)))
              .Append("</td><td>").Append(E(KpiFormat.Value(r.Actual, kpi.Unit))).Append("</td><td class=\"s-").Append(E(r.Status.Status)).Append("\">")
              .Append(E(r.Status.Rate is { } rr ? $"{r.Status.Status} {rr}%" : r.Status.Status)).Append("</td><td class=\"src\">")
              .Append(E(r.Actual is null ? "—" : KpiFormat.Provenance(r.Actual, clock.LocalTimeZone, texts))).Append("</td></tr>");
        }

        sb.Append("</tbody></table></div></section>");
    }

    /// <summary>Bars per year: target as an outline, actual filled. Text alternatives in title and the table beside it.</summary>
    private static void Chart(StringBuilder sb, MessageSet texts, KpiDef kpi, IReadOnlyList<(int Year, decimal? Target, decimal? Actual)> data)
    {
        var points = data.Where(d => d.Target is not null || d.Actual is not null).ToList();
        if (points.Count == 0 || points.All(p => (p.Target ?? 0) == 0 && (p.Actual ?? 0) == 0))
        {
            return;
        }

        var max = points.Max(p => Math.Max(p.Target ?? 0, p.Actual ?? 0));
        const int height = 120, barWidth = 18, gap = 14, top = 10, bottom = 24;
        var width = (points.Count * ((2 * barWidth) + gap)) + gap;
        sb.Append("<svg role=\"img\" viewBox=\"0 0 ").Append(width).Append(' ').Append(height + top + bottom).Append("\" width=\"").Append(width).Append("\" aria-labelledby=\"c-").Append(E(kpi.Id)).Append("\">");
        sb.Append("<title id=\"c-").Append(E(kpi.Id)).Append("\">").Append(E(texts.Format(T.DashboardChartTitle, kpi.Name))).Append("</title>");
        var x = gap;
        foreach (var p in points)
        {
            if (p.Target is { } t)
            {
                var h = (double)(t / max) * height;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top + height - h:0.#}\" width=\"{barWidth}\" height=\"{h:0.#}\" fill=\"#fff\" stroke=\"#555\" stroke-width=\"2\"><title>{E(texts.Format(T.DashboardBarTarget, FiscalYears.Label(p.Year), KpiFormat.Number(t)))}</title></rect>");
            }

            if (p.Actual is { } a)
            {
                var h = (double)(a / max) * height;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + barWidth}\" y=\"{top + height - h:0.#}\" width=\"{barWidth}\" height=\"{h:0.#}\" fill=\"#1a4d8f\"><title>{E(texts.Format(T.DashboardBarActual, FiscalYears.Label(p.Year), KpiFormat.Number(a)))}</title></rect>");
            }

            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + barWidth}\" y=\"{top + height + 16}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1a1a1a\">R{p.Year - FiscalYears.ReiwaOffset}</text>");
            x += (2 * barWidth) + gap;
        }

        sb.Append("</svg>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>Where the page's export and sign-out links go (they differ between /dashboard and the operations API).</summary>
public sealed record DashboardLinks(string ExportHref, string? SignOutHref, string? SignedInAs);
