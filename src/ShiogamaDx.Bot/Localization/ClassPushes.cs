using System.Globalization;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// What スマホ教室 pushes to a resident on its own (no turn, so no <see cref="LanguageDiversion"/> around it): the reminder
/// the day before, in the language kept for the resident (<see cref="ResidentLanguages"/>) when their pack has the
/// reminder's texts; otherwise the Japanese reminder after the pack's 「japanese-only」 note. Plain Japanese and
/// やさしい日本語 residents get the Japanese reminder as before.
/// </summary>
public static class ClassPushes
{
    /// <summary>The reminder's text in a pack: {title}, {time}, {venue}, {address}, {seats}, {bring}.</summary>
    public const string Reminder = "class-reminder";

    public const string ReminderPrompt = "class-reminder-prompt";

    /// <summary>The reminder's button (the same cancel postback as the Japanese one).</summary>
    public const string CancelButton = "class-cancel-button";

    /// <summary>The survey invitation's button (the same survey postback as the Japanese one).</summary>
    public const string SurveyButton = "class-survey-button";

    /// <summary>The reminder for one registration, in the language kept for its resident.</summary>
    public static async Task<IReadOnlyList<Reply>> ReminderAsync(ResidentLanguages languages, LanguageCatalog catalog, MessageSet texts, SmartphoneClass c, ClassRegistration r, CancellationToken ct)
    {
        var japanese = ClassMessages.Reminder(texts, c, r);
        return await languages.GetAsync(r.UserKey, ct) is { } code ? ReminderIn(catalog[code], japanese, c, r) : japanese;
    }

    /// <summary>The reminder in <paramref name="pack"/>'s language, whole; else <paramref name="japanese"/>, said to be Japanese.</summary>
    public static IReadOnlyList<Reply> ReminderIn(LanguagePack? pack, IReadOnlyList<Reply> japanese, SmartphoneClass c, ClassRegistration r)
    {
        if (pack is null || pack.IsEasy)
        {
            return japanese;
        }

        if (!new[] { Reminder, ReminderPrompt, CancelButton }.All(pack.Texts.ContainsKey))
        {
            return [new TextReply(pack["japanese-only"]), .. japanese];
        }

        var start = ClassTime.Local(c.StartsAt);
        var end = ClassTime.Local(c.EndsAt);
        var day = pack.Format("dialog-date", ("month", Number(start.Month)), ("day", Number(start.Day)));
        var time = string.Create(CultureInfo.InvariantCulture, $"{day} {start:HH:mm}–{end:HH:mm}");
        var text = pack.Format(
            Reminder,
            ("title", Say(pack, c.Title)),
            ("time", time),
            ("venue", Say(pack, c.Venue)),
            ("address", Say(pack, c.Address)),
            ("seats", Number(r.Seats)),
            ("bring", Say(pack, c.WhatToBring)));
        return
        [
            new TextReply(text),
            new ChoicesReply(pack[ReminderPrompt], [new Choice(pack[CancelButton], ClassMessages.Cancel(r.Id))]),
        ];
    }

    /// <summary>
    /// A class push written in Japanese by Classes/ (a freed seat, the survey invitation, a cancelled class), in the
    /// language kept for <paramref name="userKey"/>'s resident: see <see cref="Said"/>.
    /// </summary>
    public static async Task<IReadOnlyList<Reply>> ForResidentAsync(ResidentLanguages languages, LanguageCatalog catalog, MessageSet texts, string userKey, IReadOnlyList<Reply> japanese, CancellationToken ct) =>
        await languages.GetAsync(userKey, ct) is { } code ? Said(catalog[code], japanese, texts) : japanese;

    /// <summary>
    /// Japanese class replies said from the pack's class texts (<see cref="DialogTranslation"/>), the cancel button by
    /// <see cref="CancelButton"/>; when one of them is not covered whole, the Japanese after the pack's 「japanese-only」 note.
    /// </summary>
    internal static IReadOnlyList<Reply> Said(LanguagePack? pack, IReadOnlyList<Reply> japanese, MessageSet texts)
    {
        if (pack is null || pack.IsEasy)
        {
            return japanese;
        }

        var said = new List<Reply>();
        foreach (var reply in japanese)
        {
            Reply? own = reply switch
            {
                TextReply t => DialogTranslation.ClassText(t.Text, pack, texts) is { } text ? new TextReply(text) : null,
                ChoicesReply c when DialogTranslation.ClassText(c.Prompt, pack, texts) is { } prompt
                    && c.Choices.Select(choice => Button(choice, pack, texts)).ToList() is var buttons && buttons.All(b => b is not null)
                    => new ChoicesReply(prompt, buttons!),
                _ => null,
            };
            if (own is null)
            {
                return [new TextReply(pack["japanese-only"]), .. japanese];
            }

            said.Add(own);
        }

        return said;
    }

    /// <summary>A postback button of the class pushes with the pack's label; null for any other.</summary>
    private static Choice? Button(Choice choice, LanguagePack pack, MessageSet texts)
    {
        if (choice.Value is null && choice.Label == texts[ClassTexts.ScheduleButton])
        {
            // The Japanese button sends 「スマホ教室」 as text; in the language it is the language menu's class schedule.
            return new Choice(pack["menu-classes"], Postback.Create(LanguageDiversion.Handler, "menu", ("i", "classes")));
        }

        var own = choice.Value is null ? null
            : choice.Label == texts[ClassTexts.CancelButton] ? CancelButton
            : choice.Label == texts[ClassTexts.SurveyInvitationButton] ? SurveyButton
            : null;
        return own is not null && pack.Texts.TryGetValue(own, out var label) ? choice with { Label = label } : null;
    }

    /// <summary>A Japanese term of the schedule in the pack's language, else the Japanese with the pack's 「in-japanese」 label.</summary>
    private static string Say(LanguagePack pack, string japanese) =>
        japanese.Trim().Length == 0 ? string.Empty : pack.Term(japanese) ?? $"{japanese} {pack["in-japanese"]}";

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
