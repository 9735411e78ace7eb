using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Evaluation;

/// <summary>
/// Issue #22's set (plan-questions.tsv, committed before the plan was content): staff questions about the plan itself,
/// asked of the real host with its bundled content. Right when the answer's first 出典 line is the expected section of the
/// plan (the rule of the Documents sets); a question marked "-" (the plan does not answer it) is right when the bot
/// refuses, and refusals are reported apart from hit@1 on the covered questions. Run alone:
/// dotnet test ShiogamaDx.Bot.sln --filter "FullyQualifiedName~PlanEvaluation" --logger "console;verbosity=detailed"
/// </summary>
public sealed class PlanEvaluationTests(ITestOutputHelper output)
{
    // Measured when the set was added, before the plan was content: 3/47 (6.4 %); with the plan as content (Plan/):
    // 35/47 (74.4 %). The floor is that figure rounded down; the target of issue #22 is 90 %, not met yet.
    // 39/47 = 83.0 % with a KPI reading claiming only questions its words explain, the glossary for meanings and いくつ asked
    // for (#18/#22 fourth pass); 40/47 = 85.1 % since スマホ教室 inside a longer staff question is a mention for the class
    // results (#22 sixth pass).
    // 41/47 = 87.2 % after the seventh pass (tables as rows, the glossary one passage per term, meanings asked for,
    // loan words read with their long vowels).
    private const double Floor = 0.87;

    // 34/42 = 81.0 % on ddedb11 (main a15fa50 code); 33/42 = 78.6 % since a KPI reading claims only questions its words
    // explain (KpiQuestionReader.MinExplained): the one change of the fourth pass that moved this set, down by one
    // question, while it raised the documents' refusals and the dev set. Reported in docs/evaluation.md, rounded down.
    // 32/42 = 76.2 % after 6cdd0d4 (#18 fifth pass: a verb's one kanji in coverage, the glossary competing only for
    // meanings), down one question; which one was not looked at (held out). Reported in docs/evaluation.md.
    // 33/42 = 78.6 % after the sixth pass (b0c60df, 66e96ef, 62986e3; totals only, run after the last change of the pass).
    // A dev set since the seventh pass (its misses were read in the sixth): 33/42 = 78.6 % after its tables and glossary
    // changes, 35/42 = 83.3 % once the plan was read without the residents' word list (PlanLibrary).
    private const double HeldOutFloor = 0.83;

    // plan-fresh.tsv is the held-out set since the seventh pass (plan-heldout's misses had been read, so it is a dev set
    // too). A floor well below any figure, only against a collapse; the figure is reported in docs/evaluation.md.
    private const double FreshFloor = 0.5;

    // plan-dev4.tsv (session 14): 37/71 covered right first and 6/12 uncovered refused on main 0468aec; 39/71 once a
    // citation closed by its bracket was judged by its path; 41/71 after session 14's changes (the plan's parts name it,
    // the text before a glossary entry holding as much, 「Xって…何」 a meaning). The floor is that figure rounded down.
    // 45/71 = 63.4 % after session 16's SectionKinds (the kind of section a question asks for), measured on e62c313.
    private const double DevFloor4 = 0.63;

    [Fact]
    public Task PlanSet_IsAnsweredFromTheRightSection_AtLeastTheFloor() => EvaluateAsync("plan-questions.tsv", Floor);

    /// <summary>
    /// plan-heldout.tsv (ddedb11): 42 questions written after plan-questions.tsv's misses had been read, before any change
    /// made for them; its misses are printed but not used to choose a change. Floor: the figure measured on the commit
    /// that added it, rounded down.
    /// </summary>
    [Fact]
    public Task HeldOutPlanSet_IsAnsweredFromTheRightSection_AtLeastTheFloor() => EvaluateAsync("plan-heldout.tsv", HeldOutFloor);

    /// <summary>
    /// plan-fresh.tsv: 55 questions written from the plan's text before the seventh pass changed anything, without reading
    /// the other sets' misses. Only its total is printed: its misses are not read to choose a change.
    /// </summary>
    [Fact]
    public Task FreshPlanSet_IsAnsweredFromTheRightSection_AtLeastTheFloor() => EvaluateAsync("plan-fresh.tsv", FreshFloor, showMisses: false);

    /// <summary>
    /// plan-fresh3.tsv: 67 questions written on 2026-12-04 (session 13) from the plan's text before any change of that
    /// session, without reading the other sets beyond their headers. Held out: only its total is printed, its misses are
    /// not read to choose a change. The floor (FreshFloor) only guards against a collapse; the figure is in
    /// docs/evaluation.md.
    /// </summary>
    [Fact]
    public Task FreshPlanSet3_IsAnsweredFromTheRightSection_AtLeastTheFloor() => EvaluateAsync("plan-fresh3.tsv", FreshFloor, showMisses: false);

    /// <summary>
    /// plan-dev4.tsv: 83 staff questions in everyday words (71 the plan answers, 12 it does not), written on 2026-12-05
    /// (session 14) before any change of that session, without opening the held-out sets. A dev set: misses shown.
    /// </summary>
    [Fact]
    public Task DevPlanSet4_IsAnsweredFromTheRightSection_AtLeastTheFloor() => EvaluateAsync("plan-dev4.tsv", DevFloor4);

    [Theory]
    [InlineData("計画（参考資料 アクションプランの実績 基本方針2 施策4）", "参考資料 > 基本方針2 > 施策4", true)]
    [InlineData("塩竈市DX推進プラン 4. 塩竈市DX推進プラン ＞ (1) 計画期間）", "(1)計画期間", true)]
    [InlineData("計画 ＞ （１）", "(1)", true)]
    [InlineData("計画（参考資料 基本方針2 施策14）", "参考資料 > 基本方針2 > 施策1", false)]
    public void Citation_ClosedByItsBracket_IsJudgedByItsPath(string citation, string expected, bool matches) =>
        Assert.Equal(matches, DocumentEvaluationTests.Matches(Unwrapped(citation), expected));

    internal async Task EvaluateAsync(string file, double floor, bool showMisses = true)
    {
        var rows = File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Evaluation", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .ToList();
        Assert.True(rows.Count >= 40, $"{file} has {rows.Count} questions; issue #22 asks for at least 40");

        using var app = new BotApplication();
        // A refusal, as the Documents sets judge it: no 出典 and the guideline's not-found answer or the staff menu's
        // 「分かりませんでした」. Right only for a question the set marks "-" (the plan does not answer it).
        var (refusalOpening, notUnderstood) = DocumentEvaluationTests.Refusals(app);
        var misses = new List<string>();
        int covered = 0, hit1 = 0, uncovered = 0, refused = 0, n = 0;
        foreach (var row in rows)
        {
            Assert.Equal(2, row.Length);
            var (question, expected) = (row[0], row[1]);
            var text = ReplyText.Of(await app.SayAsync(Audience.Staff, $"plan-{n++}", question));
            var citations = DocumentEvaluationTests.Citations(text);
            var wasRefused = DocumentEvaluationTests.IsRefusal(text, citations, refusalOpening, notUnderstood);
            var got = citations.Count > 0 ? citations[0] : wasRefused ? "(refused)" : "(no citation) " + text.Split('\n')[0];
            if (expected == "-")
            {
                uncovered++;
                refused += wasRefused ? 1 : 0;
                if (!wasRefused)
                {
                    misses.Add($"NOT-REFUSED\t{question}\tgot {got}");
                }

                continue;
            }

            covered++;
            if (citations.Count > 0 && DocumentEvaluationTests.Matches(Unwrapped(citations[0]), expected))
            {
                hit1++;
            }
            else
            {
                misses.Add($"{question}\twant {expected}\tgot {got}");
            }
        }

        var share = (double)hit1 / covered;
        var refusedLine = uncovered == 0 ? "" : $"; not covered {uncovered}: refused {refused}; all {hit1 + refused}/{rows.Count} = {(double)(hit1 + refused) / rows.Count:P1}";
        output.WriteLine($"Plan evaluation {file}: {hit1}/{covered} right section first = {share:P1} (floor {floor:P0}, target 90 %){refusedLine}");
        if (!showMisses)
        {
            Assert.True(share >= floor, $"{file}: hit@1 {share:P1} under {floor:P0} (misses not shown: held out)");
            return;
        }

        misses.ForEach(m => output.WriteLine("MISS " + m));
        Assert.True(share >= floor, $"{file}: hit@1 {share:P1} under {floor:P0}:\n{string.Join("\n", misses)}");
    }

    /// <summary>
    /// The citation without the bracket that closes it (「計画（参考資料 … 基本方針2 施策4）」 of the KPI answer): the judge's
    /// rule reads a digit before 「)」 as the end of 「(1)」 and would not find 施策4 in it. A bracket closing 「(1)」 is kept.
    /// </summary>
    internal static string Unwrapped(string citation)
    {
        if (citation.Length < 2 || citation[^1] is not (')' or '）') || !char.IsDigit(citation[^2]))
        {
            return citation;
        }

        var open = citation.LastIndexOfAny(['(', '（']);
        return open >= 0 && citation[(open + 1)..^1].All(char.IsDigit) ? citation : citation[..^1];
    }
}
