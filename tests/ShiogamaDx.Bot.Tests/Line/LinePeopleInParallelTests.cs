using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Line;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>Several people answered at the same time, each in their own scope: one person's failing turn touches nobody else.</summary>
public sealed class LinePeopleInParallelTests
{
    private const string Probe = "バッチ確認";

    [Fact]
    public async Task WhenOnePersonsAnswerCannotBeStored_AnswersTheOthersOnce_AndThatEventOnceOnItsRetry()
    {
        var handler = new ProbeHandler(failOnceOn: Probe + "故障");
        await using var host = await LineTestHost.StartAsync(services: s => s.AddSingleton<IIntentHandler>(handler));
        var others = Enumerable.Range(0, 6).Select(i => (UserId: UserId(i), Text: Probe + i.ToString(CultureInfo.InvariantCulture), Token: "reply-" + i)).ToList();
        var failing = (UserId: UserId(99), Text: Probe + "故障", Token: "reply-failing");

        // One webhook, one commit in the inbox; the people are answered at the same time.
        var start = host.Now.AddSeconds(-10);
        await host.SendAsync([
            .. others.Select((p, i) => LineEvents.Text(p.Text, start.AddMilliseconds(i), replyToken: p.Token, source: LineEvents.User(p.UserId))),
            LineEvents.Text(failing.Text, host.Now, replyToken: failing.Token, source: LineEvents.User(failing.UserId)),
        ]);
        await host.WhenSettledAsync(advanceBy: TimeSpan.FromSeconds(1)); // past the failed item's pause

        var replies = host.Fake.Replies.ToList();
        foreach (var (_, text, token) in others)
        {
            var reply = Assert.Single(replies, r => (string?)r.Body!["replyToken"] == token);
            Assert.Contains(ProbeHandler.Answer(text), reply.AllText, StringComparison.Ordinal);
            Assert.Equal(1, handler.Turns(text)); // not run again: another's failure is not theirs
        }

        // Nothing of it was stored: after a pause the turn ran again and replied once, with the event's own token.
        var answered = Assert.Single(replies, r => (string?)r.Body!["replyToken"] == failing.Token);
        Assert.Contains(ProbeHandler.Answer(failing.Text), answered.AllText, StringComparison.Ordinal);
        Assert.Equal(2, handler.Turns(failing.Text));

        Assert.Equal(others.Count + 1, replies.Count);
        Assert.All(replies, r => Assert.Equal(200, r.Status));
        Assert.Empty(host.Fake.Pushes);
        Assert.Empty(host.Fake.SpecErrors);
        var inbox = host.Inbox();
        Assert.Equal(others.Count + 1, inbox.Count);
        Assert.All(inbox, e => Assert.Equal(InboxStatus.Done, e.Status));
    }

    [Fact]
    public async Task WhenOnePersonsTurnTimesOut_NotAtAStop_ApologisesOnce_AndAnswersTheOthersOnce()
    {
        var timingOut = Probe + "時間切れ";
        var handler = new ProbeHandler(timeOutOn: timingOut);
        await using var host = await LineTestHost.StartAsync(services: s => s.AddSingleton<IIntentHandler>(handler));
        var others = Enumerable.Range(0, 4).Select(i => (UserId: UserId(i), Text: Probe + i.ToString(CultureInfo.InvariantCulture), Token: "reply-" + i)).ToList();

        var start = host.Now.AddSeconds(-10);
        await host.SendAsync([
            LineEvents.Text(timingOut, start, replyToken: "reply-timeout", source: LineEvents.User(UserId(99))),
            .. others.Select((p, i) => LineEvents.Text(p.Text, start.AddMilliseconds(1 + i), replyToken: p.Token, source: LineEvents.User(p.UserId))),
        ]);
        await host.WhenSettledAsync();

        // The turn is not run again (it is not idempotent): the apology other failures get, on the event's own token.
        var apology = Assert.Single(host.Fake.Replies, r => (string?)r.Body!["replyToken"] == "reply-timeout");
        Assert.Contains(Apology(host), apology.AllText, StringComparison.Ordinal);
        Assert.Equal(1, handler.Turns(timingOut));
        foreach (var (_, text, token) in others)
        {
            Assert.Contains(ProbeHandler.Answer(text), Assert.Single(host.Fake.Replies, r => (string?)r.Body!["replyToken"] == token).AllText, StringComparison.Ordinal);
            Assert.Equal(1, handler.Turns(text));
        }

        Assert.Equal(others.Count + 1, host.Fake.Replies.Count());
        Assert.Empty(host.Fake.Pushes);
        Assert.All(host.Inbox(), e => Assert.Equal(InboxStatus.Done, e.Status));
    }

    [Fact]
    public async Task AfterARetriedEvent_ATurnThatTimesOut_NotAtAStop_ApologisesOnce_AndTheEventIsDone()
    {
        // The person's first event fails and waits a pause; the timing-out one after it waits behind it.
        var (handedOn, timingOut) = (Probe + "故障", Probe + "時間切れ");
        var handler = new ProbeHandler(failOnceOn: handedOn, timeOutOn: timingOut);
        await using var host = await LineTestHost.StartAsync(services: s => s.AddSingleton<IIntentHandler>(handler));

        var start = host.Now.AddSeconds(-10);
        await host.SendAsync(
            LineEvents.Text(handedOn, start, replyToken: "reply-first"),
            LineEvents.Text(timingOut, start.AddSeconds(1), replyToken: "reply-timeout"));

        // Small steps: the clock must pass the failed event's 5 s pause, but not the second token's 50 s lifetime
        // while a loaded machine takes its time between the two events.
        await host.WhenSettledAsync(advanceBy: TimeSpan.FromMilliseconds(200));

        Assert.Contains(ProbeHandler.Answer(handedOn), Assert.Single(host.Fake.Replies, r => (string?)r.Body!["replyToken"] == "reply-first").AllText, StringComparison.Ordinal);
        var apology = Assert.Single(host.Fake.Replies, r => (string?)r.Body!["replyToken"] == "reply-timeout");
        Assert.Contains(Apology(host), apology.AllText, StringComparison.Ordinal);
        Assert.Equal(1, handler.Turns(timingOut));
        Assert.Equal(2, host.Fake.Replies.Count());
        Assert.Empty(host.Fake.Pushes);
        Assert.All(host.Inbox(), e => Assert.Equal(InboxStatus.Done, e.Status));
    }

    [Fact]
    public async Task Stop_WhenItsTimeoutCutsATurnShort_LeavesTheEventPending_AndTheNextStartAnswersItOnce()
    {
        var hanging = Probe + "長考";
        var handler = new ProbeHandler(hangOnceOn: hanging);
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "line-hard-stop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(folder, "bot.db")}",
        };
        void Services(IServiceCollection s)
        {
            s.AddSingleton<IIntentHandler>(handler);
            s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300)); // then the turn's token is cancelled
        }

        var fake = await FakeLineApi.StartAsync();
        try
        {
            var first = await LineTestHost.StartAsync(settings, fake, Services);
            await first.SendAsync(LineEvents.Text(hanging, first.Now, replyToken: "reply-hang"));
            await handler.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(15));
            first.Client.Dispose();
            await first.App.DisposeAsync();

            // The host's stop is not a failure of the turn: no apology, the event kept as it came.
            Assert.DoesNotContain(fake.Calls, c => c.Path.StartsWith("/v2/bot/message/", StringComparison.Ordinal));
            await using var second = await LineTestHost.StartAsync(settings, fake, Services);
            await second.WhenSettledAsync(advanceBy: TimeSpan.FromSeconds(1));

            var reply = Assert.Single(fake.Replies);
            Assert.Equal("reply-hang", (string?)reply.Body!["replyToken"]);
            Assert.Contains(ProbeHandler.Answer(hanging), reply.AllText, StringComparison.Ordinal);
            Assert.Equal(2, handler.Turns(hanging));
            Assert.Empty(fake.Pushes);
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

    private static string UserId(int i) => "U" + i.ToString("D32", CultureInfo.InvariantCulture);

    /// <summary>
    /// Answers the probe texts and counts each text's turns. Its first turn on <c>failOnceOn</c> answers with a
    /// reply the LINE channel cannot store (a feature's bug, found after the turn: the turn's own failures are
    /// answered with the engine's apology), which fails that event's handling. Every turn on
    /// <c>timeOutOn</c> times out the way an HttpClient call does (TaskCanceledException, the host not stopping).
    /// </summary>
    private sealed class ProbeHandler(string? failOnceOn = null, string? timeOutOn = null, string? hangOnceOn = null) : IIntentHandler
    {
        private readonly ConcurrentDictionary<string, int> turns = new(StringComparer.Ordinal);

        /// <summary>Set when the first turn on <c>hangOnceOn</c> started; that turn then waits until it is cancelled.</summary>
        public TaskCompletionSource Hanging { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "batch-probe";

        public Audience Audience => Audience.Resident;

        public static string Answer(string text) => "確認しました: " + text;

        public int Turns(string text) => turns.GetValueOrDefault(text);

        public double Match(Turn turn) => turn.Text.StartsWith(Probe, StringComparison.Ordinal) ? 1 : 0;

        public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
        {
            var n = turns.AddOrUpdate(turn.Text, 1, (_, n) => n + 1);
            if (turn.Text == timeOutOn)
            {
                throw new TaskCanceledException("The upstream service did not answer in time.", new TimeoutException());
            }

            if (n == 1 && turn.Text == hangOnceOn)
            {
                Hanging.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return n == 1 && turn.Text == failOnceOn
                ? TurnResult.Of(new UnstorableReply())
                : TurnResult.Of(new TextReply(Answer(turn.Text)));
        }
    }

    private static string Apology(LineTestHost host) => host.App.Services.GetRequiredService<Bot.Messages.MessageCatalog>().Current[ConversationTexts.Apology];

    /// <summary>A reply type the channel does not know: the inbox cannot keep it (not one of Reply's JSON kinds).</summary>
    private sealed record UnstorableReply : Reply;
}
