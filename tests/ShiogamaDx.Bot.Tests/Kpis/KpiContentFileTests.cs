using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Kpis;

namespace ShiogamaDx.Bot.Tests.Kpis;

public sealed class KpiContentFileTests
{
    private const string Project = """
        projects:
          - id: p
            plan: current
            policy: 1
            policyName: 市民のサービス向上に向けたDX
            measure: 1
            name: 電子申請の推進
            source: "5."
            department: 政策課
            summary: s
            kpis:
              - id: k
                name: 手続数
                unit: 件
                years:
        """;

    [Theory]
    [InlineData("projects: [unclosed\n", 2, "")]
    [InlineData(Project + "\n          R8: { target: 68 }\n          R8: { target: 70 }\n", 17, "")]
    [InlineData(Project + "\n          R8: { target: 68, acutal: 3 }\n", 16, "unknown year key 'acutal'")]
    [InlineData(Project + "\n          2026: { target: 68 }\n", 16, "not a year like R8")]
    [InlineData(Project + "\n          R15: { target: 68 }\n", 16, "outside 令和4〜12年度")]
    [InlineData(Project + "\n          R8: { target: — }\n", 16, "left out")]
    [InlineData(Project + "\n          R8: { target: 1 }\n        discrepancies:\n          - { field: budget, year: R8, value: 1, source: x }\n", 18, "put budget ones under the project")]
    public void BrokenFile_NamesFileAndLine(string yaml, int line, string message)
    {
        var ex = Assert.Throws<ContentFileException>(() => KpiCatalogLoader.Parse(yaml, "/x/kpis.yaml"));

        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"kpis.yaml:{line}:", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BundledFile_Loads_WithTwelveProjectsAndFifteenPreviousMeasures()
    {
        var catalog = KpiCatalogLoader.Load(KpiTestData.ContentFile);

        Assert.Equal(12, catalog.Projects.Count(p => p.Plan == PlanKind.Current));
        Assert.Equal(15, catalog.Projects.Count(p => p.Plan == PlanKind.Previous));
        Assert.All([KpiIds.OnlineProcedures, KpiIds.OnlinePaymentProcedures, KpiIds.ClassComprehension, KpiIds.StaffDigitalToolUse, KpiIds.StaffGenAiEfficiency],
            id => Assert.NotNull(catalog.Kpi(id)));
    }
}
