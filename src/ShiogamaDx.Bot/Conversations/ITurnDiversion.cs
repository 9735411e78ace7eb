namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// A feature that may take a person's turns for a while, before any dialog or routing: while a resident talks to a
/// staff member (Handoff), their words go to that person and the bot stays quiet. Registered by that feature; the
/// engine asks each one in turn. An interface because the engine must not know the features (and tests run without).
/// </summary>
public interface ITurnDiversion
{
    /// <summary>The turn's answer when this feature holds the conversation; null to let the engine answer.</summary>
    Task<IReadOnlyList<Reply>?> DivertAsync(Turn turn, CancellationToken ct);

    /// <summary>The engine's answer, or one in its place (the menu replaced by an offer to talk to a person after a second "not understood" in a row).</summary>
    Task<IReadOnlyList<Reply>> AfterAsync(Turn turn, IReadOnlyList<Reply> replies, bool understood, CancellationToken ct);

    /// <summary>
    /// As <see cref="AfterAsync(Turn, IReadOnlyList{Reply}, bool, CancellationToken)"/>, told which feature answered: the
    /// name of the handler whose answer stands, <c>dialog:</c> and the flow's id for a flow's step, or null (small talk,
    /// the menu, "not understood"). The engine calls this one; a diversion that does not care keeps the other.
    /// </summary>
    Task<IReadOnlyList<Reply>> AfterAsync(Turn turn, IReadOnlyList<Reply> replies, bool understood, string? answeredBy, CancellationToken ct) =>
        AfterAsync(turn, replies, understood, ct);

    /// <summary>
    /// The apology for a turn that failed, said this feature's way (in the resident's language), with the menu; null to
    /// leave it to the engine's Japanese one. Unsigned: the engine signs it and keeps its choices for a typed number.
    /// </summary>
    Task<IReadOnlyList<Reply>?> ApologyAsync(IncomingMessage message, CancellationToken ct) => Task.FromResult<IReadOnlyList<Reply>?>(null);
}
