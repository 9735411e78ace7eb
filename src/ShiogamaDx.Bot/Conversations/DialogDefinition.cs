namespace ShiogamaDx.Bot.Conversations;

public enum StepKind
{
    Choice,
    Text,
    Number,
    Confirm,
    Date,
    Message,
    Action,
}

/// <summary>A multi-turn flow, loaded from one YAML file in <c>dialogs/</c>.</summary>
public sealed record DialogDefinition(
    string Id,
    Audience Audience,
    string Title,
    TimeSpan ExpiresAfter,
    IReadOnlyList<string> Triggers,
    IReadOnlyList<DialogStep> Steps,
    string SourceFile)
{
    public DialogStep? Find(string stepId) => Steps.FirstOrDefault(s => s.Id == stepId);

    public DialogStep? After(DialogStep step)
    {
        var index = Steps.ToList().IndexOf(step);
        return index >= 0 && index + 1 < Steps.Count ? Steps[index + 1] : null;
    }
}

/// <param name="When">Condition to enter the step: <c>key == value</c>, <c>key != value</c> or <c>key</c>.</param>
/// <param name="ChoicesFrom">Name of an action that supplies the choices at run time.</param>
/// <param name="Action">C# action called by name (kind Action), or after the answer is taken (other kinds).</param>
/// <param name="Next">Step to go to after this one; <c>end</c> ends the dialog.</param>
public sealed record DialogStep(
    string Id,
    StepKind Kind,
    string? Prompt,
    IReadOnlyList<Choice> Choices,
    string? ChoicesFrom,
    string? Action,
    string? When,
    string? Next,
    string? Help,
    string? RetryPrompt,
    int MaxAttempts,
    bool Optional,
    decimal? Min,
    decimal? Max,
    int MaxLength,
    int Line);
