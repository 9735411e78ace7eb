using System.Globalization;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Classes;

/// <summary>classes.upcoming: the classes one can still register for, as choices (value = class id).</summary>
public sealed class UpcomingClassesAction(ClassBooking booking, IOptions<ClassesOptions> options, MessageCatalog messages) : IDialogAction
{
    public string Name => "classes.upcoming";

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var upcoming = await booking.UpcomingAsync(cancellationToken);
        return upcoming.Count == 0
            ? new DialogActionResult(Error: messages.Current[ClassTexts.NothingToRegister])
            : new DialogActionResult(Choices: upcoming.Take(options.Value.ListSize)
                .Select(c => new Choice(ClassMessages.Label(c), c.Id)).ToList());
    }
}

/// <summary>classes.check: the chosen class exists, is open, and the person is not registered yet.</summary>
public sealed class CheckClassAction(ClassBooking booking, MessageCatalog messages) : IDialogAction
{
    public string Name => "classes.check";

    public IReadOnlyList<StepNeed> Needs { get; } = [new("class")];

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var m = messages.Current;
        var id = context.Values.GetValueOrDefault("class") ?? string.Empty;
        var c = await booking.FindAsync(id, cancellationToken);
        if (c is null)
        {
            return new DialogActionResult(Error: m[ClassTexts.NotFoundMaybeChanged]);
        }

        if (!booking.IsOpen(c))
        {
            return new DialogActionResult(Error: c.Status == ClassStatus.Cancelled
                ? m.Format(ClassTexts.CancelledRefusal, ClassTime.Span(c), c.Title)
                : m.Format(ClassTexts.ClosedRefusal, c.Title));
        }

        if (await booking.ActiveAsync(id, context.Turn.Message.UserKey, cancellationToken) is { } existing)
        {
            var status = ClassMessages.Status(m, existing, await booking.WaitingPositionAsync(existing, cancellationToken));
            return new DialogActionResult(Error: m.Format(ClassTexts.AlreadyRegisteredFor, ClassTime.Span(c), c.Title, status));
        }

        var full = c.SeatsLeft == 0;
        return new DialogActionResult(Values: new Dictionary<string, string>
        {
            ["full"] = full ? "yes" : "no",
            ["seatsLeft"] = c.SeatsLeft.ToString(CultureInfo.InvariantCulture),
            ["summary"] = m.Format(ClassTexts.Summary, c.Title, ClassTime.Span(c), c.Venue, c.Address, c.WhatToBring),
            ["people"] = ClassMessages.People(m, 1),
            ["question"] = full ? m[ClassTexts.QuestionWaitingList] : m[ClassTexts.QuestionRegister],
        });
    }
}

/// <summary>classes.companions: checks the number of companions against the seats (refusing keeps the question open).</summary>
public sealed class CompanionsAction(ClassBooking booking, IOptions<ClassesOptions> options, MessageCatalog messages) : IDialogAction
{
    public string Name => "classes.companions";

    public IReadOnlyList<StepNeed> Needs { get; } = [new("class")];

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var m = messages.Current;
        var n = int.TryParse(context.Values.GetValueOrDefault(context.Step.Id), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
        var max = options.Value.MaxCompanions;
        if (n < 0 || n > max)
        {
            return new DialogActionResult(Error: m.Format(ClassTexts.CompanionsTooMany, max));
        }

        var c = await booking.FindAsync(context.Values.GetValueOrDefault("class") ?? string.Empty, cancellationToken);
        if (c is not null && c.SeatsLeft > 0 && 1 + n > c.SeatsLeft)
        {
            return new DialogActionResult(Error: c.SeatsLeft == 1
                ? m[ClassTexts.CompanionsOneSeat]
                : m.Format(ClassTexts.CompanionsSeatsLeft, c.SeatsLeft, c.SeatsLeft - 1));
        }

        if (c is not null && 1 + n > c.Capacity)
        {
            return new DialogActionResult(Error: m.Format(ClassTexts.CompanionsCapacity, c.Capacity, c.Capacity - 1));
        }

        return new DialogActionResult(Values: new Dictionary<string, string> { ["people"] = ClassMessages.People(m, 1 + n) });
    }
}

/// <summary>classes.register: takes the seats (or a place on the waiting list) and confirms.</summary>
public sealed class RegisterAction(ClassBooking booking, MessageCatalog messages) : IDialogAction
{
    public string Name => "classes.register";

    public IReadOnlyList<StepNeed> Needs { get; } = [new("class"), new("with-companions", StepKind.Confirm), new("companions", StepKind.Number)];

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var m = messages.Current;
        var message = context.Turn.Message;
        var companions = context.Values.GetValueOrDefault("with-companions") == "yes"
            && int.TryParse(context.Values.GetValueOrDefault("companions"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var outcome = await booking.RegisterAsync(context.Values.GetValueOrDefault("class") ?? string.Empty, message.UserKey, message.Channel, companions, cancellationToken);
        return outcome.Result switch
        {
            BookingResult.Confirmed => new DialogActionResult(Replies: ClassMessages.Confirmed(m, outcome.Class!, outcome.Registration!)),
            BookingResult.Waiting => new DialogActionResult(Replies: ClassMessages.Waiting(m, outcome.Class!, outcome.Registration!, outcome.WaitingPosition)),
            BookingResult.AlreadyRegistered => new DialogActionResult(Error: m[ClassTexts.AlreadyRegistered]),
            BookingResult.TooManyPeople => new DialogActionResult(Error: m.Format(ClassTexts.TooManyPeople, outcome.Class!.Capacity)),
            BookingResult.Closed => new DialogActionResult(Error: m[ClassTexts.Closed]),
            _ => new DialogActionResult(Error: m[ClassTexts.NotFound]),
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
public sealed class SaveSurveyAction(ClassSurveys surveys, MessageCatalog messages) : IDialogAction
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
            return new DialogActionResult(Error: messages.Current[ClassTexts.SurveyUnreadable]);
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
            Replies: replaced ? [new TextReply(messages.Current[ClassTexts.SurveyReplaced])] : [],
            Values: new Dictionary<string, string> { ["replaced"] = replaced ? "yes" : "no" });
    }
}
