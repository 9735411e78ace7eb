using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// Staff learn from what residents ask (OODA): 「住民からよく聞かれるがオンライン化されていない手続き」 and
/// 「答えられなかった質問」 for the current fiscal year, the plan's next candidates for going online.
/// </summary>
public sealed class ProcedureDemandHandler(BotDbContext db, ProcedureIndexCache cache, ProcedureDemandCounter counter, TimeProvider clock, Messages.MessageCatalog messages) : IIntentHandler
{
    private const int Top = 10;

    public string Name => "staff.procedures";

    public Audience Audience => Audience.Staff;

    public double Match(Turn turn) => Understand(turn.Normalized) is null ? 0.0 : 0.9;

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var (from, fiscalYear) = FiscalYearStart();
        var texts = messages.Current;
        var period = texts.Format(ProcedureTexts.FiscalPeriod, fiscalYear - 2018, from.Year, from.Month);
        if (Understand(turn.Normalized) == "unanswered")
        {
            var since = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), clock.GetLocalNow().Offset);
            var questions = await db.Set<UnansweredQuestion>().AsNoTracking()
                .Where(q => q.Audience == Audience.Resident && q.AskedAt >= since)
                .Select(q => q.Text)
                .ToListAsync(cancellationToken);
            var rows = questions
                .GroupBy(TextNormalizer.Normalize)
                .Select(g => (Text: g.First(), Count: g.Count()))
                .OrderByDescending(g => g.Count)
                .Take(Top)
                .Select(g => (IReadOnlyList<string>)[TextNormalizer.Clip(g.Text, 60), g.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                .ToList();
            return Report(new TableReply(
                texts.Format(ProcedureTexts.UnansweredTitle, period),
                [texts[ProcedureTexts.ColumnQuestion], texts[ProcedureTexts.ColumnCount]],
                rows,
                texts.Format(ProcedureTexts.UnansweredNote, questions.Count)));
        }

        await counter.FlushAsync(cancellationToken); // this host's last seconds of counts included
        var index = cache.Get(db);
        var fromMonth = new DateOnly(from.Year, from.Month, 1);
        var demand = await db.Set<ProcedureDemand>().AsNoTracking()
            .Where(d => d.Month >= fromMonth)
            .GroupBy(d => d.ProcedureId)
            .Select(g => new { Id = g.Key, Asked = g.Sum(d => d.Asked) })
            .ToListAsync(cancellationToken);
        var offline = demand
            .Select(d => (Procedure: index.Find(d.Id), d.Asked))
            .Where(d => d.Procedure is { Online: false })
            .OrderByDescending(d => d.Asked)
            .Take(Top)
            .Select(d => (IReadOnlyList<string>)[d.Procedure!.Name, d.Procedure.Department, d.Asked.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            .ToList();
        return Report(new TableReply(
            texts.Format(ProcedureTexts.OfflineDemandTitle, period),
            [texts[ProcedureTexts.ColumnProcedure], texts[ProcedureTexts.ColumnDepartment], texts[ProcedureTexts.ColumnCount]],
            offline,
            texts[ProcedureTexts.OfflineDemandNote]));
    }

    /// <summary>A report with nothing in it says so, instead of a table of headers only.</summary>
    private TurnResult Report(TableReply table) =>
        TurnResult.Of(table.Rows.Count > 0 ? table : new TextReply(messages.Current.Format(ProcedureTexts.ReportEmpty, table.Title)));

    private (DateOnly From, int FiscalYear) FiscalYearStart()
    {
        var today = clock.GetLocalNow();
        var year = today.Month >= 4 ? today.Year : today.Year - 1;
        return (new DateOnly(year, 4, 1), year);
    }

    private static string? Understand(string text)
    {
        if (text.Contains("答えられなかった", StringComparison.Ordinal) || text.Contains("こたえられなかった", StringComparison.Ordinal) || text.Contains("未回答", StringComparison.Ordinal))
        {
            return "unanswered";
        }

        // Normalised text: オンライン化されていない → おんらいん化されていない.
        return (text.Contains("おんらいん化されていない", StringComparison.Ordinal) || text.Contains("おんらいん化していない", StringComparison.Ordinal)
                || text.Contains("よく聞かれる", StringComparison.Ordinal) || text.Contains("よくきかれる", StringComparison.Ordinal))
            && text.Contains("手続", StringComparison.Ordinal)
            ? "demand"
            : null;
    }
}
