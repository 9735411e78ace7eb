using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Classes;

/// <summary>Staff: the survey results of recent classes (answers, comprehension rate) and, per class, the comments.</summary>
public sealed class ClassResultsHandler(BotDbContext db, TimeProvider clock, MessageCatalog messages) : IIntentHandler
{
    private const int Recent = 8;

    public string Name => "classes.results";

    public Audience Audience => Audience.Staff;

    public double Match(Turn turn)
    {
        var n = turn.Normalized;
        var aboutClasses = n.Contains("すまほ教室", StringComparison.Ordinal) || n.Contains("すまほきょうしつ", StringComparison.Ordinal) || n.Contains("教室", StringComparison.Ordinal);

        // "…の割合の実績/目標" asks for the plan's KPI, which the KPI feature answers (with these results as its source).
        var kpiWords = n.Contains("割合", StringComparison.Ordinal) || n.Contains("実績", StringComparison.Ordinal) || n.Contains("目標", StringComparison.Ordinal) || n.Contains("達成", StringComparison.Ordinal);
        // スマホ教室 said inside a longer question that asks nothing of the results (「スマホ教室の事業では…」) is a mention,
        // the weakest claim (ConversationEngine.KeywordMention): the plan or a document that holds the question answers it.
        return aboutClasses && kpiWords ? 0.4 : aboutClasses ? (n.Contains("結果", StringComparison.Ordinal) || n.Contains("あんけと", StringComparison.Ordinal) || n.Contains("理解", StringComparison.Ordinal) ? 0.9 : ConversationEngine.KeywordMention(turn)) : 0;
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        if (turn.Postback is { Action: "detail" } pb && pb["id"] is { } id
            && await db.Set<SmartphoneClass>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } chosen)
        {
            return TurnResult.Of(Detail(messages.Current, await ResultsAsync(db, chosen, cancellationToken)));
        }

        var m = messages.Current;
        var now = clock.GetUtcNow();
        var past = await db.Set<SmartphoneClass>().AsNoTracking()
            .Where(c => c.StartsAt <= now)
            .OrderByDescending(c => c.StartsAt)
            .Take(Recent)
            .ToListAsync(cancellationToken);
        if (past.Count == 0)
        {
            return TurnResult.Of(new TextReply(m[ClassTexts.ResultsNone]));
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (var c in past)
        {
            var r = await ResultsAsync(db, c, cancellationToken);
            rows.Add([ClassTime.Day(c.StartsAt), c.Title, c.Venue, r.Answers.ToString(CultureInfo.InvariantCulture), Rate(r.ComprehensionRate)]);
        }

        return TurnResult.Of(
            new TableReply(
                m[ClassTexts.ResultsTitle],
                [m[ClassTexts.ResultsHeaderDate], m[ClassTexts.ResultsHeaderClass], m[ClassTexts.ResultsHeaderVenue], m[ClassTexts.ResultsHeaderAnswers], m[ClassTexts.ResultsHeaderRate]],
                rows,
                m[ClassTexts.ResultsNote]),
            new ChoicesReply(m[ClassTexts.ResultsPick], past.Select(c => new Choice(ClassMessages.Label(c), Postback.Create(Name, "detail", ("id", c.Id)))).ToList()));
    }

    internal static async Task<ClassSurveyResults> ResultsAsync(BotDbContext db, SmartphoneClass c, CancellationToken ct)
    {
        var answers = await db.Set<ClassSurveyAnswer>().AsNoTracking().Where(a => a.ClassId == c.Id).OrderBy(a => a.Id).ToListAsync(ct);
        var understood = answers.Count(a => a.Comprehension >= ClassComprehensionKpi.Understood);
        return new ClassSurveyResults(
            c.Id,
            c.Title,
            c.StartsAt,
            answers.Count,
            understood,
            answers.Count > 0 ? Math.Round(100m * understood / answers.Count, 1, MidpointRounding.AwayFromZero) : null,
            answers.GroupBy(a => a.ComprehensionLabel).ToDictionary(g => g.Key, g => g.Count()),
            answers.Where(a => a.Satisfaction is not null).GroupBy(a => a.Satisfaction!).ToDictionary(g => g.Key, g => g.Count()),
            answers.Where(a => a.Comment is not null).Select(a => a.Comment!).ToList());
    }

    private static TextReply Detail(MessageSet m, ClassSurveyResults r)
    {
        var lines = new List<string>
        {
            m.Format(ClassTexts.DetailTitle, ClassTime.Day(r.StartsAt), r.Title),
            m.Format(ClassTexts.DetailSummary, r.Answers, Rate(r.ComprehensionRate)),
        };
        lines.AddRange(r.Comprehension.Select(kv => m.Format(ClassTexts.DetailCount, kv.Key, kv.Value)));
        if (r.Satisfaction.Count > 0)
        {
            lines.Add(m.Format(ClassTexts.DetailSatisfaction, string.Join(m[ClassTexts.DetailSeparator], r.Satisfaction.Select(kv => m.Format(ClassTexts.DetailSatisfactionCount, kv.Key, kv.Value)))));
        }

        lines.Add(r.Comments.Count == 0 ? m[ClassTexts.DetailNoComments] : m[ClassTexts.DetailComments]);
        lines.AddRange(r.Comments.Select(c => m.Format(ClassTexts.DetailComment, c)));
        return new TextReply(string.Join("\n", lines));
    }

    private static string Rate(decimal? rate) => rate is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";
}
