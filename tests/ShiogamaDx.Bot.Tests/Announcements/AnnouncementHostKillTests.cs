using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Announcements;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;

namespace ShiogamaDx.Bot.Tests.Announcements;

/// <summary>The built host as its own process, killed (SIGKILL) in the middle of a 3,000-recipient announcement and started again.</summary>
public sealed class AnnouncementHostKillTests
{
    private const int Friends = 3000;
    private const int ChunkSize = 100;

    [Fact]
    public async Task SigkillMidAnnouncement_EveryFriendGetsItExactlyOnce_AfterTheRestart()
    {
        await using var fake = await FakeLineApi.StartAsync();
        fake.AnswerDelay = TimeSpan.FromMilliseconds(40); // LINE took the call; the answer is still on its way when the kill comes
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-proc", "announce-kill-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = $"Data Source={Path.Combine(folder, "bot.db")}";
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Bot"] = database,
            ["Privacy__Key"] = "test-privacy-key",
            ["Line__ChannelSecret"] = LineTestHost.Secret,
            ["Line__ChannelAccessToken"] = "test-access-token",
            ["Line__ApiBaseUrl"] = fake.Url,
            ["Line__PollInterval"] = "00:00:00.200",
            ["Admin__ApiKey"] = "ops-key",
            ["Announcements__Authors__0"] = "author-1",
            ["Announcements__Approvers__0"] = "approver-1",
            ["Announcements__Broadcast"] = "false", // every friend in chunks of multicasts, not one broadcast
            ["Announcements__ChunkSize"] = ChunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };

        var first = HostProcess.Start(environment, folder);
        var second = default(HostProcess);
        try
        {
            await first.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            await AddFriendsAsync(database);
            using (var http = new HttpClient { BaseAddress = first.BaseAddress, Timeout = TimeSpan.FromSeconds(30) })
            {
                http.DefaultRequestHeaders.Add("X-Api-Key", "ops-key");
                var created = await http.PostAsJsonAsync("api/admin/announcements", new { topic = "disaster", text = "大雨で避難所を開設しました。", author = "author-1" });
                var id = (long)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
                var approved = await http.PostAsJsonAsync($"api/admin/announcements/{id}/approve", new { approver = "approver-1" });
                Assert.Equal(Friends, (int)(await approved.Content.ReadFromJsonAsync<JsonObject>())!["recipients"]!);
            }

            // Kill once a few chunks are through: some accepted and recorded, one perhaps accepted and not recorded.
            await WaitAsync(() => fake.Multicasts.Count(c => c.Status == 200) >= 5, TimeSpan.FromSeconds(60), "the first chunks sent");
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            var beforeRestart = fake.MulticastsPerUser().Count;
            Assert.InRange(beforeRestart, 5 * ChunkSize, Friends - ChunkSize); // the kill fell inside the delivery

            second = HostProcess.Start(environment, folder);
            await second.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            await WaitAsync(() => ChunksLeft(database) == 0, TimeSpan.FromSeconds(120), "every chunk delivered after the restart");

            var perUser = fake.MulticastsPerUser();
            Assert.Equal(Friends, perUser.Count);
            Assert.All(perUser, kv => Assert.Equal(1, kv.Value));
            Assert.Equal(Friends / ChunkSize, fake.Multicasts.Where(c => c.Status == 200).Select(c => c.RetryKey).Distinct().Count());
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

    private static BotDbContext Open(string database) => new(new DbContextOptionsBuilder<BotDbContext>().UseSqlite(database).Options);

    /// <summary>The audience, written straight into the host's database (the arrangement; 3,000 follows would test the webhook).</summary>
    private static async Task AddFriendsAsync(string database)
    {
        await using var db = Open(database);
        var now = DateTimeOffset.UtcNow;
        db.AddRange(Enumerable.Range(0, Friends).Select(i => new LineUser
        {
            UserKey = "line-kill-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            LineUserId = AnnouncementsHost.ResidentId(i),
            Following = true,
            FirstSeenAt = now,
            UpdatedAt = now,
        }));
        await db.SaveChangesAsync();
    }

    private static int ChunksLeft(string database)
    {
        using var db = Open(database);
        return db.Set<OutboxMessage>().Count(o => o.UserKey.StartsWith("announcement:") && o.SentAt == null && o.FailedAt == null);
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting: " + because);
            await Task.Delay(10);
        }
    }
}
