using System.Diagnostics;
using System.Globalization;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Language;
using ShiogamaDx.Bot.Tests.Conversations;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Guidelines;

/// <summary>
/// Retrieval measured on guideline-questions.tsv (written before the first tuning), guideline-heldout.tsv
/// (written before the second tuning), guideline-fresh.tsv (written before the third, only its totals were
/// looked at while tuning), guideline-unseen.tsv (written and committed before the fourth; a dev set since the ninth),
/// guideline-unseen2.tsv (held out, written before the ninth pass) and guideline-short.tsv (dev, short casual questions,
/// written before the tenth pass). Run alone to see the figures:
/// dotnet test ShiogamaDx.Bot.sln --filter "FullyQualifiedName~GuidelineEvaluation" --logger "console;verbosity=detailed"
/// </summary>
public sealed class GuidelineEvaluationTests(ITestOutputHelper testOutput)
{
    [Fact]
    public void EvaluationSet_OnTheSampleGuideline_MeetsTheFloor()
    {
        var result = Evaluate("guideline-questions.tsv");

        Assert.True(result.Answerable >= 50 && result.Unanswerable >= 10, "the evaluation set is too small");
        // Floors guard against regression only: the figures measured after retrieval lost its per-question constants
        // (issue #18), rounded down; lowered (83 % → 82 %, hit@3 94 % → 89 %) when the general everyday-word list and
        // MinCoverage 0.45 traded a few of this tuned-on set's answers for refusals and for the city documents.
        // The targets and every set's figures are in docs/evaluation.md.
        Assert.True(result.Hit1 >= 0.82, $"hit@1 {result.Hit1:P1} is under 82%");
        Assert.True(result.Hit3 >= 0.89, $"hit@3 {result.Hit3:P1} is under 89%");
        Assert.True(result.Refused >= 13, $"only {result.Refused} of {result.Unanswerable} uncovered questions were refused");
    }

    [Fact]
    public void HeldOutSet_OnTheSampleGuideline_MeetsTheFloor()
    {
        var result = Evaluate("guideline-heldout.tsv");

        Assert.True(result.Answerable >= 30 && result.Unanswerable >= 6, "the held-out set is too small");
        // Floors are the measured figures rounded down: they catch a regression, they are not a target to tune to
        // (84 % / 91 % before MinCoverage 0.45 and the everyday-word list, docs/evaluation.md).
        Assert.True(result.Hit1 >= 0.78, $"hit@1 {result.Hit1:P1} is under 78%");
        Assert.True(result.Hit3 >= 0.84, $"hit@3 {result.Hit3:P1} is under 84%");
        // Refused 8 → 7 of 9 when a compound's one kanji became held wherever it is written (証 of 職員証 is in 認証;
        // #18 fifth pass, a trade for +17 right on the calibration sweep; hit@1 36 → 39 of 46).
        Assert.True(result.Refused >= 7, $"only {result.Refused} of {result.Unanswerable} uncovered questions were refused");
    }

    [Fact]
    public void FreshSet_OnTheSampleGuideline_MeetsTheFloor()
    {
        var result = Evaluate("guideline-fresh.tsv");

        Assert.True(result.Answerable >= 50 && result.Unanswerable >= 12, "the fresh set is too small");
        // Floors are the measured figures rounded down (88 %, 96 %, 9 refused before MinCoverage 0.45).
        // Lowered 86 % → 85 % and 94 % → 93 % when the index was read with the host's analysis (the city's word list,
        // #18 tenth pass): 68 → 65 and 72 → 71 of 76. Nothing in retrieval changed; the plain analysis overstated what
        // staff get, and the floor follows the production reading.
        Assert.True(result.Hit1 >= 0.85, $"hit@1 {result.Hit1:P1} is under 85%");
        Assert.True(result.Hit3 >= 0.93, $"hit@3 {result.Hit3:P1} is under 93%");
        Assert.True(result.Refused >= 11, $"only {result.Refused} of {result.Unanswerable} uncovered questions were refused");
    }

    [Fact]
    public void UnseenSet_OnTheSampleGuideline_MeetsTheFloor()
    {
        // A dev set since the ninth pass: its misses were printed once in the eighth, so guideline-unseen2.tsv is the
        // held-out set now and this one prints its misses like the other dev sets.
        var result = Evaluate("guideline-unseen.tsv");

        // Committed before the fourth tuning (then 70.0 % hit@1, 80.0 % hit@3, 9 of 16 refused). It does not meet the
        // issue's figures; the floors are the measured ones rounded down, to catch a regression (docs/evaluation.md).
        Assert.True(result.Answerable >= 50 && result.Unanswerable >= 12, "the unseen set is too small");
        // Held out from the tuning of issue #18's second pass (only its totals are reported): 68.6 %, 82.9 %, 10 of 16
        // refused with MinCoverage 0.45 (69 %, 87 %, 6 before).
        Assert.True(result.Hit1 >= 0.68, $"hit@1 {result.Hit1:P1} is under 68%");
        Assert.True(result.Hit3 >= 0.82, $"hit@3 {result.Hit3:P1} is under 82%");
        // 10 → 9 refused (hit@1 48 unchanged, hit@3 58 → 59) with a verb's or a compound's one kanji held wherever it is
        // written (#18 fifth pass); which question it is was not looked at: this set is held out.
        Assert.True(result.Refused >= 9, $"only {result.Refused} of {result.Unanswerable} questions the guideline does not answer were refused");
    }

    [Fact]
    public void ShortSet_OnTheSampleGuideline_MeetsTheFloor()
    {
        // A dev set of the tenth pass (written and committed before it built or changed anything): short casual questions
        // (5–20 characters, two or three concepts), which the longer dev sets lack; it prints its misses.
        var result = Evaluate("guideline-short.tsv");

        Assert.True(result.Answerable >= 40 && result.Unanswerable >= 10, "the short set is too small");
        // Floors well below the first measured figures, to catch a collapse only (docs/evaluation.md has the figures).
        Assert.True(result.Hit1 >= 0.30, $"hit@1 {result.Hit1:P1} is under 30%");
        Assert.True(result.Hit3 >= 0.40, $"hit@3 {result.Hit3:P1} is under 40%");
        Assert.True(result.Refused >= 4, $"only {result.Refused} of {result.Unanswerable} questions the guideline does not answer were refused");
    }

    [Fact]
    public void UnseenSet2_OnTheSampleGuideline_MeetsTheFloor()
    {
        // Held out since the ninth pass (written and committed before that pass built or changed anything): only its
        // totals are printed, so that its misses are not read to choose a change.
        var result = Evaluate("guideline-unseen2.tsv", showMisses: false);

        Assert.True(result.Answerable >= 45 && result.Unanswerable >= 10, "the unseen2 set is too small");
        // Floors well below the first measured figures, to catch a collapse only; the figures against the issue's target
        // (≥ 90 %, every uncovered question refused) are in docs/evaluation.md.
        Assert.True(result.Hit1 >= 0.50, $"hit@1 {result.Hit1:P1} is under 50%");
        Assert.True(result.Hit3 >= 0.60, $"hit@3 {result.Hit3:P1} is under 60%");
        Assert.True(result.Refused >= 4, $"only {result.Refused} of {result.Unanswerable} questions the guideline does not answer were refused");
    }

    [Fact]
    public void FreshSet3_OnTheSampleGuideline_MeetsTheFloor()
    {
        // Held out since session 14 (written by "sets" from the guideline's text only and committed before that session
        // changed anything, 57c55c7): only its totals are printed, so that its misses are not read to choose a change.
        var result = Evaluate("guideline-fresh3.tsv", showMisses: false);

        Assert.True(result.Answerable >= 45 && result.Unanswerable >= 10, "the fresh3 set is too small");
        // Floors well below the first measured figures, to catch a collapse only; the figures against the issue's target
        // (≥ 90 %, every uncovered question refused) are in docs/evaluation.md. Before: run once on main 0468aec (a348c77):
        // hit@1 38/53, hit@3 45/53, 10/11 refused.
        Assert.True(result.Hit1 >= 0.50, $"hit@1 {result.Hit1:P1} is under 50%");
        Assert.True(result.Hit3 >= 0.60, $"hit@3 {result.Hit3:P1} is under 60%");
        Assert.True(result.Refused >= 6, $"only {result.Refused} of {result.Unanswerable} questions the guideline does not answer were refused");
    }

    internal static List<(string Question, IReadOnlyList<string> Expected)> LoadQuestions(string file = "guideline-questions.tsv") =>
        File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Guidelines", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => (p[0], (IReadOnlyList<string>)(p[1] == "none" ? [] : p[1].Split(',').Select(s => s.Trim()).ToList())))
            .ToList();

    private Figures Evaluate(string file, bool showMisses = true)
    {
        var output = showMisses ? testOutput : new Totals(testOutput);
        var options = new GuidelinesOptions();
        using var index = SampleGuideline.BuildIndex(options);
        var questions = LoadQuestions(file);
        int answerable = 0, hit1 = 0, hit3 = 0, unanswerable = 0, refused = 0, wrongRefusals = 0;
        var times = new List<double>();
        foreach (var (question, _) in questions.Take(5))
        {
            index.Search(question); // warm-up: the first searches pay for JIT, not for retrieval
        }

        foreach (var (question, expected) in questions)
        {
            var watch = Stopwatch.StartNew();
            var found = index.Search(question).Confident(options);
            times.Add(watch.Elapsed.TotalMilliseconds);
            var numbers = found.Select(s => s.Section.Number).ToList();
            var top = found.Count > 0 ? $"{found[0].Section.Number} ({found[0].Coverage:0.00}, {found[0].Score:0.0})" : "none";
            if (expected.Count == 0)
            {
                unanswerable++;
                if (found.Count == 0)
                {
                    refused++;
                    var raw = index.Search(question).Sections;
                    output.WriteLine($"refused (right)  {question}: best {(raw.Count > 0 ? $"{raw[0].Section.Number} {raw[0].Coverage:0.00}" : "-")} {(index.Search(question).OnTopic ? "on topic" : "")}");
                }
                else
                {
                    output.WriteLine($"ANSWERED-BUT-SHOULD-NOT  {question} → {top}  [{index.Explain(question, found[0].Section)}]");
                }

                continue;
            }

            answerable++;
            if (found.Count > 0 && found[0].Coverage < 0.6)
            {
                output.WriteLine($"low-coverage answer  {question}: {found[0].Section.Number} {found[0].Coverage:0.00} {(index.Search(question).OnTopic ? "on topic" : "")}");
            }

            if (found.Count == 0)
            {
                wrongRefusals++;
                var raw = index.Search(question).Sections;
                var want = index.Sections.FirstOrDefault(s => s.Number == expected[0]);
                output.WriteLine($"REFUSED  {question} (want {string.Join(",", expected)}) best {(raw.Count > 0 ? $"{raw[0].Section.Number} {raw[0].Coverage:0.00}" : "-")} {(index.Search(question).OnTopic ? "on topic" : "")}  [{index.Explain(question, want)}]");
                continue;
            }

            if (expected.Contains(numbers[0]))
            {
                hit1++;
            }
            else
            {
                var want = index.Sections.FirstOrDefault(s => s.Number == expected[0]);
                output.WriteLine($"MISS@1  {question} (want {string.Join(",", expected)}) got {string.Join(" ", found.Select(f => $"{f.Section.Number}:{f.Coverage:0.00}/{f.Score:0.0}"))}  [{index.Explain(question, want)}]");
            }

            if (numbers.Take(3).Any(expected.Contains))
            {
                hit3++;
            }
        }

        times.Sort();
        var figures = new Figures(answerable, (double)hit1 / answerable, (double)hit3 / answerable, unanswerable, refused);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: questions {questions.Count}: answerable {answerable}, hit@1 {hit1} ({figures.Hit1:P1}), hit@3 {hit3} ({figures.Hit3:P1}), wrongly refused {wrongRefusals}; " +
            $"not covered {unanswerable}, correctly refused {refused} ({(double)refused / unanswerable:P1}); retrieval per question median {times[times.Count / 2]:0.00} ms, 95th percentile {times[(int)(times.Count * 0.95)]:0.00} ms, max {times[^1]:0.00} ms"));
        return figures;
    }

    private sealed record Figures(int Answerable, double Hit1, double Hit3, int Unanswerable, int Refused);

    /// <summary>Passes on only the line of totals (which names the set's file).</summary>
    private sealed class Totals(ITestOutputHelper inner) : ITestOutputHelper
    {
        public void WriteLine(string message)
        {
            if (message.StartsWith("guideline-", StringComparison.Ordinal))
            {
                inner.WriteLine(message);
            }
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(CultureInfo.InvariantCulture, format, args));
    }
}

internal static class SampleGuideline
{
    public static string Folder => Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", "guidelines");

    public static string Synonyms => Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", "guideline-synonyms.txt");

    /// <summary>
    /// The analysis the host gives <see cref="GuidelineLibrary"/> (the DI singleton, with the city's word list): read with
    /// the plain analysis, the sample's figures would not measure what staff get (#18 tenth pass).
    /// </summary>
    public static JapaneseAnalysis Analysis => HostAnalysis.Value;

    private static readonly Lazy<JapaneseAnalysis> HostAnalysis = new(() =>
        new JapaneseAnalysis(CityWords.Load(Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", CityWords.FileName))));

    /// <summary>The sample folder read as <see cref="GuidelineLibrary.Reload"/> reads it.</summary>
    public static GuidelineIndex BuildIndex(GuidelinesOptions options)
    {
        var sections = GlossaryTerms.Apart(GuidelineLoader.LoadFolder(Folder, (file, ex) => throw new InvalidOperationException(file, ex)));
        var own = GuidelineSynonyms.ForDocuments(Folder, (file, ex) => throw new InvalidOperationException(file, ex));
        return GuidelineIndex.Build(sections, GuidelineSynonyms.Parse(File.ReadAllText(Synonyms), Synonyms), options, Analysis, own);
    }
}
