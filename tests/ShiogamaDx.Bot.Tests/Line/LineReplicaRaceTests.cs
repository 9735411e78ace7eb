using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Classes;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>
/// Several people answered at once while one person's turn meets a real write conflict with another replica: the
/// others are answered once, without waiting, and the racing turn resolves. On PostgreSQL, where two replicas
/// really can race past a check (SQLite's write transactions are serial).
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class LineReplicaRaceTests(PostgreSqlServer server) : IAsyncLifetime
{
    private const string Probe = "バッチ確認";

    private static readonly string Racing = UserId(50);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "batch-race-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // left to the OS temp cleaner
        }

        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task WhenOnePersonsClassRegistrationLosesARaceToAnotherReplica_AnswersEveryoneOnce()
    {
        var (host, probe, connectionString) = await StartAsync();
        await using var _ = host;

        // The registering person walks the dialog up to its last question, one answer at a time.
        await WalkAsync(host, "スマホ教室に申し込む", "1", "いいえ");
        Assert.Contains("この内容で申し込みますか", host.Fake.Replies.Last().AllText, StringComparison.Ordinal);

        // Another replica registers the same person for the same class: seat taken and row inserted, not yet
        // committed. This host's check for an existing registration sees nothing; its seat update waits for the
        // other's commit, and its insert then breaks the unique index.
        await using var other = Context(connectionString);
        await using var otherTx = await other.Database.BeginTransactionAsync();
        await other.Set<SmartphoneClass>().Where(c => c.Id == "small").ExecuteUpdateAsync(s => s.SetProperty(c => c.SeatsTaken, c => c.SeatsTaken + 1));
        other.Add(new ClassRegistration { ClassId = "small", UserKey = RacingKey(host), Channel = "line", Status = RegistrationStatus.Confirmed, CreatedAt = host.Now });
        await other.SaveChangesAsync();

        var people = await SendBatchAsync(host, "はい");
        await host.EventuallyAsync(() => WaitsOnALock(connectionString), because: "the registering turn waiting for the other replica's commit");
        // The others are answered meanwhile, each in a scope of their own: nobody waits for the racing person.
        await host.EventuallyAsync(() => host.Fake.Replies.Count() == Walked + people.Count, because: "the others answered while one turn waits");
        await otherTx.CommitAsync();
        await host.WhenSettledAsync();

        AssertEachAnsweredOnce(host, probe, people, "すでにお申し込みいただいています");

        // The other replica's registration stands, with its one seat.
        var registration = Assert.Single(host.Db(db => db.Set<ClassRegistration>().AsNoTracking().Where(r => r.ClassId == "small").ToList()));
        Assert.Equal(RacingKey(host), registration.UserKey);
        Assert.Equal(1, host.Db(db => db.Set<SmartphoneClass>().AsNoTracking().Single(c => c.Id == "small").SeatsTaken));
    }

    [SkippableFact]
    public async Task WhenOnePersonsSurveyAnswerLosesARaceToAnotherReplica_StoresItOverTheOther_AndAnswersEveryoneOnce()
    {
        var (host, probe, connectionString) = await StartAsync();
        await using var _ = host;
        await using var other = Context(connectionString);
        other.Add(new ClassRegistration { ClassId = "small", UserKey = RacingKey(host), Channel = "line", Status = RegistrationStatus.Confirmed, CreatedAt = host.Now });
        await other.SaveChangesAsync();
        var registrationId = other.Set<ClassRegistration>().Single().Id;
        host.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 12, 30, 0, TimeSpan.FromHours(9))); // the class is over

        await WalkAsync(host, "アンケート", "よく理解できた", "満足", "ちょうどよかった");
        Assert.Contains("ご意見やご感想", host.Fake.Replies.Last().AllText, StringComparison.Ordinal);

        // The same person's answer stored by another replica (a double tap), not yet committed: this host finds
        // no answer, and its insert waits on the unique index, then breaks it.
        await using var otherTx = await other.Database.BeginTransactionAsync();
        other.Add(new ClassSurveyAnswer
        {
            ClassId = "small", RegistrationId = registrationId, UserKey = RacingKey(host), FiscalYear = 2026,
            Comprehension = 1, ComprehensionLabel = "理解できなかった", AnswersJson = "{}", AnsweredAt = host.Now,
        });
        await other.SaveChangesAsync();

        var people = await SendBatchAsync(host, "なし");
        await host.EventuallyAsync(() => WaitsOnALock(connectionString), because: "the survey's insert waiting for the other replica's commit");
        await otherTx.CommitAsync();
        await host.WhenSettledAsync();

        AssertEachAnsweredOnce(host, probe, people, "ご回答ありがとうございました");
        var answer = Assert.Single(host.Db(db => db.Set<ClassSurveyAnswer>().AsNoTracking().ToList()));
        Assert.Equal((registrationId, 4, "満足"), (answer.RegistrationId, answer.Comprehension, answer.Satisfaction)); // this answer over the other
    }

    /// <summary>Replies to the walk of the racing person, before the others write.</summary>
    private int Walked { get; set; }

    private async Task<(LineTestHost Host, ProbeHandler Probe, string ConnectionString)> StartAsync()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var schedule = Path.Combine(folder, "classes.yaml");
        await File.WriteAllTextAsync(schedule, ClassesTestApp.Schedule);
        var probe = new ProbeHandler();
        var host = await LineTestHost.StartAsync(
            new()
            {
                ["Database:Provider"] = "PostgreSql",
                ["ConnectionStrings:Bot"] = connectionString,
                ["Classes:ScheduleFile"] = schedule,
                ["Classes:BackgroundJobs"] = "false",
            },
            services: s => s.AddSingleton<IIntentHandler>(probe));
        return (host, probe, connectionString);
    }

    /// <summary>The racing person's answers, one at a time, each answered before the next.</summary>
    private async Task WalkAsync(LineTestHost host, params string[] texts)
    {
        foreach (var text in texts)
        {
            var token = "reply-walk-" + Walked++.ToString(CultureInfo.InvariantCulture);
            await host.SendAsync(LineEvents.Text(text, host.Now, replyToken: token, source: LineEvents.User(Racing)));
            await host.EventuallyAsync(() => host.Fake.Replies.Any(r => (string?)r.Body!["replyToken"] == token), because: "the reply to " + text);
            await host.WhenSettledAsync();
        }
    }

    /// <summary>One webhook: three people's events before the racing person's, three after.</summary>
    private static async Task<List<(string UserId, string Text, string Token)>> SendBatchAsync(LineTestHost host, string racingText)
    {
        var people = Enumerable.Range(0, 6).Select(i => (UserId: UserId(i), Text: Probe + i.ToString(CultureInfo.InvariantCulture), Token: "reply-" + i)).ToList();
        var start = host.Now.AddSeconds(-10);
        await host.SendAsync([
            .. people.Take(3).Select((p, i) => LineEvents.Text(p.Text, start.AddMilliseconds(i), replyToken: p.Token, source: LineEvents.User(p.UserId))),
            LineEvents.Text(racingText, start.AddMilliseconds(10), replyToken: "reply-racing", source: LineEvents.User(Racing)),
            .. people.Skip(3).Select((p, i) => LineEvents.Text(p.Text, start.AddMilliseconds(20 + i), replyToken: p.Token, source: LineEvents.User(p.UserId))),
        ]);
        return people;
    }

    private static void AssertEachAnsweredOnce(LineTestHost host, ProbeHandler probe, List<(string UserId, string Text, string Token)> people, string racingAnswer)
    {
        var replies = host.Fake.Replies.ToList();
        foreach (var (_, text, token) in people)
        {
            var reply = Assert.Single(replies, r => (string?)r.Body!["replyToken"] == token);
            Assert.Contains(ProbeHandler.Answer(text), reply.AllText, StringComparison.Ordinal);
            Assert.Equal(1, probe.Turns(text));
        }

        Assert.Contains(racingAnswer, Assert.Single(replies, r => (string?)r.Body!["replyToken"] == "reply-racing").AllText, StringComparison.Ordinal);
        Assert.All(replies, r => Assert.Equal(200, r.Status));
        Assert.Empty(host.Fake.Pushes);
        Assert.Empty(host.Fake.SpecErrors);
        Assert.All(host.Inbox(), e => Assert.Equal(InboxStatus.Done, e.Status));
    }

    private static string RacingKey(LineTestHost host) => host.App.Services.GetRequiredService<PrivacyKeys>().Pseudonymize("line", Racing);

    private static PostgreSqlBotDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgreSqlBotDbContext>().UseNpgsql(connectionString).Options);

    private static bool WaitsOnALock(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    private static string UserId(int i) => "U" + i.ToString("D32", CultureInfo.InvariantCulture);

    /// <summary>Answers the probe texts and counts each text's turns (a turn run twice is an event answered twice).</summary>
    private sealed class ProbeHandler : IIntentHandler
    {
        private readonly ConcurrentDictionary<string, int> turns = new(StringComparer.Ordinal);

        public string Name => "batch-race-probe";

        public Audience Audience => Audience.Resident;

        public static string Answer(string text) => "確認しました: " + text;

        public int Turns(string text) => turns.GetValueOrDefault(text);

        public double Match(Turn turn) => turn.Text.StartsWith(Probe, StringComparison.Ordinal) ? 1 : 0;

        public Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
        {
            turns.AddOrUpdate(turn.Text, 1, (_, n) => n + 1);
            return Task.FromResult(TurnResult.Of(new TextReply(Answer(turn.Text))));
        }
    }
}
