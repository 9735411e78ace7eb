using System.Globalization;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Classes;

/// <summary>What residents read about classes: short, kind, with the date, the place and what to bring.</summary>
public static class ClassMessages
{
    public const string Handler = "classes";

    public static string Reg(string classId) => Postback.Create(Handler, "reg", ("id", classId));

    public static string Cancel(long registrationId) => Postback.Create(Handler, "cancel", ("id", Id(registrationId)));

    public static string CancelYes(long registrationId) => Postback.Create(Handler, "cancel-yes", ("id", Id(registrationId)));

    public static string Survey(long registrationId) => Postback.Create(Handler, "survey", ("id", Id(registrationId)));

    public static Card Card(MessageSet m, SmartphoneClass c)
    {
        var seats = c.SeatsLeft > 0 ? m.Format(ClassTexts.CardSeatsLeft, c.SeatsLeft) : m[ClassTexts.CardFull];
        var body = m.Format(ClassTexts.CardBody, ClassTime.Span(c), c.Venue, c.Topic, seats) + (c.IsSample ? "\n" + m[ClassTexts.CardSample] : string.Empty);
        var label = c.SeatsLeft > 0 ? m[ClassTexts.CardRegister] : m[ClassTexts.CardWait];
        return new Card(c.Title, body, [new CardAction(label, CardActionKind.Postback, Reg(c.Id))]);
    }

    public static string Details(MessageSet m, SmartphoneClass c, int people) =>
        m.Format(ClassTexts.Details, c.Title, ClassTime.Span(c), c.Venue, c.Address, People(m, people), c.WhatToBring);

    /// <summary>A short button label for a class (LINE shows at most 20 characters on a quick reply).</summary>
    public static string Label(SmartphoneClass c)
    {
        var label = $"{ClassTime.Day(c.StartsAt)} {c.Venue}";
        return label.Length <= 20 ? label : label[..19] + "…";
    }

    public static string People(MessageSet m, int people) => people <= 1 ? m[ClassTexts.PeopleAlone] : m.Format(ClassTexts.PeopleWith, people, people - 1);

    public static IReadOnlyList<Reply> Confirmed(MessageSet m, SmartphoneClass c, ClassRegistration r) =>
    [
        new TextReply(m.Format(ClassTexts.Confirmed, Details(m, c, r.Seats))),
    ];

    public static IReadOnlyList<Reply> Waiting(MessageSet m, SmartphoneClass c, ClassRegistration r, int position) =>
    [
        new TextReply(m.Format(ClassTexts.Waiting, position, Details(m, c, r.Seats))),
    ];

    public static IReadOnlyList<Reply> Promoted(MessageSet m, SmartphoneClass c, ClassRegistration r) =>
    [
        new TextReply(m.Format(ClassTexts.Promoted, Details(m, c, r.Seats))),
        new ChoicesReply(m[ClassTexts.PromotedPrompt], [new Choice(m[ClassTexts.CancelButton], Cancel(r.Id))]),
    ];

    public static IReadOnlyList<Reply> Reminder(MessageSet m, SmartphoneClass c, ClassRegistration r) =>
    [
        new TextReply(m.Format(ClassTexts.Reminder, Details(m, c, r.Seats))),
        new ChoicesReply(m[ClassTexts.ReminderPrompt], [new Choice(m[ClassTexts.CancelButton], Cancel(r.Id))]),
    ];

    public static IReadOnlyList<Reply> SurveyInvitation(MessageSet m, SmartphoneClass c, ClassRegistration r) =>
    [
        new TextReply(m.Format(ClassTexts.SurveyInvitation, ClassTime.Day(c.StartsAt), c.Title)),
        new ChoicesReply(m[ClassTexts.SurveyInvitationPrompt], [new Choice(m[ClassTexts.SurveyInvitationButton], Survey(r.Id))]),
    ];

    public static IReadOnlyList<Reply> ClassCancelled(MessageSet m, SmartphoneClass c) =>
    [
        new TextReply(m.Format(ClassTexts.ClassCancelled, ClassTime.Span(c), c.Title, c.Venue)),
        new ChoicesReply(m[ClassTexts.ClassCancelledPrompt], [new Choice(m[ClassTexts.ScheduleButton])]),
    ];

    public static string Status(MessageSet m, ClassRegistration r, int waitingPosition) =>
        r.Class is { Status: ClassStatus.Cancelled } ? m[ClassTexts.StatusCancelled]
        : r.Status == RegistrationStatus.Waiting ? m.Format(ClassTexts.StatusWaiting, waitingPosition) : m.Format(ClassTexts.StatusRegistered, r.Seats);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
