using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Classes;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Data;

/// <summary>
/// Two host processes on one PostgreSQL database, as two replicas behind a load balancer: LINE's webhooks land on
/// either, every event is answered once and each person's in order, and a scheduled reminder goes out once.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class ReplicaTests(PostgreSqlServer server, ITestOutputHelper output)
{
    private const int People = 10;
    private const int EventsPerPerson = 5;
    private static readonly string[] Texts = ["メニュー", "スマホ教室", "電子申請", "よくある質問", "ありがとう"];

    [SkippableFact]
    public async Task TwoHostsOnOnePostgreSql_AnswerABurstOfWebhooksOnceInOrder_AndSendADueReminderOnce()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var connectionString = await server.CreateDatabaseAsync();
        await using var fake = await FakeLineApi.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-replicas", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var classDay = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).Date.AddDays(1);
        var schedule = Path.Combine(folder, "classes.yaml");
        await File.WriteAllTextAsync(schedule, ClassesTestApp.ScheduleFor(classDay, "replica-test"));

        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__Bot"] = connectionString,
            ["Privacy__Key"] = "test-privacy-key",
            ["Line__ChannelSecret"] = LineTestHost.Secret,
            ["Line__ChannelAccessToken"] = "test-access-token",
            ["Line__ApiBaseUrl"] = fake.Url,
            ["Line__PollInterval"] = "00:00:00.200",
            ["Line__LoadingAnimationAfter"] = "00:00:00",
            ["Classes__ScheduleFile"] = schedule,
            ["Classes__ReminderTime"] = "00:00", // from the start of the day before: the class tomorrow is due now
            ["Classes__CheckIntervalSeconds"] = "1",
            ["Leases__Duration"] = "00:00:10",
            ["Telemetry__MetricsKey"] = MetricsKey,
            ["Serilog__MinimumLevel__Default"] = "Warning",

            // The process runs in a temp folder, away from appsettings.json: its console sink, for the diagnosis.
            ["Serilog__MinimumLevel__Override__Microsoft.EntityFrameworkCore"] = "Warning",
            ["Serilog__MinimumLevel__Override__Microsoft.AspNetCore"] = "Warning",
            ["Serilog__MinimumLevel__Override__System.Net.Http"] = "Warning",
            ["Serilog__MinimumLevel__Override__Polly"] = "Warning",
            ["Serilog__Using__0"] = "Serilog.Sinks.Console",
            ["Serilog__WriteTo__0__Name"] = "Console",
            ["Serilog__WriteTo__0__Args__outputTemplate"] = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
        };
        try
        {
            await using var a = HostProcess.Start(new Dictionary<string, string>(settings) { ["Leases__Owner"] = "replica-a" });
            await using var b = HostProcess.Start(new Dictionary<string, string>(settings) { ["Leases__Owner"] = "replica-b" });
            // The test's own EF model (for the registration below) is built meanwhile: it takes seconds on a busy machine.
            var warm = Task.Run(() =>
            {
                using var db = Context(connectionString);
                return db.Model.GetEntityTypes().Count();
            });
            await Task.WhenAll(a.WaitHealthyAsync(TimeSpan.FromSeconds(120)), b.WaitHealthyAsync(TimeSpan.FromSeconds(120)), warm);
            output.WriteLine($"both replicas healthy after {watch.Elapsed.TotalSeconds:F1} s");
            using var toA = new HttpClient { BaseAddress = a.BaseAddress };
            using var toB = new HttpClient { BaseAddress = b.BaseAddress };

            // Each round: every person's next event, all at once, alternately at the two hosts.
            var sent = 0;
            for (var e = 0; e < EventsPerPerson; e++)
            {
                await Task.WhenAll(Enumerable.Range(0, People).Select(p =>
                    PostAsync(sent++ % 2 == 0 ? toA : toB, LineEvents.Text(Texts[e], DateTimeOffset.UtcNow, replyToken: Token(p, e), source: LineEvents.User(UserId(p))))));
            }

            await EventuallyAsync(() => fake.Replies.Count() >= People * EventsPerPerson, TimeSpan.FromSeconds(30), () => Diagnose(fake, a, b));
            output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {People * EventsPerPerson} events answered after {watch.Elapsed.TotalSeconds:F1} s");
            var tokens = fake.Replies.Select(r => (string?)r.Body!["replyToken"] ?? string.Empty).ToList();
            Assert.Equal(tokens.Count, tokens.Distinct().Count());
            for (var p = 0; p < People; p++)
            {
                Assert.Equal(Enumerable.Range(0, EventsPerPerson).Select(e => Token(p, e)), tokens.Where(t => t.StartsWith($"p{p}-", StringComparison.Ordinal)));
            }

            Assert.Empty(fake.Pushes); // every answer went out as the reply, none needed a second try
            Assert.Empty(fake.SpecErrors);

            // A resident registered for tomorrow's class: the job of one replica queues the reminder, one replica pushes it.
            await using (var db = Context(connectionString))
            {
                var userKey = await db.Set<LineUser>().Where(u => u.LineUserId == UserId(0)).Select(u => u.UserKey).SingleAsync();
                db.Add(new ClassRegistration { ClassId = "replica-test", UserKey = userKey, Channel = "line", Status = RegistrationStatus.Confirmed, CreatedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
            }

            output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] registered");
            await EventuallyAsync(() => fake.Pushes.Any(), TimeSpan.FromSeconds(20), () => Diagnose(fake, a, b));
            output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] reminder pushed after {watch.Elapsed.TotalSeconds:F1} s");
            // Both replicas run the job and poll their outboxes twice more: a second push would come now.
            var rounds = new List<(HttpClient Host, string Job, long Target)>();
            foreach (var host in new[] { toA, toB })
            {
                foreach (var job in new[] { ClassJobs.LeaseName, "line-outbox" })
                {
                    rounds.Add((host, job, await JobRoundsAsync(host, job) + 2));
                }
            }

            foreach (var (host, job, target) in rounds)
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (await JobRoundsAsync(host, job) < target)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"{job} of {host.BaseAddress} did not run again");
                    await Task.Delay(100);
                }
            }

            var push = Assert.Single(fake.Pushes);
            Assert.Equal(UserId(0), (string?)push.Body!["to"]);
            Assert.Contains("明日はスマホ教室の日です", push.AllText, StringComparison.Ordinal);
            await using (var db = Context(connectionString))
            {
                var reminder = await db.Set<OutboxMessage>().SingleAsync();
                Assert.NotNull(reminder.SentAt);
                Assert.Null(reminder.ClaimedBy);
                Assert.Equal(0, await db.Set<InboxItem>().CountAsync(ev => ev.Status != InboxStatus.Done));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private const string MetricsKey = "replica-test-metrics";

    /// <summary>The host's count of a job's rounds, from its Prometheus endpoint (the hosts are processes of their own).</summary>
    private static async Task<long> JobRoundsAsync(HttpClient host, string job)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", MetricsKey);
        using var response = await host.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var line = (await response.Content.ReadAsStringAsync()).Split('\n')
            .FirstOrDefault(l => l.StartsWith("shiogama_bot_jobs_runs_total{", StringComparison.Ordinal) && l.Contains($"job=\"{job}\"", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string UserId(int person) => "U" + person.ToString("D32", CultureInfo.InvariantCulture);

    private static string Token(int person, int e) => $"p{person}-e{e}";

    private static async Task PostAsync(HttpClient host, JsonObject ev)
    {
        var body = new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray(ev) }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/line/webhook") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Line-Signature", LineTestHost.Sign(body, LineTestHost.Secret));
        using var response = await host.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static PostgreSqlBotDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgreSqlBotDbContext>().UseNpgsql(connectionString).Options);

    private static string Diagnose(FakeLineApi fake, HostProcess a, HostProcess b) =>
        $"replies {fake.Replies.Count()}, pushes {fake.Pushes.Count()}\n--- replica a:\n{a.Output}\n--- replica b:\n{b.Output}";

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan timeout, Func<string> diagnose)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out: " + diagnose());
            await Task.Delay(50);
        }
    }
}
