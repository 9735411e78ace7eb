using System.Globalization;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Conversations;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Kpis;

/// <summary>
/// The staff evaluation set (staff-kpi-questions.tsv, written before the reader was tuned): every question's
/// reading (what is asked, which KPI or project, which fiscal year) must equal the expected one.
/// </summary>
public sealed class KpiEvaluationTests(ITestOutputHelper output)
{
    private const double Floor = 0.95;

    [Fact]
    public void EvaluationSet_IsReadExactly_AtLeastTheFloor()
    {
        var reader = new KpiQuestionReader(KpiCatalogLoader.Load(KpiTestData.ContentFile));
        var rows = File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Kpis", "staff-kpi-questions.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .ToList();
        Assert.True(rows.Count >= 100, $"the evaluation set has {rows.Count} questions; it needs at least 100");

        var failures = new List<string>();
        foreach (var row in rows)
        {
            Assert.Equal(4, row.Length);
            var (question, id, year, field) = (row[0], row[1], row[2], row[3]);
            var got = reader.Read(question, KpiTestData.CurrentFiscalYear);
            var expectedAsk = Enum.Parse<KpiAsk>(field, ignoreCase: true);
            var ok = got.Ask == expectedAsk
                && (expectedAsk is KpiAsk.None or KpiAsk.Choices || got.Id == (id == "-" ? null : id))
                && (expectedAsk is KpiAsk.None or KpiAsk.Choices || got.Year == (year == "-" ? null : int.Parse(year, CultureInfo.InvariantCulture)));
            if (!ok)
            {
                failures.Add($"{question}\texpected {field} {id} {year}\tgot {got.Ask} {got.Id} {got.Year} [{string.Join(",", got.Candidates)}]");
            }
        }

        var accuracy = 1.0 - ((double)failures.Count / rows.Count);
        output.WriteLine($"KPI evaluation: {rows.Count - failures.Count}/{rows.Count} exact = {accuracy:P1} (floor {Floor:P0})");
        foreach (var f in failures)
        {
            output.WriteLine("MISS " + f);
        }

        Assert.True(accuracy >= Floor, $"accuracy {accuracy:P1} under {Floor:P0}:\n{string.Join("\n", failures)}");
    }
}

internal static class KpiTestData
{
    public const int CurrentFiscalYear = 2026;

    public static string ContentFile => Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", KpiCatalogLoader.FileName);
}
