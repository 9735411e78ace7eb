using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Handoff;

/// <summary>「職員と話したい」「担当の人に聞きたい」, the menu's 「職員に相談する」, and the rating buttons.</summary>
public sealed class ResidentHandoffHandler(HandoffDesk desk) : IIntentHandler
{
    /// <summary>Who the resident wants to reach …</summary>
    private static readonly string[] PersonWords = Normalize("職員", "担当", "人間", "人と", "ひとと", "オペレーター", "有人", "係の人", "窓口の人", "市役所の人");

    /// <summary>… and what they want to do with them.</summary>
    private static readonly string[] TalkWords = Normalize("話", "相談", "聞き", "聞け", "つない", "繋", "代わ", "かわって", "チャット");

    private static readonly string[] StartWords = Normalize("職員に相談する", "職員に相談", "有人対応", "オペレーター");

    public string Name => HandoffDesk.ResidentHandler;

    public Audience Audience => Audience.Resident;

    public double Match(Turn turn)
    {
        var text = turn.Normalized;
        if (StartWords.Contains(text))
        {
            return 1.0;
        }

        return text.Length <= 40 && PersonWords.Any(w => text.Contains(w, StringComparison.Ordinal)) && TalkWords.Any(w => text.Contains(w, StringComparison.Ordinal)) ? 0.9 : 0.0;
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken) => new(turn.Postback switch
    {
        { Action: "rate" } rate => await desk.RateAsync(turn, rate, cancellationToken),
        _ => await desk.StartAsync(turn, cancellationToken),
    });

    private static string[] Normalize(params string[] words) => [.. words.Select(TextNormalizer.Normalize)];
}

/// <summary>The staff's buttons: 対応する on a request card, a choice of 「対応中の相談」, a 転送 destination.</summary>
public sealed class StaffHandoffHandler(HandoffDesk desk) : IIntentHandler
{
    public string Name => HandoffDesk.StaffHandler;

    public Audience Audience => Audience.Staff;

    /// <summary>The office asking for the figures.</summary>
    private static readonly string[] FiguresWords = [.. new[] { "有人対応の実績", "有人対応の件数", "有人対応", "有人対応の状況" }.Select(TextNormalizer.Normalize)];

    /// <summary>The office asking for the queue: what waits, how long, the call backs, the outcomes.</summary>
    private static readonly string[] QueueWords = [.. new[] { "相談の待ち状況", "待ち状況", "受付中の相談", "折り返しの一覧", "折り返し一覧", "有人対応の待ち状況" }.Select(TextNormalizer.Normalize)];

    public static bool AsksForFigures(Turn turn) => FiguresWords.Contains(turn.Normalized)
        || (turn.Normalized.Length <= 30 && turn.Normalized.Contains(FiguresWords[2], StringComparison.Ordinal) && FigureWords.Any(w => turn.Normalized.Contains(w, StringComparison.Ordinal)));

    /// <summary>What the office asks of 有人対応 in the KPI lookup's words (「有人対応の評価」「有人対応の件数は」).</summary>
    private static readonly string[] FigureWords = [.. new[] { "件数", "実績", "評価", "時間", "割合", "kpi", "数字", "状況" }.Select(TextNormalizer.Normalize)];

    public static bool AsksForQueue(Turn turn) => QueueWords.Contains(turn.Normalized);

    public double Match(Turn turn) => AsksForQueue(turn) || AsksForFigures(turn) ? 1.0 : 0.0; // other typed words reach the desk before routing

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken) => new(turn.Postback switch
    {
        { Action: "claim" } claim => await desk.ClaimAsync(turn, claim, cancellationToken),
        { Action: "focus" } focus => await desk.FocusAsync(turn, focus, cancellationToken),
        { Action: "transfer" } transfer => await desk.TransferButtonAsync(turn, transfer, cancellationToken),
        { Action: "called" } called => await desk.CallbackDoneAsync(turn, called, cancellationToken),
        null when AsksForQueue(turn) => await desk.QueueAsync(turn, cancellationToken),
        null => await desk.FiguresAsync(cancellationToken),
        _ => [],
    });
}
