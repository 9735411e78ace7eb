using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Conversations;

public sealed class DialogRuntimeTests : IDisposable
{
    private readonly BotApplication app = new();

    public void Dispose() => app.Dispose();

    private Task<IReadOnlyList<Reply>> Say(string text) => app.SayAsync(Audience.Resident, "r1", text);

    private async Task<string> Press(IReadOnlyList<Reply> replies, int index)
    {
        var choice = replies.OfType<ChoicesReply>().Last().Choices[index];
        return ReplyText.Of(await app.SayAsync(Audience.Resident, "r1", null, choice.Value));
    }

    [Fact]
    public async Task Feedback_CompletesWithButtonsAndTyping_AndSavesOnce()
    {
        var first = await Say("ご意見");
        var second = await Press(first, 1);
        Assert.Contains("ご意見をお書きください", second);
        Assert.Contains("返事が必要ですか", ReplyText.Of(await Say("教室の時間を増やしてほしい")));
        var done = ReplyText.Of(await Say("いいえ"));

        Assert.Contains("「オンライン手続き」についてのご意見を受け付けました", done);
        Assert.DoesNotContain("お電話ください", done);
        var saved = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Feedback>().AsNoTracking().Single());
        Assert.Equal("教室の時間を増やしてほしい", saved.Body);
        Assert.False(saved.ReplyWanted);
    }

    [Fact]
    public async Task Branch_WhenConditionHolds_RunsTheConditionalStep()
    {
        await Say("ご意見");
        await Say("2");
        await Say("よろしくお願いします");
        var done = ReplyText.Of(await Say("はい"));

        Assert.Contains("お電話ください", done);
    }

    [Fact]
    public async Task InvalidAnswer_IsRetried_ThenTheDialogEndsAfterMaxAttempts()
    {
        await Say("ご意見");

        Assert.Contains("番号でお答えください", ReplyText.Of(await Say("ぜんぜんちがう")));
        Assert.Contains("番号でお答えください", ReplyText.Of(await Say("まだちがう")));
        var last = ReplyText.Of(await Say("やっぱりちがう"));

        Assert.Contains("いったん終わります", last);
        Assert.Equal(0, app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<ConversationStateRecord>().Count()));
    }

    [Fact]
    public async Task Interruptions_HelpCancelRestart()
    {
        await Say("ご意見");
        Assert.Contains("迷ったら", ReplyText.Of(await Say("ヘルプ")));
        await Say("1");
        Assert.Contains("最初からやり直します", ReplyText.Of(await Say("最初に戻る")));
        Assert.Contains("どのようなことについて", ReplyText.Of(await Say("1")) + ReplyText.Of(await Say("最初に戻る")));
        Assert.Contains("やめました", ReplyText.Of(await Say("やめる")));
        Assert.Contains("分かりませんでした", ReplyText.Of(await Say("あしたのてんきはどうですか"))); // after やめる, free text is no longer the dialog's answer
    }

    [Fact]
    public async Task State_ExpiresAfterTheDialogsLimit()
    {
        await Say("ご意見");
        app.Clock.Advance(TimeSpan.FromMinutes(31));

        var replies = ReplyText.Of(await Say("1"));

        Assert.Contains("時間が経ったため終了しました", replies);
    }

    [Fact]
    public async Task StaleButton_OfAnEarlierStep_IsNotTakenAsTheCurrentAnswer()
    {
        var first = await Say("ご意見");
        await Press(first, 0);

        var again = await Press(first, 3);

        Assert.Contains("前の質問のもの", again);
    }

    [Fact]
    public async Task TooLongText_IsRefusedWithTheLimit()
    {
        await Say("ご意見");
        await Say("1");

        Assert.Contains("500文字以内", ReplyText.Of(await Say(new string('あ', 501))));
    }

    [Theory]
    [InlineData("2026-12-05", "2026-12-05")]
    [InlineData("12月5日", "2026-12-05")]
    [InlineData("１２／５", "2026-12-05")]
    [InlineData("1/15", "2027-01-15")]
    [InlineData("令和8年12月5日", "2026-12-05")]
    [InlineData("あした", "2026-11-26")]
    [InlineData("2月30日", null)]
    [InlineData("らいしゅう", null)]
    public void JapaneseDates_AreUnderstood(string text, string? expected)
    {
        var date = JapaneseDate.Parse(text, new DateTime(2026, 11, 25));

        Assert.Equal(expected, date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("a == b", "b", true)]
    [InlineData("a == b", "c", false)]
    [InlineData("a != b", "c", true)]
    [InlineData("a", "yes", true)]
    [InlineData("a", "no", false)]
    public void Conditions_Evaluate(string condition, string value, bool expected) =>
        Assert.Equal(expected, DialogRuntime.Evaluate(condition, new Dictionary<string, string> { ["a"] = value }));
}
