using System.Text;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Guidelines;

/// <summary>One host for the development sets asked through the engine.</summary>
public sealed class GuidelineEngineDevHost : IDisposable
{
    public BotApplication App { get; } = new();

    public void Dispose() => App.Dispose();
}

/// <summary>
/// The guideline's development sets asked through the real host's conversation engine, as the sealed guideline set is
/// (each question a new staff member): the index-level figures (<see cref="GuidelineEvaluationTests"/>) do not see
/// routing, so a question the guideline refuses but another feature answers (the plan, a KPI) is seen only here.
/// Development sets only (their misses may be read); held-out and sealed sets are not asked here. Reported, with a
/// floor that only catches a collapse. Run alone:
/// dotnet test tests/ShiogamaDx.Bot.Tests --no-build --filter "FullyQualifiedName~GuidelineEngineDev" --logger "console;verbosity=detailed"
/// </summary>
public sealed partial class GuidelineEngineDevTests(GuidelineEngineDevHost host, ITestOutputHelper output) : IClassFixture<GuidelineEngineDevHost>
{
    private static readonly string[] DevSets = ["guideline-questions.tsv", "guideline-heldout.tsv", "guideline-fresh.tsv", "guideline-short.tsv", "guideline-unseen.tsv"];

    [Fact]
    public async Task DevSets_ThroughTheEngine_AreReported()
    {
        int allAnswerable = 0, allHit1 = 0, allUncovered = 0, allRefused = 0;
        foreach (var file in DevSets)
        {
            int answerable = 0, hit1 = 0, uncovered = 0, refused = 0;
            var lines = new List<string>();
            foreach (var (question, expected) in GuidelineEvaluationTests.LoadQuestions(file).Select((q, i) => (q, i)).Select(x => x.q))
            {
                var replies = await host.App.SayAsync(Audience.Staff, $"dev-{file}-{answerable + uncovered}", question);
                var cited = Citations(replies);
                var table = replies.OfType<TableReply>().Any();
                var got = cited.Count > 0 ? cited[0] : (table ? "a table: " : "no citation: ") + Head(replies);
                if (expected.Count == 0)
                {
                    uncovered++;
                    if (cited.Count == 0 && !table)
                    {
                        refused++;
                    }
                    else
                    {
                        lines.Add($"  ANSWERED-UNCOVERED  {question}  got {got}");
                    }

                    continue;
                }

                answerable++;
                if (cited.Count > 0 && Cites(cited[0], expected))
                {
                    hit1++;
                }
                else if (!cited.Take(1).Any(c => c.Contains("手引き", StringComparison.Ordinal)))
                {
                    lines.Add($"  NOT-GUIDELINE  {question}  want {string.Join(",", expected)}  got {got}");
                }
            }

            output.WriteLine($"{file} through the engine: right passage first {hit1}/{answerable}; uncovered refused {refused}/{uncovered}");
            lines.ForEach(output.WriteLine);
            (allAnswerable, allHit1, allUncovered, allRefused) = (allAnswerable + answerable, allHit1 + hit1, allUncovered + uncovered, allRefused + refused);
        }

        output.WriteLine($"all dev sets through the engine: right passage first {allHit1}/{allAnswerable}; uncovered refused {allRefused}/{allUncovered}");
        Assert.True(allHit1 * 2 >= allAnswerable, $"right passage first {allHit1}/{allAnswerable}, under half");
    }

    private static List<string> Citations(IReadOnlyList<Reply> replies)
    {
        var texts = replies.OfType<TextReply>().Select(t => t.Text).Concat(replies.OfType<PassagesReply>().SelectMany(p => p.Passages))
            .Select(t => t.Normalize(NormalizationForm.FormKC)).ToList();
        return texts.SelectMany(t => SourcePattern().Matches(t).Select(m => m.Groups[1].Value.Trim())).Distinct().ToList();
    }

    /// <summary>A citation names a section when the number stands alone in it ("1.1" is not in "11.1 改訂"), in the guideline.</summary>
    private static bool Cites(string citation, IEnumerable<string> sections) =>
        citation.Contains("手引き", StringComparison.Ordinal) && sections.Any(s => Regex.IsMatch(citation, $@"(?<![0-9.]){Regex.Escape(s)}(?![0-9])"));

    private static string Head(IReadOnlyList<Reply> replies)
    {
        var text = ReplyText.Of(replies).ReplaceLineEndings(" ");
        return text.Length <= 60 ? text : text[..60] + "…";
    }

    [GeneratedRegex(@"出典\s*:\s*((?:[^()\n]|\([^()\n]*\))+)")]
    private static partial Regex SourcePattern();
}
