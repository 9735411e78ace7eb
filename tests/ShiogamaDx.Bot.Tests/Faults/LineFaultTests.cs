using System.Data.Common;
using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Line;

namespace ShiogamaDx.Bot.Tests.Faults;

/// <summary>LINE, the disk and the host misbehaving: nothing acknowledged is lost, nothing is answered twice.</summary>
public sealed class LineFaultTests
{
    private const string OtherUserId = "U1111111111111111111111111111111a";

    [Fact]
    public async Task Webhook_WhenTheInboxCannotBeWritten_Answers503_AndTheRedeliveryIsAnsweredOnce()
    {
        var disk = new DiskFull();
        await using var host = await LineTestHost.StartAsync(services: s => s.ConfigureDbContext<BotDbContext>(o => o.AddInterceptors(disk)));
        var ev = LineEvents.Text("メニュー", host.Now);
        var body = Body(ev);

        disk.Full = true;
        var refused = await host.PostAsync(body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Empty(host.Inbox());

        disk.Full = false;
        var redelivered = await host.PostAsync(body); // LINE redelivers after a 5xx
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        await host.WhenSettledAsync();

        Assert.Equal(InboxStatus.Done, Assert.Single(host.Inbox()).Status);
        Assert.Single(host.Fake.Replies);
    }

    [Fact]
    public async Task Webhook_WhenSomeEventsAreKnownAndTheDiskIsFull_StillAnswers503()
    {
        // The fallback that drops duplicates one by one must not swallow a disk-full error as "a duplicate".
        var disk = new DiskFull();
        await using var host = await LineTestHost.StartAsync(services: s => s.ConfigureDbContext<BotDbContext>(o => o.AddInterceptors(disk)));
        var known = LineEvents.Text("メニュー", host.Now);
        await host.SendAsync(known);
        await host.WhenSettledAsync();

        disk.Full = true;
        var fresh = LineEvents.Text("こんにちは", host.Now, replyToken: "reply-token-2");
        var response = await host.PostAsync(Body(known, fresh));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(host.Inbox());
    }

    [Fact]
    public async Task Webhook_WhileTheDatabaseIsBrieflyLocked_WaitsAndStores()
    {
        await using var host = await LineTestHost.StartAsync();
        var file = new SqliteConnectionStringBuilder(host.Db(db => db.Database.GetConnectionString())).DataSource;

        await using (var other = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await other.OpenAsync();
            await using (var begin = other.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;"; // another writer holds the file's write lock
                await begin.ExecuteNonQueryAsync();
            }

            var watch = Stopwatch.StartNew();
            var posting = host.PostAsync(Body(LineEvents.Text("メニュー", host.Now)));
            await Task.Delay(400);
            Assert.False(posting.IsCompleted, "the webhook waits for the lock instead of answering");
            await using (var commit = other.CreateCommand())
            {
                commit.CommandText = "COMMIT;";
                await commit.ExecuteNonQueryAsync();
            }

            var response = await posting;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(400));
        }

        await host.WhenSettledAsync();
        Assert.Equal(InboxStatus.Done, Assert.Single(host.Inbox()).Status);
        Assert.Single(host.Fake.Replies);
    }

    [Fact]
    public async Task Push500s_AreRetriedWithTheSameRetryKey_AndDeliveredOnce()
    {
        await using var host = await LineTestHost.StartAsync();
        host.Fake.Fail("/v2/bot/message/push", 500, times: 2);

        await host.SendAsync(LineEvents.Text("メニュー", host.Now.AddMinutes(-2)));
        await host.WhenSettledAsync(advanceBy: TimeSpan.FromMilliseconds(500));

        var pushes = host.Fake.Pushes.ToList();
        Assert.Equal([500, 500, 200], pushes.Select(p => p.Status));
        Assert.Single(pushes.Select(p => p.RetryKey).Distinct());
        Assert.Equal(InboxStatus.Done, host.Inbox().Single().Status);
    }

    [Fact]
    public async Task Delivery_WhenOnePersonsPushHangs_OthersAreStillAnswered()
    {
        await using var host = await LineTestHost.StartAsync();
        host.Fake.Fail("/v2/bot/message/push", 504, hang: TimeSpan.FromSeconds(30));

        await host.SendAsync(LineEvents.Text("メニュー", host.Now.AddMinutes(-2)));
        await host.EventuallyAsync(() => host.Fake.Pushes.Any(), because: "the first person's push is hanging");

        var watch = Stopwatch.StartNew();
        await host.SendAsync(LineEvents.Text("メニュー", host.Now, replyToken: "reply-other", source: LineEvents.User(OtherUserId)));
        await host.EventuallyAsync(() => host.Fake.Replies.Any(r => r.Status == 200), because: "the other person is answered");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"answered in {watch.Elapsed}");
        Assert.Equal(InboxStatus.Pending, host.Inbox().First().Status);

        // The hung attempt times out (on the host's clock) and is retried with the same key.
        await host.WhenSettledAsync(advanceBy: TimeSpan.FromSeconds(10));
        var pushes = host.Fake.Pushes.ToList();
        Assert.Single(pushes.Select(p => p.RetryKey).Distinct());
        Assert.Single(pushes, p => p.Status == 200);
        Assert.All(host.Inbox(), e => Assert.Equal(InboxStatus.Done, e.Status));
    }

    [Fact]
    public async Task CircuitBreaker_OpensOnServerErrors_ThenClosesAndDeliversEachAnswerOnce()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Line:MaxRetries"] = "0" });
        host.Fake.Fail("/v2/bot/message/push", 500, times: 20);
        var users = Enumerable.Range(0, 25).Select(i => "U" + i.ToString("D32", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        foreach (var user in users)
        {
            await host.SendAsync(LineEvents.Text("メニュー", host.Now.AddMinutes(-2), source: LineEvents.User(user)));
        }

        await host.EventuallyAsync(() => host.Inbox().All(e => e.Attempts >= 1 || e.Status == InboxStatus.Done), because: "every push tried once");

        // After the 20th failure the circuit opened: the events after it never reached LINE (the pushes already in
        // flight on the other workers when it opened may still have gone through).
        var reached = host.Fake.Pushes.Count();
        Assert.InRange(reached, 20, 20 + new InboxOptions().ParallelPeople - 1);
        var waiting = host.Inbox().Where(e => e.Status == InboxStatus.Pending).Select(e => e.Id).ToList();
        Assert.True(waiting.Count >= 20);

        // Retries due within the 15 s break fail fast as well.
        // The clock keeps moving a little while waiting, as a real one does: a worker that went back to sleep just
        // after the jump (its timer set on the new time) still wakes, well inside the 15 s break.
        host.App.Clock.Advance(TimeSpan.FromSeconds(6));
        await host.EventuallyAsync(() => host.Inbox().Where(e => waiting.Contains(e.Id)).All(e => e.Attempts >= 2), advanceBy: TimeSpan.FromMilliseconds(50), because: "every waiting event retried while open");
        Assert.Equal(reached, host.Fake.Pushes.Count());

        await host.WhenSettledAsync(advanceBy: TimeSpan.FromSeconds(2));

        var delivered = host.Fake.Pushes.Where(p => p.Status == 200).ToList();
        Assert.Equal(users.Order(), delivered.Select(p => (string)p.Body!["to"]!).Order());
        foreach (var failed in host.Fake.Pushes.Where(p => p.Status == 500))
        {
            Assert.Single(delivered, p => p.RetryKey == failed.RetryKey); // retried with its key, delivered once
        }

        Assert.All(host.Inbox(), e => Assert.Equal(InboxStatus.Done, e.Status));
    }

    [Fact]
    public async Task Stop_WhileAnAnswerIsBeingDelivered_FinishesIt_AndTheNextStartAnswersTheRestOnce()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "line-stop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(folder, "bot.db")}" };
        var fake = await FakeLineApi.StartAsync();
        try
        {
            var first = await LineTestHost.StartAsync(settings, fake);
            fake.Fail("/v2/bot/message/reply", 200, hang: TimeSpan.FromMilliseconds(700)); // LINE is slow, not down
            await first.SendAsync(
                LineEvents.Text("メニュー", first.Now, replyToken: "reply-a"),
                LineEvents.Text("こんにちは", first.Now.AddSeconds(1), replyToken: "reply-b"));
            await first.EventuallyAsync(() => fake.Replies.Any(), because: "the first answer is on its way");

            first.Client.Dispose();
            await first.App.DisposeAsync(); // a graceful stop (SIGTERM) while LINE still holds the first reply

            await using var second = await LineTestHost.StartAsync(settings, fake);
            await second.WhenSettledAsync();

            var replies = fake.Replies.Select(r => (string)r.Body!["replyToken"]!).ToList();
            Assert.Equal(["reply-a", "reply-b"], replies);
            Assert.Empty(fake.Pushes);
            Assert.All(second.Inbox(), e => Assert.Equal(InboxStatus.Done, e.Status));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
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
    public async Task Flood_FromOnePerson_DoesNotDelayAnother_AndGetsOneSlowDownAnswer()
    {
        await using var host = await LineTestHost.StartAsync();
        const int flood = 300;
        for (var i = 0; i < flood; i += 10)
        {
            await host.SendAsync([.. Enumerable.Range(i, 10).Select(n => LineEvents.Text("メニュー", host.Now, replyToken: "flood-" + n))]);
        }

        var watch = Stopwatch.StartNew();
        await host.SendAsync(LineEvents.Text("メニュー", host.Now, replyToken: "calm", source: LineEvents.User(OtherUserId)));
        await host.EventuallyAsync(() => host.Fake.Replies.Any(r => (string?)r.Body!["replyToken"] == "calm"), because: "the calm person is answered");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"answered in {watch.Elapsed}");

        await host.WhenSettledAsync();
        var toFlooder = host.Fake.Replies.Where(r => ((string)r.Body!["replyToken"]!).StartsWith("flood-", StringComparison.Ordinal)).ToList();
        Assert.Equal(11, toFlooder.Count); // the burst of 10 answered, then one kind "please wait", then silence
        Assert.Single(toFlooder, r => r.AllText.Contains("少し時間をおいてから", StringComparison.Ordinal));
        Assert.Contains("少し時間をおいてから", toFlooder[10].AllText, StringComparison.Ordinal);

        var inbox = host.Inbox();
        Assert.Equal(flood + 1, inbox.Count); // every acknowledged event is on record
        Assert.Equal(flood - 11, inbox.Count(e => e.Status == InboxStatus.Skipped && e.LastError == "rate limited: not answered"));
    }

    [Fact]
    public async Task Flood_AfterTheBucketRefills_IsAnsweredAgain()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Line:UserBurst"] = "2", ["Line:UserMessagesPerMinute"] = "6" });
        await host.SendAsync([.. Enumerable.Range(0, 4).Select(n => LineEvents.Text("メニュー", host.Now, replyToken: "a-" + n))]);
        await host.WhenSettledAsync();
        Assert.Equal(3, host.Fake.Replies.Count()); // 2 answers, 1 "please wait", 1 silent

        // Ten seconds later (by the person's own clock) one more message is allowed again.
        await host.SendAsync(LineEvents.Text("メニュー", host.Now.AddSeconds(10), replyToken: "later"));
        await host.WhenSettledAsync();

        var later = Assert.Single(host.Fake.Replies, r => (string?)r.Body!["replyToken"] == "later");
        Assert.DoesNotContain("少し時間をおいてから", later.AllText, StringComparison.Ordinal);
    }

    private static string Body(params System.Text.Json.Nodes.JsonObject[] events) =>
        new System.Text.Json.Nodes.JsonObject
        {
            ["destination"] = LineTestHost.BotId,
            ["events"] = new System.Text.Json.Nodes.JsonArray([.. events.Select(e => (System.Text.Json.Nodes.JsonNode)e.DeepClone())]),
        }.ToJsonString();

    /// <summary>
    /// The seam for "disk full": SQLite's own SQLITE_FULL (13) raised when the inbox row is inserted. A tiny tmpfs
    /// is not available to tests, and PRAGMA max_page_count is per connection; the host sees exactly what SQLite
    /// raises on a full disk, wrapped by EF Core as it would be.
    /// </summary>
    private sealed class DiskFull : DbCommandInterceptor
    {
        public volatile bool Full;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Throw(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Throw(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Throw(DbCommand command)
        {
            if (Full && command.CommandText.Contains("INSERT INTO \"Inbox\"", StringComparison.Ordinal))
            {
                throw new SqliteException("SQLite Error 13: 'database or disk is full'.", 13);
            }
        }
    }
}
