using System.Globalization;
using System.Text;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Evaluation;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Guidelines;

/// <summary>
/// How <see cref="GuidelinesOptions.MinCoverage"/> was chosen: the guideline question sets used for development (the
/// sample's first three, the short casual questions of guideline-short.tsv and the three evaluation documents';
/// guideline-unseen.tsv is kept out (a dev set since the ninth pass, not in the sweep), so are the held-out
/// guideline-unseen2.tsv and the sealed set), each question's best section and its coverage, and for each threshold the share of
/// questions handled right (answered with a right section first, or refused when the document does not answer).
/// The configured value must be the best threshold of the sweep, or within 0.05 of it. Run alone to see the table:
/// dotnet test ShiogamaDx.Bot.sln --filter "FullyQualifiedName~GuidelineCalibration" --logger "console;verbosity=detailed"
/// </summary>
public sealed class GuidelineCalibrationTests(ITestOutputHelper output)
{
    [Fact]
    public void MinCoverage_IsTheThresholdThatHandlesMostQuestionsRight()
    {
        var options = new GuidelinesOptions();
        var outcomes = new List<(double Coverage, bool RightFirst, bool Answerable)>();
        foreach (var set in new[] { "guideline-questions.tsv", "guideline-heldout.tsv", "guideline-fresh.tsv", "guideline-short.tsv" })
        {
            using var index = SampleGuideline.BuildIndex(options);
            foreach (var (question, expected) in GuidelineEvaluationTests.LoadQuestions(set))
            {
                var search = index.Search(question);
                var top = search.General || search.Sections.Count == 0 ? null : search.Sections[0];
                outcomes.Add((top?.Coverage ?? 0, top is not null && expected.Contains(top.Section.Number), expected.Count > 0));
            }
        }

        var synonyms = GuidelineSynonyms.Parse(File.ReadAllText(SampleGuideline.Synonyms), SampleGuideline.Synonyms);
        foreach (var (document, set) in new[] { ("denshi-kessai-guideline.pdf", "denshi-kessai-guideline.tsv"), ("shokuin-ryohi-kitei.txt", "shokuin-ryohi-kitei.tsv"), ("saigai-shodo-manual.docx", "saigai-shodo-manual.tsv") })
        {
            var path = Path.Combine(DocumentEvaluationTests.Folder, document);
            using var index = GuidelineIndex.Build(GlossaryTerms.Apart(GuidelineLoader.LoadFile(document, File.ReadAllBytes(path))), synonyms, options, SampleGuideline.Analysis);
            foreach (var line in File.ReadAllLines(Path.Combine(DocumentEvaluationTests.Folder, set)).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                var parts = line.Split('\t');
                var search = index.Search(parts[0]);
                var top = search.General || search.Sections.Count == 0 ? null : search.Sections[0];
                var answerable = parts[1].Trim() != "-";
                outcomes.Add((top?.Coverage ?? 0, answerable && top is not null && DocumentEvaluationTests.Matches(top.Section.Citation, parts[1].Trim()), answerable));
            }
        }

        var table = new StringBuilder();
        var scores = new List<(double Threshold, double Right)>();
        for (var t = 0.20; t <= 0.801; t += 0.05)
        {
            var right = outcomes.Count(o => o.Coverage >= t ? o.RightFirst : !o.Answerable);
            scores.Add((t, (double)right / outcomes.Count));
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"MinCoverage {t:0.00}: right {right}/{outcomes.Count} ({(double)right / outcomes.Count:P1}); answerable right first {outcomes.Count(o => o.Answerable && o.Coverage >= t && o.RightFirst)}/{outcomes.Count(o => o.Answerable)}, uncovered refused {outcomes.Count(o => !o.Answerable && o.Coverage < t)}/{outcomes.Count(o => !o.Answerable)}"));
        }

        output.WriteLine(table.ToString());
        var best = scores.MaxBy(s => s.Right);
        Assert.True(Math.Abs(best.Threshold - options.MinCoverage) <= 0.051, $"the best threshold on the sets is {best.Threshold:0.00}, MinCoverage is {options.MinCoverage:0.00}");
    }
}
