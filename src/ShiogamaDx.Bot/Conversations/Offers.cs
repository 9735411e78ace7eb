namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// The options the bot last offered, in the order a channel numbers them: choices first, then the
/// postback and message buttons of cards. Kept per conversation so "2" or a typed label answers them on
/// every channel, even where buttons cannot carry numbers (CONTRACT.md).
/// </summary>
public static class Offers
{
    public static IReadOnlyList<Choice> From(IEnumerable<Reply> replies)
    {
        var offers = new List<Choice>();
        foreach (var reply in replies)
        {
            switch (reply)
            {
                case ChoicesReply c:
                    offers.AddRange(c.Choices);
                    break;
                case CardsReply cards:
                    foreach (var card in cards.Cards)
                    {
                        offers.AddRange(card.Actions
                            .Where(a => a.Kind != CardActionKind.Link)
                            .Select(a => new Choice(cards.Cards.Count > 1 ? $"{a.Label}（{card.Title}）" : a.Label, a.Kind == CardActionKind.Postback ? a.Value : null)));
                    }

                    break;
                default:
                    break;
            }
        }

        return offers;
    }

    /// <summary>A typed number or exact label of an offer; partial words are left to intent routing.</summary>
    public static Choice? Pick(string text, IReadOnlyList<Choice> offers)
    {
        var match = ChoiceMatcher.Match(text, offers);
        if (match is null)
        {
            return null;
        }

        var normalized = TextNormalizer.Normalize(text);
        var exact = TextNormalizer.Normalize(match.Label) == normalized || normalized.TrimEnd('番', 'ば', 'ん', 'め', '.').All(char.IsAsciiDigit);
        return exact ? match : null;
    }
}
