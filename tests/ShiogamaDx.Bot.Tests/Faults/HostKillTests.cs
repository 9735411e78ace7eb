using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;
using ShiogamaDx.Bot.Tests.Staff;

namespace ShiogamaDx.Bot.Tests.Faults;

/// <summary>The built host as its own process, killed with SIGKILL in the middle of a burst and started again.</summary>
public sealed class HostKillTests
{
    private const int Events = 240;
    private const int PerWebhook = 4;

    [Fact]
    public async Task SigkillDuringABurst_EveryAcknowledgedEventAndActivityIsAnsweredOnce()
    {
        await using var fake = await FakeLineApi.StartAsync();
        await using var connector = await FakeConnector.StartAsync();
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
            ["Staff__AllowUnauthenticated"] = "true", // the staff channel without a token (Testing): the kill, not the JWT
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
        var acknowledgedActivities = new ConcurrentBag<string>();

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

                // A staff message beside each webhook, in one of eight conversations.
                var id = (string)batch[0]["webhookEventId"]! + "-staff";
                try
                {
                    using var response = await http.PostAsync("api/messages", new StringContent(StaffActivity(id, connector.BaseUrl, sent % 8).ToJsonString(), Encoding.UTF8, "application/json"), ct);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledgedActivities.Add(id);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // the host is gone: the channel would send it again
                }
            });
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.InRange(acknowledged.Count, PerWebhook, Events - PerWebhook); // the kill really fell inside the burst
            Assert.InRange(acknowledgedActivities.Count, 1, (Events / PerWebhook) - 1);

            second = HostProcess.Start(environment, folder);
            await second.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            var all = await WaitAllHandledAsync(folder, TimeSpan.FromSeconds(60));
            var stored = all.Where(kv => kv.Key.Channel == "line").ToDictionary(kv => kv.Key.Id, kv => kv.Value);
            var storedActivities = all.Where(kv => kv.Key.Channel == "staff").ToDictionary(kv => kv.Key.Id, kv => kv.Value);

            // Every acknowledged event is on record and handled; events stored but not acknowledged (killed before
            // the 200) are answered too, as LINE's redelivery would be deduplicated against them.
            Assert.Subset(stored.Keys.ToHashSet(), acknowledged.ToHashSet());
            Assert.All(stored, kv => Assert.Equal(InboxStatus.Done, kv.Value));

            var replies = fake.Replies.Where(r => r.Status == 200).Select(r => (string)r.Body!["replyToken"]!).ToList();
            Assert.Equal(replies.Count, replies.Distinct().Count()); // a reply token is never used twice
            var pushKeys = fake.Pushes.Where(p => p.Status == 200).Select(p => p.RetryKey).ToList();
            Assert.Equal(pushKeys.Count, pushKeys.Distinct().Count());

            // One answer per stored event. The only allowed extra: an event whose reply LINE accepted just before
            // the kill, before the host could record it, may be answered once more after the restart (asked again
            // with its token, which LINE refuses as used, is the rule; a token that expired meanwhile is pushed); at
            // most one per person being answered at that moment.
            var answers = replies.Count + pushKeys.Count;
            var inFlight = Math.Min(24, new InboxOptions().ParallelPeople);
            Assert.InRange(answers - stored.Count, 0, inFlight);
            Assert.Empty(fake.SpecErrors);

            // Every acknowledged staff activity survived the kill and was answered, in its conversation; the
            // connector has no retry key, so one on its way at the kill may arrive twice.
            Assert.Subset(storedActivities.Keys.ToHashSet(), acknowledgedActivities.ToHashSet());
            Assert.All(storedActivities, kv => Assert.Equal(InboxStatus.Done, kv.Value));
            var answered = connector.All.Where(a => a.Type == "message").Select(a => (string?)a.Activity["replyToId"]).ToList();
            Assert.All(storedActivities.Keys, id => Assert.Contains(id, answered));
            Assert.InRange(answered.Count - storedActivities.Count, 0, 8);
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

    private static JsonObject StaffActivity(string id, Uri connector, int conversation) => new()
    {
        ["type"] = "message",
        ["id"] = id,
        ["text"] = "お問い合わせ",
        ["serviceUrl"] = connector.ToString(),
        ["channelId"] = "emulator",
        ["from"] = new JsonObject { ["id"] = "staff-" + conversation, ["name"] = "職員" },
        ["conversation"] = new JsonObject { ["id"] = "conversation-" + conversation },
        ["recipient"] = new JsonObject { ["id"] = "bot", ["name"] = "しおがまDX" },
        ["locale"] = "ja-JP",
    };

    private static async Task<Dictionary<(string Channel, string Id), InboxStatus>> WaitAllHandledAsync(string folder, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rows = new Dictionary<(string Channel, string Id), InboxStatus>();
            await using (var db = new SqliteConnection($"Data Source={Path.Combine(folder, "bot.db")};Mode=ReadOnly;Pooling=False"))
            {
                await db.OpenAsync();
                await using var cmd = db.CreateCommand();
                cmd.CommandText = "SELECT Channel, EventId, Status FROM Inbox";
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows[(reader.GetString(0), reader.GetString(1))] = (InboxStatus)reader.GetInt32(2);
                }
            }

            if (rows.Values.All(s => s != InboxStatus.Pending))
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{rows.Values.Count(s => s == InboxStatus.Pending)} events still pending after the restart");
            }

            await Task.Delay(200);
        }
    }
}
