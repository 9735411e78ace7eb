using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Evaluation;

/// <summary>
/// Issue #22's residents' set (resident-measures.tsv, committed before the measures were built): residents' questions
/// about 書かない窓口, paying at the counter, the city's SMS and help beyond the classes, asked of the real host with its
/// bundled content, one new person a question. Right when everything a person reads in the first answer holds each
/// fact of the row (one of its alternatives). Run alone:
/// dotnet test ShiogamaDx.Bot.sln --filter "FullyQualifiedName~ResidentMeasuresEvaluation" --logger "console;verbosity=detailed"
/// </summary>
public sealed class ResidentMeasuresEvaluationTests(ITestOutputHelper output)
{
    // Measured when the set was added, before any of the measures was built: 0/44; with the counter payment field,
    // Content/guides.yaml and the classes yielding to 「行けない」: 38/44 (86.4 %), its misses looked at while building.
    // The classes yielding also when a resident asks for a person or to help someone else, with no class word (#22, fifth pass): 40/44 (90.9 %).
    // Twelve city-hall questions added (hours, place, what to do while it is closed), written before its guide: 0/12, then
    // 9/12 with the guide; the whole set 49/56 (87.5 %), the older 44 unchanged at 40. The floor follows the larger set.
    private const double Floor = 0.85;

    internal static IReadOnlyList<(string Question, string Measure, IReadOnlyList<string[]> Facts)> Rows() =>
        File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Evaluation", "resident-measures.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .Select(r => (r[0], r[1], (IReadOnlyList<string[]>)r[2].Split(" & ").Select(f => f.Split(" | ")).ToList()))
            .ToList();

    [Fact]
    public async Task MeasuresSet_IsAnsweredWithItsFacts_AtLeastTheFloor()
    {
        var rows = Rows();
        Assert.True(rows.Count >= 40, $"the set has {rows.Count} questions");

        using var app = new BotApplication();
        var misses = new List<string>();
        var right = new Dictionary<string, (int Right, int All)>(StringComparer.Ordinal);
        var n = 0;
        foreach (var (question, measure, facts) in rows)
        {
            var text = ReplyText.Of(await app.SayAsync(Audience.Resident, $"measure-{n++}", question));
            var missing = facts.Where(f => !f.Any(alternative => text.Contains(alternative, StringComparison.Ordinal))).ToList();
            var (r, all) = right.GetValueOrDefault(measure);
            right[measure] = (r + (missing.Count == 0 ? 1 : 0), all + 1);
            if (missing.Count > 0)
            {
                misses.Add($"{question}\t[{measure}] lacks {string.Join(", ", missing.Select(f => string.Join("|", f)))}\tgot {text.Split('\n')[0]}");
            }
        }

        var rate = 1.0 - ((double)misses.Count / rows.Count);
        output.WriteLine($"Resident measures: {rows.Count - misses.Count}/{rows.Count} = {rate:P1} (floor {Floor:P0})");
        foreach (var (measure, (r, all)) in right)
        {
            output.WriteLine($"  {measure}: {r}/{all}");
        }

        misses.ForEach(m => output.WriteLine("MISS " + m));
        Assert.True(rate >= Floor, $"{rate:P1} under {Floor:P0}:\n{string.Join("\n", misses)}");
    }
}
