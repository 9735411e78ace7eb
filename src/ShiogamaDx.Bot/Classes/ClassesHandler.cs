using System.Globalization;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Language;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Classes;

/// <summary>
/// Residents' way into スマホ教室: the schedule as cards, 申し込みの確認, キャンセル, and the survey. Registration
/// and the survey themselves are dialogs (dialogs/class-registration.yaml, dialogs/class-survey.yaml).
/// </summary>
public sealed class ClassesHandler(ClassBooking booking, ClassSurveys surveys, IOptions<ClassesOptions> options, MessageCatalog messages) : IIntentHandler
{
    public const string RegistrationDialog = "class-registration";
    public const string SurveyDialog = "class-survey";

    private static readonly string[] DeviceWords =
        ["すまほ", "すまとふぉん", "携帯", "けいたい", "line", "らいん", "iphone", "あいふぉん", "android", "あんどろいど", "たぶれっと", "ipad", "がらけ"];

    private static readonly string[] LearningWords =
        ["習", "ならい", "ならう", "ならえ", "教え", "おしえ", "使い方", "つかいかた", "勉強", "べんきょう", "学", "まなび", "まなべ", "覚え", "おぼえ", "わから", "分から", "操作", "そうさ", "苦手", "にがて"];

    private static readonly string[] ClassWords = ["教室", "きょうしつ", "講座", "こうざ", "講習", "こうしゅう", "せみな"];

    // Someone who says they cannot come is not asking for the schedule: another feature (help beyond the classes) may answer.
    // Someone who asks for a person (誰, 相手, 教えてくれる人) or who wants to teach or help someone else (教えたい, 手伝う)
    // asks for help, not for a class date: without a class word, the help guide may answer (help beyond the classes).
    private static readonly string[] SomeoneWords =
        ["誰", "だれ", "人は", "人が", "人を", "人い", "ひとは", "ひとが", "ひとを", "相手", "あいて", "教えたい", "おしえたい", "教えてあげ", "おしえてあげ", "手伝", "てつだ"];

    // Cannot come, in kanji or in hiragana; いけない only after に/へ/まで (教室にいけない), never alone (しないといけない).
    private static readonly string[] CannotComeWords =
        ["行けない", "行けません", "行かれない", "にいけない", "へいけない", "までいけない", "にいけません", "へいけません", "までいけません", "来られない", "こられない",
         "来れない", "これない", "通えない", "かよえない", "参加できない", "さんかできない", "以外", "いがい", "ほかに", "他に", "都合がつかない", "外出できない"];

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
                "keep" => TurnResult.Of(new TextReply(messages.Current[ClassTexts.Kept])),
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

        var device = Has(n, DeviceWords);
        var classWord = Has(n, ClassWords) && !OtherSubjectsClass(n);
        var listed = device && classWord ? 1.0 : device && Has(n, LearningWords) ? 0.8 : classWord && n.Length <= 12 ? 0.6 : 0;
        var help = Has(n, CannotComeWords) || (!classWord && Has(n, SomeoneWords));
        return listed == 0 ? (0, Intent.None) : (help ? Math.Min(listed, 0.55) : listed, Intent.List);
    }

    // A class word written right after a kanji noun names that subject's class (料理教室, 書道講座, 英会話教室): this
    // chat's classes are about smartphones, and a device word (スマホ教室) is read before this is asked. Only when every
    // class word in the text is so written: 料理教室のあとでスマホの教室 still asks for the classes.
    private static bool OtherSubjectsClass(string n)
    {
        var found = false;
        foreach (var word in ClassWords.Where(w => JapaneseText.IsKanji(w[0])))
        {
            for (var at = n.IndexOf(word, StringComparison.Ordinal); at >= 0; at = n.IndexOf(word, at + word.Length, StringComparison.Ordinal))
            {
                if (at == 0 || !JapaneseText.IsKanji(n[at - 1]))
                {
                    return false;
                }

                found = true;
            }
        }

        return found;
    }

    private static bool Has(string n, params string[] words) => words.Any(w => n.Contains(w, StringComparison.Ordinal));

    private static long? ParseId(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private async Task<IReadOnlyList<Reply>> ListAsync(long from, CancellationToken ct)
    {
        var m = messages.Current;
        var upcoming = await booking.UpcomingAsync(ct);
        if (upcoming.Count == 0)
        {
            return [new TextReply(m[ClassTexts.NoneUpcoming])];
        }

        var size = options.Value.ListSize;
        var start = (int)Math.Clamp(from, 0, Math.Max(0, upcoming.Count - 1));
        var page = upcoming.Skip(start).Take(size).ToList();
        var replies = new List<Reply>
        {
            new TextReply(start == 0 ? m[ClassTexts.ListFirst] : m[ClassTexts.ListMore]),
            new CardsReply(m[ClassTexts.ListAlt], page.Select(c => ClassMessages.Card(m, c)).ToList()),
        };
        if (start + size < upcoming.Count)
        {
            replies.Add(new ChoicesReply(m.Format(ClassTexts.MoreCount, upcoming.Count - start - size), [new Choice(m[ClassTexts.MoreButton], Postback.Create(Name, "list", ("from", (start + size).ToString(CultureInfo.InvariantCulture))))]));
        }

        return replies;
    }

    private async Task<IReadOnlyList<Reply>> MineAsync(string user, bool cancelling, CancellationToken ct)
    {
        var m = messages.Current;
        var mine = await booking.MineAsync(user, ct);
        var open = mine.Where(r => booking.IsOpen(r.Class!)).ToList();
        if (mine.Count == 0 || (cancelling && open.Count == 0))
        {
            return
            [
                new TextReply(cancelling ? m[ClassTexts.NothingToCancel] : m[ClassTexts.NoRegistrations]),
                new ChoicesReply(m[ClassTexts.SchedulePrompt], [new Choice(m[ClassTexts.ScheduleButton])]),
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
            var status = ClassMessages.Status(m, r, await booking.WaitingPositionAsync(r, ct));
            var body = m.Format(ClassTexts.MineCardBody, ClassTime.Span(c), c.Venue, status);
            cards.Add(new Card(c.Title, body, booking.IsOpen(c) ? [new CardAction(m[ClassTexts.CancelButton], CardActionKind.Postback, ClassMessages.Cancel(r.Id))] : []));
        }

        var intro = cancelling ? m[ClassTexts.MineCancelIntro] : m.Format(ClassTexts.MineCount, cards.Count);
        return [new TextReply(intro), new CardsReply(m[ClassTexts.MineAlt], cards)];
    }

    private async Task<IReadOnlyList<Reply>> AskCancelAsync(long registrationId, string user, CancellationToken ct)
    {
        var m = messages.Current;
        var r = await booking.FindRegistrationAsync(registrationId, user, ct);
        if (r?.Class is not { } c)
        {
            return [new TextReply(m[ClassTexts.RegistrationNotFound])];
        }

        if (r.Status == RegistrationStatus.Cancelled)
        {
            return [new TextReply(m[ClassTexts.RegistrationAlreadyCancelled])];
        }

        if (!booking.IsOpen(c))
        {
            return [new TextReply(m[ClassTexts.TooLateToCancel])];
        }

        var what = r.Status == RegistrationStatus.Waiting ? m[ClassTexts.WhatWaiting] : m[ClassTexts.WhatRegistration];
        return
        [
            new ChoicesReply(m.Format(ClassTexts.AskCancel, ClassTime.Span(c), c.Title, c.Venue, what),
                [new Choice(m[ClassTexts.Yes], ClassMessages.CancelYes(r.Id)), new Choice(m[ClassTexts.No], Postback.Create(Name, "keep"))]),
        ];
    }

    private async Task<IReadOnlyList<Reply>> CancelAsync(long registrationId, string user, CancellationToken ct)
    {
        var m = messages.Current;
        var outcome = await booking.CancelAsync(registrationId, user, ct);
        return outcome.Result switch
        {
            CancelResult.Cancelled => [new TextReply(m.Format(ClassTexts.CancelDone, outcome.Class!.Title, ClassTime.Span(outcome.Class)))],
            CancelResult.AlreadyCancelled => [new TextReply(m[ClassTexts.RegistrationAlreadyCancelled])],
            CancelResult.TooLate => [new TextReply(m[ClassTexts.TooLateToCancel])],
            _ => [new TextReply(m[ClassTexts.RegistrationNotFound])],
        };
    }

    private async Task<TurnResult> SurveyAsync(string user, CancellationToken ct)
    {
        var open = await surveys.OpenForAsync(user, ct);
        return open is null
            ? TurnResult.Of(new TextReply(messages.Current[ClassTexts.SurveyNone]))
            : new TurnResult([], new DialogStart(SurveyDialog, new Dictionary<string, string> { ["registration"] = open.Id.ToString(CultureInfo.InvariantCulture) }));
    }
}
