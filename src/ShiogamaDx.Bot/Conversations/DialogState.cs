using System.Collections.Immutable;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>Where one conversation stands in one dialog. Immutable: the runtime returns a new one each turn.</summary>
public sealed record DialogState(
    string DialogId,
    string StepId,
    ImmutableDictionary<string, string> Values,
    int Attempts,
    DateTimeOffset ExpiresAt,
    ImmutableList<Choice>? OfferedChoices = null);

/// <summary>The outcome of one dialog turn: the new state (null when the dialog ended) and what to say.</summary>
public sealed record DialogTurn(DialogState? State, IReadOnlyList<Reply> Replies);

/// <summary>Context given to a C# action called by name from a dialog.</summary>
public sealed record DialogActionContext(Turn Turn, DialogDefinition Dialog, DialogStep Step, ImmutableDictionary<string, string> Values);

/// <param name="Replies">What to say.</param>
/// <param name="Values">Values to add to the dialog's state.</param>
/// <param name="Choices">For <c>choicesFrom</c>: the choices to offer.</param>
/// <param name="Next">Step to continue with (<c>end</c> ends the dialog); null follows the file.</param>
/// <param name="Error">A refusal of the answer: said, and the step is asked again (counts as an attempt).</param>
public sealed record DialogActionResult(
    IReadOnlyList<Reply>? Replies = null,
    IReadOnlyDictionary<string, string>? Values = null,
    IReadOnlyList<Choice>? Choices = null,
    string? Next = null,
    string? Error = null);

/// <summary>C# code a dialog calls by name (<c>action:</c> or <c>choicesFrom:</c>). One class per action.</summary>
public interface IDialogAction
{
    string Name { get; }

    /// <summary>The answers this action reads: every dialog that calls it must ask them first (checked at load).</summary>
    IReadOnlyList<StepNeed> Needs => [];

    Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A step whose answer C# reads. A dialog calling the action must have it, before the calling step, of this kind,
/// with exactly these choice values when code counts them (a KPI): otherwise the file is refused with its line.
/// </summary>
/// <param name="IfPresent">Read only when the dialog asks it (the city may remove the question); if asked, it must match.</param>
/// <param name="Why">Said with the problem, so the person editing the file knows what depends on it.</param>
public sealed record StepNeed(string StepId, StepKind? Kind = null, IReadOnlyList<string>? Values = null, bool IfPresent = false, string? Why = null);
