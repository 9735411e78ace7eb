using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Line.RichMenu;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;

namespace ShiogamaDx.Bot.Tests.Announcements;

/// <summary><c>line richmenu apply --disaster</c> against the fake LINE API: registered by alias, nobody's menu changed.</summary>
public sealed class DisasterMenuTests(JapaneseFontFixture fonts) : IClassFixture<JapaneseFontFixture>
{
    [SkippableFact]
    public async Task ApplyDisaster_RegistersTheMenuUnderItsAlias_WithoutMakingItTheDefault_AndAgainMovesTheAlias()
    {
        Skip.If(fonts.Missing is not null, fonts.Missing);
        await using var fake = await FakeLineApi.StartAsync();
        await using var host = await LineTestHost.StartAsync(new() { ["Line:DataApiBaseUrl"] = fake.Url }, fake);
        fake.AddRichMenu("richmenu-normal", asDefault: true, alias: RichMenuAliases.MainAlias);

        var (exit, output) = await RunAsync(host.App, "--disaster");
        Assert.True(exit == 0, output);
        var first = fake.RichMenuAliases[RichMenuAliases.DisasterAlias];
        Assert.Equal("richmenu-normal", fake.DefaultRichMenu);
        Assert.DoesNotContain(fake.Calls, c => c.Path.StartsWith("/v2/bot/user/", StringComparison.Ordinal));
        Assert.Contains(first, output, StringComparison.Ordinal);

        // Applied again (a new design): the alias moves to the new menu (update, not a second create).
        Assert.Equal(0, (await RunAsync(host.App, "--disaster")).Exit);
        Assert.NotEqual(first, fake.RichMenuAliases[RichMenuAliases.DisasterAlias]);
        Assert.Single(fake.Calls, c => c.Path == "/v2/bot/richmenu/alias");
        Assert.Single(fake.Calls, c => c.Path == "/v2/bot/richmenu/alias/" + RichMenuAliases.DisasterAlias);
        Assert.Empty(fake.SpecErrors);
    }

    [SkippableFact]
    public async Task DisasterMenu_EveryButton_IsAnsweredOrOpensAPageOrAPhone()
    {
        Skip.If(fonts.Missing is not null, fonts.Missing);
        await using var host = await LineTestHost.StartAsync();
        var outDir = Path.Combine(host.App.Folder, "richmenu-disaster");
        Assert.Equal(0, (await RunAsync(host.App, "--disaster", "--dry-run", "--out", outDir)).Exit);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "richmenu.json")))!;
        Assert.Empty(OpenApiValidator.Messaging.Validate(json, "RichMenuRequest"));
        var notUnderstood = host.App.Services.GetRequiredService<DialogCatalog>().Menus.Resident.NotUnderstood;
        foreach (var action in json["areas"]!.AsArray().Select(a => a!["action"]!))
        {
            if ((string?)action["type"] == "uri")
            {
                Assert.Matches("^(https://|tel:[0-9]+$)", (string)action["uri"]!);
                continue;
            }

            var text = ReplyText.Of(await host.App.SayAsync(Audience.Resident, "richmenu-user", (string)action["text"]!));
            Assert.DoesNotContain(notUnderstood, text, StringComparison.Ordinal);
        }
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
