using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Line;

public sealed class LineDeliveryTests
{
    [Fact]
    public async Task ExpiredReplyToken_IsNotUsed_AndTheAnswerIsPushedWithRetryKey()
    {
        await using var host = await LineTestHost.StartAsync();

        await host.SendAsync(LineEvents.Text("メニュー", host.Now.AddMinutes(-2)));
        await host.WhenSettledAsync();

        Assert.Empty(host.Fake.Replies);
        var push = Assert.Single(host.Fake.Pushes);
        Assert.Equal(LineTestHost.UserId, (string?)push.Body!["to"]);
        Assert.True(Guid.TryParse(push.RetryKey, out _));
        Assert.Contains("塩竈市の公式LINE", push.AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task ReplyRefusedAsInvalidToken_FallsBackToPush_WithoutRetryingTheToken()
    {
        await using var host = await LineTestHost.StartAsync();
        host.Fake.Fail("/v2/bot/message/reply", 400, message: "Invalid reply token");

        await host.SendAsync(LineEvents.Text("メニュー", host.Now));
        await host.WhenSettledAsync();

        Assert.Single(host.Fake.Replies);
        var push = Assert.Single(host.Fake.Pushes);
        Assert.NotNull(push.RetryKey);
        Assert.Equal(InboxStatus.Done, host.Inbox().Single().Status);
    }

    [Fact]
    public async Task ReplyThatArrivedButWasNotConfirmed_IsNotSentAgain()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Line:MaxRetries"] = "0" });
        host.Fake.Fail("/v2/bot/message/reply", 502, arrived: true); // LINE took it; the host saw a 502

        await host.SendAsync(LineEvents.Text("メニュー", host.Now));
        await host.WhenSettledAsync();

        // Asked again with the same token: LINE's "Invalid reply token" says the first reply arrived.
        Assert.Equal([502, 400], host.Fake.Replies.Select(r => r.Status));
        Assert.Empty(host.Fake.Pushes);
        Assert.Equal(InboxStatus.Done, host.Inbox().Single().Status);
    }

    [Fact]
    public async Task ReplyThatDidNotArrive_IsSentAgainWithTheSameToken_NotPushed()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Line:MaxRetries"] = "0" });
        host.Fake.Fail("/v2/bot/message/reply", 502);

        await host.SendAsync(LineEvents.Text("メニュー", host.Now));
        await host.WhenSettledAsync();

        var replies = host.Fake.Replies.ToList();
        Assert.Equal([502, 200], replies.Select(r => r.Status));
        Assert.Equal((string?)replies[0].Body!["replyToken"], (string?)replies[1].Body!["replyToken"]);
        Assert.Empty(host.Fake.Pushes);
        Assert.Equal(InboxStatus.Done, host.Inbox().Single().Status);
    }

    [Fact]
    public async Task Push429WithRetryAfter_IsRetriedWithTheSameRetryKey()
    {
        await using var host = await LineTestHost.StartAsync();
        host.Fake.Fail("/v2/bot/message/push", 429, message: "The API rate limit has been exceeded. Try again later.", retryAfterSeconds: 2);

        await host.SendAsync(LineEvents.Text("メニュー", host.Now.AddMinutes(-2)));
        await host.EventuallyAsync(() => host.Fake.Pushes.Count() == 2, advanceBy: TimeSpan.FromMilliseconds(500), because: "the push retried after Retry-After");
        await host.WhenSettledAsync();

        var pushes = host.Fake.Pushes.ToList();
        Assert.Equal([429, 200], pushes.Select(p => p.Status));
        Assert.Equal(pushes[0].RetryKey, pushes[1].RetryKey);
        Assert.True(pushes[1].At - pushes[0].At >= TimeSpan.FromSeconds(2), "Retry-After: 2 honoured (the host's clock)");
        Assert.Equal(InboxStatus.Done, host.Inbox().Single().Status);
        Assert.Equal(0, host.Inbox().Single().Attempts); // healed inside the client, not by the worker
    }

    [Fact]
    public async Task PushAnswered409_CountsAsDelivered()
    {
        await using var host = await LineTestHost.StartAsync();
        host.Fake.Fail("/v2/bot/message/push", 409, message: "The retry key is already accepted");

        await host.SendAsync(LineEvents.Text("メニュー", host.Now.AddMinutes(-2)));
        await host.WhenSettledAsync();

        Assert.Single(host.Fake.Pushes);
        Assert.Equal(InboxStatus.Done, host.Inbox().Single().Status);
    }

    [Fact]
    public async Task Push403_IsGivenUpWithoutRetry()
    {
        await using var host = await LineTestHost.StartAsync();
        host.Fake.Fail("/v2/bot/message/push", 403, message: "Access to this API is not available for your account");

        await host.SendAsync(LineEvents.Text("メニュー", host.Now.AddMinutes(-2)));
        await host.WhenSettledAsync();

        Assert.Single(host.Fake.Pushes);
        Assert.Equal(InboxStatus.Failed, host.Inbox().Single().Status);
    }

    [Fact]
    public async Task Restart_WithUnfinishedEvents_DeliversThemOnceWithTheStoredRetryKey()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "line-restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(folder, "bot.db")}",
            ["Line:MaxRetries"] = "0",
        };
        try
        {
            Guid retryKey;
            await using (var first = await LineTestHost.StartAsync(settings))
            {
                first.Fake.Fail("/v2/bot/message/push", 500, times: 5);
                await first.SendAsync(LineEvents.Text("メニュー", first.Now.AddMinutes(-2)));
                await first.EventuallyAsync(() => first.Inbox().Single().Attempts == 1, because: "the first push failed");
                var stored = first.Inbox().Single();
                Assert.Equal(InboxStatus.Pending, stored.Status);
                retryKey = stored.RetryKey;
            }

            await using var second = await LineTestHost.StartAsync(settings);
            await second.WhenSettledAsync(advanceBy: TimeSpan.FromSeconds(1));

            var push = Assert.Single(second.Fake.Pushes);
            Assert.Equal(retryKey.ToString("D"), push.RetryKey);
            Assert.Contains("塩竈市の公式LINE", push.AllText, StringComparison.Ordinal);
            Assert.Equal(InboxStatus.Done, second.Inbox().Single().Status);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // left for the temp cleaner
            }
        }
    }

    [Fact]
    public async Task Outbox_ForALineFriend_IsPushedOnceWithAStableRetryKey()
    {
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Follow(host.Now));
        await host.WhenSettledAsync();
        await AddOutboxAsync(host, host.UserKey, "class-reminder:1", new TextReply("明日はスマホ教室です。"));

        await host.EventuallyAsync(() => host.Fake.Pushes.Any(), advanceBy: TimeSpan.FromSeconds(1), because: "the outbox delivered");
        await host.EventuallyAsync(() => OutboxRow(host).SentAt is not null, because: "SentAt set");

        var push = Assert.Single(host.Fake.Pushes);
        Assert.Equal(LineTestHost.UserId, (string?)push.Body!["to"]);
        Assert.Equal(LineRenderer.DeriveKey("outbox:class-reminder:1").ToString("D"), push.RetryKey);
        Assert.Contains("明日はスマホ教室です。", push.AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task Outbox_ForSomeoneWhoBlockedTheAccount_IsMarkedFailed()
    {
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Follow(host.Now), LineEvents.Unfollow(host.Now.AddSeconds(1)));
        await host.WhenSettledAsync();
        var pushesBefore = host.Fake.Pushes.Count();
        await AddOutboxAsync(host, host.UserKey, "survey:1", new TextReply("アンケートのお願い"));

        await host.EventuallyAsync(() => OutboxRow(host).FailedAt is not null, advanceBy: TimeSpan.FromSeconds(1), because: "given up");

        Assert.Equal(pushesBefore, host.Fake.Pushes.Count());
    }

    [Fact]
    public async Task Outbox_WhenMonthlyLimitReached_StopsPushingAndKeepsTheMessage()
    {
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Follow(host.Now));
        await host.WhenSettledAsync();
        host.Fake.Fail("/v2/bot/message/push", 429, message: "You have reached your monthly limit.");
        await AddOutboxAsync(host, host.UserKey, "survey:2", new TextReply("アンケートのお願い"));
        await AddOutboxAsync(host, host.UserKey, "survey:3", new TextReply("もう一通"));

        using var runs = new JobRuns(host.App.Services);
        await host.EventuallyAsync(() => OutboxRow(host, "survey:2").Attempts == 1, advanceBy: TimeSpan.FromSeconds(1), because: "one attempt");
        await runs.PassAsync(JobRuns.LineOutbox, () => host.App.Clock.Advance(TimeSpan.FromSeconds(1)));

        Assert.Single(host.Fake.Pushes); // not retried, and the next message was not tried either
        Assert.Null(OutboxRow(host, "survey:2").FailedAt);
        Assert.Null(OutboxRow(host, "survey:2").SentAt);
        Assert.Equal(0, OutboxRow(host, "survey:3").Attempts);
    }

    [Fact]
    public async Task PushThatTimesOut_IsRetriedWithTheSameRetryKey()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Line:RequestTimeout"] = "00:00:00.300" });
        host.Fake.Fail("/v2/bot/message/push", 500, hang: TimeSpan.FromSeconds(30));

        await host.SendAsync(LineEvents.Text("メニュー", host.Now.AddMinutes(-2)));
        await host.EventuallyAsync(() => host.Fake.Pushes.Count() >= 2, advanceBy: TimeSpan.FromMilliseconds(100), because: "timed out and retried");
        await host.WhenSettledAsync();

        var pushes = host.Fake.Pushes.ToList();
        Assert.Equal(2, pushes.Count);
        Assert.Equal(pushes[0].RetryKey, pushes[1].RetryKey);
        Assert.Equal(200, pushes[1].Status);
        Assert.Equal(InboxStatus.Done, host.Inbox().Single().Status);
    }

    [Fact]
    public async Task SlowAnswer_ShowsTheLoadingAnimation_ThenReplies()
    {
        await using var host = await LineTestHost.StartAsync();
        var locks = host.App.Services.GetRequiredService<ConversationLocks>();
        var held = await locks.AcquireAsync(host.UserKey, CancellationToken.None); // the engine waits: a slow answer

        await host.SendAsync(LineEvents.Text("メニュー", host.Now));
        await host.EventuallyAsync(() => host.Fake.Calls.Any(c => c.Path == "/v2/bot/chat/loading/start"), advanceBy: TimeSpan.FromMilliseconds(250), because: "loading animation");
        held.Dispose();
        await host.WhenSettledAsync();

        var loading = host.Fake.Calls.Single(c => c.Path == "/v2/bot/chat/loading/start");
        Assert.Equal(LineTestHost.UserId, (string?)loading.Body!["chatId"]);
        Assert.Single(host.Fake.Replies);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task Outbox_WithMoreThanFiveMessages_IsPushedInBatchesWithDistinctRetryKeys()
    {
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Follow(host.Now));
        await host.WhenSettledAsync();
        var cards = Enumerable.Range(1, 6).Select(i => (Reply)new CardsReply($"教室{i}", [new Card($"スマホ教室 第{i}回", "公民館", [new CardAction("申し込む", CardActionKind.Message, "申し込む")])])).ToArray();
        await AddOutboxAsync(host, host.UserKey, "classes:list", cards);

        await host.EventuallyAsync(() => host.Fake.Pushes.Count() == 2, advanceBy: TimeSpan.FromSeconds(1), because: "two batches pushed");
        await host.EventuallyAsync(() => OutboxRow(host).SentAt is not null, because: "SentAt set");

        var pushes = host.Fake.Pushes.ToList();
        Assert.Equal([5, 1], pushes.Select(p => p.Body!["messages"]!.AsArray().Count));
        Assert.NotEqual(pushes[0].RetryKey, pushes[1].RetryKey);
        Assert.Empty(host.Fake.SpecErrors);
    }

    private static async Task AddOutboxAsync(LineTestHost host, string userKey, string key, params Reply[] replies)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        await outbox.AddAsync("line", userKey, replies, key, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<ShiogamaDx.Bot.Data.BotDbContext>().SaveChangesAsync();
    }

    private static OutboxMessage OutboxRow(LineTestHost host, string? key = null) =>
        host.Db(db => db.Set<OutboxMessage>().AsNoTracking().Single(m => key == null || m.IdempotencyKey == key));
}
