using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Tests.Infrastructure;

/// <summary>Finds and presses the buttons of replies (choices and card actions) as a channel would.</summary>
public static class Buttons
{
    /// <summary>Presses a button as a channel would: its postback data, or its label as text.</summary>
    public static Task<IReadOnlyList<Reply>> PressAsync(BotApplication app, Audience audience, string user, IReadOnlyList<Reply> replies, string label, string? card = null)
    {
        var choice = FindChoice(replies, label, card)
            ?? throw new Xunit.Sdk.XunitException($"No button '{label}'{(card is null ? "" : $" on card '{card}'")} in:\n{ReplyText.Of(replies)}");
        return choice.Value is null ? app.SayAsync(audience, user, choice.Label) : app.SayAsync(audience, user, null, choice.Value);
    }

    public static string? Find(IReadOnlyList<Reply> replies, string label, string? card = null) => FindChoice(replies, label, card)?.Input;

    public static Choice? FindChoice(IReadOnlyList<Reply> replies, string label, string? card = null)
    {
        foreach (var reply in replies)
        {
            switch (reply)
            {
                case ChoicesReply c when card is null:
                    if (c.Choices.FirstOrDefault(x => x.Label == label) is { } choice)
                    {
                        return choice;
                    }

                    break;
                case CardsReply cards:
                    foreach (var x in cards.Cards.Where(x => card is null || x.Title.Contains(card, StringComparison.Ordinal)))
                    {
                        if (x.Actions.FirstOrDefault(a => a.Label == label) is { } action)
                        {
                            return new Choice(action.Label, action.Kind == CardActionKind.Postback ? action.Value : null);
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        return null;
    }
}
