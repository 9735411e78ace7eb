using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// Runs YAML dialogs as a function <c>(state, input) → (state, replies)</c>; storing the state is the
/// engine's job. Interruptions (ヘルプ, やめる, 最初に戻る) work at every prompt.
/// </summary>
public sealed partial class DialogRuntime(DialogCatalog catalog, IEnumerable<IDialogAction> actions, TimeProvider clock, MessageCatalog messages)
{
    public const string PostbackHandler = "dialog";
    private const int MaxStepsPerTurn = 50; // guards against a dialog file whose `next` loops forever

    private readonly Dictionary<string, IDialogAction> actionsByName = actions.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public bool HasAction(string name) => actionsByName.ContainsKey(name);

    /// <summary>Whether the turn answers the waiting step (or is one of the words that work at every prompt).</summary>
    public bool Accepts(DialogState state, Turn turn)
    {
        var dialog = catalog.Get(state.DialogId);
        var step = dialog.Find(state.StepId) ?? dialog.Steps[0];
        return Interruption(turn) != Interrupt.None || Read(step, state, turn).Ok;
    }

    /// <summary>The way back into a flow that waits while something else is answered; its answers so far are kept in the state.</summary>
    public ChoicesReply ResumeOffer(DialogState state)
    {
        var title = catalog.Get(state.DialogId).Title;
        var menus = catalog.Menus;
        return new ChoicesReply(menus.ResumePrompt.Replace("{title}", title, StringComparison.Ordinal),
            [new Choice(menus.ResumeLabel.Replace("{title}", title, StringComparison.Ordinal), Postback.Create(PostbackHandler, "resume", ("d", state.DialogId)))]);
    }

    public async Task<DialogTurn> StartAsync(string dialogId, Turn turn, IReadOnlyDictionary<string, string>? values, CancellationToken ct)
    {
        var dialog = catalog.Get(dialogId);
        var state = new DialogState(dialog.Id, dialog.Steps[0].Id, (values ?? ImmutableDictionary<string, string>.Empty).ToImmutableDictionary(), 0, Expiry(dialog));
        var replies = new List<Reply>();
        var next = await EnterAsync(dialog, dialog.Steps[0], state, turn, replies, ct);
        return new DialogTurn(next, replies);
    }

    public async Task<DialogTurn> ContinueAsync(DialogState state, Turn turn, CancellationToken ct)
    {
        var dialog = catalog.Get(state.DialogId);
        var step = dialog.Find(state.StepId) ?? dialog.Steps[0];
        var replies = new List<Reply>();

        switch (Interruption(turn))
        {
            case Interrupt.Cancel:
                return new DialogTurn(null, [new TextReply(messages.Current.Format(ConversationTexts.Cancelled, dialog.Title))]);
            case Interrupt.Restart:
                var fresh = state with { StepId = dialog.Steps[0].Id, Values = ImmutableDictionary<string, string>.Empty, Attempts = 0, OfferedChoices = null };
                replies.Add(new TextReply(messages.Current[ConversationTexts.Restarted]));
                return new DialogTurn(await EnterAsync(dialog, dialog.Steps[0], fresh, turn, replies, ct), replies);
            case Interrupt.Help:
                replies.Add(new TextReply(HelpText(step)));
                replies.Add(PromptReply(step, state, state.OfferedChoices));
                return new DialogTurn(state, replies);
            case Interrupt.Resume:
                replies.Add(PromptReply(step, state, state.OfferedChoices));
                return new DialogTurn(state, replies);
            default:
                break;
        }

        var (ok, value, label, error) = Read(step, state, turn);
        if (ok && step.Action is not null && step.Kind is not StepKind.Action)
        {
            // An answer-checking action (e.g. "is there still a seat?") may refuse it.
            var context = new DialogActionContext(turn, dialog, step, state.Values.SetItem(step.Id, value!));
            var result = await RunActionAsync(step.Action, context, ct);
            if (result.Error is not null)
            {
                (ok, error) = (false, result.Error);
            }
            else
            {
                replies.AddRange(result.Replies ?? []);
                state = state with { Values = Merge(state.Values, result.Values) };
                if (result.Next is not null)
                {
                    state = state with { Values = state.Values.SetItem(step.Id, value!).SetItem(step.Id + ".label", label!) };
                    return new DialogTurn(await GoToAsync(dialog, result.Next, state, turn, replies, ct), replies);
                }
            }
        }

        if (!ok)
        {
            var attempts = state.Attempts + 1;
            if (attempts >= step.MaxAttempts)
            {
                replies.Add(new TextReply(error ?? messages.Current[ConversationTexts.NotAccepted]));
                replies.Add(new TextReply(messages.Current.Format(ConversationTexts.GaveUp, dialog.Title)));
                return new DialogTurn(null, replies);
            }

            replies.Add(new TextReply(step.RetryPrompt ?? error ?? messages.Current[ConversationTexts.NotAccepted]));
            replies.Add(PromptReply(step, state, state.OfferedChoices));
            return new DialogTurn(state with { Attempts = attempts }, replies);
        }

        var values = state.Values.SetItem(step.Id, value!).SetItem(step.Id + ".label", label!);
        var advanced = state with { Values = values, Attempts = 0, OfferedChoices = null, ExpiresAt = Expiry(dialog) };
        var following = step.Next is not null ? step.Next : dialog.After(step)?.Id ?? "end";
        return new DialogTurn(await GoToAsync(dialog, following, advanced, turn, replies, ct), replies);
    }

    private Task<DialogState?> GoToAsync(DialogDefinition dialog, string stepId, DialogState state, Turn turn, List<Reply> replies, CancellationToken ct) =>
        stepId == "end" || dialog.Find(stepId) is not { } step
            ? Task.FromResult<DialogState?>(null)
            : EnterAsync(dialog, step, state, turn, replies, ct);

    /// <summary>Runs message and action steps until a step needs an answer; returns the state waiting there.</summary>
    private async Task<DialogState?> EnterAsync(DialogDefinition dialog, DialogStep? step, DialogState state, Turn turn, List<Reply> replies, CancellationToken ct)
    {
        for (var guard = 0; step is not null && guard < MaxStepsPerTurn; guard++)
        {
            if (step.When is not null && !Evaluate(step.When, state.Values))
            {
                step = dialog.After(step);
                continue;
            }

            string? jump = null;
            switch (step.Kind)
            {
                case StepKind.Message:
                    replies.Add(new TextReply(Fill(step.Prompt!, state.Values)));
                    break;
                case StepKind.Action:
                    var result = await RunActionAsync(step.Action!, new DialogActionContext(turn, dialog, step, state.Values), ct);
                    replies.AddRange(result.Replies ?? []);
                    if (result.Error is not null)
                    {
                        replies.Add(new TextReply(result.Error));
                        return null;
                    }

                    state = state with { Values = Merge(state.Values, result.Values) };
                    jump = result.Next;
                    break;
                default:
                    IReadOnlyList<Choice>? offered = null;
                    if (step.ChoicesFrom is not null)
                    {
                        var source = await RunActionAsync(step.ChoicesFrom, new DialogActionContext(turn, dialog, step, state.Values), ct);
                        replies.AddRange(source.Replies ?? []);
                        if (source.Choices is not { Count: > 0 })
                        {
                            if (source.Error is not null)
                            {
                                replies.Add(new TextReply(source.Error));
                            }

                            return null; // nothing to choose from: the action said why
                        }

                        offered = source.Choices;
                    }

                    var waiting = state with { StepId = step.Id, Attempts = 0, OfferedChoices = offered?.ToImmutableList(), ExpiresAt = Expiry(dialog) };
                    replies.Add(PromptReply(step, waiting, waiting.OfferedChoices));
                    return waiting;
            }

            step = jump switch
            {
                null => step.Next is { } next ? (next == "end" ? null : dialog.Find(next)) : dialog.After(step),
                "end" => null,
                _ => dialog.Find(jump),
            };
        }

        return null;
    }

    private async Task<DialogActionResult> RunActionAsync(string name, DialogActionContext context, CancellationToken ct) =>
        actionsByName.TryGetValue(name, out var action)
            ? await action.RunAsync(context, ct)
            : throw new InvalidOperationException($"Dialog '{context.Dialog.Id}' calls unknown action '{name}'.");

    private Reply PromptReply(DialogStep step, DialogState state, IReadOnlyList<Choice>? offered)
    {
        var prompt = Fill(step.Prompt ?? string.Empty, state.Values);
        var choices = ChoicesOf(step, offered);
        if (choices.Count == 0)
        {
            return new TextReply(prompt);
        }

        // Buttons carry a signed postback naming the dialog and step, so a stale button is recognised.
        var buttons = choices.Select((c, i) => new Choice(c.Label, Postback.Create(PostbackHandler, "answer", ("d", state.DialogId), ("s", step.Id), ("i", i.ToString(CultureInfo.InvariantCulture))))).ToList();
        return new ChoicesReply(prompt, buttons);
    }

    private IReadOnlyList<Choice> ChoicesOf(DialogStep step, IReadOnlyList<Choice>? offered) => step.Kind switch
    {
        StepKind.Confirm => [new Choice(messages.Current[ConversationTexts.Yes], "yes"), new Choice(messages.Current[ConversationTexts.No], "no")],
        _ => offered ?? step.Choices,
    };

    private (bool Ok, string? Value, string? Label, string? Error) Read(DialogStep step, DialogState state, Turn turn)
    {
        var choices = ChoicesOf(step, state.OfferedChoices);
        if (turn.Postback is { Handler: PostbackHandler } pb)
        {
            if (pb["d"] != state.DialogId || pb["s"] != step.Id || !int.TryParse(pb["i"], CultureInfo.InvariantCulture, out var i) || i < 0 || i >= choices.Count)
            {
                return (false, null, null, messages.Current[ConversationTexts.OldButton]);
            }

            return (true, choices[i].Input, choices[i].Label, null);
        }

        if (turn.Message.Parameters is { } p && p.TryGetValue("date", out var pickedDate) && step.Kind == StepKind.Date)
        {
            return (true, pickedDate, pickedDate, null);
        }

        var text = turn.Text.Trim();
        if (text.Length == 0)
        {
            return step.Optional ? (true, string.Empty, string.Empty, null) : (false, null, null, messages.Current[ConversationTexts.Empty]);
        }

        if (step.Optional && turn.Normalized is "なし" or "とくになし" or "特になし" or "ありません" or "skip" or "すきっぷ")
        {
            return (true, string.Empty, string.Empty, null);
        }

        switch (step.Kind)
        {
            case StepKind.Choice or StepKind.Confirm:
                var match = ChoiceMatcher.Match(turn.Text, choices);
                if (match is null && step.Kind == StepKind.Confirm)
                {
                    match = ConfirmWord(turn.Normalized) switch
                    {
                        true => choices[0],
                        false => choices[1],
                        null => null,
                    };
                }

                return match is null
                    ? (false, null, null, messages.Current.Format(ConversationTexts.ChooseOne, string.Concat(choices.Select(c => messages.Current.Format(ConversationTexts.ChoiceQuoted, c.Label)))))
                    : (true, match.Input, match.Label, null);
            case StepKind.Number:
                var number = ParseNumber(text);
                if (number is null)
                {
                    return (false, null, null, messages.Current[ConversationTexts.NumberExpected]);
                }

                if ((step.Min is { } min && number < min) || (step.Max is { } max && number > max))
                {
                    return (false, null, null, messages.Current.Format(ConversationTexts.NumberRange, step.Min ?? 0, step.Max));
                }

                var n = number.Value.ToString(CultureInfo.InvariantCulture);
                return (true, n, n, null);
            case StepKind.Date:
                var date = JapaneseDate.Parse(text, clock.GetLocalNow().Date);
                if (date is null)
                {
                    return (false, null, null, messages.Current[ConversationTexts.DateExpected]);
                }

                var iso = date.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return (true, iso, messages.Current.Format(ConversationTexts.DateLabel, date.Value.Month, date.Value.Day), null);
            default:
                if (text.Length > step.MaxLength)
                {
                    return (false, null, null, messages.Current.Format(ConversationTexts.TooLong, step.MaxLength, text.Length));
                }

                return (true, text, text, null);
        }
    }

    private static bool? ConfirmWord(string normalized) => normalized switch
    {
        "はい" or "うん" or "ええ" or "yes" or "y" or "ok" or "おけ" or "おk" or "おねがいします" or "お願いします" or "それで" or "はいおねがいします" => true,
        "いいえ" or "いえ" or "いや" or "no" or "n" or "やめとく" or "ちがう" or "違う" or "けっこうです" or "結構です" => false,
        _ => null,
    };

    private static decimal? ParseNumber(string text)
    {
        var t = TextNormalizer.Normalize(text).TrimEnd('人', '名', 'こ', '個', '件', '回', 'め', 'い');
        if (decimal.TryParse(t, NumberStyles.Number, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        var kanji = "〇一二三四五六七八九十".IndexOf(t.Length == 1 ? t[0] : '\0', StringComparison.Ordinal);
        return kanji >= 0 ? kanji : null;
    }

    private enum Interrupt
    {
        None,
        Cancel,
        Restart,
        Help,
        Resume,
    }

    private static Interrupt Interruption(Turn turn)
    {
        if (turn.IsPostback)
        {
            return turn.Postback is { Handler: PostbackHandler, Action: "resume" } ? Interrupt.Resume : Interrupt.None;
        }

        if (turn.Normalized is "つづき" or "続き" or "続きに戻る" or "つづきにもどる" or "続ける" or "つづける" || turn.Normalized.EndsWith("の続きに戻る", StringComparison.Ordinal))
        {
            return Interrupt.Resume;
        }

        return turn.Normalized switch
        {
            "やめる" or "やめます" or "やめたい" or "中止" or "ちゅうし" or "終了" or "しゅうりょう" or "おわり" or "終わり" or "cancel" or "stop" => Interrupt.Cancel,
            "最初に戻る" or "さいしょにもどる" or "最初から" or "さいしょから" or "やりなおし" or "やり直し" or "restart" => Interrupt.Restart,
            "へるぷ" or "help" or "たすけて" or "ヘルプ" or "わからない" or "つかいかた" or "使い方" => Interrupt.Help,
            _ => Interrupt.None,
        };
    }

    private string HelpText(DialogStep step) =>
        (step.Help is null ? string.Empty : step.Help + "\n") + messages.Current[ConversationTexts.Help];

    private DateTimeOffset Expiry(DialogDefinition dialog) => clock.GetUtcNow() + dialog.ExpiresAfter;

    private static ImmutableDictionary<string, string> Merge(ImmutableDictionary<string, string> values, IReadOnlyDictionary<string, string>? added) =>
        added is null ? values : values.SetItems(added);

    /// <summary><c>key == value</c>, <c>key != value</c>, or <c>key</c> (present and not empty).</summary>
    internal static bool Evaluate(string condition, IReadOnlyDictionary<string, string> values)
    {
        var m = ConditionPattern().Match(condition);
        if (!m.Success)
        {
            return false;
        }

        values.TryGetValue(m.Groups["key"].Value, out var actual);
        if (!m.Groups["op"].Success)
        {
            return !string.IsNullOrEmpty(actual) && actual != "no" && actual != "false";
        }

        var equal = string.Equals(actual ?? string.Empty, m.Groups["value"].Value.Trim().Trim('"', '\''), StringComparison.Ordinal);
        return m.Groups["op"].Value == "==" ? equal : !equal;
    }

    internal static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        PlaceholderPattern().Replace(template, m =>
            values.TryGetValue(m.Groups[1].Value + ".label", out var label) ? label
            : values.TryGetValue(m.Groups[1].Value, out var v) ? v
            : m.Value);

    [GeneratedRegex(@"^\s*(?<key>[\w.\-]+)\s*(?:(?<op>==|!=)\s*(?<value>.+))?$")]
    private static partial Regex ConditionPattern();

    [GeneratedRegex(@"\{([\w.\-]+)\}")]
    private static partial Regex PlaceholderPattern();
}
