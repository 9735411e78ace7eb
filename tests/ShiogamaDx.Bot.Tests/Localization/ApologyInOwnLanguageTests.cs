using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;
using static ShiogamaDx.Bot.Tests.Localization.ResidentLanguageTests;

namespace ShiogamaDx.Bot.Tests.Localization;

/// <summary>
/// A turn that fails (a feature's exception or timeout) is apologised for in the resident's language, with their menu,
/// through the LINE seam (signed webhooks, the fake LINE API, real SQLite) and in the terminal; the menu's buttons are
/// signed and a typed number picks them.
/// </summary>
public sealed class ApologyInOwnLanguageTests
{
    private const string Breaking = "こわれる てすと";

    private static LanguagePack Pack(string code) =>
        LanguageCatalog.LoadFolder(Path.Combine(AppContext.BaseDirectory, "Content", LanguageCatalog.Folder), out _)[code];

    [Fact]
    public async Task EasyJapaneseResident_WhoseTurnFails_GetsTheApologyAndMenuInEasyJapanese_AndANumberPicksFromIt()
    {
        await using var host = await LineTestHost.StartAsync(services: s => s.AddSingleton<IIntentHandler, FailingHandler>());
        await host.SendAsync(LineEvents.Text("スマホ教室", host.Now));
        await host.WhenSettledAsync();
        var classes = host.Fake.Replies.Last().AllText.Split('\n')[0];
        await host.SendAsync(LineEvents.Text("やさしい日本語で", host.Now));
        await host.WhenSettledAsync();

        await host.SendAsync(LineEvents.Text(Breaking, host.Now));
        await host.WhenSettledAsync();
        var apology = host.Fake.Replies.Last();
        Assert.Contains(Pack("easy")["apology"].Split('\n')[0], apology.AllText, StringComparison.Ordinal);
        Assert.Contains("ネットで てつづき", apology.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("申し訳ありません", apology.AllText, StringComparison.Ordinal);
        Assert.Equal(200, apology.Status);

        // The easy button is signed: pressed, it is answered as スマホ教室; so is its number typed.
        await host.SendAsync(ResidentLanguageTests.Postback(ButtonData(apology, "スマホ きょうしつ"), host.Now));
        await host.WhenSettledAsync();
        Assert.Contains(classes, host.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        await host.SendAsync(LineEvents.Text(Breaking, host.Now));
        await host.WhenSettledAsync();
        await host.SendAsync(LineEvents.Text("2", host.Now));
        await host.WhenSettledAsync();
        Assert.Contains(classes, host.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task EnglishResident_WhoseTurnFails_GetsTheApologyAndMenuInEnglish_SignedButtons_AndANumberPicksFromIt()
    {
        await using var host = await LineTestHost.StartAsync(services: s => s.AddSingleton<IIntentHandler, FailingHandler>());
        host.Fake.ProfileLanguages[LineTestHost.UserId] = "en";
        var key = host.App.Services.GetRequiredService<PrivacyKeys>().PostbackKey;

        // A button of a feature that fails (the diversion leaves other features' buttons to the engine).
        await host.SendAsync(ResidentLanguageTests.Postback(Bot.Conversations.Postback.Sign(Bot.Conversations.Postback.Create(FailingHandler.HandlerName, "go"), key), host.Now));
        await host.WhenSettledAsync();
        var apology = host.Fake.Replies.Last();
        var en = Pack("en");
        Assert.Contains(en["apology"], apology.AllText, StringComparison.Ordinal);
        Assert.Contains(en["menu-classes"], apology.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(apology.AllText), apology.AllText);
        Assert.NotNull(Bot.Conversations.Postback.Verify(ButtonData(apology, en["menu-classes"]), key));

        await host.SendAsync(LineEvents.Text("2", host.Now));
        await host.WhenSettledAsync();
        Assert.Contains(en["classes-title"], host.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task JapaneseResident_WhoseTurnFails_GetsTheApologyOfMessagesYaml_AndANumberPicksFromTheMenu()
    {
        await using var host = await LineTestHost.StartAsync(services: s => s.AddSingleton<IIntentHandler, FailingHandler>());
        await host.SendAsync(LineEvents.Text("スマホ教室", host.Now));
        await host.WhenSettledAsync();
        var classes = host.Fake.Replies.Last().AllText.Split('\n')[0];

        await host.SendAsync(LineEvents.Text(Breaking, host.Now));
        await host.WhenSettledAsync();
        var texts = host.App.Services.GetRequiredService<Bot.Messages.MessageCatalog>().Current;
        Assert.Contains(texts[ConversationTexts.Apology], host.Fake.Replies.Last().AllText, StringComparison.Ordinal);

        await host.SendAsync(LineEvents.Text("2", host.Now));
        await host.WhenSettledAsync();
        Assert.Contains(classes, host.Fake.Replies.Last().AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_ApologisesInTheResidentsLanguage_AndANumberPicksFromItsMenu()
    {
        await using var app = new BotApplication(configureServices: s => s.AddSingleton<IIntentHandler, FailingHandler>());
        _ = app.Services; // the host is built
        var output = new StringWriter();
        var input = new StringReader(string.Join('\n', "やさしい日本語で", Breaking, "2", "exit") + "\n");

        await Cli.TerminalChat.RunAsync(app.Services, Audience.Resident, input, output, CancellationToken.None, asNewPerson: true);

        var said = output.ToString();
        var apology = said.IndexOf(Pack("easy")["apology"].Split('\n')[0], StringComparison.Ordinal);
        Assert.True(apology > 0, said);
        Assert.Contains("ネットで てつづき", said[apology..], StringComparison.Ordinal);
        Assert.Contains("まだ やさしい 日本語に なって いません", said[apology..], StringComparison.Ordinal); // 2: the classes, answered as スマホ教室
    }

    /// <summary>A feature that fails on its word and on its buttons.</summary>
    private sealed class FailingHandler : IIntentHandler
    {
        public const string HandlerName = "failing-probe";

        public string Name => HandlerName;

        public Audience Audience => Audience.Resident;

        public double Match(Turn turn) => turn.Text == Breaking ? 1 : 0;

        public Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The feature failed (test).");
    }
}
