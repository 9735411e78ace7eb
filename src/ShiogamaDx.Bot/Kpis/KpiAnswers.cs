using System.Globalization;
using System.Text;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;
using T = ShiogamaDx.Bot.Kpis.KpiTexts;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>
/// Turns a reading of a question into replies: the number first, then target vs actual, unit, department, source,
/// budget. The sentences are Content/messages.yaml's (section <c>kpis</c>); this class decides which and fills them.
/// </summary>
/// <param name="texts">The wording in use when the question came (one version for the whole answer).</param>
/// <param name="charts">Draws the multi-year answers' chart; null: tables only.</param>
public sealed class KpiAnswers(KpiSnapshot snapshot, MessageSet texts, TimeZoneInfo zone, string? dashboardUrl, KpiCharts? charts = null)
{
    private KpiCatalog Catalog => snapshot.Catalog;

    public IReadOnlyList<Reply> Answer(KpiQuestion q)
    {
        return q.Ask switch
        {
            KpiAsk.Target or KpiAsk.Actual or KpiAsk.Achievement when Catalog.Kpi(q.Id!) is { } kpi => [new TextReply(Cell(kpi, q.Year!.Value, q.Ask)), MeasureButton(kpi)],
            KpiAsk.Trend when Catalog.Kpi(q.Id!) is { } kpi => Trend(kpi),
            KpiAsk.Budget when Catalog.Project(q.Id!) is { } p => [new TextReply(Budget(p, q.Year))],
            KpiAsk.Department when Catalog.Project(q.Id!) is { } p => [new TextReply(texts.Format(T.DepartmentAnswer, p.Name, p.Department, p.PlanLabel, p.MeasureLabel, p.Source))],
            KpiAsk.Overview when Catalog.Project(q.Id!) is { } p => [new TextReply(Overview(p))],
            KpiAsk.Result when Catalog.Project(q.Id!) is { } p => [new TextReply(Result(p))],
            KpiAsk.List => [List(q.Plan ?? PlanKind.Current, q.Year!.Value)],
            KpiAsk.Unachieved => Judged(q.Year!.Value, q.Plan, KpiSnapshot.NotAchieved),
            KpiAsk.AchievedList => Judged(q.Year!.Value, q.Plan, KpiSnapshot.Achieved),
            KpiAsk.Range when Catalog.Kpi(q.Id!) is { } kpi => Range(kpi, q.AllYears),
            KpiAsk.Difference when Catalog.Kpi(q.Id!) is { } kpi => WithYears(kpi, Difference(kpi, q.AllYears[0], q.AllYears[^1], q.Wanted == KpiAsk.Actual ? KpiField.Actual : KpiField.Target), q.AllYears[0], q.AllYears[^1]),
            KpiAsk.Gap when Catalog.Kpi(q.Id!) is { } kpi => WithYears(kpi, Gap(kpi, q.Year!.Value), LatestActualYear(kpi, q.Year!.Value) ?? q.Year!.Value, q.Year!.Value),
            KpiAsk.ByDepartment => ByDepartment(q.Id!, q.Plan ?? PlanKind.Current, q.Year!.Value),
            KpiAsk.ByPolicy => ByPolicy(q.Id!, q.Plan ?? PlanKind.Current, q.Year!.Value),
            KpiAsk.ProjectKpis when Catalog.Project(q.Id!) is { } p => ProjectKpis(p, q.Year!.Value),
            KpiAsk.Choices => [Choices(q)],
            _ => [new TextReply(texts[T.NotFound])],
        };
    }

    public string Cell(KpiDef kpi, int year, KpiAsk ask)
    {
        var p = Catalog.ProjectOf(kpi);
        var target = snapshot.Target(kpi, year);
        var actuals = snapshot.Actuals(kpi, year);
        var actual = actuals.Count > 0 ? actuals[0] : null;
        var achievement = snapshot.Achievement(kpi, year);
        var label = texts.Format(T.CellLabel, kpi.Name, FiscalYears.Label(year));
        var sb = new StringBuilder();

        // The number first.
        switch (ask)
        {
            case KpiAsk.Target:
                sb.Append(target is null
                    ? texts.Format(T.TargetNone, label)
                    : texts.Format(T.TargetIs, label, KpiFormat.Value(target, kpi.Unit)));
                break;
            case KpiAsk.Actual:
                sb.Append(actual is null
                    ? texts.Format(T.ActualNone, label)
                    : texts.Format(T.ActualIs, label, KpiFormat.Value(actual, kpi.Unit)));
                break;
            default:
                sb.Append(achievement.Status switch
                {
                    KpiSnapshot.Achieved or KpiSnapshot.NotAchieved => texts.Format(T.AchievementJudged, label, achievement.Status, achievement.Rate),
                    KpiSnapshot.Undetermined => texts.Format(T.AchievementUndetermined, label),
                    _ => texts.Format(T.AchievementNoTarget, label),
                });
                if (achievement.Rate is { } shown)
                {
                    sb.Append('\n').Append(texts.Format(T.AchievementFormula, KpiFormat.Value(actual, kpi.Unit), KpiFormat.Value(target, kpi.Unit), shown));
                }

                break;
        }

        sb.Append('\n').Append(texts.Format(T.CellFigures, KpiFormat.Value(target, kpi.Unit), KpiFormat.Value(actual, kpi.Unit)));
        if (achievement.Rate is { } rate)
        {
            sb.Append(texts.Format(T.CellFiguresRate, rate, achievement.Status));
        }
        else if (achievement.Status == KpiSnapshot.Undetermined)
        {
            sb.Append(texts[T.CellFiguresUndetermined]);
        }

        if (target?.Note is { } note)
        {
            sb.Append('\n').Append(texts.Format(T.LineNote, note));
        }

        if (actual is not null)
        {
            sb.Append('\n').Append(texts.Format(T.CellActualSource, KpiFormat.Provenance(actual, zone, texts)));
        }

        foreach (var other in actuals.Skip(1))
        {
            sb.Append('\n').Append(texts.Format(T.CellOtherActual, KpiFormat.Value(other, kpi.Unit), KpiFormat.Provenance(other, zone, texts)));
        }

        foreach (var field in new[] { KpiField.Target, KpiField.Actual })
        {
            foreach (var alt in snapshot.OtherPlanValues(kpi.Id, year, field))
            {
                sb.Append('\n').Append(texts.Format(T.CellOtherPlanValue, FieldName(field), KpiFormat.Value(alt, kpi.Unit), alt.SourceDetail));
            }
        }

        sb.Append('\n').Append(texts.Format(T.CellUnitProject, kpi.Unit.Length > 0 ? kpi.Unit : "—", p.Name, p.PlanLabel, p.MeasureLabel));
        sb.Append('\n').Append(texts.Format(T.LineDepartment, p.Department));
        sb.Append('\n').Append(texts.Format(T.CellBudget, FiscalYears.Label(year), BudgetOf(p, year)));
        if (kpi.Note is { } kpiNote)
        {
            sb.Append('\n').Append(texts.Format(T.LineNote, kpiNote));
        }

        sb.Append('\n').Append(texts.Format(T.LineSource, p.Source));
        AppendLink(sb, kpi.Id, year);
        return sb.ToString();
    }

    private string FieldName(KpiField field) => texts[field == KpiField.Target ? T.FieldTarget : T.FieldActual];

    /// <summary>The columns of a table of years: 年度, 目標, 実績, 達成, 実績の出典.</summary>
    private IReadOnlyList<string> YearColumns => [texts[T.ColumnYear], texts[T.ColumnTarget], texts[T.ColumnActual], texts[T.ColumnStatus], texts[T.ColumnActualSource]];

    private string GraphSuffix(string? kpiId) => dashboardUrl is null ? string.Empty : texts.Format(T.GraphSuffix, Link(kpiId, null));

    private IReadOnlyList<Reply> Trend(KpiDef kpi)
    {
        var p = Catalog.ProjectOf(kpi);
        var rows = snapshot.Years(kpi)
            .Select(y => (Year: y, Target: snapshot.Target(kpi, y), Actual: snapshot.Actual(kpi, y)))
            .Where(r => r.Target is not null || r.Actual is not null)
            .Select(r => (IReadOnlyList<string>)
            [
                FiscalYears.Label(r.Year), KpiFormat.Value(r.Target, kpi.Unit), KpiFormat.Value(r.Actual, kpi.Unit),
                Status(kpi, r.Year), r.Actual is null ? "—" : KpiFormat.SourceLabel(r.Actual, texts),
            ])
            .ToList();
        var latest = snapshot.LatestActualYear(kpi);
        var head = latest is { } y
            ? texts.Format(T.TrendLatest, kpi.Name, p.Name, FiscalYears.Label(y), KpiFormat.Value(snapshot.Actual(kpi, y), kpi.Unit))
            : texts.Format(T.TrendNoActual, kpi.Name, p.Name);
        var note = texts.Format(T.DepartmentSource, p.Department, p.Source) + GraphSuffix(kpi.Id);
        return [new TextReply(head), new TableReply(texts.Format(T.TrendTitle, kpi.Name, p.PlanLabel), YearColumns, rows, note, Chart(kpi, snapshot.Years(kpi)))];
    }

    private string Budget(KpiProjectDef p, int? year)
    {
        if (p.BudgetNote is { } zero && p.Budget.Count == 0)
        {
            return texts.Format(T.BudgetNotPlanned, p.Name, zero, p.PlanLabel, p.MeasureLabel, p.Department);
        }

        var sb = new StringBuilder();
        if (year is { } y)
        {
            sb.Append(texts.Format(T.BudgetOfYear, p.Name, FiscalYears.Label(y), BudgetOf(p, y)));
            foreach (var alt in snapshot.OtherPlanValues(p.Id, y, KpiField.Budget))
            {
                sb.Append('\n').Append(texts.Format(T.BudgetOtherPlanValue, KpiFormat.Budget(alt, texts), alt.SourceDetail));
            }
        }
        else
        {
            var cells = p.Budget.Where(c => c.Discrepancy is null).OrderBy(c => c.FiscalYear).ToList();
            if (cells.Count == 0)
            {
                sb.Append(texts.Format(T.BudgetUnwritten, p.Name));
            }
            else
            {
                var years = string.Join(texts[T.ListSeparator], cells.Select(c => $"{FiscalYears.Label(c.FiscalYear)} {KpiFormat.Budget(snapshot.Budget(p, c.FiscalYear), texts)}"));
                sb.Append(texts.Format(T.BudgetYears, p.Name, years));
            }

            foreach (var alt in p.Budget.Where(c => c.Discrepancy is not null))
            {
                var value = alt.Value is { } v ? texts.Format(T.BudgetAmount, KpiFormat.Number(v)) : alt.Text;
                sb.Append('\n').Append(texts.Format(T.BudgetOtherPlanValueOfYear, FiscalYears.Label(alt.FiscalYear), value, alt.Discrepancy));
            }
        }

        sb.Append('\n').Append(texts.Format(T.BudgetFooter, p.Name, p.PlanLabel, p.MeasureLabel, p.Department));
        sb.Append('\n').Append(texts.Format(T.LineSource, p.Source));
        return sb.ToString();
    }

    private string BudgetOf(KpiProjectDef p, int year) =>
        snapshot.Budget(p, year) is { } cell ? KpiFormat.Budget(cell, texts) : p.BudgetNote ?? "—";

    private string Overview(KpiProjectDef p)
    {
        var sb = new StringBuilder();
        sb.Append(texts.Format(T.OverviewHeading, p.Name, p.PlanLabel, p.MeasureLabel, p.PolicyName)).Append('\n');
        sb.Append(texts.Format(T.OverviewSummary, p.Summary));
        if (p.Effect is { } effect)
        {
            sb.Append('\n').Append(texts.Format(T.OverviewEffect, effect));
        }

        foreach (var k in p.Kpis)
        {
            // The 施策's indicators with their latest figures: the latest actual and the last target the plan sets.
            var latest = snapshot.LatestActualYear(k);
            var actual = latest is { } y ? texts.Format(T.OverviewLatestActual, KpiFormat.Value(snapshot.Actual(k, y), k.Unit), FiscalYears.Label(y)) : texts[T.OverviewNoActual];
            var lastTarget = k.Primary(KpiField.Target).Where(c => c.Value is not null).Select(c => (int?)c.FiscalYear).Max();
            var target = lastTarget is { } t ? texts.Format(T.OverviewTarget, KpiFormat.Value(snapshot.Target(k, t), k.Unit), FiscalYears.Label(t)) : texts[T.OverviewNoTarget];
            sb.Append('\n').Append(texts.Format(T.OverviewIndicator, k.Name, actual, target));
        }

        if (p.ResultText is not null)
        {
            sb.Append('\n').Append(texts.Format(T.OverviewResult, p.ResultStatus ?? texts[T.NoResultStatus], p.ResultText));
        }

        sb.Append('\n').Append(texts.Format(T.LineDepartment, p.Department));
        sb.Append('\n').Append(texts.Format(T.LineSource, p.Source));
        return sb.ToString();
    }

    private string Result(KpiProjectDef p)
    {
        var sb = new StringBuilder();
        sb.Append(texts.Format(T.Result, p.Name, p.PlanLabel, p.ResultStatus ?? texts[T.ResultNoStatus], p.ResultText ?? "—"));
        if (p.Qualitative is { } q)
        {
            sb.Append('\n').Append(texts.Format(T.ResultQualitative, q));
        }

        if (p.Review is { } r)
        {
            sb.Append('\n').Append(texts.Format(T.ResultReview, r));
        }

        sb.Append('\n').Append(texts.Format(T.LineDepartmentSource, p.Department, p.Source));
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
                rows.Add([p.MeasureLabel, texts.Format(T.IndicatorOfProject, k.Name, p.Name), KpiFormat.Value(snapshot.Target(k, year), k.Unit), KpiFormat.Value(snapshot.Actual(k, year), k.Unit), Status(k, year)]);
            }
        }

        var title = texts.Format(plan == PlanKind.Current ? T.ListTitleCurrent : T.ListTitlePrevious, FiscalYears.Label(year));
        var note = texts[T.ListNote] + (dashboardUrl is null ? string.Empty : texts.Format(T.ListGraph, Link(null, year)));
        var columns = new[] { texts[T.ColumnMeasure], texts[T.ColumnIndicator], texts[T.ColumnTarget], texts[T.ColumnActual], texts[plan == PlanKind.Current ? T.ColumnStatus : T.ColumnStatusOrResult] };
        return new TableReply(title, columns, rows, note);
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
                judged[same] = (judged[same].Kpi, texts[T.PlanBothShort]);
                continue;
            }

            judged.Add((k, texts[k.Plan == PlanKind.Current ? T.PlanCurrentShort : T.PlanPreviousShort]));
        }

        var unachieved = status == KpiSnapshot.NotAchieved;
        var label = FiscalYears.Label(year);
        var hits = judged.Where(j => snapshot.Achievement(j.Kpi, year).Status == status).ToList();
        if (judged.Count == 0)
        {
            return [new TextReply(texts.Format(unachieved ? T.UnachievedNoActuals : T.AchievedNoActuals, label))];
        }

        if (hits.Count == 0)
        {
            return [new TextReply(texts.Format(unachieved ? T.AllAchieved : T.NoneAchieved, label, judged.Count))];
        }

        var rows = hits.Select(j =>
        {
            var (k, plans) = j;
            var p = Catalog.ProjectOf(k);
            var a = snapshot.Achievement(k, year);
            return (IReadOnlyList<string>)[texts.Format(T.IndicatorOfProject, k.Name, p.Name), plans, KpiFormat.Value(snapshot.Target(k, year), k.Unit), KpiFormat.Value(snapshot.Actual(k, year), k.Unit), $"{a.Rate}%"];
        }).ToList();
        var columns = new[] { texts[T.ColumnIndicator], texts[T.ColumnPlan], texts[T.ColumnTarget], texts[T.ColumnActual], texts[T.ColumnRate] };
        return
        [
            new TextReply(texts.Format(unachieved ? T.UnachievedCount : T.AchievedCount, label, hits.Count, judged.Count)),
            new TableReply(texts.Format(T.JudgedTitle, label, status), columns, rows),
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
        var consecutive = years.Zip(years.Skip(1)).All(x => x.Second == x.First + 1);
        var span = consecutive ? texts.Format(T.SpanRange, FiscalYears.Label(years[0]), FiscalYears.Label(years[^1])) : string.Join(texts[T.SpanSeparator], years.Select(FiscalYears.Label));
        var head = new StringBuilder(texts.Format(T.RangeHead, kpi.Name, p.Name, span));
        if (years.Count == 2 && snapshot.Target(kpi, years[0])?.Value is { } t0 && snapshot.Target(kpi, years[1])?.Value is { } t1)
        {
            head.Append('\n').Append(texts.Format(T.RangeTargets, FiscalYears.Label(years[0]), KpiFormat.Amount(t0, kpi.Unit), FiscalYears.Label(years[1]), KpiFormat.Amount(t1, kpi.Unit), KpiFormat.Change(t1 - t0, kpi.Unit, texts)));
        }

        return [new TextReply(head.ToString()), YearTable(kpi, years, span)];
    }

    /// <summary>The years' table under a range, a difference or a gap, with its chart: target against actual per year.</summary>
    private TableReply YearTable(KpiDef kpi, IReadOnlyList<int> years, string span)
    {
        var p = Catalog.ProjectOf(kpi);
        var rows = years.Select(y => (IReadOnlyList<string>)
        [
            FiscalYears.Label(y), KpiFormat.Value(snapshot.Target(kpi, y), kpi.Unit), KpiFormat.Value(snapshot.Actual(kpi, y), kpi.Unit),
            Status(kpi, y), snapshot.Actual(kpi, y) is { } a ? KpiFormat.SourceLabel(a, texts) : "—",
        ]).ToList();
        var note = texts.Format(T.RangeNote, p.PlanLabel, p.MeasureLabel, p.Department, p.Source) + GraphSuffix(kpi.Id);
        return new TableReply(texts.Format(T.RangeTitle, kpi.Name, span), YearColumns, rows, note, Chart(kpi, years));
    }

    /// <summary>
    /// A difference or a gap spans years, so the answer in words is followed by those years' table and chart (#25:
    /// every multi-year answer carries its picture); an answer about one year stays one message.
    /// </summary>
    private IReadOnlyList<Reply> WithYears(KpiDef kpi, string answer, int from, int to)
    {
        if (from == to)
        {
            return [new TextReply(answer)];
        }

        var (first, last) = (Math.Min(from, to), Math.Max(from, to));
        var years = Enumerable.Range(first, last - first + 1).ToList();
        return [new TextReply(answer), YearTable(kpi, years, texts.Format(T.SpanRange, FiscalYears.Label(first), FiscalYears.Label(last)))];
    }

    /// <summary>The latest fiscal year up to <paramref name="year"/> with an actual figure, if any.</summary>
    private int? LatestActualYear(KpiDef kpi, int year) =>
        snapshot.Years(kpi).Where(y => y <= year && snapshot.Actual(kpi, y)?.Value is not null).Select(y => (int?)y).LastOrDefault();

    /// <summary>The picture of a multi-year answer: the same years as its table, target against actual.</summary>
    public ChartImage? Chart(KpiDef kpi, IEnumerable<int> years) =>
        charts?.Render(kpi.Name, kpi.Unit, years.Select(y => (Year: y, Target: snapshot.Target(kpi, y), Actual: snapshot.Actual(kpi, y)))
            .Select(c => new KpiChartPoint(c.Year, c.Target?.Value, c.Actual?.Value, KpiFormat.Value(c.Target, kpi.Unit), KpiFormat.Value(c.Actual, kpi.Unit))).ToList());

    /// <summary>The figures of two years and their difference, with the formula; a missing figure is said, not computed.</summary>
    private string Difference(KpiDef kpi, int from, int to, KpiField field)
    {
        var p = Catalog.ProjectOf(kpi);
        var name = FieldName(field);
        KpiCell? Of(int y) => field == KpiField.Target ? snapshot.Target(kpi, y) : snapshot.Actual(kpi, y);
        var (a, b) = (Of(from), Of(to));
        var (fromLabel, toLabel) = (FiscalYears.Label(from), FiscalYears.Label(to));
        var sb = new StringBuilder();
        if (a?.Value is not { } va || b?.Value is not { } vb)
        {
            var missing = a?.Value is null ? from : to;
            sb.Append(texts.Format(field == KpiField.Actual ? T.DifferenceNoActual : T.DifferenceNoTarget, kpi.Name, FiscalYears.Label(missing), name));
            sb.Append('\n').Append(texts.Format(T.DifferenceFigures, name, fromLabel, KpiFormat.Value(a, kpi.Unit), toLabel, KpiFormat.Value(b, kpi.Unit)));
        }
        else
        {
            var diff = vb - va;
            var verb = texts[field == KpiField.Target
                ? diff > 0 ? T.DifferenceTargetUp : diff < 0 ? T.DifferenceTargetDown : T.DifferenceTargetSame
                : diff > 0 ? T.DifferenceActualUp : diff < 0 ? T.DifferenceActualDown : T.DifferenceActualSame];
            sb.Append(diff == 0
                ? texts.Format(T.DifferenceNone, kpi.Name, name, fromLabel, toLabel, KpiFormat.Amount(va, kpi.Unit), verb)
                : texts.Format(T.Difference, kpi.Name, name, fromLabel, toLabel, KpiFormat.Points(Math.Abs(diff), kpi.Unit, texts), verb));
            sb.Append('\n').Append(texts.Format(T.DifferenceFormula, name, KpiFormat.Amount(vb, kpi.Unit), toLabel, KpiFormat.Amount(va, kpi.Unit), fromLabel, KpiFormat.Change(diff, kpi.Unit, texts)));
        }

        sb.Append('\n').Append(texts.Format(T.LineProject, p.Name, p.PlanLabel, p.MeasureLabel, p.Department));
        sb.Append('\n').Append(texts.Format(T.LineSource, p.Source));
        return sb.ToString();
    }

    /// <summary>A year's target against the latest actual up to that year: 「目標83件 − 実績64件（令和7年度）＝ 19件」.</summary>
    private string Gap(KpiDef kpi, int year)
    {
        var p = Catalog.ProjectOf(kpi);
        var target = snapshot.Target(kpi, year);
        var actualYear = LatestActualYear(kpi, year);
        var label = FiscalYears.Label(year);
        var sb = new StringBuilder();
        if (target?.Value is not { } t)
        {
            sb.Append(texts.Format(T.GapNoTarget, kpi.Name, label, KpiFormat.Value(target, kpi.Unit)));
        }
        else if (actualYear is not { } ay)
        {
            sb.Append(texts.Format(T.GapNoActual, kpi.Name, label, KpiFormat.Amount(t, kpi.Unit)));
        }
        else
        {
            var actual = snapshot.Actual(kpi, ay)!;
            var a = actual.Value!.Value;
            var diff = t - a;
            var actualLabel = texts.Format(T.GapActualLabel, KpiFormat.Amount(a, kpi.Unit), FiscalYears.Label(ay), KpiFormat.SourceLabel(actual, texts));
            var targetLabel = texts.Format(T.GapTargetLabel, KpiFormat.Amount(t, kpi.Unit), label);
            sb.Append(diff > 0
                ? texts.Format(ay == year ? T.GapMissed : T.GapRemaining, kpi.Name, label, KpiFormat.Points(diff, kpi.Unit, texts))
                : diff < 0
                    ? texts.Format(T.GapAbove, kpi.Name, label, KpiFormat.Points(-diff, kpi.Unit, texts))
                    : texts.Format(T.GapEqual, kpi.Name, label));
            sb.Append('\n').Append(diff >= 0
                ? texts.Format(T.GapFormula, targetLabel, actualLabel, KpiFormat.Points(diff, kpi.Unit, texts))
                : texts.Format(T.GapFormula, actualLabel, targetLabel, KpiFormat.Points(-diff, kpi.Unit, texts)));
            if (ay != year)
            {
                sb.Append('\n').Append(texts.Format(T.GapLatestActual, FiscalYears.Label(ay), label));
            }
        }

        sb.Append('\n').Append(texts.Format(T.LineProject, p.Name, p.PlanLabel, p.MeasureLabel, p.Department));
        sb.Append('\n').Append(texts.Format(T.LineSource, p.Source));
        return sb.ToString();
    }

    private string PlanName(PlanKind plan) => texts[plan == PlanKind.Current ? T.PlanCurrent : T.PlanPrevious];

    private IReadOnlyList<Reply> ByDepartment(string department, PlanKind plan, int year)
    {
        var projects = Catalog.Projects.Where(p => p.Plan == plan && KpiQuestionReader.DepartmentsOf(p).Contains(department)).ToList();
        var planLabel = PlanName(plan);
        if (projects.Count == 0)
        {
            return [new TextReply(texts.Format(T.DepartmentNone, planLabel, department))];
        }

        var count = projects.Sum(p => p.Kpis.Count);
        var head = texts.Format(T.DepartmentCount, planLabel, department, projects.Count, count);
        return [new TextReply(head), Indicators(texts.Format(T.DepartmentTitle, department, planLabel), projects, year)];
    }

    private IReadOnlyList<Reply> ByPolicy(string id, PlanKind plan, int year)
    {
        var parts = id.Split('-');
        var policy = int.Parse(parts[0], CultureInfo.InvariantCulture);
        int? measure = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : null;
        var projects = Catalog.Projects.Where(p => p.Plan == plan && p.Policy == policy && (measure is null || p.Measure == measure)).ToList();
        var planLabel = PlanName(plan);
        var label = measure is { } m ? texts.Format(T.PolicyMeasureLabel, policy, m) : texts.Format(T.PolicyLabel, policy);
        if (projects.Count == 0)
        {
            return [new TextReply(texts.Format(T.PolicyNone, planLabel, label))];
        }

        var name = measure is null ? projects[0].PolicyName : projects[0].Name;
        var head = texts.Format(T.PolicyCount, planLabel, label, name, projects.Sum(p => p.Kpis.Count));
        return [new TextReply(head), Indicators(texts.Format(T.PolicyTitle, label, name), projects, year)];
    }

    private IReadOnlyList<Reply> ProjectKpis(KpiProjectDef p, int year)
    {
        if (p.Kpis.Count == 0)
        {
            return [new TextReply(texts.Format(T.ProjectNoKpis, p.Name, p.PlanLabel, p.MeasureLabel, p.ResultStatus ?? texts[T.NoResultStatus], p.ResultText ?? "—", p.Department, p.Source))];
        }

        var head = texts.Format(T.ProjectKpis, p.Name, p.PlanLabel, p.MeasureLabel, p.Kpis.Count, string.Join(texts[T.ListSeparator], p.Kpis.Select(k => k.Name)));
        return [new TextReply(head), Indicators(texts.Format(T.ProjectTitle, p.Name), [p], year)];
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
                var actual = latest is { } y ? texts.Format(T.FigureOfYear, KpiFormat.Value(snapshot.Actual(k, y), k.Unit), FiscalYears.Label(y)) : "—";
                rows.Add([p.MeasureLabel, texts.Format(T.IndicatorOfProject, k.Name, p.Name), KpiFormat.Value(snapshot.Target(k, year), k.Unit), actual, latest is { } ly ? Status(k, ly) : KpiSnapshot.Undetermined]);
            }
        }

        var note = texts.Format(T.IndicatorsNote, string.Join(" ／ ", projects.Select(p => texts.Format(T.ProjectDepartment, p.Name, p.Department)).Distinct()));
        var columns = new[] { texts[T.ColumnMeasure], texts[T.ColumnIndicatorProject], texts.Format(T.ColumnTargetOfYear, FiscalYears.Label(year)), texts[T.ColumnLatestActual], texts[T.ColumnStatus] };
        return new TableReply(title, columns, rows, note);
    }

    /// <summary>The 施策 an indicator belongs to, one tap away: its text, effect and every indicator with its latest figures.</summary>
    private ChoicesReply MeasureButton(KpiDef kpi)
    {
        var p = Catalog.ProjectOf(kpi);
        return new ChoicesReply(texts.Format(T.MeasureOffer, p.MeasureLabel, p.Name), [new Choice(texts[T.MeasureButton], Postback.Create(KpiHandler.HandlerName, "ask", ("k", p.Id), ("y", "0"), ("f", nameof(KpiAsk.Overview))))]);
    }

    private ChoicesReply Choices(KpiQuestion q)
    {
        var choices = q.Candidates.Take(4).Select(id =>
        {
            if (Catalog.Kpi(id) is { } k)
            {
                var p = Catalog.ProjectOf(k);
                var ask = q.Wanted is KpiAsk.None ? KpiAsk.Target : q.Wanted;
                var label = p.Plan == PlanKind.Previous ? texts.Format(T.PreviousPlanChoice, k.Name) : k.Name;
                return new Choice(label, Postback.Create(KpiHandler.HandlerName, "ask", ("k", id), ("y", (q.Year ?? 0).ToString(CultureInfo.InvariantCulture)), ("f", ask.ToString())));
            }

            var project = Catalog.Project(id)!;
            var projectAsk = q.Wanted is KpiAsk.Budget or KpiAsk.Department ? q.Wanted : KpiAsk.Overview;
            var projectLabel = project.Plan == PlanKind.Previous ? texts.Format(T.PreviousPlanChoice, project.Name) : project.Name;
            return new Choice(projectLabel, Postback.Create(KpiHandler.HandlerName, "ask", ("k", id), ("y", (q.Year ?? 0).ToString(CultureInfo.InvariantCulture)), ("f", projectAsk.ToString())));
        }).ToList();
        return new ChoicesReply(texts[T.WhichIndicator], choices);
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
            sb.Append('\n').Append(texts.Format(T.LineGraph, Link(kpiId, year)));
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
