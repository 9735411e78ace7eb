namespace ShiogamaDx.Bot.Conversations;

/// <summary>Signs the postback data of every button in a reply, wherever the reply was made (turn or outbox).</summary>
public static class ReplySigning
{
    public static Reply Sign(Reply reply, byte[] key) => reply switch
    {
        ChoicesReply c => c with { Choices = c.Choices.Select(x => x.Value is null ? x : x with { Value = Postback.Sign(x.Value, key) }).ToList() },
        CardsReply c => c with
        {
            Cards = c.Cards.Select(card => card with
            {
                Actions = card.Actions.Select(a => a.Kind == CardActionKind.Postback ? a with { Value = Postback.Sign(a.Value, key) } : a).ToList(),
            }).ToList(),
        },
        _ => reply,
    };
}
