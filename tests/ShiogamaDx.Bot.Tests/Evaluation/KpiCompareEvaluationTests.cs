using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Evaluation;

/// <summary>
/// Issue #25's set (kpi-compare-questions.tsv, committed before the reader was changed for it): staff questions that
/// compare years, compute differences, and list KPIs by department, 基本方針/施策, status or project. A question is
/// right when the reading (what is asked, which KPI / department / 施策 / project, which years, which plan) is the
/// expected one AND the real host's answer is the KPI feature's answer to that reading (so it was routed to KPIs,
/// not to the guideline). Run alone:
/// dotnet test ShiogamaDx.Bot.sln --filter "FullyQualifiedName~KpiCompareEvaluation" --logger "console;verbosity=detailed"
/// </summary>
public sealed class KpiCompareEvaluationTests(ITestOutputHelper output)
{
    private const int CurrentFiscalYear = 2026;

    // Measured when the set was added, before any change for it: 12/75 (16.0 %); after issue #25's reader and answers:
    // 75/75. The floor is issue #25's target.
    private const double Floor = 0.95;

    [Fact]
    public async Task CompareSet_IsReadAndRoutedRight_AtLeastTheFloor()
    {
        var rows = File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Evaluation", "kpi-compare-questions.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .ToList();
        Assert.True(rows.Count >= 60, $"the set has {rows.Count} questions; issue #25 asks for at least 60");

        using var app = new BotApplication();
        var reader = app.Services.GetRequiredService<KpiQuestionReader>();
        var failures = new List<string>();
        var n = 0;
        foreach (var row in rows)
        {
            Assert.Equal(5, row.Length);
            var (question, ask, id, years, plan) = (row[0], row[1], row[2], row[3], row[4]);
            var got = reader.Read(question, CurrentFiscalYear, _ => null);
            var gotYears = Years(got);
            var readRight = string.Equals(got.Ask.ToString(), ask, StringComparison.OrdinalIgnoreCase)
                && (id == "-" || got.Id == id)
                && (years == "-" || gotYears.SequenceEqual(ExpectedYears(years)))
                && (plan == "-" || string.Equals(got.Plan?.ToString(), plan, StringComparison.OrdinalIgnoreCase));

            // Routed: the host answers exactly what the KPI feature answers to the reader's reading.
            var said = ReplyText.Of(await app.SayAsync(Audience.Staff, $"compare-{n++}", question));
            string kpiAnswer;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var snapshot = await scope.ServiceProvider.GetRequiredService<KpiService>().SnapshotAsync(CancellationToken.None);
                var live = reader.Read(question, CurrentFiscalYear, snapshot.LatestActualYear);
                var link = scope.ServiceProvider.GetRequiredService<IOptions<KpiOptions>>().Value.DashboardLink;
                kpiAnswer = ReplyText.Of(new KpiAnswers(snapshot, scope.ServiceProvider.GetRequiredService<Bot.Messages.MessageCatalog>().Current, app.Clock.LocalTimeZone, link).Answer(live));
            }

            var routed = said == kpiAnswer;
            if (!readRight || !routed)
            {
                failures.Add($"{question}\texpected {ask} {id} {years} {plan}\tgot {got.Ask} {got.Id} {string.Join(",", gotYears)} {got.Plan}{(routed ? string.Empty : "\tNOT ROUTED TO KPIs: " + First(said))}");
            }
        }

        var accuracy = 1.0 - ((double)failures.Count / rows.Count);
        output.WriteLine($"KPI compare evaluation: {rows.Count - failures.Count}/{rows.Count} right = {accuracy:P1} (floor {Floor:P0}, target 95 %)");
        failures.ForEach(f => output.WriteLine("MISS " + f));
        Assert.True(accuracy >= Floor, $"accuracy {accuracy:P1} under {Floor:P0}:\n{string.Join("\n", failures)}");
    }

    private static IReadOnlyList<int> Years(KpiQuestion q) => q.AllYears;

    private static IReadOnlyList<int> ExpectedYears(string years)
    {
        if (years.Contains('-', StringComparison.Ordinal))
        {
            var parts = years.Split('-').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return Enumerable.Range(parts[0], parts[1] - parts[0] + 1).ToList();
        }

        return years.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
    }

    private static string First(string text) => text.Split('\n')[0];
}
