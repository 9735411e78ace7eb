using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Data;

/// <summary>
/// Outbox claims as replicas on one database see them (each replica with its own owner name), on SQLite and on a
/// real PostgreSQL server; job leases and person locks, which only PostgreSQL's replicas share, on PostgreSQL.
/// </summary>
public abstract class WorkLeaseContract
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    protected abstract Task<Dictionary<string, string?>> SettingsAsync();

    private async Task<BotApplication> StartAsync() => new(await SettingsAsync());

    protected static TimeSpan LeaseDuration => Duration;

    protected async Task<BotApplication> StartAppAsync() => await StartAsync();

    internal static WorkLeases Replica(BotApplication app, string owner) =>
        new(app.Services.GetRequiredService<IServiceScopeFactory>(), app.Clock, Options.Create(new LeaseOptions { Owner = owner, Duration = Duration }), app.Services.GetRequiredService<IOptions<DatabaseOptions>>(), app.Services.GetRequiredService<ShiogamaDx.Bot.Hosting.BotMetrics>());

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
    private static readonly TimeSpan Duration = LeaseDuration;

    protected override async Task<Dictionary<string, string?>> SettingsAsync() => new()
    {
        ["Database:Provider"] = "PostgreSql",
        ["ConnectionStrings:Bot"] = await server.CreateDatabaseAsync(),
    };

    private Task<BotApplication> StartAsync() => StartAppAsync();

    [SkippableFact]
    public async Task Lease_WhenHeldByAnotherReplica_IsRefusedUntilItExpires()
    {
        using var app = await StartAsync();
        var (a, b) = (Replica(app, "replica-a"), Replica(app, "replica-b"));

        Assert.True(await a.TryAcquireAsync("job:test", Duration, default));
        Assert.False(await b.TryAcquireAsync("job:test", Duration, default));
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await a.TryAcquireAsync("job:test", Duration, default)); // the holder renews
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await b.TryAcquireAsync("job:test", Duration, default)); // renewed: 10 s left
        app.Clock.Advance(TimeSpan.FromSeconds(11));

        Assert.True(await b.TryAcquireAsync("job:test", Duration, default)); // a stopped renewing: b takes over
        Assert.False(await a.TryAcquireAsync("job:test", Duration, default));
        Assert.True(await a.TryAcquireAsync("job:other", Duration, default));
    }

    [SkippableFact]
    public async Task RacingReplicas_OneOfThemGetsTheLease()
    {
        using var app = await StartAsync();
        var replicas = Enumerable.Range(0, 6).Select(i => Replica(app, "replica-" + i)).ToList();

        var won = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.TryAcquireAsync("job:race", Duration, default))));

        Assert.Single(won, w => w);
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
