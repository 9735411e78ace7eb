using System.Globalization;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Conversations;

namespace ShiogamaDx.Bot.Tests.Kpis;

/// <summary>Content/kpis.yaml against the plan text itself (Content/plan/shiogama-dx-plan-r8.txt).</summary>
public sealed partial class KpiTranscriptionTests
{
    private static readonly Lazy<string> PlanText = new(() => File.ReadAllText(RepoPaths.PlanFile));

    [Fact]
    public void ThePlan_IsBundledContent()
    {
        Assert.Contains("塩竈市DX推進プラン", File.ReadAllText(RepoPaths.PlanFile), StringComparison.Ordinal);
    }

    private static readonly Lazy<KpiCatalog> Catalog = new(() => KpiCatalogLoader.Load(KpiTestData.ContentFile));

    [Theory]
    // 5. 具体的な事業 (基本方針1)
    [InlineData("online-procedures", "target", 2026, "68")]
    [InlineData("online-procedures", "actual", 2025, "64")]
    [InlineData("e-application-usage-rate", "target", 2030, "50")]
    [InlineData("e-application", "budget", 2025, "2,848")]
    [InlineData("online-payment-procedures", "actual", 2025, "6")]
    [InlineData("online-payment-procedures", "target", 2030, "16")]
    [InlineData("online-payment", "budget", 2026, "816")]
    [InlineData("smartphone-class-comprehension", "target", 2029, "80")]
    [InlineData("writing-free-counter-uses", "target", 2025, "1,827 (R8.2時点)")]
    [InlineData("writing-free-counter-uses", "target", 2028, "2,200")]
    [InlineData("resident-dx-measures", "target", 2028, "6")]
    [InlineData("resident-dx", "budget", 2026, "25,202")]
    [InlineData("resident-dx", "budget", 2027, "検討結果より算出")]
    [InlineData("resident-dx-schedule-progress", "target", 2027, "100")]
    // 5. 具体的な事業 (基本方針2)
    [InlineData("staff-digital-tool-use", "target", 2030, "70")]
    [InlineData("staff-genai-efficiency", "target", 2027, "30%")]
    [InlineData("generative-ai", "budget", 2026, "検討結果より算出")]
    [InlineData("security-training-rate", "actual", 2025, "100")]
    [InlineData("security", "budget", 2026, "187")]
    [InlineData("sms-notifications", "target", 2029, "11,000")]
    [InlineData("sms", "budget", 2030, "97")]
    [InlineData("standardized-systems", "target", 2027, "20")]
    [InlineData("standardization", "budget", 2025, "254,261")]
    [InlineData("rpa-processes", "target", 2030, "8")]
    [InlineData("rpa-processes", "actual", 2025, "3")]
    [InlineData("rpa", "budget", 2026, "1,320")]
    // 参考資料: DX推進アクションプランの実績
    [InlineData("ap-e-application-procedures", "actual", 2024, "56")]
    [InlineData("ap-e-application", "budget", 2023, "4,916")]
    [InlineData("ap-line-registrations", "actual", 2025, "17,994")]
    [InlineData("ap-line", "budget", 2025, "R6一括")]
    [InlineData("ap-smartphone-class-satisfaction", "actual", 2022, "81")]
    [InlineData("ap-writing-free-counter", "budget", 2024, "1,430")]
    [InlineData("ap-online-eligibility", "budget", 2023, "病院情報システム 保守費用に内包")]
    [InlineData("ap-staff-chat-users", "target", 2024, "5,000")]
    [InlineData("ap-staff-training-sessions", "actual", 2023, "15")]
    [InlineData("ap-standardization-progress", "target", 2024, "77.5")]
    [InlineData("ap-standardization", "budget", 2025, "343,323")]
    [InlineData("ap-rpa-processes", "actual", 2022, "1")]
    [InlineData("ap-telework-rate", "target", 2023, "50.0")]
    [InlineData("ap-security-training-rate", "actual", 2023, "45")]
    [InlineData("ap-paperless", "budget", 2025, "528")]
    [InlineData("ap-open-data-count", "target", 2024, "11")]
    [InlineData("ap-smart-store-users", "target", 2024, "方針転換により見送り")]
    public void SampleCell_IsTheTranscriptionOfThePlansRow(string id, string field, int year, string planCell)
    {
        Assert.Equal(planCell, PlanRowCell(id, field, year));
        Assert.Equal(Canonical(planCell), Canonical(CatalogCell(id, field, year)));
    }

    [Fact]
    public void EveryTableCell_OfEveryProject_IsTranscribed_AndNothingElse()
    {
        var checkedCells = 0;
        var catalog = Catalog.Value;
        foreach (var project in catalog.Projects)
        {
            foreach (var (id, field) in project.Kpis.SelectMany(k => new[] { (k.Id, "target"), (k.Id, "actual") }).Append((project.Id, "budget")))
            {
                var (first, last) = KpiCatalog.YearsOf(project.Plan);
                for (var year = first; year <= last; year++)
                {
                    var plan = PlanRowCell(id, field, year);
                    var ours = CatalogCell(id, field, year);
                    if (plan is "" or "—")
                    {
                        Assert.True(ours is null, $"{id} {field} {year}: the plan's cell is empty but the content has '{ours}'");
                    }
                    else
                    {
                        Assert.True(Canonical(plan) == Canonical(ours), $"{id} {field} {year}: plan '{plan}', content '{ours}'");
                        checkedCells++;
                    }
                }
            }
        }

        Assert.True(checkedCells > 150, $"only {checkedCells} cells were compared");
    }

    [Fact]
    public void ZeroBudgetProjects_KeepThePlansWords()
    {
        foreach (var project in Catalog.Value.Projects.Where(p => p.BudgetNote is not null))
        {
            var row = Row(project, "事業費");
            Assert.Equal(row[1], project.BudgetNote);
        }
    }

    [Fact]
    public void Discrepancies_AreKeptWithBothValues_AndTheSummaryTableSaysWhatWeQuote()
    {
        var text = PlanText.Value;
        var security = Catalog.Value.Kpi("ap-security-training-rate")!;
        Assert.Equal(99m, security.Primary(KpiField.Actual).Single(c => c.FiscalYear == 2025).Value);
        Assert.Contains(security.Cells, c => c.FiscalYear == 2025 && c.Field == KpiField.Actual && c.Value == 100m && c.Discrepancy!.Contains("総括", StringComparison.Ordinal));
        Assert.Contains("セキュリティ研修受講率100%", text, StringComparison.Ordinal);

        var standardization = Catalog.Value.Project("standardization")!;
        Assert.Contains(standardization.Budget, c => c.FiscalYear == 2025 && c.Value == 343323m && c.Discrepancy is not null);
        Assert.Contains("登録者数13,760人⇒17,994人", text, StringComparison.Ordinal);
        Assert.Contains("手続数26件⇒64件", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PreviousPlanSummary_StatusesAndTexts_AreThoseOfTheSummaryTable()
    {
        var text = PlanText.Value;
        foreach (var p in Catalog.Value.Projects.Where(p => p.Plan == PlanKind.Previous))
        {
            var summary = text[text.IndexOf("取組事項及び実績", StringComparison.Ordinal)..text.IndexOf("(2) 現計画から見える主な課題", StringComparison.Ordinal)];
            var cells = summary.Split('\n')
                .Where(l => l.StartsWith("施策", StringComparison.Ordinal))
                .Select(l => l.TrimEnd('\r').Split('\t'))
                .Single(c => p.Name.StartsWith(c[1], StringComparison.Ordinal));
            Assert.Equal(cells[2], p.ResultText);
            Assert.Equal(cells.Length > 3 && cells[3].Length > 0 ? cells[3] : null, p.ResultStatus);
        }
    }

    /// <summary>The raw cell of the plan's table for one year: 目標値/実績値 of a KPI, or 事業費 of a project.</summary>
    private static string PlanRowCell(string id, string field, int year)
    {
        var catalog = Catalog.Value;
        var kpi = catalog.Kpi(id);
        var project = kpi is null ? catalog.Project(id)! : catalog.ProjectOf(kpi);
        var label = field switch
        {
            "budget" => "事業費",
            "target" => "目標値",
            _ => "実績値",
        };
        if (kpi is not null && project.Plan == PlanKind.Current && project.Kpis.Count > 1)
        {
            label += "①②③"[project.Kpis.ToList().IndexOf(kpi)];
        }

        var row = Row(project, label);
        if (project.Plan == PlanKind.Current)
        {
            var index = 2 + (year - 2025);
            return index < row.Length ? row[index].Trim() : string.Empty;
        }

        // The previous plan's rows spread each year over several quarter columns; the year values are the
        // non-empty cells after the indicator name, in order 令和4〜7年度.
        var values = row.Skip(2).Select(c => c.Trim()).Where(c => c.Length > 0 && !c.StartsWith("単位", StringComparison.Ordinal)).ToList();
        var at = year - 2022;
        return at < values.Count ? values[at] : string.Empty;
    }

    private static string[] Row(KpiProjectDef project, string label)
    {
        var text = PlanText.Value;
        var regionStart = project.Plan == PlanKind.Current
            ? text.IndexOf("5. 具体的な事業\n\n基本方針1", StringComparison.Ordinal)
            : text.IndexOf("塩竈市DX推進アクションプランの実績\n", StringComparison.Ordinal);
        var regionEnd = text.IndexOf(project.Plan == PlanKind.Current ? "6. 塩竈市DX推進プランの着実な実施" : "用語集", regionStart, StringComparison.Ordinal);
        var start = text.IndexOf("事業名\t" + project.Name + "\t", regionStart, StringComparison.Ordinal);
        Assert.True(start > 0 && start < regionEnd, $"project '{project.Name}' not found in its part of the plan");
        var end = text.IndexOf("担当部署", start, StringComparison.Ordinal);
        var line = text[start..end].Split('\n').FirstOrDefault(l => l.StartsWith(label + "\t", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"row '{label}' not found for '{project.Name}'");
        return line.TrimEnd('\r').Split('\t');
    }

    private static string? CatalogCell(string id, string field, int year)
    {
        var catalog = Catalog.Value;
        PlanCell? cell = field switch
        {
            "budget" => catalog.Project(id)!.Budget.SingleOrDefault(c => c.FiscalYear == year && c.Discrepancy is null),
            "target" => catalog.Kpi(id)!.Primary(KpiField.Target).SingleOrDefault(c => c.FiscalYear == year),
            _ => catalog.Kpi(id)!.Primary(KpiField.Actual).SingleOrDefault(c => c.FiscalYear == year),
        };
        return cell is null ? null : cell.Value?.ToString(CultureInfo.InvariantCulture) ?? cell.Text;
    }

    /// <summary>1,827 (R8.2時点) → 1827; 30% → 30; 50.0 → 50; words without spaces.</summary>
    private static string? Canonical(string? cell)
    {
        if (cell is null)
        {
            return null;
        }

        var m = LeadingNumber().Match(cell.Replace(",", string.Empty, StringComparison.Ordinal));
        return m.Success ? decimal.Parse(m.Value, CultureInfo.InvariantCulture).ToString("0.##", CultureInfo.InvariantCulture) : cell.Replace(" ", string.Empty, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d+(\.\d+)?")]
    private static partial Regex LeadingNumber();
}
