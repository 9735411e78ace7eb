using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Conversations;

/// <summary>Routing on evidence: which feature answers when a question could be for two.</summary>
public sealed class RoutingTests : IDisposable
{
    private readonly BotApplication app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task KpiQuestion_WithThePlansOwnWord_IsAnsweredAsAKpi()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "s1", "生成AIの活用促進の事業費は？"));

        Assert.Contains("事業費", text, StringComparison.Ordinal);
        Assert.DoesNotContain("どちらについてのご質問ですか", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuestionThatFitsKpiAndGuidelineAlike_IsAsked_AndTheChoiceIsAnswered()
    {
        var asked = await app.SayAsync(Audience.Staff, "s1", "生成AIの活用にかかる費用は？");

        Assert.Contains("どちらについてのご質問ですか", ReplyText.Of(asked), StringComparison.Ordinal);
        var kpi = Buttons.FindChoice(asked, "DX推進プランの数値（KPI・事業費）");
        Assert.NotNull(kpi);
        Assert.NotNull(Buttons.FindChoice(asked, "生成AI利用の手引き"));

        var answer = ReplyText.Of(await app.SayAsync(Audience.Staff, "s1", null, kpi.Value));

        Assert.Contains("事業費", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuidelineQuestion_NamingAProject_IsNotAnsweredWithAFigure()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "s1", "生成AIに何を入力していいか"));

        Assert.DoesNotContain("事業費", text, StringComparison.Ordinal);
        Assert.DoesNotContain("千円", text, StringComparison.Ordinal);
    }
}
