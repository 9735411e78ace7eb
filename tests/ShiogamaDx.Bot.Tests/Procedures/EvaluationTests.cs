using System.Diagnostics;
using System.Globalization;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Language;
using ShiogamaDx.Bot.Procedures;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Procedures;

/// <summary>
/// Accuracy of the resident question answering on resident-questions.tsv, measured with the same thresholds the
/// handler uses: an answer counts when the right procedure is first and confident enough to be answered;
/// a "none" question counts when nothing is confident enough (the engine then says it did not understand).
/// </summary>
public sealed partial class EvaluationTests(ITestOutputHelper output)
{
    public const double TopOneFloor = 0.90;
    public const double NoneFloor = 0.80;

    private static readonly Lazy<JapaneseAnalysis> Analysis = new(() =>
        new JapaneseAnalysis(CityWords.Load(Path.Combine(AppContext.BaseDirectory, "Content", CityWords.FileName))));

    internal static ProcedureIndex SampleIndex()
    {
        var content = ProcedureFile.Load(Path.Combine(AppContext.BaseDirectory, "Content", ProcedureFile.FileName));
        return new ProcedureIndex(content.Procedures, Analysis.Value, "test", content.PortalUrl);
    }

    internal static IReadOnlyList<(string Question, string Expected)> Questions(string file = "resident-questions.tsv") =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Procedures", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .Select(p => (p[0], p[1].Trim()))
            .ToList();

    [Fact]
    public void ResidentQuestions_AreAnsweredAccurately()
    {
        var (topOneRate, noneRate) = Evaluate("resident-questions.tsv");

        Assert.True(topOneRate >= TopOneFloor, $"top-1 accuracy {topOneRate:P1} is under {TopOneFloor:P0}");
        Assert.True(noneRate >= NoneFloor, $"no-answer precision {noneRate:P1} is under {NoneFloor:P0}");
    }

    /// <summary>Written after the catalog and before tuning; its misses then led to general word-list entries, so it is no longer unseen.</summary>
    [Fact]
    public void HeldOutQuestions_AreAnsweredWell()
    {
        var (topOneRate, noneRate) = Evaluate("resident-questions-holdout.tsv");

        Assert.True(topOneRate >= 0.75, $"held-out top-1 accuracy {topOneRate:P1} is under 75%");
        Assert.True(noneRate >= 0.6, $"held-out no-answer precision {noneRate:P1} is under 60%");
    }

    /// <summary>Written after all tuning and measured once: the estimate for questions nobody prepared for.</summary>
    [Fact]
    public void FreshQuestions_AreMostlyAnswered()
    {
        var (topOneRate, _) = Evaluate("resident-questions-fresh.tsv");

        Assert.True(topOneRate >= 0.7, $"fresh top-1 accuracy {topOneRate:P1} is under 70%");
    }

    /// <summary>
    /// Written for the eighth residents' pass before any of its changes, from the catalog's ids and names only; held
    /// out, so it prints its totals and never its misses.
    /// </summary>
    [Fact]
    public void SecondFreshQuestions_AreMostlyAnswered()
    {
        var (topOneRate, noneRate) = Evaluate("resident-questions-fresh2.tsv", printMisses: false);

        Assert.True(topOneRate >= 0.7, $"fresh2 top-1 accuracy {topOneRate:P1} is under 70%");
        Assert.True(noneRate >= 0.4, $"fresh2 no-answer precision {noneRate:P1} is under 40%");
    }

    /// <summary>
    /// resident-questions-fresh3.tsv: 92 questions written on 2026-12-04 (session 13) before any change of that session,
    /// from the catalog's ids and names and the guides' titles; procedures, スマホ教室, guides and a sixth not covered.
    /// Held out: totals only, through the real host's engine (what residents read), and its procedure and not-covered
    /// rows also at the index, as fresh2. The floors only guard against a collapse; the figures are in docs/evaluation.md.
    /// </summary>
    [Fact]
    public async Task ThirdFreshQuestions_AreMostlyAnswered()
    {
        var (topOneRate, noneRate) = Evaluate("resident-questions-fresh3.tsv", printMisses: false, atIndex: e => e == "none" || (!e.Contains("classes", StringComparison.Ordinal) && !e.StartsWith("guide:", StringComparison.Ordinal)));
        var (right, count) = await RunProbeAsync("resident-questions-fresh3.tsv", printMisses: false);

        Assert.True(topOneRate >= 0.6, $"fresh3 top-1 accuracy at the index {topOneRate:P1} is under 60%");
        Assert.True(noneRate >= 0.3, $"fresh3 no-answer precision at the index {noneRate:P1} is under 30%");
        Assert.True(right >= 0.6 * count, $"fresh3 through the engine: {right}/{count}, under the 60% floor");
    }

    /// <summary>
    /// resident-questions-fresh4.tsv: 101 questions written on 2026-12-05 (session 14, by "sets") from the content only and
    /// committed before any change of that session (57c55c7): every procedure, スマホ教室, the four guides and 11 not
    /// covered. Held out as fresh3: totals only, through the real host's engine and, for its procedure and not-covered
    /// rows, at the index. The floors only guard against a collapse; the figures are in docs/evaluation.md.
    /// </summary>
    [Fact]
    public async Task FourthFreshQuestions_AreMostlyAnswered()
    {
        var (topOneRate, noneRate) = Evaluate("resident-questions-fresh4.tsv", printMisses: false, atIndex: e => e == "none" || (!e.Contains("classes", StringComparison.Ordinal) && !e.StartsWith("guide:", StringComparison.Ordinal)));
        var (right, count) = await RunProbeAsync("resident-questions-fresh4.tsv", printMisses: false);

        // Before: run once on main 0468aec (a348c77): engine 89/101; index top-1 75/82, 7/11 refused. Collapse guards only.
        Assert.True(topOneRate >= 0.7, $"fresh4 top-1 accuracy at the index {topOneRate:P1} is under 70%");
        Assert.True(noneRate >= 0.3, $"fresh4 no-answer precision at the index {noneRate:P1} is under 30%");
        Assert.True(right >= 0.7 * count, $"fresh4 through the engine: {right}/{count}, under the 70% floor");
    }

    internal (double TopOne, double None) Evaluate(string file, bool printMisses = true, Func<string, bool>? atIndex = null)
    {
        var index = SampleIndex();
        var questions = Questions(file).Where(q => atIndex is null || atIndex(q.Expected)).ToList();
        Assert.True(file != "resident-questions.tsv" || questions.Count >= 150, "the evaluation set needs at least 150 questions");

        int answerable = 0, top1 = 0, top3 = 0, none = 0, noneCorrect = 0, singleRight = 0, amongCandidates = 0;
        var failures = new List<string>();
        var correctConfidences = new List<double>();
        var times = new List<double>();
        foreach (var (question, expected) in questions)
        {
            var started = Stopwatch.GetTimestamp();
            var hits = index.Search(question);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var answered = hits.Where(h => h.Confidence >= ConversationEngine.MatchThreshold).ToList();
            var shown = hits.Where(h => h.Confidence >= ConversationEngine.MatchThreshold - 0.15).ToList();
            var got = answered.Count > 0 ? answered[0].Procedure.Id : "none";
            if (expected == "none")
            {
                none++;
                noneCorrect += got == "none" ? 1 : 0;
            }
            else
            {
                answerable++;
                top1 += got == expected ? 1 : 0;
                if (got == expected)
                {
                    correctConfidences.Add(answered[0].Confidence);
                }

                top3 += answered.Count > 0 && shown.Take(3).Any(h => h.Procedure.Id == expected) ? 1 : 0;
                if (answered.Count > 0)
                {
                    var decided = ProcedureHandler.Decide(hits);
                    singleRight += decided.Count == 1 && decided[0].Id == expected ? 1 : 0;
                    amongCandidates += decided.Count > 1 && decided.Any(p => p.Id == expected) ? 1 : 0;
                }
            }

            if (got != expected)
            {
                failures.Add($"  {question} → {got} {(hits.Count > 0 ? hits[0].Confidence.ToString("0.00", CultureInfo.InvariantCulture) : "-")} (expected {expected}; ranked: {string.Join(", ", hits.Select(h => $"{h.Procedure.Id} {h.Confidence:0.00}"))})");
            }
        }

        times.Sort();
        var topOneRate = top1 / (double)answerable;
        var noneRate = noneCorrect / (double)none;
        output.WriteLine($"{file}: questions {questions.Count}: answerable {answerable}, none {none}");
        output.WriteLine($"top-1 {top1}/{answerable} = {topOneRate:P1}; top-3 {top3}/{answerable} = {top3 / (double)answerable:P1}");
        output.WriteLine($"as residents see it: one card, the right one {singleRight}/{answerable}; the right one among 2-3 candidates {amongCandidates}/{answerable}");
        output.WriteLine($"no-answer questions answered correctly with 'not understood': {noneCorrect}/{none} = {noneRate:P1} (false answers: {none - noneCorrect})");
        output.WriteLine($"time per question: median {times[times.Count / 2]:0.000} ms, p95 {times[(int)(times.Count * 0.95)]:0.000} ms");
        output.WriteLine(!printMisses ? "(held out: misses and confidences not printed)" : $"lowest confidences of right answers: {string.Join(", ", correctConfidences.Order().Take(8).Select(c => c.ToString("0.00", CultureInfo.InvariantCulture)))}");
        if (printMisses)
        {
            output.WriteLine("misses:\n" + string.Join("\n", failures));
        }

        return (topOneRate, noneRate);
    }
}
