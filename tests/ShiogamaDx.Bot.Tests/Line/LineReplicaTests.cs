using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Data;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>The LINE inbox and outbox shared by replicas on one (SQLite) database; the other replica is a second worker with its own lease owner.</summary>
public sealed class LineReplicaTests
{
    private static readonly Dictionary<string, string?> FastPolling = new() { ["Line:PollInterval"] = "00:00:00.050" };

    [Fact]
    public async Task EventsOfAPerson_HeldByAnotherReplica_WaitForItsLeaseToExpire_ThenAreAnsweredInOrder()
    {
        await using var host = await LineTestHost.StartAsync(FastPolling);
        var other = WorkLeaseContract.Replica(host.App, "crashed-replica");
        Assert.True(await other.TryAcquireAsync(LineEventProcessor.UserLease(host.UserKey), TimeSpan.FromSeconds(30), default));

        await host.SendAsync(LineEvents.Text("メニュー", host.Now, replyToken: "first"));
        await host.SendAsync(LineEvents.Text("スマホ教室", host.Now.AddSeconds(1), replyToken: "second"));
        await host.SendAsync(LineEvents.Text("メニュー", host.Now, replyToken: "someone-else", source: LineEvents.User("U99999999999999999999999999999999")));
        await host.EventuallyAsync(() => ReplyTokens(host).Contains("someone-else"), because: "another person is answered meanwhile");
        await PollAsync(host); // several rounds of this replica

        Assert.Equal(["someone-else"], ReplyTokens(host));
        host.App.Clock.Advance(TimeSpan.FromSeconds(31)); // the other replica died: its lease runs out
        await host.WhenSettledAsync();

        Assert.Equal(["someone-else", "first", "second"], ReplyTokens(host));
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task TwoReplicasWorkingOneInbox_AnswerEveryEventOnce_InEachPersonsOrder()
    {
        await using var host = await LineTestHost.StartAsync(FastPolling);
        var second = ActivatorUtilities.CreateInstance<LineEventProcessor>(host.App.Services, WorkLeaseContract.Replica(host.App, "second-replica"));
        using var stop = new CancellationTokenSource();
        var secondRunning = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await second.ProcessDueAsync(stop.Token);
                await Task.Delay(10, CancellationToken.None);
            }
        });

        const int people = 6, perPerson = 4;
        var texts = new[] { "メニュー", "スマホ教室", "電子申請", "よくある質問" };
        for (var e = 0; e < perPerson; e++)
        {
            for (var p = 0; p < people; p++)
            {
                var at = host.Now.AddMilliseconds(e * 100);
                await host.SendAsync(LineEvents.Text(texts[e], at, replyToken: $"p{p}-e{e}", source: LineEvents.User($"U{p:D32}")));
            }
        }

        await host.WhenSettledAsync();
        await stop.CancelAsync();
        await secondRunning.ContinueWith(_ => { }, TaskScheduler.Default);

        var tokens = ReplyTokens(host);
        Assert.Equal(people * perPerson, tokens.Count);
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
        for (var p = 0; p < people; p++)
        {
            Assert.Equal(Enumerable.Range(0, perPerson).Select(e => $"p{p}-e{e}"), tokens.Where(t => t.StartsWith($"p{p}-", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task OutboxMessage_IsNotPushed_WhileAnotherReplicaAnswersThatPerson()
    {
        await using var host = await LineTestHost.StartAsync(FastPolling);
        await host.SendAsync(LineEvents.Follow(host.Now));
        await host.WhenSettledAsync();
        var other = WorkLeaseContract.Replica(host.App, "busy-replica");

        // This host's worker keeps the person a few seconds after their event (their next message costs no
        // lease write), then lets go of them.
        Assert.False(await other.TryAcquireAsync(LineEventProcessor.UserLease(host.UserKey), TimeSpan.FromSeconds(30), default));
        await host.EventuallyAsync(() => other.TryAcquireAsync(LineEventProcessor.UserLease(host.UserKey), TimeSpan.FromSeconds(30), default).GetAwaiter().GetResult(), advanceBy: TimeSpan.FromSeconds(1), because: "the other replica takes the person once this one let go");
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Outbox>().AddAsync("line", host.UserKey, [new TextReply("明日はスマホ教室です。")], "class-reminder:1", default);
            await scope.ServiceProvider.GetRequiredService<BotDbContext>().SaveChangesAsync();
        }

        await PollAsync(host);
        Assert.Empty(host.Fake.Pushes);

        await other.ReleaseAsync(LineEventProcessor.UserLease(host.UserKey), default);
        await host.EventuallyAsync(() => host.Fake.Pushes.Any(), advanceBy: TimeSpan.FromMilliseconds(100), because: "pushed once the person is free");
        await PollAsync(host);
        Assert.Single(host.Fake.Pushes);
    }

    /// <summary>Wakes the workers a few times (their poll runs on the fake clock), far from any lease's expiry.</summary>
    private static async Task PollAsync(LineTestHost host)
    {
        for (var i = 0; i < 6; i++)
        {
            host.App.Clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(50);
        }
    }

    private static List<string> ReplyTokens(LineTestHost host) =>
        host.Fake.Replies.Select(r => (string?)r.Body!["replyToken"] ?? "").ToList();
}
