using System.Globalization;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Classes;

/// <summary>What residents read about classes: short, kind, with the date, the place and what to bring.</summary>
public static class ClassMessages
{
    public const string Handler = "classes";

    public static string Reg(string classId) => Postback.Create(Handler, "reg", ("id", classId));

    public static string Cancel(long registrationId) => Postback.Create(Handler, "cancel", ("id", Id(registrationId)));

    public static string CancelYes(long registrationId) => Postback.Create(Handler, "cancel-yes", ("id", Id(registrationId)));

    public static string Survey(long registrationId) => Postback.Create(Handler, "survey", ("id", Id(registrationId)));

    public static Card Card(SmartphoneClass c)
    {
        var seats = c.SeatsLeft > 0 ? $"残り{c.SeatsLeft}席" : "満席（キャンセル待ちができます）";
        var body = $"日時: {ClassTime.Span(c)}\n場所: {c.Venue}\n内容: {c.Topic}\n{seats}";
        var label = c.SeatsLeft > 0 ? "申し込む" : "キャンセル待ち";
        return new Card(c.Title, body, [new CardAction(label, CardActionKind.Postback, Reg(c.Id))]);
    }

    public static string Details(SmartphoneClass c, int people) =>
        $"教室: {c.Title}\n日時: {ClassTime.Span(c)}\n場所: {c.Venue}（{c.Address}）\n人数: {People(people)}\n持ち物: {c.WhatToBring}";

    /// <summary>A short button label for a class (LINE shows at most 20 characters on a quick reply).</summary>
    public static string Label(SmartphoneClass c)
    {
        var label = $"{ClassTime.Day(c.StartsAt)} {c.Venue}";
        return label.Length <= 20 ? label : label[..19] + "…";
    }

    public static string People(int people) => people <= 1 ? "1人（ご本人のみ）" : $"{people}人（ご本人と同伴{people - 1}人）";

    public static IReadOnlyList<Reply> Confirmed(SmartphoneClass c, ClassRegistration r) =>
    [
        new TextReply($"申し込みを受け付けました。\n{Details(c, r.Seats)}\n\n前日にこのLINEでお知らせします。確認やキャンセルは「申し込みの確認」からできます。"),
    ];

    public static IReadOnlyList<Reply> Waiting(SmartphoneClass c, ClassRegistration r, int position) =>
    [
        new TextReply($"満席のため、キャンセル待ちに登録しました（{position}番目）。\n{Details(c, r.Seats)}\n\n空きが出たら、このLINEでお知らせします。取り消しは「申し込みの確認」からできます。"),
    ];

    public static IReadOnlyList<Reply> Promoted(SmartphoneClass c, ClassRegistration r) =>
    [
        new TextReply($"キャンセル待ちのスマホ教室に空きが出ました。参加が決まりましたので、お知らせします。\n{Details(c, r.Seats)}"),
        new ChoicesReply("ご都合が悪いときは、キャンセルしてください。", [new Choice("キャンセルする", Cancel(r.Id))]),
    ];

    public static IReadOnlyList<Reply> Reminder(SmartphoneClass c, ClassRegistration r) =>
    [
        new TextReply($"明日はスマホ教室の日です。お待ちしています。\n{Details(c, r.Seats)}"),
        new ChoicesReply("参加できなくなったときは「キャンセルする」を押してください。", [new Choice("キャンセルする", Cancel(r.Id))]),
    ];

    public static IReadOnlyList<Reply> SurveyInvitation(SmartphoneClass c, ClassRegistration r) =>
    [
        new TextReply($"{ClassTime.Day(c.StartsAt)}の「{c.Title}」にご参加いただき、ありがとうございました。\nこれからの教室をよくするため、短いアンケートにご協力ください（1分ほどです）。"),
        new ChoicesReply("アンケートに答えますか。", [new Choice("アンケートに答える", Survey(r.Id))]),
    ];

    public static IReadOnlyList<Reply> ClassCancelled(SmartphoneClass c) =>
    [
        new TextReply($"申し訳ありません。お申し込みの{ClassTime.Span(c)}「{c.Title}」（{c.Venue}）は中止になりました。"),
        new ChoicesReply("ほかの日程をご覧になりますか。", [new Choice("スマホ教室")]),
    ];

    public static string Status(ClassRegistration r, int waitingPosition) =>
        r.Class is { Status: ClassStatus.Cancelled } ? "中止になりました"
        : r.Status == RegistrationStatus.Waiting ? $"キャンセル待ち（{waitingPosition}番目）" : $"申し込み済み（{r.Seats}人）";

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
