using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Npgsql;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Data;

/// <summary>
/// Outbox claims as replicas on one database see them (each replica with its own owner name), on SQLite and on a
/// real PostgreSQL server; scheduled jobs and person locks, which only PostgreSQL's replicas share, on PostgreSQL.
/// </summary>
public abstract class WorkLeaseContract
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    protected abstract Task<Dictionary<string, string?>> SettingsAsync();

    private async Task<BotApplication> StartAsync() => new(await SettingsAsync());

    protected async Task<BotApplication> StartAppAsync() => await StartAsync();

    [Fact]
    public async Task OutboxClaims_OfTwoReplicas_NeverOverlap_AndAClaimOfADeadReplicaIsTakenOver()
    {
        using var app = await StartAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            for (var i = 0; i < 30; i++)
            {
                await outbox.AddAsync("line", "u" + i, [new TextReply("お知らせ " + i)], "test:" + i, default);
            }

            await scope.ServiceProvider.GetRequiredService<BotDbContext>().SaveChangesAsync();
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => ClaimAsync(app, "replica-" + i, 10))));
        var ids = claims.SelectMany(c => c).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.NotEmpty(ids);

        // Nothing was sent or released: the claims hold until they expire, then another replica takes them.
        var rest = await ClaimAsync(app, "replica-x", 30);
        Assert.Empty(rest.Intersect(ids));
        Assert.Equal(30, ids.Count + rest.Count);
        app.Clock.Advance(Duration + TimeSpan.FromSeconds(1));
        var retaken = await ClaimAsync(app, "replica-y", 30);
        Assert.Equal(30, retaken.Count);
    }

    private static async Task<List<long>> ClaimAsync(BotApplication app, string owner, int max)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var claimed = await scope.ServiceProvider.GetRequiredService<Outbox>().ClaimDueAsync("line", max, owner, Duration, default);
        Assert.All(claimed, m => Assert.StartsWith(owner + "/", m.ClaimedBy, StringComparison.Ordinal));
        return claimed.Select(m => m.Id).ToList();
    }
}

public sealed class SqliteWorkLeaseTests : WorkLeaseContract
{
    protected override Task<Dictionary<string, string?>> SettingsAsync() => Task.FromResult(new Dictionary<string, string?>());
}

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlWorkLeaseTests(PostgreSqlServer server) : WorkLeaseContract
{
    protected override async Task<Dictionary<string, string?>> SettingsAsync() => new()
    {
        ["Database:Provider"] = "PostgreSql",
        ["ConnectionStrings:Bot"] = await server.CreateDatabaseAsync(),
    };

    private Task<BotApplication> StartAsync() => StartAppAsync();

    [SkippableFact]
    public async Task Job_StartedByReplicasAtOnce_RunsOnOne()
    {
        var settings = await SettingsAsync();
        using var app = new BotApplication(settings);
        var replicas = Enumerable.Range(0, 6).Select(i => new JobReplica(settings["ConnectionStrings:Bot"]!, "replica-" + i, app.Clock)).ToList();
        using var stop = new CancellationTokenSource();

        var loops = replicas.Select(r => Task.Run(() => r.RunAsync(TimeSpan.FromMinutes(1), stop.Token))).ToList();
        await EventuallyAsync(() => replicas.All(r => r.Rounds.Of(JobReplica.Job) == 1));

        Assert.Single(replicas, r => r.Runs == 1);
        Assert.Equal(1, replicas.Sum(r => r.Runs));
        await StopAsync(stop, loops, replicas);
    }

    [SkippableFact]
    public async Task Job_HeldByOneReplica_RunsOnlyThere_AndOnAnotherOnceTheHolderDies()
    {
        var settings = await SettingsAsync();
        using var app = new BotApplication(settings);
        var a = new JobReplica(settings["ConnectionStrings:Bot"]!, "replica-a", app.Clock); // its clock never moves: after its first round it does nothing more, as a process that died
        var b = new JobReplica(settings["ConnectionStrings:Bot"]!, "replica-b", TimeProvider.System);
        using var stop = new CancellationTokenSource();

        var loopA = Task.Run(() => a.RunAsync(TimeSpan.FromMinutes(1), stop.Token));
        await EventuallyAsync(() => a.Runs == 1);
        var loopB = Task.Run(() => b.RunAsync(TimeSpan.FromMilliseconds(50), stop.Token));
        await b.Rounds.PassAsync(JobReplica.Job, rounds: 5);
        Assert.Equal(0, b.Runs); // a holds the job

        // a dies: the server ends its sessions, and the job's lock with them.
        await using (var admin = await app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'replica-a'", admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync()); // the connection holding the job
        }

        await EventuallyAsync(() => b.Runs > 0);
        Assert.Equal(1, a.Runs);
        await StopAsync(stop, [loopA, loopB], [a, b]);
    }

    private static async Task StopAsync(CancellationTokenSource stop, IEnumerable<Task> loops, IEnumerable<JobReplica> replicas)
    {
        await stop.CancelAsync();
        foreach (var loop in loops)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        }

        foreach (var replica in replicas)
        {
            replica.Dispose();
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }

    /// <summary>A replica's job loop: its own person locks (the in-process part of a replica) and its own metrics.</summary>
    private sealed class JobReplica : IDisposable
    {
        public const string Job = "test";

        private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly NpgsqlDataSource source;
        private readonly WorkLeases jobs;
        private int runs;

        public JobReplica(string connectionString, string name, TimeProvider clock)
        {
            source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = name }.ConnectionString);
            jobs = new(new PersonLocks(source, NullLogger<PersonLocks>.Instance), clock, Options.Create(new LeaseOptions()), new BotMetrics(services.GetRequiredService<IMeterFactory>()));
            Rounds = new JobRuns(services);
        }

        public JobRuns Rounds { get; }

        public int Runs => Volatile.Read(ref runs);

        public Task RunAsync(TimeSpan interval, CancellationToken ct) =>
            jobs.RunPeriodicallyAsync(Job, interval, TimeSpan.Zero, _ => Task.FromResult(Interlocked.Increment(ref runs)), NullLogger.Instance, ct);

        public void Dispose()
        {
            Rounds.Dispose();
            services.Dispose();
            source.Dispose();
        }
    }

    [SkippableFact]
    public async Task PersonLock_HeldByOneReplica_IsRefusedToAnother_UntilReleasedOrItsConnectionDies()
    {
        using var app = await StartAsync();
        var source = app.Services.GetRequiredService<NpgsqlDataSource>();
        var (a, b) = (new PersonLocks(source, NullLogger<PersonLocks>.Instance), new PersonLocks(source, NullLogger<PersonLocks>.Instance));

        var held = await a.TryTakeAsync("line-u1", default);
        Assert.NotNull(held);
        Assert.Null(await a.TryTakeAsync("line-u1", default)); // this replica's other work waits too
        Assert.Null(await b.TryTakeAsync("line-u1", default));
        await using (var other = await b.TryTakeAsync("line-u2", default))
        {
            Assert.NotNull(other); // another person is free
        }

        await held!.DisposeAsync();
        var taken = await b.TryTakeAsync("line-u1", default);
        Assert.NotNull(taken);

        // A replica that dies holds nothing: the server ends its session, and the lock with it.
        await using (var admin = await source.OpenConnectionAsync())
        {
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", admin);
            await kill.ExecuteNonQueryAsync();
        }

        PersonLock? again = null;
        for (var i = 0; i < 50 && again is null; i++)
        {
            again = await a.TryTakeAsync("line-u1", default); // the terminated backend ends a moment later
            await Task.Delay(again is null ? 100 : 0);
        }

        Assert.NotNull(again);
        await again!.DisposeAsync();
        await taken!.DisposeAsync(); // its connection is gone: released without an error
    }
}
