using System.Globalization;
using System.Text;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Plan;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Evaluation;
using ShiogamaDx.Bot.Tests.Guidelines;
using ShiogamaDx.Bot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Calibration;

/// <summary>
/// Calibrates the retrieval and answer weights of the guideline and the plan (<see cref="GuidelineWeights"/>,
/// <see cref="PlanWeights"/>, both MinCoverage) on every development set at once, and checks by cross-validation whether
/// a choice made on data carries to data it did not see. Development sets only: the guideline's questions, heldout,
/// fresh, short and unseen (judged as <see cref="GuidelineEvaluationTests"/> judges, at the index), the three evaluation
/// documents each alone in the guideline folder, and the plan's plan-questions, plan-heldout and plan-dev4 (judged
/// through the real host as <see cref="DocumentEvaluationTests"/> and <see cref="PlanEvaluationTests"/> judge). The
/// held-out and sealed sets are never loaded here.
/// A question is right when its right section comes first, or when a question the document does not answer is refused.
/// Cross-validation by document as well: chosen on the sample guideline and the plan, reported on the three documents,
/// and the reverse; and each city document left out in turn. Search: coordinate descent from today's values over a few values per constant (CALIBRATE_ROUNDS rounds, default 1);
/// a value replaces the current one only when it handles at least CALIBRATE_MARGIN (default 3) more questions right on the
/// data it is chosen on (at 1, the choices on either half lost on the other: they followed one-question noise). Cross-validation: each set's
/// questions split in two halves (by position, alternating); the descent on one half is reported on the other, against
/// today's values on that half; then the descent on all. Progress goes to CALIBRATE_LOG (default: the temp folder's
/// shiogama-calibration.log) as it runs. Run:
/// CALIBRATE=documents dotnet test tests/ShiogamaDx.Bot.Tests --no-build --filter "FullyQualifiedName~WeightCalibration" --logger "console;verbosity=detailed"
/// </summary>
public sealed class WeightCalibrationTests(ITestOutputHelper output)
{
    private static readonly string[] GuidelineSets = ["guideline-questions.tsv", "guideline-heldout.tsv", "guideline-fresh.tsv", "guideline-short.tsv", "guideline-unseen.tsv"];

    private static readonly (string Document, string Questions)[] DocumentSets =
    [
        ("denshi-kessai-guideline.pdf", "denshi-kessai-guideline.tsv"),
        ("shokuin-ryohi-kitei.txt", "shokuin-ryohi-kitei.tsv"),
        ("saigai-shodo-manual.docx", "saigai-shodo-manual.tsv"),
    ];

    private static readonly string[] PlanSets = ["plan-questions.tsv", "plan-heldout.tsv", "plan-dev4.tsv"];

    /// <summary>Each constant, how to set it, and the values tried: today's with a step down and a step up.</summary>
    private static readonly Constant[] Constants =
    [
        new("Guidelines.MinCoverage", v => v.MinCoverage, (v, x) => v with { MinCoverage = x }, [0.40, 0.45, 0.50]),
        new("Guidelines.HeadBoost", v => v.Guideline.HeadBoost, (v, x) => v with { Guideline = v.Guideline with { HeadBoost = (float)x } }, [1, 2, 3]),
        new("Guidelines.BigramBoost", v => v.Guideline.BigramBoost, (v, x) => v with { Guideline = v.Guideline with { BigramBoost = (float)x } }, [0.25, 0.5, 1]),
        new("Guidelines.CommonShare", v => v.Guideline.CommonShare, (v, x) => v with { Guideline = v.Guideline with { CommonShare = x } }, [0.35, 0.5, 0.7]),
        new("Guidelines.FeedbackSections", v => v.Guideline.FeedbackSections, (v, x) => v with { Guideline = v.Guideline with { FeedbackSections = (int)x } }, [3, 5, 8]),
        new("Guidelines.FeedbackWords", v => v.Guideline.FeedbackWords, (v, x) => v with { Guideline = v.Guideline with { FeedbackWords = (int)x } }, [5, 10, 20]),
        new("Guidelines.FeedbackWeight", v => v.Guideline.FeedbackWeight, (v, x) => v with { Guideline = v.Guideline with { FeedbackWeight = x } }, [0.05, 0.1, 0.2]),
        new("Guidelines.KindWeight", v => v.Guideline.KindWeight, (v, x) => v with { Guideline = v.Guideline with { KindWeight = x } }, [0.5, 1, 1.5]),
        new("Plan.MinCoverage", v => v.PlanMinCoverage, (v, x) => v with { PlanMinCoverage = x }, [0.30, 0.35, 0.40]),
        new("Plan.PreviousPlanWeight", v => v.Plan.PreviousPlanWeight, (v, x) => v with { Plan = v.Plan with { PreviousPlanWeight = (float)x } }, [0.6, 0.8, 1.0]),
        new("Plan.UnnamedCoverage", v => v.Plan.UnnamedCoverage, (v, x) => v with { Plan = v.Plan with { UnnamedCoverage = x } }, [0.5, 0.6, 0.7]),
        new("Plan.UnnamedKnownCoverage", v => v.Plan.UnnamedKnownCoverage, (v, x) => v with { Plan = v.Plan with { UnnamedKnownCoverage = x } }, [0.4, 0.5, 0.6]),
        new("Plan.GlossaryWeight", v => v.Plan.GlossaryWeight, (v, x) => v with { Plan = v.Plan with { GlossaryWeight = (float)x } }, [0.6, 0.8, 1.0]),
    ];

    private readonly Dictionary<string, bool[]> evaluated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool[]> guidelineEvaluated = new(StringComparer.Ordinal);
    private static readonly string LogPath = Environment.GetEnvironmentVariable("CALIBRATE_LOG") is { Length: > 0 } p ? p : Path.Combine(Path.GetTempPath(), "shiogama-calibration.log");

    [CalibrationFact("documents")]
    public async Task Weights_CalibratedOnTheDevelopmentSets_AreReportedWithCrossValidation()
    {
        File.Delete(LogPath);
        File.Delete(LogPath + ".summary");
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("CALIBRATE_ROUNDS"), out var r) ? r : 1;
        var margin = int.TryParse(Environment.GetEnvironmentVariable("CALIBRATE_MARGIN"), out var m) ? m : 3;
        var items = Items();
        var halfA = items.Select(i => i.Position % 2 == 0).ToArray();
        var halfB = halfA.Select(a => !a).ToArray();
        var all = items.Select(_ => true).ToArray();
        Write($"rounds {rounds}, margin {margin}");
        Write($"{items.Count} development questions ({items.Count(i => i.Answerable)} answerable): " +
            string.Join(", ", items.GroupBy(i => i.Set).Select(g => $"{g.Key} {g.Count()}")));

        var today = new Vector(new GuidelinesOptions().MinCoverage, new GuidelinesOptions().Weights, new PlanOptions().MinCoverage, new PlanOptions().Weights);
        var baseline = await EvaluateAsync(today, items);
        Write($"today's values: all {Score(baseline, all)}/{items.Count}, half A {Score(baseline, halfA)}/{halfA.Count(x => x)}, half B {Score(baseline, halfB)}/{halfB.Count(x => x)}");
        Write(PerSet(baseline, items));

        // Each constant alone, from today's values: what it does across its range (a constant that changes nothing can go).
        foreach (var constant in Constants)
        {
            var cells = new List<string>();
            foreach (var value in constant.Values)
            {
                var right = await EvaluateAsync(constant.Set(today, value), items);
                cells.Add($"{value.ToString("0.###", CultureInfo.InvariantCulture)}: {Score(right, all)} (A {Score(right, halfA)}, B {Score(right, halfB)})");
            }

            Write($"ALONE {constant.Name}: {string.Join("; ", cells)}");
        }

        // Cross-validation two ways: by question (alternate halves of every set) and by document (the sample guideline and
        // the plan against the three city documents: does a choice carry to documents it was not chosen on?).
        var sample = items.Select(i => i.Kind != Kind.Document).ToArray();
        var documents = sample.Select(x => !x).ToArray();
        var folds = new List<(string Name, bool[] Choose, bool[] Report)> { ("half A → half B", halfA, halfB), ("half B → half A", halfB, halfA), ("sample+plan → documents", sample, documents), ("documents → sample+plan", documents, sample) };

        // And each city document left out in turn: chosen on everything else, reported on it alone.
        foreach (var (document, _) in DocumentSets)
        {
            var alone = items.Select(i => i.Set == document).ToArray();
            folds.Add(($"all but {document} → {document}", alone.Select(x => !x).ToArray(), alone));
        }

        foreach (var (name, choose, report) in folds)
        {
            var chosenThere = await DescendAsync(name, today, items, choose, rounds, margin);
            var seen = Score(await EvaluateAsync(chosenThere, items), report);
            Write($"CROSS-VALIDATION {name}: {seen} vs today's {Score(baseline, report)} ({seen - Score(baseline, report):+0;-0;0}) of {report.Count(x => x)}");
        }

        var onAll = await DescendAsync("all", today, items, all, rounds, margin);
        var chosen = await EvaluateAsync(onAll, items);
        Write($"chosen on all: {Score(chosen, all)}/{items.Count} vs today's {Score(baseline, all)}: {Describe(onAll)}");
        Write(PerSet(chosen, items));
        output.WriteLine(File.ReadAllText(LogPath + ".summary"));
    }

    /// <summary>
    /// The objective of today's values alone, per set and per half, with each miss (what came first): the quick measure of a
    /// retrieval change (about two minutes) before the full search. Development sets only, as above. Run:
    /// CALIBRATE=objective dotnet test tests/ShiogamaDx.Bot.Tests --no-build --filter "FullyQualifiedName~WeightCalibration" --logger "console;verbosity=detailed"
    /// </summary>
    [CalibrationFact("objective")]
    public async Task Objective_OfTodaysWeights_IsReportedPerSetWithItsMisses()
    {
        var items = Items();
        var halfA = items.Select(i => i.Position % 2 == 0).ToArray();
        var halfB = halfA.Select(a => !a).ToArray();
        var today = new Vector(new GuidelinesOptions().MinCoverage, new GuidelinesOptions().Weights, new PlanOptions().MinCoverage, new PlanOptions().Weights);

        // CALIBRATE_VECTOR="Guidelines.KindWeight=0.5 Plan.MinCoverage=0.4": other values than today's, to compare one step.
        foreach (var pair in (Environment.GetEnvironmentVariable("CALIBRATE_VECTOR") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (pair.Split('=')[0], double.Parse(pair.Split('=')[1], CultureInfo.InvariantCulture));
            today = Constants.Single(c => c.Name == name).Set(today, value);
        }

        output.WriteLine(Describe(today));
        var got = new string?[items.Count];
        var right = await EvaluateAsync(today, items, got);
        output.WriteLine($"OBJECTIVE all {Score(right, items.Select(_ => true).ToArray())}/{items.Count}, half A {Score(right, halfA)}/{halfA.Count(x => x)}, half B {Score(right, halfB)}/{halfB.Count(x => x)}");
        output.WriteLine(PerSet(right, items).Replace("; ", "\n", StringComparison.Ordinal));
        for (var i = 0; i < items.Count; i++)
        {
            if (!right[i])
            {
                output.WriteLine($"MISS {items[i].Set}\t{items[i].Question}\twant {items[i].Expected}\tgot {got[i] ?? "(refused or other)"}");
            }
        }
    }

    private async Task<Vector> DescendAsync(string name, Vector start, List<Item> items, bool[] on, int rounds, int margin)
    {
        var current = start;
        var best = Score(await EvaluateAsync(current, items), on);
        for (var round = 1; round <= rounds; round++)
        {
            var moved = false;
            foreach (var constant in Constants)
            {
                var now = constant.Get(current);
                foreach (var value in constant.Values.Where(x => Math.Abs(x - now) > 1e-6))
                {
                    var candidate = constant.Set(current, value);
                    var score = Score(await EvaluateAsync(candidate, items), on);
                    Write($"  [{name} round {round}] {constant.Name} {now.ToString("0.###", CultureInfo.InvariantCulture)} → {value.ToString("0.###", CultureInfo.InvariantCulture)}: {score} (current {best})");
                    // A change must win by the margin: one or two questions either way are noise between halves.
                    if (score >= best + margin)
                    {
                        (current, best, moved) = (candidate, score, true);
                    }
                }
            }

            Write($"[{name}] after round {round}: {best}/{on.Count(x => x)}: {Describe(current)}");
            if (!moved)
            {
                break;
            }
        }

        return current;
    }

    /// <summary>Every development question with what the set expects; the halves alternate within each set.</summary>
    private static List<Item> Items()
    {
        var items = new List<Item>();
        foreach (var set in GuidelineSets)
        {
            items.AddRange(GuidelineEvaluationTests.LoadQuestions(set).Select((q, i) => new Item(set, i, q.Question, string.Join(",", q.Expected), q.Expected.Count > 0, Kind.Guideline)));
        }

        foreach (var (document, set) in DocumentSets)
        {
            items.AddRange(Rows(Path.Combine(DocumentEvaluationTests.Folder, set), header: false).Select((p, i) => new Item(document, i, p[0].Trim(), p[1].Trim(), p[1].Trim() != "-", Kind.Document)));
        }

        foreach (var set in PlanSets)
        {
            items.AddRange(Rows(Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Evaluation", set), header: true).Select((p, i) => new Item(set, i, p[0], p[1], p[1] != "-", Kind.Plan)));
        }

        return items;
    }

    private static IEnumerable<string[]> Rows(string file, bool header) =>
        File.ReadAllLines(file).Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(header ? 1 : 0).Select(l => l.Split('\t'));

    /// <summary>Whether each question is handled right with these weights (cached by the weights).</summary>
    private async Task<bool[]> EvaluateAsync(Vector vector, List<Item> items, string?[]? got = null)
    {
        var key = Describe(vector);
        if (got is null && evaluated.TryGetValue(key, out var known))
        {
            return known;
        }

        var right = new bool[items.Count];
        var guidelineKey = Describe(vector with { PlanMinCoverage = 0, Plan = new PlanWeights() });
        if (!guidelineEvaluated.TryGetValue(guidelineKey, out var guideline))
        {
            // The sample guideline's sets at the index, as GuidelineEvaluationTests judges: the plan's weights do not reach them.
            guideline = new bool[items.Count];
            var options = new GuidelinesOptions { MinCoverage = vector.MinCoverage, Weights = vector.Guideline };
            using var index = SampleGuideline.BuildIndex(options);
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].Kind == Kind.Guideline)
                {
                    var found = index.Search(items[i].Question).Confident(options);
                    if (got is not null && found.Count > 0)
                    {
                        got[i] = found[0].Section.Number;
                    }

                    guideline[i] = items[i].Answerable ? found.Count > 0 && items[i].Expected.Split(',').Contains(found[0].Section.Number) : found.Count == 0;
                }
            }

            guidelineEvaluated[guidelineKey] = guideline;
        }

        Array.Copy(guideline, right, right.Length);

        // The plan's sets through the host with its bundled content.
        await AskAsync(vector, items, right, i => items[i].Kind == Kind.Plan, guidelines: null, unwrap: true, got);

        // Each document alone in the guideline folder, through the host.
        foreach (var (document, _) in DocumentSets)
        {
            var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "calibration-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            File.Copy(Path.Combine(DocumentEvaluationTests.Folder, document), Path.Combine(folder, document));
            try
            {
                await AskAsync(vector, items, right, i => items[i].Kind == Kind.Document && items[i].Set == document, folder, unwrap: false, got);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        evaluated[key] = right;
        return right;
    }

    private static async Task AskAsync(Vector vector, List<Item> items, bool[] right, Func<int, bool> which, string? guidelines, bool unwrap, string?[]? got = null)
    {
        var settings = Settings(vector);
        if (guidelines is not null)
        {
            settings["Guidelines:Path"] = guidelines;
        }

        using var app = new BotApplication(settings);
        var (refusalOpening, notUnderstood) = DocumentEvaluationTests.Refusals(app);
        for (var i = 0; i < items.Count; i++)
        {
            if (!which(i))
            {
                continue;
            }

            var text = ReplyText.Of(await app.SayAsync(Audience.Staff, $"calibration-{i}", items[i].Question));
            var citations = DocumentEvaluationTests.Citations(text);
            if (got is not null)
            {
                got[i] = citations.Count > 0 ? citations[0] : text.Split('\n')[0];
            }

            right[i] = items[i].Answerable
                ? citations.Count > 0 && DocumentEvaluationTests.Matches(unwrap ? PlanEvaluationTests.Unwrapped(citations[0]) : citations[0], items[i].Expected)
                : DocumentEvaluationTests.IsRefusal(text, citations, refusalOpening, notUnderstood);
        }
    }

    /// <summary>The weights as the host's settings (the configuration keys Guidelines:Weights:…, Plan:Weights:…).</summary>
    private static Dictionary<string, string?> Settings(Vector v)
    {
        string F(double x) => x.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string?>
        {
            ["Guidelines:MinCoverage"] = F(v.MinCoverage),
            ["Guidelines:Weights:HeadBoost"] = F(v.Guideline.HeadBoost),
            ["Guidelines:Weights:BigramBoost"] = F(v.Guideline.BigramBoost),
            ["Guidelines:Weights:CommonShare"] = F(v.Guideline.CommonShare),
            ["Guidelines:Weights:FeedbackSections"] = F(v.Guideline.FeedbackSections),
            ["Guidelines:Weights:FeedbackWords"] = F(v.Guideline.FeedbackWords),
            ["Guidelines:Weights:FeedbackWeight"] = F(v.Guideline.FeedbackWeight),
            ["Guidelines:Weights:KindWeight"] = F(v.Guideline.KindWeight),
            ["Plan:MinCoverage"] = F(v.PlanMinCoverage),
            ["Plan:Weights:PreviousPlanWeight"] = F(v.Plan.PreviousPlanWeight),
            ["Plan:Weights:UnnamedCoverage"] = F(v.Plan.UnnamedCoverage),
            ["Plan:Weights:UnnamedKnownCoverage"] = F(v.Plan.UnnamedKnownCoverage),
            ["Plan:Weights:GlossaryWeight"] = F(v.Plan.GlossaryWeight),
        };
    }

    private static int Score(bool[] right, bool[] on) => right.Where((x, i) => x && on[i]).Count();

    private static string Describe(Vector v) => string.Join(" ", Constants.Select(c => $"{c.Name}={c.Get(v).ToString("0.###", CultureInfo.InvariantCulture)}"));

    private static string PerSet(bool[] right, List<Item> items) =>
        string.Join("; ", items.Select((item, i) => (item, i)).GroupBy(x => x.item.Set).Select(g =>
            $"{g.Key} {g.Count(x => x.item.Answerable && right[x.i])}/{g.Count(x => x.item.Answerable)} right first, {g.Count(x => !x.item.Answerable && right[x.i])}/{g.Count(x => !x.item.Answerable)} refused"));

    /// <summary>Progress to the log as it runs (a run takes long); the lines without the candidates' detail to the summary as well.</summary>
    private static void Write(string line)
    {
        var stamped = $"{DateTime.UtcNow:HH:mm:ss} {line}\n";
        File.AppendAllText(LogPath, stamped, Encoding.UTF8);
        if (!line.StartsWith("  [", StringComparison.Ordinal))
        {
            File.AppendAllText(LogPath + ".summary", stamped, Encoding.UTF8);
        }
    }

    private enum Kind
    {
        Guideline,
        Document,
        Plan,
    }

    private sealed record Item(string Set, int Position, string Question, string Expected, bool Answerable, Kind Kind);

    private sealed record Vector(double MinCoverage, GuidelineWeights Guideline, double PlanMinCoverage, PlanWeights Plan);

    private sealed record Constant(string Name, Func<Vector, double> Get, Func<Vector, double, Vector> Set, IReadOnlyList<double> Values);
}
