using System.Globalization;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Classes;

/// <summary>classes.upcoming: the classes one can still register for, as choices (value = class id).</summary>
public sealed class UpcomingClassesAction(ClassBooking booking, IOptions<ClassesOptions> options) : IDialogAction
{
    public string Name => "classes.upcoming";

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var upcoming = await booking.UpcomingAsync(cancellationToken);
        return upcoming.Count == 0
            ? new DialogActionResult(Error: "いま申し込みできるスマホ教室はありません。日程が決まりしだい、このLINEでお知らせします。")
            : new DialogActionResult(Choices: upcoming.Take(options.Value.ListSize)
                .Select(c => new Choice(ClassMessages.Label(c), c.Id)).ToList());
    }
}

/// <summary>classes.check: the chosen class exists, is open, and the person is not registered yet.</summary>
public sealed class CheckClassAction(ClassBooking booking) : IDialogAction
{
    public string Name => "classes.check";

    public IReadOnlyList<StepNeed> Needs { get; } = [new("class")];

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var id = context.Values.GetValueOrDefault("class") ?? string.Empty;
        var c = await booking.FindAsync(id, cancellationToken);
        if (c is null)
        {
            return new DialogActionResult(Error: "この教室は見つかりませんでした。中止や日程の変更があったかもしれません。「スマホ教室」で最新の日程をご覧ください。");
        }

        if (!booking.IsOpen(c))
        {
            return new DialogActionResult(Error: c.Status == ClassStatus.Cancelled
                ? $"{ClassTime.Span(c)}「{c.Title}」は中止になりました。申し訳ありません。「スマホ教室」でほかの日程をご覧ください。"
                : $"「{c.Title}」は受付を終了しました。「スマホ教室」でほかの日程をご覧ください。");
        }

        if (await booking.ActiveAsync(id, context.Turn.Message.UserKey, cancellationToken) is { } existing)
        {
            var status = ClassMessages.Status(existing, await booking.WaitingPositionAsync(existing, cancellationToken));
            return new DialogActionResult(Error: $"{ClassTime.Span(c)}「{c.Title}」には、すでにお申し込みいただいています（{status}）。確認やキャンセルは「申し込みの確認」からどうぞ。");
        }

        var full = c.SeatsLeft == 0;
        return new DialogActionResult(Values: new Dictionary<string, string>
        {
            ["full"] = full ? "yes" : "no",
            ["seatsLeft"] = c.SeatsLeft.ToString(CultureInfo.InvariantCulture),
            ["summary"] = $"{c.Title}\n日時: {ClassTime.Span(c)}\n場所: {c.Venue}（{c.Address}）\n持ち物: {c.WhatToBring}",
            ["people"] = ClassMessages.People(1),
            ["question"] = full ? "満席のため、キャンセル待ちに登録しますか。" : "この内容で申し込みますか。",
        });
    }
}

/// <summary>classes.companions: checks the number of companions against the seats (refusing keeps the question open).</summary>
public sealed class CompanionsAction(ClassBooking booking, IOptions<ClassesOptions> options) : IDialogAction
{
    public string Name => "classes.companions";

    public IReadOnlyList<StepNeed> Needs { get; } = [new("class")];

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var n = int.TryParse(context.Values.GetValueOrDefault(context.Step.Id), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
        var max = options.Value.MaxCompanions;
        if (n < 0 || n > max)
        {
            return new DialogActionResult(Error: $"ご一緒に参加できるのは{max}人までです。人数を数字で送ってください（ご本人だけなら 0）。");
        }

        var c = await booking.FindAsync(context.Values.GetValueOrDefault("class") ?? string.Empty, cancellationToken);
        if (c is not null && c.SeatsLeft > 0 && 1 + n > c.SeatsLeft)
        {
            return new DialogActionResult(Error: c.SeatsLeft == 1
                ? "残りは1席です。ご本人だけなら 0 を送ってください。"
                : $"残りは{c.SeatsLeft}席です。ご一緒の方は{c.SeatsLeft - 1}人までにしてください（ご本人だけなら 0）。");
        }

        if (c is not null && 1 + n > c.Capacity)
        {
            return new DialogActionResult(Error: $"この教室の定員は{c.Capacity}人です。ご一緒の方は{c.Capacity - 1}人までにしてください。");
        }

        return new DialogActionResult(Values: new Dictionary<string, string> { ["people"] = ClassMessages.People(1 + n) });
    }
}

/// <summary>classes.register: takes the seats (or a place on the waiting list) and confirms.</summary>
public sealed class RegisterAction(ClassBooking booking) : IDialogAction
{
    public string Name => "classes.register";

    public IReadOnlyList<StepNeed> Needs { get; } = [new("class"), new("with-companions", StepKind.Confirm), new("companions", StepKind.Number)];

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var message = context.Turn.Message;
        var companions = context.Values.GetValueOrDefault("with-companions") == "yes"
            && int.TryParse(context.Values.GetValueOrDefault("companions"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var outcome = await booking.RegisterAsync(context.Values.GetValueOrDefault("class") ?? string.Empty, message.UserKey, message.Channel, companions, cancellationToken);
        return outcome.Result switch
        {
            BookingResult.Confirmed => new DialogActionResult(Replies: ClassMessages.Confirmed(outcome.Class!, outcome.Registration!)),
            BookingResult.Waiting => new DialogActionResult(Replies: ClassMessages.Waiting(outcome.Class!, outcome.Registration!, outcome.WaitingPosition)),
            BookingResult.AlreadyRegistered => new DialogActionResult(Error: "この教室には、すでにお申し込みいただいています。確認やキャンセルは「申し込みの確認」からどうぞ。"),
            BookingResult.TooManyPeople => new DialogActionResult(Error: $"この教室の定員は{outcome.Class!.Capacity}人です。人数を減らして、もう一度お申し込みください。"),
            BookingResult.Closed => new DialogActionResult(Error: "この教室は受付を終了しました。「スマホ教室」でほかの日程をご覧ください。"),
            _ => new DialogActionResult(Error: "この教室は見つかりませんでした。「スマホ教室」で最新の日程をご覧ください。"),
        };
    }
}

/// <summary>classes.survey.open: only a confirmed participant of that class, while the survey is open.</summary>
public sealed class OpenSurveyAction(ClassSurveys surveys) : IDialogAction
{
    public string Name => "classes.survey.open";

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var (registration, refusal) = await surveys.CheckAsync(context.Values.GetValueOrDefault("registration"), context.Turn.Message.UserKey, cancellationToken);
        if (registration?.Class is not { } c)
        {
            return new DialogActionResult(Error: refusal);
        }

        return new DialogActionResult(Values: new Dictionary<string, string>
        {
            ["class"] = c.Id,
            ["classTitle"] = c.Title,
            ["classDay"] = ClassTime.Day(c.StartsAt),
        });
    }
}

/// <summary>classes.survey.save: stores the answers (one per participant and class; a new answer replaces the old).</summary>
public sealed class SaveSurveyAction(ClassSurveys surveys) : IDialogAction
{
    public string Name => "classes.survey.save";

    /// <summary>The KPI 講座内容が理解できた人の割合 counts the answers valued 4 and 3.</summary>
    public IReadOnlyList<StepNeed> Needs { get; } =
    [
        new(ClassSurveyDefinition.ComprehensionStep, StepKind.Choice, ["4", "3", "2", "1"], Why: "the KPI smartphone-class-comprehension counts 4 = よく理解できた and 3 = だいたい理解できた"),
    ];

    private static readonly HashSet<StepKind> Questions = [StepKind.Choice, StepKind.Text, StepKind.Number, StepKind.Confirm, StepKind.Date];

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var values = context.Values;
        var (registration, refusal) = await surveys.CheckAsync(values.GetValueOrDefault("registration"), context.Turn.Message.UserKey, cancellationToken);
        if (registration is null)
        {
            return new DialogActionResult(Error: refusal); // e.g. closed while the person was answering
        }

        if (!int.TryParse(values.GetValueOrDefault(ClassSurveyDefinition.ComprehensionStep), NumberStyles.None, CultureInfo.InvariantCulture, out var comprehension))
        {
            return new DialogActionResult(Error: "回答を受け付けられませんでした。もう一度「アンケート」と送ってください。");
        }

        var all = context.Dialog.Steps
            .Where(s => Questions.Contains(s.Kind) && values.ContainsKey(s.Id))
            .ToDictionary(s => s.Id, s => values.GetValueOrDefault(s.Id + ".label") ?? values[s.Id], StringComparer.Ordinal);
        var response = new SurveyResponse(
            comprehension,
            values.GetValueOrDefault(ClassSurveyDefinition.ComprehensionStep + ".label") ?? string.Empty,
            all.GetValueOrDefault("satisfaction"),
            all.GetValueOrDefault("difficulty"),
            all.GetValueOrDefault("comment"),
            all);
        var replaced = await surveys.SaveAsync(registration, response, cancellationToken);
        return new DialogActionResult(
            Replies: replaced ? [new TextReply("前にいただいた回答を、今回の回答に置きかえました。")] : [],
            Values: new Dictionary<string, string> { ["replaced"] = replaced ? "yes" : "no" });
    }
}
