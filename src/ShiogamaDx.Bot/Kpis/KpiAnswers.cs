using System.Globalization;
using System.Text;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>Turns a reading of a question into replies: the number first, then target vs actual, unit, department, source, budget.</summary>
public sealed class KpiAnswers(KpiSnapshot snapshot, TimeZoneInfo zone, string? dashboardUrl)
{
    private KpiCatalog Catalog => snapshot.Catalog;

    public IReadOnlyList<Reply> Answer(KpiQuestion q)
    {
        return q.Ask switch
        {
            KpiAsk.Target or KpiAsk.Actual or KpiAsk.Achievement when Catalog.Kpi(q.Id!) is { } kpi => [new TextReply(Cell(kpi, q.Year!.Value, q.Ask))],
            KpiAsk.Trend when Catalog.Kpi(q.Id!) is { } kpi => Trend(kpi),
            KpiAsk.Budget when Catalog.Project(q.Id!) is { } p => [new TextReply(Budget(p, q.Year))],
            KpiAsk.Department when Catalog.Project(q.Id!) is { } p => [new TextReply($"{p.Name}の担当は {p.Department} です。\n（{p.PlanLabel} {p.MeasureLabel}）")],
            KpiAsk.Overview when Catalog.Project(q.Id!) is { } p => [new TextReply(Overview(p))],
            KpiAsk.Result when Catalog.Project(q.Id!) is { } p => [new TextReply(Result(p))],
            KpiAsk.List => [List(q.Plan ?? PlanKind.Current, q.Year!.Value)],
            KpiAsk.Unachieved => Unachieved(q.Year!.Value, q.Plan),
            KpiAsk.Choices => [Choices(q)],
            _ => [new TextReply("その指標は見つかりませんでした。「KPI一覧」で一覧を表示できます。")],
        };
    }

    public string Cell(KpiDef kpi, int year, KpiAsk ask)
    {
        var p = Catalog.ProjectOf(kpi);
        var target = snapshot.Target(kpi, year);
        var actuals = snapshot.Actuals(kpi, year);
        var actual = actuals.Count > 0 ? actuals[0] : null;
        var achievement = snapshot.Achievement(kpi, year);
        var label = $"{kpi.Name}（{FiscalYears.Label(year)}）";
        var sb = new StringBuilder();

        // The number first.
        switch (ask)
        {
            case KpiAsk.Target:
                sb.Append(target is null
                    ? $"{label}の目標は計画に記載がありません（—）。"
                    : $"{label}の目標は {KpiFormat.Value(target, kpi.Unit)} です。");
                break;
            case KpiAsk.Actual:
                sb.Append(actual is null
                    ? $"{label}の実績はまだありません（未確定）。"
                    : $"{label}の実績は {KpiFormat.Value(actual, kpi.Unit)} です。");
                break;
            default:
                sb.Append(achievement.Status switch
                {
                    KpiSnapshot.Achieved or KpiSnapshot.NotAchieved => $"{label}は {achievement.Status} です（達成率 {achievement.Rate}%）。",
                    KpiSnapshot.Undetermined => $"{label}は 未確定 です（実績がまだありません）。",
                    _ => $"{label}は数値の目標がないため、達成を判定できません。",
                });
                break;
        }

        sb.Append('\n').Append($"・目標 {KpiFormat.Value(target, kpi.Unit)} ／ 実績 {KpiFormat.Value(actual, kpi.Unit)}");
        if (achievement.Rate is { } rate)
        {
            sb.Append($"（達成率 {rate}%・{achievement.Status}）");
        }
        else if (achievement.Status == KpiSnapshot.Undetermined)
        {
            sb.Append("（未確定）");
        }

        if (target?.Note is { } note)
        {
            sb.Append('\n').Append($"・注記: {note}");
        }

        if (actual is not null)
        {
            sb.Append('\n').Append($"・実績の出典: {KpiFormat.Provenance(actual, zone)}");
        }

        foreach (var other in actuals.Skip(1))
        {
            sb.Append('\n').Append($"・ほかの実績値: {KpiFormat.Value(other, kpi.Unit)}（{KpiFormat.Provenance(other, zone)}）");
        }

        foreach (var field in new[] { KpiField.Target, KpiField.Actual })
        {
            foreach (var alt in snapshot.OtherPlanValues(kpi.Id, year, field))
            {
                var name = field == KpiField.Target ? "目標" : "実績";
                sb.Append('\n').Append($"・計画内の別の記載（{name}）: {KpiFormat.Value(alt, kpi.Unit)}（{alt.SourceDetail}）");
            }
        }

        sb.Append('\n').Append($"・単位: {(kpi.Unit.Length > 0 ? kpi.Unit : "—")} ／ 事業: {p.Name}（{p.PlanLabel} {p.MeasureLabel}）");
        sb.Append('\n').Append($"・担当: {p.Department}");
        sb.Append('\n').Append($"・事業費（{FiscalYears.Label(year)}）: {BudgetOf(p, year)}");
        if (kpi.Note is { } kpiNote)
        {
            sb.Append('\n').Append($"・注記: {kpiNote}");
        }

        sb.Append('\n').Append($"・出典: {p.Source}");
        AppendLink(sb, kpi.Id, year);
        return sb.ToString();
    }

    private IReadOnlyList<Reply> Trend(KpiDef kpi)
    {
        var p = Catalog.ProjectOf(kpi);
        var rows = snapshot.Years(kpi)
            .Select(y => (Year: y, Target: snapshot.Target(kpi, y), Actual: snapshot.Actual(kpi, y)))
            .Where(r => r.Target is not null || r.Actual is not null)
            .Select(r => (IReadOnlyList<string>)
            [
                FiscalYears.Label(r.Year), KpiFormat.Value(r.Target, kpi.Unit), KpiFormat.Value(r.Actual, kpi.Unit),
                Status(kpi, r.Year), r.Actual is null ? "—" : KpiFormat.SourceLabel(r.Actual),
            ])
            .ToList();
        var latest = snapshot.LatestActualYear(kpi);
        var head = latest is { } y
            ? $"{kpi.Name}（{p.Name}）: 最新の実績は{FiscalYears.Label(y)}の {KpiFormat.Value(snapshot.Actual(kpi, y), kpi.Unit)} です。"
            : $"{kpi.Name}（{p.Name}）: 実績はまだありません。目標の推移です。";
        var note = $"担当: {p.Department} ／ 出典: {p.Source}" + (dashboardUrl is null ? string.Empty : $" ／ グラフ: {Link(kpi.Id, null)}");
        return [new TextReply(head), new TableReply($"{kpi.Name}の推移（{p.PlanLabel}）", ["年度", "目標", "実績", "達成", "実績の出典"], rows, note)];
    }

    private string Budget(KpiProjectDef p, int? year)
    {
        if (p.BudgetNote is { } zero && p.Budget.Count == 0)
        {
            return $"{p.Name}は {zero} です（事業費の計上なし）。\n（{p.PlanLabel} {p.MeasureLabel}／担当: {p.Department}）";
        }

        var sb = new StringBuilder();
        if (year is { } y)
        {
            sb.Append($"{p.Name}の事業費（{FiscalYears.Label(y)}）は {BudgetOf(p, y)} です。");
            foreach (var alt in snapshot.OtherPlanValues(p.Id, y, KpiField.Budget))
            {
                sb.Append('\n').Append($"・計画内の別の記載: {KpiFormat.Budget(alt)}（{alt.SourceDetail}）");
            }
        }
        else
        {
            var cells = p.Budget.Where(c => c.Discrepancy is null).OrderBy(c => c.FiscalYear).ToList();
            if (cells.Count == 0)
            {
                sb.Append($"{p.Name}の事業費は計画に記載がありません（—）。");
            }
            else
            {
                sb.Append($"{p.Name}の事業費は ");
                sb.Append(string.Join("、", cells.Select(c => $"{FiscalYears.Label(c.FiscalYear)} {KpiFormat.Budget(snapshot.Budget(p, c.FiscalYear))}")));
                sb.Append(" です（計画に記載のある年度）。");
            }

            foreach (var alt in p.Budget.Where(c => c.Discrepancy is not null))
            {
                sb.Append('\n').Append($"・計画内の別の記載（{FiscalYears.Label(alt.FiscalYear)}）: {(alt.Value is { } v ? KpiFormat.Number(v) + "千円" : alt.Text)}（{alt.Discrepancy}）");
            }
        }

        sb.Append('\n').Append($"・単位: 千円 ／ 事業: {p.Name}（{p.PlanLabel} {p.MeasureLabel}）／ 担当: {p.Department}");
        sb.Append('\n').Append($"・出典: {p.Source}");
        return sb.ToString();
    }

    private string BudgetOf(KpiProjectDef p, int year) =>
        snapshot.Budget(p, year) is { } cell ? KpiFormat.Budget(cell) : p.BudgetNote ?? "—";

    private string Overview(KpiProjectDef p)
    {
        var sb = new StringBuilder();
        sb.Append($"{p.Name}（{p.PlanLabel} {p.MeasureLabel}: {p.PolicyName}）").Append('\n');
        sb.Append($"・内容: {p.Summary}");
        if (p.Effect is { } effect)
        {
            sb.Append('\n').Append($"・効果: {effect}");
        }

        if (p.Kpis.Count > 0)
        {
            sb.Append('\n').Append($"・指標: {string.Join("、", p.Kpis.Select(k => k.Unit.Length > 0 ? $"{k.Name}（{k.Unit}）" : k.Name))}");
        }

        if (p.ResultText is not null)
        {
            sb.Append('\n').Append($"・結果: {p.ResultStatus ?? "（判定の記載なし）"} — {p.ResultText}");
        }

        sb.Append('\n').Append($"・担当: {p.Department}");
        sb.Append('\n').Append($"・出典: {p.Source}");
        return sb.ToString();
    }

    private static string Result(KpiProjectDef p)
    {
        var sb = new StringBuilder();
        sb.Append($"{p.Name}（{p.PlanLabel}）の結果は {p.ResultStatus ?? "判定の記載なし"}: {p.ResultText ?? "—"} です。");
        if (p.Qualitative is { } q)
        {
            sb.Append('\n').Append($"・定性評価: {q}");
        }

        if (p.Review is { } r)
        {
            sb.Append('\n').Append($"・見直し・改善: {r}");
        }

        sb.Append('\n').Append($"・担当: {p.Department} ／ 出典: {p.Source}");
        return sb.ToString();
    }

    private TableReply List(PlanKind plan, int year)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var p in Catalog.Projects.Where(p => p.Plan == plan))
        {
            if (p.Kpis.Count == 0)
            {
                rows.Add([p.MeasureLabel, p.Name, "—", "—", p.ResultText ?? "—"]);
            }

            foreach (var k in p.Kpis)
            {
                rows.Add([p.MeasureLabel, $"{k.Name}（{p.Name}）", KpiFormat.Value(snapshot.Target(k, year), k.Unit), KpiFormat.Value(snapshot.Actual(k, year), k.Unit), Status(k, year)]);
            }
        }

        var title = plan == PlanKind.Current
            ? $"{FiscalYears.Label(year)}のKPI一覧（塩竈市DX推進プラン）"
            : $"{FiscalYears.Label(year)}のKPI一覧（DX推進アクションプラン・前計画）";
        var note = "達成: 実績が目標以上。未確定: 実績なし。指標名を送ると詳しく答えます。" + (dashboardUrl is null ? string.Empty : $" 一覧のグラフ: {Link(null, year)}");
        return new TableReply(title, ["施策", "指標", "目標", "実績", plan == PlanKind.Current ? "達成" : "達成／結果"], rows, note);
    }

    private IReadOnlyList<Reply> Unachieved(int year, PlanKind? plan)
    {
        var kpis = Catalog.Kpis.Where(k => plan is null || k.Plan == plan || year == 2025).ToList();
        var judged = kpis.Where(k => snapshot.Achievement(k, year).Status is KpiSnapshot.Achieved or KpiSnapshot.NotAchieved).ToList();
        var missed = judged.Where(k => snapshot.Achievement(k, year).Status == KpiSnapshot.NotAchieved).ToList();
        if (judged.Count == 0)
        {
            return [new TextReply($"{FiscalYears.Label(year)}の実績はまだ登録されていないため、達成できなかったKPIは判定できません。")];
        }

        if (missed.Count == 0)
        {
            return [new TextReply($"{FiscalYears.Label(year)}に実績のあるKPI {judged.Count}件は、すべて目標を達成しています。")];
        }

        var rows = missed.Select(k =>
        {
            var p = Catalog.ProjectOf(k);
            var a = snapshot.Achievement(k, year);
            return (IReadOnlyList<string>)[$"{k.Name}（{p.Name}）", p.Plan == PlanKind.Current ? "DX推進プラン" : "前計画", KpiFormat.Value(snapshot.Target(k, year), k.Unit), KpiFormat.Value(snapshot.Actual(k, year), k.Unit), $"{a.Rate}%"];
        }).ToList();
        return
        [
            new TextReply($"{FiscalYears.Label(year)}に目標を達成できなかったKPIは {missed.Count}件 です（実績のある {judged.Count}件中）。"),
            new TableReply($"{FiscalYears.Label(year)} 未達のKPI", ["指標", "計画", "目標", "実績", "達成率"], rows),
        ];
    }

    private ChoicesReply Choices(KpiQuestion q)
    {
        var choices = q.Candidates.Take(4).Select(id =>
        {
            if (Catalog.Kpi(id) is { } k)
            {
                var p = Catalog.ProjectOf(k);
                var ask = q.Wanted is KpiAsk.None ? KpiAsk.Target : q.Wanted;
                var label = p.Plan == PlanKind.Previous ? $"{k.Name}（前計画）" : k.Name;
                return new Choice(label, Postback.Create(KpiHandler.HandlerName, "ask", ("k", id), ("y", (q.Year ?? 0).ToString(CultureInfo.InvariantCulture)), ("f", ask.ToString())));
            }

            var project = Catalog.Project(id)!;
            var projectAsk = q.Wanted is KpiAsk.Budget or KpiAsk.Department ? q.Wanted : KpiAsk.Overview;
            var projectLabel = project.Plan == PlanKind.Previous ? $"{project.Name}（前計画）" : project.Name;
            return new Choice(projectLabel, Postback.Create(KpiHandler.HandlerName, "ask", ("k", id), ("y", (q.Year ?? 0).ToString(CultureInfo.InvariantCulture)), ("f", projectAsk.ToString())));
        }).ToList();
        return new ChoicesReply("どの指標のことですか。", choices);
    }

    private string Status(KpiDef kpi, int year)
    {
        var a = snapshot.Achievement(kpi, year);
        return a.Rate is { } rate ? $"{a.Status} {rate}%" : a.Status == KpiSnapshot.NoTarget ? "—" : a.Status;
    }

    private void AppendLink(StringBuilder sb, string kpiId, int year)
    {
        if (dashboardUrl is not null)
        {
            sb.Append('\n').Append($"・グラフ: {Link(kpiId, year)}");
        }
    }

    /// <summary>The dashboard at the answer's fiscal year (its status line then says the same), scrolled to the KPI.</summary>
    private string Link(string? kpiId, int? year)
    {
        var url = dashboardUrl!;
        if (year is { } y)
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "fiscalYear=" + y.ToString(CultureInfo.InvariantCulture);
        }

        return kpiId is null ? url : url + "#" + kpiId;
    }
}
