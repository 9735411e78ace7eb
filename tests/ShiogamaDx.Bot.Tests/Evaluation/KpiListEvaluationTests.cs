using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Evaluation;

/// <summary>
/// #18 bullet 5's set (kpi-list-questions.tsv, committed before the KPI list reading was changed): staff questions with a
/// list cue (一覧, 全部 …). A <c>kpi</c> row is right when the real host's answer is the KPI feature's answer to the
/// reader's reading (routed to KPIs); an <c>other</c> row when the answer is neither that nor a KPI table (the KPI list
/// did not take a list of something else). Rows where the bot asked which feature was meant are counted apart. Run alone:
/// dotnet test ShiogamaDx.Bot.sln --filter "FullyQualifiedName~KpiListEvaluation" --logger "console;verbosity=detailed"
/// </summary>
public sealed class KpiListEvaluationTests(ITestOutputHelper output)
{
    private const int CurrentFiscalYear = 2026;

    // Measured on the commit that added the set, before any change for it (main 985c300's code): kpi rows 19/20 = 95.0 %,
    // other rows 5/25 = 20.0 % (the KPI list took 20 lists of something else), 3 asked. The floors are those figures.
    // After the list cue claims only what the plan's words explain, and never with a project's words and no indicator word
    // (KpiQuestionReader, #18 sixth pass): 20/20 = 100 % and 24/25 = 96.0 % (13 of the 24 asked which was meant). The
    // project rule was added after reading the first change's misses (19/25), so from then on this is a development set.
    private const double KpiFloor = 1.0;
    private const double OtherFloor = 0.96;

    [Fact]
    public async Task ListCues_GoToTheKpiListOnlyWhenTheIndicatorsAreAskedFor()
    {
        var rows = File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Evaluation", "kpi-list-questions.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .ToList();
        Assert.True(rows.Count >= 40, $"the set has {rows.Count} questions");

        using var app = new BotApplication();
        var reader = app.Services.GetRequiredService<KpiQuestionReader>();
        var misses = new List<string>();
        var (kpiRight, kpiRows, otherRight, otherRows, asked) = (0, 0, 0, 0, 0);
        var n = 0;
        foreach (var row in rows)
        {
            Assert.Equal(2, row.Length);
            var (question, expected) = (row[0], row[1].Trim());
            Assert.Contains(expected, new[] { "kpi", "other" });
            var replies = await app.SayAsync(Audience.Staff, $"kpilist-{n++}", question);
            var said = ReplyText.Of(replies);
            string kpiAnswer;
            KpiQuestion reading;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var snapshot = await scope.ServiceProvider.GetRequiredService<KpiService>().SnapshotAsync(CancellationToken.None);
                reading = reader.Read(question, CurrentFiscalYear, snapshot.LatestActualYear);
                var link = scope.ServiceProvider.GetRequiredService<IOptions<KpiOptions>>().Value.DashboardLink;
                kpiAnswer = reading.Ask == KpiAsk.None
                    ? string.Empty
                    : ReplyText.Of(new KpiAnswers(snapshot, scope.ServiceProvider.GetRequiredService<Bot.Messages.MessageCatalog>().Current, app.Clock.LocalTimeZone, link).Answer(reading));
            }

            var routed = kpiAnswer.Length > 0 && said == kpiAnswer;
            var kpiShown = routed || replies.OfType<TableReply>().Any();
            var choice = !kpiShown && replies.OfType<ChoicesReply>().Any();
            asked += choice ? 1 : 0;
            var right = expected == "kpi" ? routed : !kpiShown;
            if (expected == "kpi")
            {
                kpiRows++;
                kpiRight += right ? 1 : 0;
            }
            else
            {
                otherRows++;
                otherRight += right ? 1 : 0;
            }

            if (!right)
            {
                misses.Add($"{question}\twant {expected}\tread {reading.Ask} {reading.Id} {reading.Strength:0.00}\tgot {said.Split('\n')[0]}");
            }
        }

        var kpiRate = (double)kpiRight / kpiRows;
        var otherRate = (double)otherRight / otherRows;
        output.WriteLine($"KPI list evaluation: kpi rows {kpiRight}/{kpiRows} = {kpiRate:P1} answered by the KPI feature (floor {KpiFloor:P0}); other rows {otherRight}/{otherRows} = {otherRate:P1} not given a KPI answer (floor {OtherFloor:P0}); {asked} asked which was meant; target 95 % each");
        misses.ForEach(m => output.WriteLine("MISS " + m));
        Assert.True(kpiRate >= KpiFloor && otherRate >= OtherFloor, string.Join("\n", misses));
    }
}
