using Xunit.Abstractions;
using ResidentEvaluation = ShiogamaDx.Bot.Tests.Procedures.EvaluationTests;

namespace ShiogamaDx.Bot.Tests.Evaluation;

/// <summary>
/// The held-out sets of session 16, written by "sets" from the content only and committed before any change of that
/// session (f8999e8 … 246e0ad): plan-fresh4.tsv, Procedures/resident-questions-fresh5.tsv and
/// Languages/resident-*-fresh4-questions.tsv. Each is judged by the judge of its kind (PlanEvaluationTests,
/// Procedures.EvaluationTests, LanguageEvaluationTests) and prints its totals only, never a question it misses, so that
/// the misses stay unread. The floors only guard against a collapse, well under the first figure; the figures are in the
/// comments here and in docs/evaluation.md. Run alone:
/// dotnet test tests/ShiogamaDx.Bot.Tests --no-build --filter "FullyQualifiedName~Fresh4Evaluation" --logger "console;verbosity=detailed"
/// </summary>
public sealed class Fresh4EvaluationTests(ITestOutputHelper output)
{
    /// <summary>
    /// plan-fresh4.tsv: 65 staff questions about the plan (55 it answers, 10 it does not), judged as plan-fresh3 is: right
    /// section on the first 出典 line, and a refusal for the ones marked "-" (reported apart).
    /// </summary>
    // Before: run once on e294c77's code (58e4924), totals only: 36/55 right section first (65.5 %); not covered 10:
    // refused 7; all 43/65 (66.2 %). Floor about 20 points under the first figure, against a collapse only.
    [Fact]
    public Task PlanFresh4_TotalsOnly_AtLeastTheFloor() =>
        new PlanEvaluationTests(output).EvaluateAsync("plan-fresh4.tsv", 0.45, showMisses: false);

    /// <summary>
    /// resident-questions-fresh5.tsv: 102 residents' questions (every procedure of the catalog once, 2 スマホ教室, 4 guides,
    /// 14 not covered), judged as fresh4 is: through the real host's engine, and its procedure and none rows at the index.
    /// </summary>
    // Before: run once on e294c77's code (58e4924), totals only: engine 93/102 (91.2 %: procedures 73/82, スマホ教室 2/2,
    // guides 4/4, not covered 14/14); one right card 53/82, the right one among 2-3 candidates 23/82. The index's top-1
    // and refusal lines were printed but not kept by that run's filter, so the index floors stay low guards (50 %, 20 %).
    [Fact]
    public async Task ResidentFresh5_TotalsOnly_AtLeastTheFloor()
    {
        var residents = new ResidentEvaluation(output);
        var (topOneRate, noneRate) = residents.Evaluate("resident-questions-fresh5.tsv", printMisses: false, atIndex: e => e == "none" || (!e.Contains("classes", StringComparison.Ordinal) && !e.StartsWith("guide:", StringComparison.Ordinal)));
        var (right, count) = await residents.RunProbeAsync("resident-questions-fresh5.tsv", printMisses: false);

        Assert.True(topOneRate >= 0.5, $"fresh5 top-1 accuracy at the index {topOneRate:P1} is under 50%");
        Assert.True(noneRate >= 0.2, $"fresh5 no-answer precision at the index {noneRate:P1} is under 20%");
        Assert.True(right >= 0.7 * count, $"fresh5 through the engine: {right}/{count}, under the 70% floor");
    }

    /// <summary>
    /// Languages/resident-*-fresh4-questions.tsv: やさしい日本語 42 (6 not covered), and 20 in each foreign language (5 not
    /// covered), judged as the fresh3 sets are (LanguageEvaluationTests.RunWithNoneAsync, held out).
    /// </summary>
    // Before: run once on e294c77's code (58e4924), totals only: easy-fresh4 35/42, en-fresh4 15/20, zh-fresh4 19/20,
    // ko-fresh4 19/20, vi-fresh4 16/20, pt-fresh4 17/20, tl-fresh4 17/20. Floors about 20 points under those.
    [Theory]
    [InlineData("easy-fresh4", 0.65)]
    [InlineData("en-fresh4", 0.55)]
    [InlineData("zh-fresh4", 0.75)]
    [InlineData("ko-fresh4", 0.75)]
    [InlineData("vi-fresh4", 0.6)]
    [InlineData("pt-fresh4", 0.65)]
    [InlineData("tl-fresh4", 0.65)]
    public Task LanguageFresh4_TotalsOnly_AtLeastTheFloor(string language, double floor) =>
        new LanguageEvaluationTests(output).RunWithNoneAsync(language, floor, heldOut: true);
}
