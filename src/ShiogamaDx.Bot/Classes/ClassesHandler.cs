using System.Globalization;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Classes;

/// <summary>
/// Residents' way into スマホ教室: the schedule as cards, 申し込みの確認, キャンセル, and the survey. Registration
/// and the survey themselves are dialogs (dialogs/class-registration.yaml, dialogs/class-survey.yaml).
/// </summary>
public sealed class ClassesHandler(ClassBooking booking, ClassSurveys surveys, IOptions<ClassesOptions> options) : IIntentHandler
{
    public const string RegistrationDialog = "class-registration";
    public const string SurveyDialog = "class-survey";

    private static readonly string[] Devices =
        ["すまほ", "すまとふぉん", "携帯", "けいたい", "line", "らいん", "iphone", "あいふぉん", "android", "あんどろいど", "たぶれっと", "ipad", "がらけ"];

    private static readonly string[] Learning =
        ["習", "ならい", "ならう", "ならえ", "教え", "おしえ", "使い方", "つかいかた", "勉強", "べんきょう", "学", "まなび", "まなべ", "覚え", "おぼえ", "わから", "分から", "操作", "そうさ", "苦手", "にがて"];

    private static readonly string[] ClassWords = ["教室", "きょうしつ", "講座", "こうざ", "講習", "こうしゅう", "せみな"];

    private enum Intent
    {
        None,
        List,
        Register,
        Mine,
        Cancel,
        Survey,
    }

    public string Name => ClassMessages.Handler;

    public Audience Audience => Audience.Resident;

    public double Match(Turn turn) => Classify(turn.Normalized).Score;

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var user = turn.Message.UserKey;
        if (turn.Postback is { } pb)
        {
            return pb.Action switch
            {
                "reg" when pb["id"] is { Length: > 0 } id => new TurnResult([], new DialogStart(RegistrationDialog, new Dictionary<string, string> { ["class"] = id })),
                "cancel" when ParseId(pb["id"]) is { } rid => new TurnResult(await AskCancelAsync(rid, user, cancellationToken)),
                "cancel-yes" when ParseId(pb["id"]) is { } rid => new TurnResult(await CancelAsync(rid, user, cancellationToken)),
                "keep" => TurnResult.Of(new TextReply("取り消しはしていません。当日お待ちしています。")),
                "survey" when ParseId(pb["id"]) is { } rid => new TurnResult([], new DialogStart(SurveyDialog, new Dictionary<string, string> { ["registration"] = rid.ToString(CultureInfo.InvariantCulture) })),
                "mine" => new TurnResult(await MineAsync(user, cancelling: false, cancellationToken)),
                _ => new TurnResult(await ListAsync(ParseId(pb["from"]) ?? 0, cancellationToken)),
            };
        }

        return Classify(turn.Normalized).Intent switch
        {
            Intent.Register => new TurnResult([], new DialogStart(RegistrationDialog)),
            Intent.Mine => new TurnResult(await MineAsync(user, cancelling: false, cancellationToken)),
            Intent.Cancel => new TurnResult(await MineAsync(user, cancelling: true, cancellationToken)),
            Intent.Survey => await SurveyAsync(user, cancellationToken),
            _ => new TurnResult(await ListAsync(0, cancellationToken)),
        };
    }

    private static (double Score, Intent Intent) Classify(string n)
    {
        if (n.Length == 0)
        {
            return (0, Intent.None);
        }

        if (n is "申し込みの確認" or "申込の確認" or "申し込み確認" or "申込確認" or "もうしこみのかくにん" or "予約の確認" or "予約確認" or "よやくのかくにん"
            || (Has(n, "教室") && Has(n, "確認")))
        {
            return (1.0, Intent.Mine);
        }

        if (Has(n, "申し込み", "申込", "もうしこみ", "予約", "よやく") && Has(n, "確認", "かくにん"))
        {
            return (0.8, Intent.Mine);
        }

        // "申し込む" typed after a list of several cards names no class: ask which one.
        if (n is "申し込む" or "申し込みたい" or "申し込みます" or "もうしこむ" or "もうしこみたい" or "申込" or "申し込み" || Has(n, "きゃんせる待ち", "きゃんせるまち"))
        {
            return (0.7, Intent.Register);
        }

        if (Has(n, "きゃんせる", "取り消", "とりけし", "取消"))
        {
            return (n is "きゃんせる" or "きゃんせるする" or "きゃんせるしたい" || Has(n, "教室", "きょうしつ", "申し込み", "申込") ? 0.9 : 0.6, Intent.Cancel);
        }

        if (Has(n, "あんけと") && (n.Length <= 8 || Has(n, ClassWords)))
        {
            return (0.8, Intent.Survey);
        }

        var device = Has(n, Devices);
        var classWord = Has(n, ClassWords);
        if (device && classWord)
        {
            return (1.0, Intent.List);
        }

        if (device && Has(n, Learning))
        {
            return (0.8, Intent.List);
        }

        return classWord && n.Length <= 12 ? (0.6, Intent.List) : (0, Intent.None);
    }

    private static bool Has(string n, params string[] words) => words.Any(w => n.Contains(w, StringComparison.Ordinal));

    private static long? ParseId(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private async Task<IReadOnlyList<Reply>> ListAsync(long from, CancellationToken ct)
    {
        var upcoming = await booking.UpcomingAsync(ct);
        if (upcoming.Count == 0)
        {
            return [new TextReply("いま申し込みできるスマホ教室はありません。日程が決まりしだい、広報しおがまやこのLINEでお知らせします。")];
        }

        var size = options.Value.ListSize;
        var start = (int)Math.Clamp(from, 0, Math.Max(0, upcoming.Count - 1));
        var page = upcoming.Skip(start).Take(size).ToList();
        var replies = new List<Reply>
        {
            new TextReply(start == 0
                ? "これからのスマホ教室です。参加したい教室の「申し込む」を押すか、番号を送ってください。参加は無料です。"
                : "ほかの日程のスマホ教室です。"),
            new CardsReply("スマホ教室のご案内", page.Select(ClassMessages.Card).ToList()),
        };
        if (start + size < upcoming.Count)
        {
            replies.Add(new ChoicesReply($"ほかに{upcoming.Count - start - size}回あります。", [new Choice("ほかの日程", Postback.Create(Name, "list", ("from", (start + size).ToString(CultureInfo.InvariantCulture))))]));
        }

        return replies;
    }

    private async Task<IReadOnlyList<Reply>> MineAsync(string user, bool cancelling, CancellationToken ct)
    {
        var mine = await booking.MineAsync(user, ct);
        var open = mine.Where(r => booking.IsOpen(r.Class!)).ToList();
        if (mine.Count == 0 || (cancelling && open.Count == 0))
        {
            return
            [
                new TextReply(cancelling ? "キャンセルできるスマホ教室の申し込みはありません。" : "いま、スマホ教室のお申し込みはありません。"),
                new ChoicesReply("教室の日程を見ますか。", [new Choice("スマホ教室")]),
            ];
        }

        if (cancelling && open.Count == 1)
        {
            return await AskCancelAsync(open[0].Id, user, ct);
        }

        var cards = new List<Card>();
        foreach (var r in cancelling ? open : mine)
        {
            var c = r.Class!;
            var status = ClassMessages.Status(r, await booking.WaitingPositionAsync(r, ct));
            var body = $"日時: {ClassTime.Span(c)}\n場所: {c.Venue}\n状況: {status}";
            cards.Add(new Card(c.Title, body, booking.IsOpen(c) ? [new CardAction("キャンセルする", CardActionKind.Postback, ClassMessages.Cancel(r.Id))] : []));
        }

        var intro = cancelling
            ? "キャンセルする教室の「キャンセルする」を押すか、番号を送ってください。"
            : $"お申し込みは{cards.Count}件です。";
        return [new TextReply(intro), new CardsReply("スマホ教室のお申し込み", cards)];
    }

    private async Task<IReadOnlyList<Reply>> AskCancelAsync(long registrationId, string user, CancellationToken ct)
    {
        var r = await booking.FindRegistrationAsync(registrationId, user, ct);
        if (r?.Class is not { } c)
        {
            return [new TextReply("その申し込みは見つかりませんでした。「申し込みの確認」でお確かめください。")];
        }

        if (r.Status == RegistrationStatus.Cancelled)
        {
            return [new TextReply("その申し込みは、すでに取り消されています。")];
        }

        if (!booking.IsOpen(c))
        {
            return [new TextReply("教室が始まっているため、ここでは取り消しできません。")];
        }

        var what = r.Status == RegistrationStatus.Waiting ? "キャンセル待ち" : "申し込み";
        return
        [
            new ChoicesReply($"{ClassTime.Span(c)}「{c.Title}」（{c.Venue}）の{what}を取り消しますか。",
                [new Choice("はい", ClassMessages.CancelYes(r.Id)), new Choice("いいえ", Postback.Create(Name, "keep"))]),
        ];
    }

    private async Task<IReadOnlyList<Reply>> CancelAsync(long registrationId, string user, CancellationToken ct)
    {
        var outcome = await booking.CancelAsync(registrationId, user, ct);
        return outcome.Result switch
        {
            CancelResult.Cancelled =>
                [new TextReply($"取り消しました。\n{outcome.Class!.Title}\n{ClassTime.Span(outcome.Class)}\nまたのご参加をお待ちしています。")],
            CancelResult.AlreadyCancelled => [new TextReply("その申し込みは、すでに取り消されています。")],
            CancelResult.TooLate => [new TextReply("教室が始まっているため、ここでは取り消しできません。")],
            _ => [new TextReply("その申し込みは見つかりませんでした。「申し込みの確認」でお確かめください。")],
        };
    }

    private async Task<TurnResult> SurveyAsync(string user, CancellationToken ct)
    {
        var open = await surveys.OpenForAsync(user, ct);
        return open is null
            ? TurnResult.Of(new TextReply("いま回答できるスマホ教室のアンケートはありません。教室に参加された方には、終わったあとにこのLINEでアンケートをお送りします。"))
            : new TurnResult([], new DialogStart(SurveyDialog, new Dictionary<string, string> { ["registration"] = open.Id.ToString(CultureInfo.InvariantCulture) }));
    }
}
