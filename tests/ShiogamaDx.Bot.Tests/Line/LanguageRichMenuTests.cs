using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Line.RichMenu;
using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Tests.Infrastructure;
using SkiaSharp;
using static ShiogamaDx.Bot.Tests.Localization.ResidentLanguageTests;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>
/// The rich menu in the resident's language (issue #24, "no silent mixing"): <c>line richmenu apply</c> registers one
/// menu per language beside the default one, and a resident who switches language is linked to that language's menu
/// (unlinked again for Japanese). Signed webhooks, the fake LINE API on loopback keeping LINE's links, real SQLite.
/// </summary>
public sealed class LanguageRichMenuTests(JapaneseFontFixture fonts) : IClassFixture<JapaneseFontFixture>
{
    private static string Alias(string code) => RichMenuAliases.LanguageAlias(code);

    [SkippableFact]
    public async Task Apply_RegistersAMenuPerLanguage_InItsOwnWords_AndMovesLinkedResidentsToTheNewVersion()
    {
        Skip.If(fonts.Missing is not null, fonts.Missing);
        await using var fake = await FakeLineApi.StartAsync();
        await using var host = await LineTestHost.StartAsync(new() { ["Line:DataApiBaseUrl"] = fake.Url }, fake);

        var (exit, output) = await RunAsync(host.App);

        Assert.True(exit == 0, output);
        Assert.Empty(fake.SpecErrors);
        var codes = new[] { LanguagePack.Easy }.Concat(LanguagePack.Foreign).ToList();
        var menus = codes.ToDictionary(c => c, c => fake.RichMenuAliases[Alias(c)]);
        Assert.Equal(codes.Count, menus.Values.Distinct().Count());
        Assert.DoesNotContain(fake.DefaultRichMenu, menus.Values); // the default stays the Japanese menu
        Assert.Equal(codes.Count + 1, fake.RichMenuImages.Count);  // an image per language: the labels are drawn on it
        foreach (var upload in fake.RichMenuImages)
        {
            using var bitmap = SKBitmap.Decode(upload.Bytes);
            Assert.Equal((2500, 1686), (bitmap.Width, bitmap.Height));
        }

        // Each language's menu says everything in its language: labels (what screen readers say), chat bar, the words it sends.
        var created = fake.Calls.Where(c => c.Path == "/v2/bot/richmenu").Select(c => c.Body!).ToList();
        var english = Assert.Single(created, b => ((string)b["name"]!).Contains("[en]", StringComparison.Ordinal));
        Assert.Equal("Menu", (string?)english["chatBarText"]);
        var actions = english["areas"]!.AsArray().Select(a => a!["action"]!).ToList();
        Assert.Equal(["Procedures", "Smartphone classes", "City web page", "Contact"], actions.Select(a => (string)a["label"]!));
        Assert.All(actions.Where(a => (string?)a["displayText"] is not null), a => Assert.False(HasJapanese((string)a["displayText"]!), a.ToJsonString()));
        var easy = Assert.Single(created, b => ((string)b["name"]!).Contains("[easy]", StringComparison.Ordinal));
        Assert.Contains("てつづき", (string)easy["areas"]![0]!["action"]!["label"]!, StringComparison.Ordinal);

        // A resident linked to the English menu, and the menu applied again: moved to the new English menu by one batch call.
        await SayAsync(host, "English");
        Assert.Equal(menus["en"], fake.UserRichMenus[LineTestHost.UserId]);
        (exit, output) = await RunAsync(host.App);
        Assert.True(exit == 0, output);
        Assert.NotEqual(menus["en"], fake.RichMenuAliases[Alias("en")]);
        Assert.Equal(fake.RichMenuAliases[Alias("en")], fake.UserRichMenus[LineTestHost.UserId]);
        Assert.Single(fake.Calls, c => c.Path == "/v2/bot/richmenu/batch");
        Assert.Empty(fake.SpecErrors);
    }

    [Fact]
    public async Task SwitchingLanguage_LinksThatLanguagesMenu_AndBackToJapaneseUnlinks()
    {
        await using var host = await LineTestHost.StartAsync();
        Register(host.Fake);

        Assert.Contains("I will answer in English", await SayAsync(host, "English"), StringComparison.Ordinal);
        Assert.Equal("richmenu-en", host.Fake.UserRichMenus[LineTestHost.UserId]);

        Assert.Contains("やさしい 日本語で こたえます", await SayAsync(host, "やさしい日本語で"), StringComparison.Ordinal);
        Assert.Equal("richmenu-easy", host.Fake.UserRichMenus[LineTestHost.UserId]);

        // Written in Vietnamese: kept, and the menu follows.
        await SayAsync(host, "Tôi muốn lấy giấy chứng nhận cư trú");
        Assert.Equal("richmenu-vi", host.Fake.UserRichMenus[LineTestHost.UserId]);

        await SayAsync(host, "日本語");
        Assert.False(host.Fake.UserRichMenus.ContainsKey(LineTestHost.UserId), "back to Japanese: the default menu again");
        Assert.Contains(host.Fake.Calls, c => c.Path == $"DELETE /v2/bot/user/{LineTestHost.UserId}/richmenu");

        // Nothing changes, nothing is called.
        var calls = host.Fake.Calls.Count;
        await SayAsync(host, "住民票");
        Assert.DoesNotContain(host.Fake.Calls.Skip(calls), c => c.Path.Contains("richmenu", StringComparison.Ordinal));
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task ProfileLanguage_LinksItsMenu_OnTheFirstMessage()
    {
        await using var host = await LineTestHost.StartAsync();
        Register(host.Fake);
        host.Fake.ProfileLanguages[LineTestHost.UserId] = "pt-BR";

        await SayAsync(host, "住民票");

        Assert.Equal("richmenu-pt", host.Fake.UserRichMenus[LineTestHost.UserId]);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task LinkFailing_KeepsTheAnswer_AndIsDoneOnTheNextTurn()
    {
        await using var host = await LineTestHost.StartAsync();
        Register(host.Fake);
        host.Fake.Fail("/v2/bot/user/", 500, message: "Internal error");

        // LINE fails the link: the resident is answered all the same, in the language they asked for.
        Assert.Contains("I will answer in English", await SayAsync(host, "English"), StringComparison.Ordinal);
        Assert.False(host.Fake.UserRichMenus.ContainsKey(LineTestHost.UserId));

        // Their next turn links it.
        await SayAsync(host, "menu");
        Assert.Equal("richmenu-en", host.Fake.UserRichMenus[LineTestHost.UserId]);

        // LINE's limit (429) on the way back to Japanese: the default menu comes back on the next turn.
        host.Fake.Fail("DELETE /v2/bot/user/", 429, message: "Too many requests");
        Assert.Contains("ふつうの日本語に もどしました", await SayAsync(host, "日本語"), StringComparison.Ordinal);
        Assert.Equal("richmenu-en", host.Fake.UserRichMenus[LineTestHost.UserId]);
        await SayAsync(host, "住民票");
        Assert.False(host.Fake.UserRichMenus.ContainsKey(LineTestHost.UserId));
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task DisasterMenu_IsShownToLanguageResidentsToo_AndTheirLanguagesMenuComesBackAfter()
    {
        await using var host = await LineTestHost.StartAsync();
        Register(host.Fake);
        host.Fake.AddRichMenu("richmenu-main", asDefault: true, alias: RichMenuAliases.MainAlias);
        host.Fake.AddRichMenu("richmenu-disaster", alias: RichMenuAliases.DisasterAlias);
        await SayAsync(host, "English");
        Assert.Equal("richmenu-en", host.Fake.UserRichMenus[LineTestHost.UserId]);

        // LINE shows a linked menu before the default: the disaster menu unlinks the language menus (one call, not per person).
        Assert.Equal(MenuSwitchOutcome.Switched, (await MenuAsync(host, m => m.ShowDisasterMenuAsync(CancellationToken.None))).Outcome);
        Assert.Equal("richmenu-disaster", host.Fake.DefaultRichMenu);
        Assert.Empty(host.Fake.UserRichMenus);

        // A switch meanwhile links nothing (it would hide the disaster menu) …
        await SayAsync(host, "Tiếng Việt");
        Assert.Empty(host.Fake.UserRichMenus);

        // … and the end of the mode links each resident to the menu of the language they keep now.
        Assert.Equal(MenuSwitchOutcome.Switched, (await MenuAsync(host, m => m.ShowNormalMenuAsync(null, CancellationToken.None))).Outcome);
        Assert.Equal("richmenu-main", host.Fake.DefaultRichMenu);
        Assert.Equal("richmenu-vi", host.Fake.UserRichMenus[LineTestHost.UserId]);
        Assert.Empty(host.Fake.SpecErrors);
    }

    private static async Task<MenuSwitchResult> MenuAsync(LineTestHost host, Func<IChannelMenu, Task<MenuSwitchResult>> switchMenu)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        return await switchMenu(scope.ServiceProvider.GetServices<IChannelMenu>().Single(m => m.Channel == "line"));
    }

    [Fact]
    public async Task EveryButtonOfEveryLanguagesMenu_IsAnsweredInThatLanguage()
    {
        await using var app = new BotApplication();
        var menu = RichMenuFile.Load(Path.Combine(AppContext.BaseDirectory, "Content", RichMenuFile.FileName));
        var key = app.Services.GetRequiredService<PrivacyKeys>().PostbackKey;
        var notUnderstood = app.Services.GetRequiredService<DialogCatalog>().Menus.Resident.NotUnderstood;
        Assert.Equal(7, menu.Languages.Count);
        foreach (var (code, translated) in menu.Languages)
        {
            var user = "richmenu-" + code;
            await app.SayAsync(Audience.Resident, user, code == LanguagePack.Easy ? "やさしい日本語で" : SwitchWord(code));
            foreach (var action in RichMenuJson.ToRequest(translated, key)["areas"]!.AsArray().Select(a => a!["action"]!))
            {
                if ((string)action["type"]! == "uri")
                {
                    continue;
                }

                var text = ReplyText.Of((string)action["type"]! == "message"
                    ? await app.SayAsync(Audience.Resident, user, (string)action["text"]!)
                    : await app.SayAsync(Audience.Resident, user, null, (string)action["data"]!));
                Assert.DoesNotContain(notUnderstood, text, StringComparison.Ordinal);
                Assert.DoesNotContain("このボタンは使えなくなりました", text, StringComparison.Ordinal);
                if (code != LanguagePack.Easy)
                {
                    // Said in the language (Chinese has no kana; the others no kana or kanji).
                    var first = text.Split('\n')[0];
                    Assert.False(code == "zh" ? HasKana(first) : HasJapanese(first), $"{code} {(string)action["label"]!}: {text}");
                }
            }
        }
    }

    private static string SwitchWord(string code) => code switch
    {
        "en" => "English",
        "zh" => "中文",
        "ko" => "한국어",
        "vi" => "Tiếng Việt",
        "pt" => "Português",
        _ => "Tagalog",
    };

    /// <summary>The language menus as <c>apply</c> leaves them, without drawing them (no font needed).</summary>
    private static void Register(FakeLineApi fake)
    {
        foreach (var code in new[] { LanguagePack.Easy }.Concat(LanguagePack.Foreign))
        {
            fake.AddRichMenu("richmenu-" + code, alias: Alias(code));
        }
    }

    private static async Task<string> SayAsync(LineTestHost host, string text)
    {
        await host.SendAsync(LineEvents.Text(text, host.Now));
        await host.WhenSettledAsync();
        return host.Fake.Replies.Last().AllText;
    }

    private static async Task<(int Exit, string Output)> RunAsync(BotApplication app, params string[] args)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var command = scope.ServiceProvider.GetServices<IBotCommand>().OfType<RichMenuCommand>().Single();
        using var output = new StringWriter();
        var exit = await command.RunAsync(args, output, CancellationToken.None);
        return (exit, output.ToString());
    }
}
