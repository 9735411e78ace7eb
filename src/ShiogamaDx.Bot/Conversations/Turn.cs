using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>A message as the engine sees it: clipped, normalised once, postback parsed and verified.</summary>
public sealed record Turn(IncomingMessage Message, string Text, string Normalized, Postback? Postback)
{
    // The text's analysis, made by the first handler that reads it. A copy made with another Text (a typed interruption
    // read as its key) analyses again: the text it was made of is kept beside it.
    private (JapaneseAnalysis By, string Text, AnalyzedText Analysis)? analyzed;

    public bool IsPostback => Postback is not null;

    /// <summary>
    /// <see cref="Text"/> as <paramref name="analysis"/> reads it, analysed once per turn: several handlers read a
    /// resident's question (the catalog's search, the guides' joint index, the handoff topic), one analysis serves them
    /// all (#19). A turn is handled by one caller at a time, as the engine does.
    /// </summary>
    public AnalyzedText Analyzed(JapaneseAnalysis analysis)
    {
        if (analyzed is not { } kept || !ReferenceEquals(kept.By, analysis) || !string.Equals(kept.Text, Text, StringComparison.Ordinal))
        {
            kept = (analysis, Text, analysis.Analyze(Text));
            analyzed = kept;
        }

        return kept.Analysis;
    }
}

/// <summary>What a handler answers: replies, and optionally a dialog to start.</summary>
public sealed record TurnResult(IReadOnlyList<Reply> Replies, DialogStart? StartDialog = null)
{
    /// <summary>
    /// Another handler of the audience that does what was asked and answers instead (the スマホ教室 procedure → the class
    /// feature); these replies stand when there is none of that name.
    /// </summary>
    public string? HandOverTo { get; init; }

    public static TurnResult Of(params Reply[] replies) => new(replies);
}

public sealed record DialogStart(string DialogId, IReadOnlyDictionary<string, string>? Values = null);

/// <summary>
/// A feature's entry point into the conversation. Several exist (one per feature) and the router picks
/// the best one within the person's audience, so this is an interface.
/// </summary>
public interface IIntentHandler
{
    /// <summary>Unique name; also the route of this handler's postbacks (<c>h=name</c>).</summary>
    string Name { get; }

    Audience Audience { get; }

    /// <summary>How sure this handler is that the turn is for it: 0 (no) to 1 (certain). Must be cheap.</summary>
    double Match(Turn turn);

    Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken);
}

/// <summary>
/// A handler that answers by quoting a passage of its documents (the guideline folder, the plan). When several could
/// answer a question, the router keeps only those whose passage holds the most of it: a document that holds three of
/// the question's four words does not take a question another document holds whole.
/// </summary>
public interface IPassageHandler : IIntentHandler
{
    /// <summary>What a question naming the handler's documents (生成AI for the guideline, プラン for the plan) counts for: more than any passage's share.</summary>
    public const double Named = 2.0;

    /// <summary>
    /// The share (0..1) of the question that the passage this handler would quote holds; 0 when it would not answer;
    /// <see cref="Named"/> when the question names the handler's documents.
    /// </summary>
    double Coverage(Turn turn);
}
