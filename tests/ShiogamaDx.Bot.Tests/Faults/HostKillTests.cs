using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;

namespace ShiogamaDx.Bot.Tests.Faults;

/// <summary>The built host as its own process, killed with SIGKILL in the middle of a burst and started again.</summary>
public sealed class HostKillTests
{
    private const int Events = 240;
    private const int PerWebhook = 4;

    [Fact]
    public async Task SigkillDuringABurst_EveryAcknowledgedEventIsAnsweredOnce()
    {
        await using var fake = await FakeLineApi.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-proc", "kill-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Bot"] = $"Data Source={Path.Combine(folder, "bot.db")}",
            ["Privacy__Key"] = "test-privacy-key",
            ["Line__ChannelSecret"] = LineTestHost.Secret,
            ["Line__ChannelAccessToken"] = "test-access-token",
            ["Line__ApiBaseUrl"] = fake.Url,
            ["Line__PollInterval"] = "00:00:00.200",
            ["Line__UserBurst"] = "1000", // this test is about the kill, not the per-person limit
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };

        // Half the events are fresh (answered by reply, its token is the event's), half are two minutes old
        // (their reply token expired: answered by push, with a retry key LINE deduplicates).
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, Events).Select(i => LineEvents.Text(
            "メニュー",
            i % 2 == 0 ? now : now.AddMinutes(-2),
            replyToken: "kill-" + i,
            id: "KILL" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture),
            source: LineEvents.User("U" + (i % 24).ToString("D32", System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        var acknowledged = new ConcurrentBag<string>();

        var first = HostProcess.Start(environment, folder);
        var second = default(HostProcess);
        try
        {
            await first.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            using var http = new HttpClient { BaseAddress = first.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var batches = events.Chunk(PerWebhook).ToList();
            var sent = 0;
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, ct) =>
            {
                if (Interlocked.Increment(ref sent) == batches.Count / 2)
                {
                    first.Kill(); // SIGKILL: no shutdown, no flush, mid-burst
                }

                var body = new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray([.. batch.Select(e => (JsonNode)e.DeepClone())]) }.ToJsonString();
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/line/webhook") { Content = new StringContent(body, Encoding.UTF8) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add("X-Line-Signature", LineTestHost.Sign(body, LineTestHost.Secret));
                try
                {
                    using var response = await http.SendAsync(request, ct);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        foreach (var e in batch)
                        {
                            acknowledged.Add((string)e["webhookEventId"]!);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // the host is gone: LINE would redeliver later; these are not counted as acknowledged
                }
            });
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.InRange(acknowledged.Count, PerWebhook, Events - PerWebhook); // the kill really fell inside the burst

            second = HostProcess.Start(environment, folder);
            await second.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            var stored = await WaitAllHandledAsync(folder, TimeSpan.FromSeconds(60));

            // Every acknowledged event is on record and handled; events stored but not acknowledged (killed before
            // the 200) are answered too, as LINE's redelivery would be deduplicated against them.
            Assert.Subset(stored.Keys.ToHashSet(), acknowledged.ToHashSet());
            Assert.All(stored, kv => Assert.Equal(LineEventStatus.Done, kv.Value));

            var replies = fake.Replies.Where(r => r.Status == 200).Select(r => (string)r.Body!["replyToken"]!).ToList();
            Assert.Equal(replies.Count, replies.Distinct().Count()); // a reply token is never used twice
            var pushKeys = fake.Pushes.Where(p => p.Status == 200).Select(p => p.RetryKey).ToList();
            Assert.Equal(pushKeys.Count, pushKeys.Distinct().Count());

            // One answer per stored event. The only allowed extra: an event whose reply LINE accepted just before
            // the kill, before the host could record it, is pushed once more after the restart (a reply has no retry
            // key, and the restarted host waits out the dead one's person leases, longer than a reply token lives);
            // at most one per reply on its way at that moment: a batch replies to its people at the same time, so
            // up to one per person here (24 people, fewer than two batches hold).
            var answers = replies.Count + pushKeys.Count;
            var inFlight = Math.Min(24, LineEventProcessor.ParallelBatches * new LineOptions().BatchSize);
            Assert.InRange(answers - stored.Count, 0, inFlight);
            Assert.Empty(fake.SpecErrors);
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            await first.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    private static async Task<Dictionary<string, LineEventStatus>> WaitAllHandledAsync(string folder, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rows = new Dictionary<string, LineEventStatus>();
            await using (var db = new SqliteConnection($"Data Source={Path.Combine(folder, "bot.db")};Mode=ReadOnly;Pooling=False"))
            {
                await db.OpenAsync();
                await using var cmd = db.CreateCommand();
                cmd.CommandText = "SELECT WebhookEventId, Status FROM LineInbox";
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows[reader.GetString(0)] = (LineEventStatus)reader.GetInt32(1);
                }
            }

            if (rows.Values.All(s => s != LineEventStatus.Pending))
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{rows.Values.Count(s => s == LineEventStatus.Pending)} events still pending after the restart");
            }

            await Task.Delay(200);
        }
    }
}
