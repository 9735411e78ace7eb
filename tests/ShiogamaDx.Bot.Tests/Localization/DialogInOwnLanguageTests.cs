using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Line;
using static ShiogamaDx.Bot.Tests.Localization.ResidentLanguageTests;

namespace ShiogamaDx.Bot.Tests.Localization;

/// <summary>
/// A dialog of dialogs/ walked by a foreign-language resident in their own language (the pack's <c>dialogs:</c>), through
/// signed webhooks, the fake LINE API on loopback and real SQLite.
/// </summary>
public sealed class DialogInOwnLanguageTests
{
    [Theory]
    [InlineData("I have some feedback about this LINE", "What is your feedback about?", "Online procedures", "The form on my phone is too small to read.", "Yes", "We have received your feedback about \"Online procedures\".")]
    [InlineData("Quero dar minha opinião sobre o LINE", "Sobre o que é a sua opinião?", "Procedimentos online", "O formulário é difícil de ler no celular.", "Sim", "Recebemos a sua opinião sobre \"Procedimentos online\".")]
    [InlineData("我想给这个LINE反馈意见", "您的意见是关于哪方面的？", "网上办理手续", "手机上的表格字太小，看不清楚。", "是", "已收到您关于“网上办理手续”的意见。")]
    public async Task FeedbackDialog_IsWalkedWhollyInTheResidentsLanguage_AndKeptAsTheCityReadsIt(string ask, string firstPrompt, string topic, string body, string yes, string thanks)
    {
        await using var host = await LineTestHost.StartAsync();

        await host.SendAsync(LineEvents.Text(ask, host.Now));
        await host.WhenSettledAsync();
        var first = host.Fake.Replies.Last();
        Assert.Contains(firstPrompt, first.AllText, StringComparison.Ordinal);
        Assert.False(Japanese(first.AllText, firstPrompt), first.AllText);

        await host.SendAsync(Postback(ButtonData(first, topic), host.Now));
        await host.WhenSettledAsync();
        var second = host.Fake.Replies.Last();
        Assert.False(Japanese(second.AllText, firstPrompt), second.AllText);

        await host.SendAsync(LineEvents.Text(body, host.Now));
        await host.WhenSettledAsync();
        var third = host.Fake.Replies.Last();
        Assert.False(Japanese(third.AllText, firstPrompt), third.AllText);

        // Typed in the resident's language rather than tapped: read as the button.
        Assert.Contains(yes, third.AllText, StringComparison.Ordinal);
        await host.SendAsync(LineEvents.Text(yes, host.Now));
        await host.WhenSettledAsync();
        var last = host.Fake.Replies.Last().AllText;
        Assert.Contains("022-355-5284", last, StringComparison.Ordinal); // the contact note of a wanted reply
        Assert.Contains(thanks, last, StringComparison.Ordinal);
        Assert.False(Japanese(last, firstPrompt), last);
        Assert.Equal(4, host.Fake.Replies.Count());
        Assert.Empty(host.Fake.SpecErrors);

        // The city reads the topic as its dialog names it, the resident's words as written.
        var saved = host.Db(db => db.Set<Feedback>().AsNoTracking().Single());
        Assert.Equal("オンライン手続き", saved.Topic);
        Assert.Equal(body, saved.Body);
        Assert.True(saved.ReplyWanted);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh")]
    [InlineData("ko")]
    [InlineData("vi")]
    [InlineData("pt")]
    [InlineData("tl")]
    public async Task InterruptionWords_OfTheResidentsLanguage_GiveHelp_Restart_AndCancelTheFlow(string code)
    {
        var pack = LanguageCatalog.LoadFolder(Path.Combine(AppContext.BaseDirectory, "Content", LanguageCatalog.Folder), out _)[code];
        var feedback = pack.Dialogs["resident-feedback"];
        await using var host = await LineTestHost.StartAsync();
        async Task<string> SayAsync(string text)
        {
            await host.SendAsync(LineEvents.Text(text, host.Now));
            await host.WhenSettledAsync();
            return host.Fake.Replies.Last().AllText;
        }

        await SayAsync(pack.Switch[0]);
        Assert.Contains(feedback.Steps["topic"].Prompt!, await SayAsync(feedback.Triggers[0]), StringComparison.Ordinal);

        var help = await SayAsync(pack.Interruptions["help"][0]);
        Assert.Contains(pack["dialog-help"], help, StringComparison.Ordinal);
        Assert.Contains(feedback.Steps["topic"].Prompt!, help, StringComparison.Ordinal); // asked again

        var restarted = await SayAsync(pack.Interruptions["restart"][^1]);
        Assert.Contains(pack["dialog-restarted"], restarted, StringComparison.Ordinal);

        var cancelled = await SayAsync(pack.Interruptions["cancel"][0]);
        Assert.Contains(pack.Format("dialog-cancelled", ("title", feedback.Title!)), cancelled, StringComparison.Ordinal);
        foreach (var said in new[] { help, restarted, cancelled })
        {
            Assert.DoesNotContain(pack["japanese-only"], said, StringComparison.Ordinal);
            Assert.False(HasKana(said), said);
        }

        Assert.Empty(host.Db(db => db.Set<ConversationStateRecord>().AsNoTracking().ToList())); // the flow is over
        Assert.Equal(code, host.Db(db => db.Set<ResidentLanguage>().AsNoTracking().Single().Language));
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task WrongAnswer_IsRefusedInTheResidentsLanguage_WithTheChoicesTranslated()
    {
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Text("Feedback please", host.Now));
        await host.WhenSettledAsync();

        await host.SendAsync(LineEvents.Text("zzz", host.Now));
        await host.WhenSettledAsync();

        var refused = host.Fake.Replies.Last().AllText;
        Assert.Contains("Please choose \"This LINE account\" / \"Online procedures\" / \"Smartphone classes\" / \"Other\"", refused, StringComparison.Ordinal);
        Assert.Contains("What is your feedback about?", refused, StringComparison.Ordinal); // asked again
        Assert.False(HasJapanese(refused), refused);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task QuestionAskedWhileAFlowWaits_IsAnsweredInTheLanguage_AndTheFlowIsOfferedBack()
    {
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Text("I have some feedback", host.Now));
        await host.WhenSettledAsync();

        await host.SendAsync(LineEvents.Text("How do I get a certificate of residence?", host.Now));
        await host.WhenSettledAsync();
        var aside = host.Fake.Replies.Last();
        Assert.Contains("Copy of the certificate of residence", aside.AllText, StringComparison.Ordinal);
        Assert.Contains("\"Feedback\" is waiting where you left it", aside.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(aside.AllText), aside.AllText);

        await host.SendAsync(Postback(ButtonData(aside, "Back to it"), host.Now));
        await host.WhenSettledAsync();
        var back = host.Fake.Replies.Last().AllText;
        Assert.Contains("What is your feedback about?", back, StringComparison.Ordinal);
        Assert.False(HasJapanese(back), back);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Theory]
    [InlineData("en", "This is the survey for \"Smartphone basics for beginners\" on 12/5: three questions")]
    [InlineData("pt", "Pesquisa da aula \"")]
    [InlineData("vi", "ngày 5/12")]
    public void SurveyIntro_WithTheClassDayAndTitleTheFlowFills_IsSaidWhollyInTheLanguage(string code, string expected)
    {
        var content = Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content");
        var dialogs = DialogCatalog.Load(Path.Combine(RepoPaths.Root, "dialogs"));
        var texts = ShiogamaDx.Bot.Messages.MessageSet.Load(Path.Combine(content, "messages.yaml"), ShiogamaDx.Bot.Messages.MessageKey.All);
        var pack = LanguagePack.Load(Path.Combine(content, LanguageCatalog.Folder, code + ".yaml"));
        var intro = dialogs.Get("class-survey").Find("intro")!.Prompt!.Replace("{classDay}", "12月5日(土)", StringComparison.Ordinal).Replace("{classTitle}", "はじめてのスマホ教室", StringComparison.Ordinal);

        var said = Assert.IsType<TextReply>(DialogTranslation.Translate(new TextReply(intro), pack, dialogs, texts)).Text;

        Assert.Contains(expected, said, StringComparison.Ordinal);
        Assert.False(HasJapanese(said), said);

        // A class the pack has no term for: not half translated, left to be said as Japanese.
        Assert.Null(DialogTranslation.Translate(new TextReply(intro.Replace("はじめてのスマホ教室", "新しい教室", StringComparison.Ordinal)), pack, dialogs, texts));
    }

    /// <summary>Japanese in a reply: kana, or (outside Chinese, whose own characters are Han) kanji.</summary>
    private static bool Japanese(string text, string firstPrompt) =>
        firstPrompt.Any(c => c >= '\u4E00') ? HasKana(text) : HasJapanese(text);
}
