using System.Globalization;
using System.Text;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>Turns a reading of a question into replies: the number first, then target vs actual, unit, department, source, budget.</summary>
/// <param name="charts">Draws the multi-year answers' chart; null: tables only.</param>
public sealed class KpiAnswers(KpiSnapshot snapshot, TimeZoneInfo zone, string? dashboardUrl, KpiCharts? charts = null)
{
    private KpiCatalog Catalog => snapshot.Catalog;

    public IReadOnlyList<Reply> Answer(KpiQuestion q)
    {
        return q.Ask switch
        {
            KpiAsk.Target or KpiAsk.Actual or KpiAsk.Achievement when Catalog.Kpi(q.Id!) is { } kpi => [new TextReply(Cell(kpi, q.Year!.Value, q.Ask)), MeasureButton(kpi)],
            KpiAsk.Trend when Catalog.Kpi(q.Id!) is { } kpi => Trend(kpi),
            KpiAsk.Budget when Catalog.Project(q.Id!) is { } p => [new TextReply(Budget(p, q.Year))],
            KpiAsk.Department when Catalog.Project(q.Id!) is { } p => [new TextReply($"{p.Name}の担当は {p.Department} です。\n（{p.PlanLabel} {p.MeasureLabel}）\n・出典: {p.Source}")],
            KpiAsk.Overview when Catalog.Project(q.Id!) is { } p => [new TextReply(Overview(p))],
            KpiAsk.Result when Catalog.Project(q.Id!) is { } p => [new TextReply(Result(p))],
            KpiAsk.List => [List(q.Plan ?? PlanKind.Current, q.Year!.Value)],
            KpiAsk.Unachieved => Judged(q.Year!.Value, q.Plan, KpiSnapshot.NotAchieved),
            KpiAsk.AchievedList => Judged(q.Year!.Value, q.Plan, KpiSnapshot.Achieved),
            KpiAsk.Range when Catalog.Kpi(q.Id!) is { } kpi => Range(kpi, q.AllYears),
            KpiAsk.Difference when Catalog.Kpi(q.Id!) is { } kpi => [new TextReply(Difference(kpi, q.AllYears[0], q.AllYears[^1], q.Wanted == KpiAsk.Actual ? KpiField.Actual : KpiField.Target))],
            KpiAsk.Gap when Catalog.Kpi(q.Id!) is { } kpi => [new TextReply(Gap(kpi, q.Year!.Value))],
            KpiAsk.ByDepartment => ByDepartment(q.Id!, q.Plan ?? PlanKind.Current, q.Year!.Value),
            KpiAsk.ByPolicy => ByPolicy(q.Id!, q.Plan ?? PlanKind.Current, q.Year!.Value),
            KpiAsk.ProjectKpis when Catalog.Project(q.Id!) is { } p => ProjectKpis(p, q.Year!.Value),
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
                if (achievement.Rate is { } shown)
                {
                    sb.Append('\n').Append($"・計算: 実績 {KpiFormat.Value(actual, kpi.Unit)} ÷ 目標 {KpiFormat.Value(target, kpi.Unit)} × 100 ＝ {shown}%（小数点以下四捨五入）");
                }
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
        return [new TextReply(head), new TableReply($"{kpi.Name}の推移（{p.PlanLabel}）", ["年度", "目標", "実績", "達成", "実績の出典"], rows, note, Chart(kpi, snapshot.Years(kpi)))];
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

        foreach (var k in p.Kpis)
        {
            // The 施策's indicators with their latest figures: the latest actual and the last target the plan sets.
            var latest = snapshot.LatestActualYear(k);
            var actual = latest is { } y ? $"最新の実績 {KpiFormat.Value(snapshot.Actual(k, y), k.Unit)}（{FiscalYears.Label(y)}）" : "実績はまだありません";
            var lastTarget = k.Primary(KpiField.Target).Where(c => c.Value is not null).Select(c => (int?)c.FiscalYear).Max();
            var target = lastTarget is { } t ? $"目標 {KpiFormat.Value(snapshot.Target(k, t), k.Unit)}（{FiscalYears.Label(t)}）" : "数値の目標なし";
            sb.Append('\n').Append($"・指標: {k.Name} — {actual} ／ {target}");
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

    /// <summary>
    /// The KPIs judged 未達 (or 達成) in a year, each once: 令和7年度 is both the previous plan's last year and the current
    /// plan's base year, so the same indicator of the same project with the same figures is one row naming both plans.
    /// </summary>
    private IReadOnlyList<Reply> Judged(int year, PlanKind? plan, string status)
    {
        var kpis = Catalog.Kpis.Where(k => plan is null || k.Plan == plan || year == 2025).ToList();
        var judged = new List<(KpiDef Kpi, string Plans)>();
        foreach (var k in kpis.Where(k => snapshot.Achievement(k, year).Status is KpiSnapshot.Achieved or KpiSnapshot.NotAchieved))
        {
            var same = judged.FindIndex(j => SameIndicator(j.Kpi, k, year));
            if (same >= 0)
            {
                judged[same] = (judged[same].Kpi, "DX推進プラン・前計画");
                continue;
            }

            judged.Add((k, k.Plan == PlanKind.Current ? "DX推進プラン" : "前計画"));
        }

        var hits = judged.Where(j => snapshot.Achievement(j.Kpi, year).Status == status).ToList();
        if (judged.Count == 0)
        {
            return [new TextReply($"{FiscalYears.Label(year)}の実績はまだ登録されていないため、{(status == KpiSnapshot.NotAchieved ? "達成できなかった" : "達成した")}KPIは判定できません。")];
        }

        if (hits.Count == 0)
        {
            return [new TextReply(status == KpiSnapshot.NotAchieved
                ? $"{FiscalYears.Label(year)}に実績のあるKPI {judged.Count}件は、すべて目標を達成しています。"
                : $"{FiscalYears.Label(year)}に実績のあるKPI {judged.Count}件に、目標を達成したものはありません。")];
        }

        var rows = hits.Select(j =>
        {
            var (k, plans) = j;
            var p = Catalog.ProjectOf(k);
            var a = snapshot.Achievement(k, year);
            return (IReadOnlyList<string>)[$"{k.Name}（{p.Name}）", plans, KpiFormat.Value(snapshot.Target(k, year), k.Unit), KpiFormat.Value(snapshot.Actual(k, year), k.Unit), $"{a.Rate}%"];
        }).ToList();
        var what = status == KpiSnapshot.NotAchieved ? "目標を達成できなかった" : "目標を達成した";
        return
        [
            new TextReply($"{FiscalYears.Label(year)}に{what}KPIは {hits.Count}件 です（実績のある {judged.Count}件中）。"),
            new TableReply($"{FiscalYears.Label(year)} {status}のKPI", ["指標", "計画", "目標", "実績", "達成率"], rows),
        ];
    }

    private bool SameIndicator(KpiDef a, KpiDef b, int year) =>
        a.Plan != b.Plan
        && Catalog.ProjectOf(a).Name == Catalog.ProjectOf(b).Name
        && snapshot.Target(a, year)?.Value == snapshot.Target(b, year)?.Value
        && snapshot.Actual(a, year)?.Value == snapshot.Actual(b, year)?.Value;

    /// <summary>Several years of one KPI side by side; two years also get their difference in words.</summary>
    private IReadOnlyList<Reply> Range(KpiDef kpi, IReadOnlyList<int> years)
    {
        var p = Catalog.ProjectOf(kpi);
        var rows = years.Select(y => (IReadOnlyList<string>)
        [
            FiscalYears.Label(y), KpiFormat.Value(snapshot.Target(kpi, y), kpi.Unit), KpiFormat.Value(snapshot.Actual(kpi, y), kpi.Unit),
            Status(kpi, y), snapshot.Actual(kpi, y) is { } a ? KpiFormat.SourceLabel(a) : "—",
        ]).ToList();
        var consecutive = years.Zip(years.Skip(1)).All(x => x.Second == x.First + 1);
        var span = consecutive ? $"{FiscalYears.Label(years[0])}〜{FiscalYears.Label(years[^1])}" : string.Join("・", years.Select(FiscalYears.Label));
        var head = new StringBuilder($"{kpi.Name}（{p.Name}）の{span}です。");
        if (years.Count == 2 && snapshot.Target(kpi, years[0])?.Value is { } t0 && snapshot.Target(kpi, years[1])?.Value is { } t1)
        {
            head.Append('\n').Append($"・目標: {FiscalYears.Label(years[0])} {KpiFormat.Amount(t0, kpi.Unit)} → {FiscalYears.Label(years[1])} {KpiFormat.Amount(t1, kpi.Unit)}（{KpiFormat.Change(t1 - t0, kpi.Unit)}）");
        }

        var note = $"{p.PlanLabel} {p.MeasureLabel} ／ 担当: {p.Department} ／ 出典: {p.Source}" + (dashboardUrl is null ? string.Empty : $" ／ グラフ: {Link(kpi.Id, null)}");
        return [new TextReply(head.ToString()), new TableReply($"{kpi.Name}（{span}）", ["年度", "目標", "実績", "達成", "実績の出典"], rows, note, Chart(kpi, years))];
    }

    /// <summary>The picture of a multi-year answer: the same years as its table, target against actual.</summary>
    public ChartImage? Chart(KpiDef kpi, IEnumerable<int> years) =>
        charts?.Render(kpi.Name, kpi.Unit, years.Select(y => (Year: y, Target: snapshot.Target(kpi, y), Actual: snapshot.Actual(kpi, y)))
            .Select(c => new KpiChartPoint(c.Year, c.Target?.Value, c.Actual?.Value, KpiFormat.Value(c.Target, kpi.Unit), KpiFormat.Value(c.Actual, kpi.Unit))).ToList());

    /// <summary>The figures of two years and their difference, with the formula; a missing figure is said, not computed.</summary>
    private string Difference(KpiDef kpi, int from, int to, KpiField field)
    {
        var p = Catalog.ProjectOf(kpi);
        var name = field == KpiField.Target ? "目標" : "実績";
        KpiCell? Of(int y) => field == KpiField.Target ? snapshot.Target(kpi, y) : snapshot.Actual(kpi, y);
        var (a, b) = (Of(from), Of(to));
        var sb = new StringBuilder();
        if (a?.Value is not { } va || b?.Value is not { } vb)
        {
            var missing = a?.Value is null ? from : to;
            sb.Append($"{kpi.Name}の{FiscalYears.Label(missing)}の{name}は{(field == KpiField.Actual ? "まだありません" : "計画に数値の記載がありません")}。そのため差は計算できません。");
            sb.Append('\n').Append($"・{name}: {FiscalYears.Label(from)} {KpiFormat.Value(a, kpi.Unit)} ／ {FiscalYears.Label(to)} {KpiFormat.Value(b, kpi.Unit)}");
        }
        else
        {
            var diff = vb - va;
            var verb = field == KpiField.Target
                ? diff > 0 ? "増える計画です" : diff < 0 ? "減る計画です" : "同じです"
                : diff > 0 ? "増えました" : diff < 0 ? "減りました" : "変わっていません";
            sb.Append(diff == 0
                ? $"{kpi.Name}の{name}は{FiscalYears.Label(from)}と{FiscalYears.Label(to)}で {KpiFormat.Amount(va, kpi.Unit)} と{verb}（差 0）。"
                : $"{kpi.Name}の{name}は{FiscalYears.Label(from)}から{FiscalYears.Label(to)}で {KpiFormat.Points(Math.Abs(diff), kpi.Unit)} {verb}。");
            sb.Append('\n').Append($"・計算: {name} {KpiFormat.Amount(vb, kpi.Unit)}（{FiscalYears.Label(to)}）− {name} {KpiFormat.Amount(va, kpi.Unit)}（{FiscalYears.Label(from)}）＝ {KpiFormat.Change(diff, kpi.Unit)}");
        }

        sb.Append('\n').Append($"・事業: {p.Name}（{p.PlanLabel} {p.MeasureLabel}）／ 担当: {p.Department}");
        sb.Append('\n').Append($"・出典: {p.Source}");
        return sb.ToString();
    }

    /// <summary>A year's target against the latest actual up to that year: 「目標83件 − 実績64件（令和7年度）＝ 19件」.</summary>
    private string Gap(KpiDef kpi, int year)
    {
        var p = Catalog.ProjectOf(kpi);
        var target = snapshot.Target(kpi, year);
        var actualYear = snapshot.Years(kpi).Where(y => y <= year && snapshot.Actual(kpi, y)?.Value is not null).Select(y => (int?)y).LastOrDefault();
        var sb = new StringBuilder();
        if (target?.Value is not { } t)
        {
            sb.Append($"{kpi.Name}の{FiscalYears.Label(year)}の目標は計画に数値の記載がないため（{KpiFormat.Value(target, kpi.Unit)}）、差は計算できません。");
        }
        else if (actualYear is not { } ay)
        {
            sb.Append($"{kpi.Name}の実績はまだないため、{FiscalYears.Label(year)}の目標 {KpiFormat.Amount(t, kpi.Unit)} との差は計算できません。");
        }
        else
        {
            var actual = snapshot.Actual(kpi, ay)!;
            var a = actual.Value!.Value;
            var diff = t - a;
            var actualLabel = $"実績 {KpiFormat.Amount(a, kpi.Unit)}（{FiscalYears.Label(ay)}・{KpiFormat.SourceLabel(actual)}）";
            var targetLabel = $"目標 {KpiFormat.Amount(t, kpi.Unit)}（{FiscalYears.Label(year)}）";
            sb.Append(diff > 0
                ? ay == year
                    ? $"{kpi.Name}は{FiscalYears.Label(year)}、目標に {KpiFormat.Points(diff, kpi.Unit)} 届きませんでした。"
                    : $"{kpi.Name}は{FiscalYears.Label(year)}の目標まで あと {KpiFormat.Points(diff, kpi.Unit)} です。"
                : diff < 0
                    ? $"{kpi.Name}は実績が{FiscalYears.Label(year)}の目標を {KpiFormat.Points(-diff, kpi.Unit)} 上回っています。"
                    : $"{kpi.Name}は実績が{FiscalYears.Label(year)}の目標と同じです（差 0）。");
            sb.Append('\n').Append(diff >= 0
                ? $"・計算: {targetLabel} − {actualLabel} ＝ {KpiFormat.Points(diff, kpi.Unit)}"
                : $"・計算: {actualLabel} − {targetLabel} ＝ {KpiFormat.Points(-diff, kpi.Unit)}");
            if (ay != year)
            {
                sb.Append('\n').Append($"・{FiscalYears.Label(ay)}の実績が最新です（{FiscalYears.Label(year)}の実績はまだありません）。");
            }
        }

        sb.Append('\n').Append($"・事業: {p.Name}（{p.PlanLabel} {p.MeasureLabel}）／ 担当: {p.Department}");
        sb.Append('\n').Append($"・出典: {p.Source}");
        return sb.ToString();
    }

    private IReadOnlyList<Reply> ByDepartment(string department, PlanKind plan, int year)
    {
        var projects = Catalog.Projects.Where(p => p.Plan == plan && KpiQuestionReader.DepartmentsOf(p).Contains(department)).ToList();
        var planLabel = plan == PlanKind.Current ? "塩竈市DX推進プラン" : "DX推進アクションプラン（前計画）";
        if (projects.Count == 0)
        {
            return [new TextReply($"{planLabel}に{department}が担当する事業はありません。")];
        }

        var count = projects.Sum(p => p.Kpis.Count);
        var head = $"{planLabel}で{department}が担当する（ほかの課と共同を含む）事業は {projects.Count}件、KPIは {count}件 です。";
        return [new TextReply(head), Indicators($"{department}のKPI（{planLabel}）", projects, year)];
    }

    private IReadOnlyList<Reply> ByPolicy(string id, PlanKind plan, int year)
    {
        var parts = id.Split('-');
        var policy = int.Parse(parts[0], CultureInfo.InvariantCulture);
        int? measure = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : null;
        var projects = Catalog.Projects.Where(p => p.Plan == plan && p.Policy == policy && (measure is null || p.Measure == measure)).ToList();
        var planLabel = plan == PlanKind.Current ? "塩竈市DX推進プラン" : "DX推進アクションプラン（前計画）";
        var label = measure is { } m ? $"基本方針{policy} 施策{m}" : $"基本方針{policy}";
        if (projects.Count == 0)
        {
            return [new TextReply($"{planLabel}に{label}はありません。")];
        }

        var name = measure is null ? projects[0].PolicyName : projects[0].Name;
        var head = $"{planLabel}の{label}（{name}）のKPIは {projects.Sum(p => p.Kpis.Count)}件 です。";
        return [new TextReply(head), Indicators($"{label} {name}のKPI", projects, year)];
    }

    private IReadOnlyList<Reply> ProjectKpis(KpiProjectDef p, int year)
    {
        if (p.Kpis.Count == 0)
        {
            return [new TextReply($"{p.Name}（{p.PlanLabel} {p.MeasureLabel}）には数値のKPIがありません。\n・結果: {p.ResultStatus ?? "（判定の記載なし）"} — {p.ResultText ?? "—"}\n・担当: {p.Department} ／ 出典: {p.Source}")];
        }

        var head = $"{p.Name}（{p.PlanLabel} {p.MeasureLabel}）のKPIは {p.Kpis.Count}件 です: {string.Join("、", p.Kpis.Select(k => k.Name))}。";
        return [new TextReply(head), Indicators($"{p.Name}のKPI", [p], year)];
    }

    /// <summary>Each KPI of the projects once, with this year's target and its latest actual.</summary>
    private TableReply Indicators(string title, IReadOnlyList<KpiProjectDef> projects, int year)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var p in projects)
        {
            if (p.Kpis.Count == 0)
            {
                rows.Add([p.MeasureLabel, p.Name, "—", p.ResultText ?? "—", p.ResultStatus ?? "—"]);
            }

            foreach (var k in p.Kpis)
            {
                var latest = snapshot.LatestActualYear(k);
                var actual = latest is { } y ? $"{KpiFormat.Value(snapshot.Actual(k, y), k.Unit)}（{FiscalYears.Label(y)}）" : "—";
                rows.Add([p.MeasureLabel, $"{k.Name}（{p.Name}）", KpiFormat.Value(snapshot.Target(k, year), k.Unit), actual, latest is { } ly ? Status(k, ly) : "未確定"]);
            }
        }

        var note = $"担当: {string.Join(" ／ ", projects.Select(p => $"{p.Name}: {p.Department}").Distinct())}。指標名を送ると詳しく答えます。";
        return new TableReply(title, ["施策", "指標（事業）", $"目標（{FiscalYears.Label(year)}）", "最新の実績", "達成"], rows, note);
    }

    /// <summary>The 施策 an indicator belongs to, one tap away: its text, effect and every indicator with its latest figures.</summary>
    private ChoicesReply MeasureButton(KpiDef kpi)
    {
        var p = Catalog.ProjectOf(kpi);
        return new ChoicesReply($"{p.MeasureLabel}「{p.Name}」の内容も見られます。", [new Choice("施策の内容", Postback.Create(KpiHandler.HandlerName, "ask", ("k", p.Id), ("y", "0"), ("f", nameof(KpiAsk.Overview))))]);
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
