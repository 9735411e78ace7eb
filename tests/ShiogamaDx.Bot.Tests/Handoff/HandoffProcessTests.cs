using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Handoff;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;
using ShiogamaDx.Bot.Tests.Staff;

namespace ShiogamaDx.Bot.Tests.Handoff;

/// <summary>The built host as its own process: killed mid-handoff and started again; and two terminal chats playing both sides.</summary>
public sealed class HandoffProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task HostKilledBetweenMessagesAndTheirDelivery_AfterTheRestart_EachMessageArrivesExactlyOnce_BothWays()
    {
        await using var line = await FakeLineApi.StartAsync();
        await using var connector = await FakeConnector.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-proc", "handoff-kill-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = $"Data Source={Path.Combine(folder, "bot.db")}";
        var serviceUrl = connector.BaseUrl + "amer/";
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Bot"] = database,
            ["Privacy__Key"] = "test-privacy-key",
            ["Line__ChannelSecret"] = LineTestHost.Secret,
            ["Line__ChannelAccessToken"] = "test-access-token",
            ["Line__ApiBaseUrl"] = line.Url,
            ["Line__PollInterval"] = "00:00:00.200",
            ["Staff__AllowUnauthenticated"] = "true",
            ["Staff__OutboxInterval"] = "00:00:01",
            ["Leases__Duration"] = "00:00:03", // a dead host's claims on the outboxes run out quickly
            ["Handoff__Conversations__0__Name"] = "DX推進係",
            ["Handoff__Conversations__0__ServiceUrl"] = serviceUrl,
            ["Handoff__Conversations__0__ConversationId"] = HandoffHarness.Office,
            ["Handoff__Conversations__0__TenantId"] = HandoffHarness.TenantId,
            ["Handoff__Staff__0"] = HandoffHarness.Yamada.AadObjectId,
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };

        var first = HostProcess.Start(environment, folder);
        var second = default(HostProcess);
        try
        {
            await first.WaitHealthyAsync(StartTimeout);
            var host = new Sides(first.BaseAddress, serviceUrl);
            await host.StaffSaysAsync("こんにちは");
            await host.ResidentSaysAsync("職員と話したい");
            await host.ResidentSaysAsync("児童手当の申請について相談したいです");
            var card = await WaitForAsync(() => connector.All.FirstOrDefault(a => a.Action("対応") is not null), "the request card");
            await host.ClaimAsync(card.Action("対応")!);
            await WaitForAsync(() => line.Pushes.FirstOrDefault(p => p.AllText.Contains("おつなぎしました", StringComparison.Ordinal)), "the resident told they are connected");
            await WaitForAsync(() => connector.All.FirstOrDefault(a => a.Text().Contains("の相談を担当します", StringComparison.Ordinal)), "the staff member's briefing");

            // In flight at the kill: the resident's message held before the connector takes it, the staff member's
            // push taken by LINE (its retry key accepted) with the answer still on its way.
            connector.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await host.ResidentSaysAsync("住民の1通目です");
            await WaitForAsync(() => connector.Held > 0 ? connector : null, "the resident's message on its way to the connector");
            line.AnswerDelay = TimeSpan.FromSeconds(30);
            await host.StaffSaysAsync("職員の1通目です");
            await WaitForAsync(() => line.Pushes.FirstOrDefault(p => p.AllText.Contains("職員の1通目です", StringComparison.Ordinal)), "the staff member's push reaching LINE");
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.DoesNotContain(connector.All, a => a.Text().Contains("住民の1通目です", StringComparison.Ordinal)); // the kill fell before it was taken

            var held = connector.Hold;
            connector.Hold = null;
            held.TrySetCanceled(); // what the dead host had on its way is not taken
            line.AnswerDelay = TimeSpan.Zero;
            second = HostProcess.Start(environment, folder);
            await second.WaitHealthyAsync(StartTimeout);
            host = new Sides(second.BaseAddress, serviceUrl);
            await WaitForAsync(() => connector.All.FirstOrDefault(a => a.Text().Contains("住民 A01: 住民の1通目です", StringComparison.Ordinal)), "the resident's message delivered after the restart");
            await WaitForAsync(() => line.Pushes.FirstOrDefault(p => p.Status == 409 && p.AllText.Contains("職員の1通目です", StringComparison.Ordinal)), "the staff member's push sent again with its key");

            // The conversation goes on: two more each way, then the close and the rating.
            for (var i = 2; i <= 3; i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                await host.StaffSaysAsync($"職員の{n}通目です");
                await WaitForAsync(() => line.Pushes.FirstOrDefault(p => p.AllText.Contains($"職員の{n}通目です", StringComparison.Ordinal)), "staff message " + n);
                await host.ResidentSaysAsync($"住民の{n}通目です");
                await WaitForAsync(() => connector.All.FirstOrDefault(a => a.Text().Contains($"住民の{n}通目です", StringComparison.Ordinal)), "resident message " + n);
            }

            await host.StaffSaysAsync("対応終了");
            await WaitForAsync(() => line.Pushes.FirstOrDefault(p => p.AllText.Contains("役に立ちましたか", StringComparison.Ordinal)), "the rating question");
            await host.ResidentSaysAsync("5");
            await WaitForAsync(() => Rating(database) == 5 ? "rated" : null, "the rating stored");

            // Exactly once: each staff message taken by LINE once (the repeat answered 409 by its key), each resident
            // message taken by the connector once.
            for (var i = 1; i <= 3; i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                Assert.Single(line.Pushes, p => p.Status == 200 && p.AllText.Contains($"職員の{n}通目です", StringComparison.Ordinal));
                Assert.Single(connector.All, a => a.Text().Contains($"住民の{n}通目です", StringComparison.Ordinal));
            }

            Assert.Single(line.Pushes, p => p.Status == 200 && p.AllText.Contains("おつなぎしました", StringComparison.Ordinal));
            Assert.Empty(line.SpecErrors);
            var record = Record(database);
            Assert.Equal((HandoffStatus.Closed, 4, 3), (record.Status, record.ResidentMessages, record.StaffMessages)); // the question and three
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

    [Fact]
    public async Task TwoTerminalChats_OnOneDatabase_PlayBothSidesOfAHandoff()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-proc", "handoff-terminals-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Bot"] = $"Data Source={Path.Combine(folder, "bot.db")}",
            ["Privacy__Key"] = "test-privacy-key",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };

        // No Handoff:Conversations, no staff chat: the two terminals are the two sides.
        var resident = HostProcess.Start(environment, folder, "chat", "--as", "resident");
        var staff = default(HostProcess);
        try
        {
            await WaitForOutputAsync(resident, "ご用件を選んでください");
            staff = HostProcess.Start(environment, folder, "chat", "--as", "staff");
            await WaitForOutputAsync(staff, "何を調べますか");

            await resident.WriteLineAsync("職員と話したい");
            await WaitForOutputAsync(resident, "1つのメッセージでお送りください");
            await resident.WriteLineAsync("児童手当の申請について相談したいです");
            await WaitForOutputAsync(resident, "ご相談を受け付けました");

            await staff.WriteLineAsync("相談の待ち状況");
            await WaitForOutputAsync(staff, "住民 A01に対応する");
            Assert.Contains("住民 A01 | 児童手当の申請（認定請求）", staff.Output, StringComparison.Ordinal);
            await staff.WriteLineAsync("1");
            await WaitForOutputAsync(staff, "住民 A01 の相談を担当します");
            await WaitForOutputAsync(resident, "市の担当者がおつなぎしました");

            for (var i = 1; i <= 3; i++)
            {
                await staff.WriteLineAsync($"職員から{i}通目");
                await WaitForOutputAsync(resident, $"市の担当者: 職員から{i}通目");
                await resident.WriteLineAsync($"住民から{i}通目");
                await WaitForOutputAsync(staff, $"住民 A01: 住民から{i}通目");
            }

            await staff.WriteLineAsync("対応終了");
            await WaitForOutputAsync(resident, "役に立ちましたか");
            await resident.WriteLineAsync("4");
            await WaitForOutputAsync(resident, "ご回答ありがとうございました");

            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal(1, Count(resident.Output, $"市の担当者: 職員から{i}通目"));
                Assert.Equal(1, Count(staff.Output, $"住民 A01: 住民から{i}通目"));
            }

            await resident.WriteLineAsync("exit");
            await staff.WriteLineAsync("exit");
            Assert.Equal(0, await resident.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal(0, await staff.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            var record = Record(environment["ConnectionStrings__Bot"]);
            Assert.Equal((HandoffStatus.Closed, 4, 4, 3), (record.Status, record.Rating, record.ResidentMessages, record.StaffMessages));
        }
        finally
        {
            if (staff is not null)
            {
                await staff.DisposeAsync();
            }

            await resident.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private static BotDbContext Open(string database) => new(new DbContextOptionsBuilder<BotDbContext>().UseSqlite(database).Options);

    private static HandoffCase Record(string database)
    {
        using var db = Open(database);
        return db.Set<HandoffCase>().AsNoTracking().Single();
    }

    private static int? Rating(string database)
    {
        using var db = Open(database);
        return db.Set<HandoffCase>().AsNoTracking().Select(h => h.Rating).SingleOrDefault();
    }

    private static async Task WaitForOutputAsync(HostProcess process, string text)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!process.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(process.HasExited, "The chat ended:\n" + process.Output);
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for 「{text}」:\n{process.Output}");
            await Task.Delay(50);
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> found, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (found() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    /// <summary>The resident on LINE (signed webhooks) and 山田 in the staff chat (activities as Teams sends them), against a host process.</summary>
    private sealed class Sides(Uri host, string serviceUrl)
    {
        private static int activities;

        public async Task ResidentSaysAsync(string text)
        {
            var body = new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray(LineEvents.Text(text, DateTimeOffset.UtcNow)) }.ToJsonString();
            using var http = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/line/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Line-Signature", LineTestHost.Sign(body, LineTestHost.Secret));
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }

        public Task StaffSaysAsync(string text) =>
            PostAsync(Activity(new JsonObject { ["conversationType"] = "personal", ["tenantId"] = HandoffHarness.TenantId, ["id"] = HandoffHarness.Yamada.PersonalConversation }, text));

        public Task ClaimAsync(JsonNode data)
        {
            var activity = Activity(new JsonObject { ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = HandoffHarness.TenantId, ["id"] = HandoffHarness.Office + ";messageid=1764630000000" }, null);
            activity["value"] = data.DeepClone();
            return PostAsync(activity);
        }

        private JsonObject Activity(JsonObject conversation, string? text)
        {
            var who = HandoffHarness.Yamada;
            var activity = new JsonObject
            {
                ["type"] = "message",
                ["id"] = "act-kill-" + Interlocked.Increment(ref activities),
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
                ["serviceUrl"] = serviceUrl,
                ["channelId"] = "msteams",
                ["from"] = new JsonObject { ["id"] = who.Id, ["name"] = who.Name, ["aadObjectId"] = who.AadObjectId },
                ["conversation"] = conversation,
                ["recipient"] = new JsonObject { ["id"] = StaffHarness.BotId, ["name"] = "しおがまDX" },
                ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = HandoffHarness.TenantId } },
                ["locale"] = "ja-JP",
            };
            if (text is not null)
            {
                activity["text"] = text;
            }

            return activity;
        }

        private async Task PostAsync(JsonObject activity)
        {
            using var http = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(30) };
            var response = await http.PostAsync("api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
