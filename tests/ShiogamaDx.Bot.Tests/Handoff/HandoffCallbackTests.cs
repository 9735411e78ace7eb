using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Handoff;

namespace ShiogamaDx.Bot.Tests.Handoff;

/// <summary>The call-back queue: a number the resident left on purpose, the timeout, the office's queue, 折り返し済み.</summary>
public sealed class HandoffCallbackTests
{
    [Fact]
    public async Task NumberLeftInTheQuestion_TimedOut_ResidentIsToldOfTheCallBack_OfficeSeesTheQueue_AndMarksItDone()
    {
        await using var h = await HandoffHarness.StartAsync();
        await h.StaffSaysAsync(HandoffHarness.Yamada, "こんにちは");
        await h.ResidentSaysAsync("職員と話したい");
        await h.ResidentSaysAsync("要介護認定の申請について相談したいです。電話なら０９０−１２３４−５６７８にお願いします");
        await h.DeliverAsync();
        var cards = await h.ReceivedAsync(2);
        Assert.Equal("090−1234−5678", Assert.Single(h.Cases()).CallbackPhone); // full-width digits kept half-width

        h.App.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(1, (await h.App.Services.GetRequiredService<HandoffJobs>().TickAsync(CancellationToken.None)).TimedOut);
        await h.DeliverAsync();

        // The resident: kindly, the city's number, and that the number they left will be called.
        var told = Assert.Single(h.Line.Fake.Pushes, p => p.AllText.Contains("つながりにくく", StringComparison.Ordinal));
        Assert.Contains("022-355-5284", told.AllText, StringComparison.Ordinal);
        Assert.Contains("（090−1234−5678）に、担当者から折り返しお電話します", told.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("電話番号をこのトークにお送りください", told.AllText, StringComparison.Ordinal); // not asked again

        // The cards say so, and can still be claimed.
        var updates = (await h.ReceivedAsync(2)).Where(a => a.Method == "PUT").ToList();
        Assert.Equal(2, updates.Count);
        Assert.All(updates, u => Assert.Contains("折り返し電話の希望あり", u.Text(), StringComparison.Ordinal));
        Assert.All(updates, u => Assert.NotNull(u.Action("対応")));
        Assert.DoesNotContain(updates, u => u.Text().Contains("5678", StringComparison.Ordinal)); // the number only in the queue

        // The office's queue, asked in a personal chat: who waits, about what, how long, the number.
        h.Drain();
        await h.StaffSaysAsync(HandoffHarness.Yamada, "相談の待ち状況");
        var queue = string.Join("\n", (await h.ReceivedAsync(2)).Select(a => a.Text())); // the table, then its buttons
        Assert.Contains("対応を待っている相談（1件）", queue, StringComparison.Ordinal);
        var topic = Assert.Single(h.Cases()).Topic;
        Assert.Contains("介護", topic, StringComparison.Ordinal); // guessed from the question by the bot's own routing
        Assert.Contains($"住民 A01 | {topic} | 16分 | 折り返し希望 090−1234−5678", queue, StringComparison.Ordinal);

        // Called back: 折り返し済み, typed by its number as on every channel (choice 2 of the queue).
        await h.StaffSaysAsync(HandoffHarness.Yamada, "2");
        await h.DeliverAsync();
        var after = await h.ReceivedAsync(3);
        Assert.Contains(after, a => a.Text().Contains("住民 A01 の折り返し電話を記録し、相談を終了しました", StringComparison.Ordinal));
        Assert.Equal(2, after.Count(a => a.Method == "PUT" && a.Text().Contains("折り返し電話で対応済み（山田 太郎さん）", StringComparison.Ordinal) && a.Action("対応") is null));
        var closed = Assert.Single(h.Cases());
        Assert.Equal((HandoffStatus.Closed, HandoffDesk.Callback), (closed.Status, closed.ClosedBy));
        Assert.NotNull(closed.CallbackDoneAt);
        var bye = h.Line.Fake.Pushes.Last();
        Assert.Contains("市の担当者がお電話でご対応しました", bye.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("山田", bye.AllText, StringComparison.Ordinal);

        // The queue is empty now; the week's outcomes count the call back; the bot answers the resident again.
        h.Drain();
        await h.StaffSaysAsync(HandoffHarness.Yamada, "相談の待ち状況");
        var empty = string.Join("\n", (await h.ReceivedAsync(1)).Select(a => a.Text()));
        Assert.Contains("対応を待っている相談（0件）", empty, StringComparison.Ordinal);
        Assert.Contains("折り返し電話 1件", empty, StringComparison.Ordinal);
        await h.ResidentSaysAsync("メニュー");
        Assert.Contains("ご用件を選んでください", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);

        // Answered, in the monthly figures.
        h.Drain();
        await h.StaffSaysAsync(HandoffHarness.Yamada, "有人対応の実績");
        Assert.Contains("2026年11月 | 1 | 100% | ― | ―", (await h.ReceivedAsync(1)).Single().Text(), StringComparison.Ordinal);
        Assert.NotEmpty(cards);
    }

    [Fact]
    public async Task NoNumberLeft_TimeoutOffersACallBack_ANumberSentAfterIsKept_TheCitysOwnNumberIsNot()
    {
        await using var h = await HandoffHarness.StartAsync();
        await h.ResidentSaysAsync("職員と話したい");
        await h.ResidentSaysAsync("022-355-5284に電話したけどつながりません。ごみの出し方の相談です");
        Assert.Null(Assert.Single(h.Cases()).CallbackPhone); // the city's number, quoted: not theirs

        h.App.Clock.Advance(TimeSpan.FromMinutes(16));
        await h.App.Services.GetRequiredService<HandoffJobs>().TickAsync(CancellationToken.None);
        await h.DeliverAsync();
        var told = Assert.Single(h.Line.Fake.Pushes, p => p.AllText.Contains("つながりにくく", StringComparison.Ordinal));
        Assert.Contains("電話番号をこのトークにお送りください（ご希望でなければ不要です）", told.AllText, StringComparison.Ordinal);

        await h.ResidentSaysAsync("022 362 1234 です");
        Assert.Contains("お電話番号（022 362 1234）を承りました", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        Assert.Equal("022 362 1234", Assert.Single(h.Cases()).CallbackPhone);
    }

    [Fact]
    public async Task SomeoneNotInHandoffStaff_CannotSeeTheQueue()
    {
        await using var h = await HandoffHarness.StartAsync();
        await h.ResidentSaysAsync("職員と話したい");
        await h.ResidentSaysAsync("相談です。090-1111-2222");
        await h.DeliverAsync(); // the cards (they hold the question as written, for the office's conversations)
        await h.StaffSaysAsync(HandoffHarness.Stranger, "相談の待ち状況");

        var answer = (await h.ReceivedAsync(3)).Single(a => a.Conversation() == HandoffHarness.Stranger.PersonalConversation).Text();
        Assert.Contains("Handoff:Staff", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("090-1111-2222", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("090-1234-5678にお願いします", "090-1234-5678")]
    [InlineData("電話 ０２２（３６２）１２３４", "022(362)1234")] // kept as half-width digits
    [InlineData("+81 90 1234 5678", "+81 90 1234 5678")]
    [InlineData("09012345678", "09012345678")]
    [InlineData("令和8年12月2日の件です", null)]
    [InlineData("郵便番号は985-8501です", null)]
    [InlineData("マイナンバーは1234 5678 9012", null)]
    [InlineData("2026-12-02に申請しました", null)]
    public void PhoneNumbers_FindsANumberTheResidentWrote(string text, string? expected) =>
        Assert.Equal(expected, PhoneNumbers.Find(text));
}
