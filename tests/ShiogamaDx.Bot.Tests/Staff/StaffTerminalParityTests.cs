using System.Net;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Tests.Staff;

/// <summary>The staff chat and the terminal chat (`chat --as staff`) are one engine: the same question, the same answer.</summary>
public sealed class StaffTerminalParityTests
{
    [Theory]
    [InlineData("電子申請が可能な手続数の令和8年度の目標は？")]
    [InlineData("RPAの稼働業務数の実績")]
    [InlineData("生成AIに個人情報を入力してもいいですか")]
    [InlineData("研修アンケート")]
    public async Task SameQuestion_OnTheBotFrameworkEndpointAndInTheTerminal_GetsTheSameFirstAnswer(string question)
    {
        await using var h = await StaffHarness.StartAsync();

        var response = await h.PostAsync(h.Message(question));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var activity = await h.Connector.NextAsync();
        var overChannel = (string?)activity.Activity["text"] ?? (string?)activity.Activity["attachments"]?[0]?["content"]?["fallbackText"];

        // The terminal renders the engine's replies for another person asking the same thing.
        var terminal = Cli.TerminalChat.Render(await h.App.SayAsync(Audience.Staff, "terminal-staff", question));

        Assert.False(string.IsNullOrWhiteSpace(overChannel));
        var firstLine = overChannel!.Split('\n')[0].Trim();
        Assert.StartsWith(firstLine, terminal, StringComparison.Ordinal);
    }
}
