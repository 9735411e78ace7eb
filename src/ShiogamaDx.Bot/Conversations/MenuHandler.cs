namespace ShiogamaDx.Bot.Conversations;

/// <summary>Greetings, "メニュー" and "ヘルプ": the way back in for each audience.</summary>
public sealed class MenuHandler(Audience audience, DialogCatalog catalog) : IIntentHandler
{
    private static readonly HashSet<string> Words =
    [
        "めにゅう", "めにゅ", "menu", "へるぷ", "help", "はじめ", "はじめる", "すたと", "start",
        "こんにちは", "こんにちわ", "こんばんは", "おはよう", "おはようございます", "はじめまして", "もしもし", "hi", "hello",
        "なにができる", "何ができる", "なにができますか", "何ができますか", "つかいかた", "使い方",
    ];

    public string Name => audience == Audience.Staff ? "staff.menu" : "menu";

    public Audience Audience => audience;

    public double Match(Turn turn) => Words.Contains(turn.Normalized) ? 1.0 : 0.0;

    public Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var menu = catalog.Menus.For(audience);
        return Task.FromResult(TurnResult.Of(new TextReply(menu.Greeting), menu.AsChoices()));
    }
}

/// <summary>Where to call or write: residents and staff both ask.</summary>
public sealed class ContactHandler(Audience audience, DialogCatalog catalog) : IIntentHandler
{
    public string Name => audience == Audience.Staff ? "staff.contact" : "contact";

    public Audience Audience => audience;

    public double Match(Turn turn) =>
        turn.Normalized is "おといあわせ" or "お問い合わせ" or "問い合わせ" or "といあわせ" or "連絡先" or "れんらくさき" or "電話番号" or "でんわばんごう"
            ? 1.0
            : turn.Normalized.Contains("問い合わせ", StringComparison.Ordinal) || turn.Normalized.Contains("といあわせ", StringComparison.Ordinal) ? ConversationEngine.KeywordMention(turn) : 0.0;

    public Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken) =>
        Task.FromResult(TurnResult.Of(new TextReply(catalog.Menus.Contact)));
}
