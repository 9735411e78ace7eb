using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Data;

/// <summary>
/// Leases and outbox claims as two replicas on one database see them (each replica a <see cref="WorkLeases"/>
/// with its own owner name). The same tests run on SQLite and on a real PostgreSQL server.
/// </summary>
public abstract class WorkLeaseContract
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    protected abstract Task<Dictionary<string, string?>> SettingsAsync();

    private async Task<BotApplication> StartAsync() => new(await SettingsAsync());

    internal static WorkLeases Replica(BotApplication app, string owner) =>
        new(app.Services.GetRequiredService<IServiceScopeFactory>(), app.Clock, Options.Create(new LeaseOptions { Owner = owner, Duration = Duration }), NullLogger<WorkLeases>.Instance);

    [Fact]
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

    [Fact]
    public async Task HoldMany_TakesTheFreeOnesInOneGo_AndNeverOneAnotherReplicaHolds()
    {
        using var app = await StartAsync();
        var (a, b) = (Replica(app, "replica-a"), Replica(app, "replica-b"));
        await using var one = await a.HoldAsync("line-user:1", default);
        Assert.NotNull(one);

        var byB = await b.HoldManyAsync(["line-user:3", "line-user:1", "line-user:2"], default, sticky: true);
        Assert.Equal(["line-user:2", "line-user:3"], byB.Keys.Order());
        foreach (var lease in byB.Values)
        {
            await lease.DisposeAsync(); // sticky: b keeps them a while
        }

        Assert.Empty(await a.HoldManyAsync(["line-user:2", "line-user:3"], default));

        app.Clock.Advance(Duration + TimeSpan.FromSeconds(1)); // b stopped: its kept leases expire
        var byA = await a.HoldManyAsync(["line-user:2", "line-user:3"], default);
        Assert.Equal(2, byA.Count);
        foreach (var lease in byA.Values)
        {
            await lease.DisposeAsync();
        }
    }

    [Fact]
    public async Task RacingReplicas_OneOfThemGetsTheLease()
    {
        using var app = await StartAsync();
        var replicas = Enumerable.Range(0, 6).Select(i => Replica(app, "replica-" + i)).ToList();

        var won = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.TryAcquireAsync("job:race", Duration, default))));

        Assert.Single(won, w => w);
    }

    [Fact]
    public async Task HeldLease_IsRenewedWhileHeld_AndReleasedOnDispose()
    {
        using var app = await StartAsync();
        var (a, b) = (Replica(app, "replica-a"), Replica(app, "replica-b"));

        await using (var held = await a.HoldAsync("line-user:u1", default))
        {
            Assert.NotNull(held);
            Assert.Null(await a.HoldAsync("line-user:u1", default)); // other work of the same replica waits too
            for (var i = 0; i < 4; i++)
            {
                // Past the first expiry only because the holder renews every third of the duration.
                var before = ExpiresAt(app, "line-user:u1");
                app.Clock.Advance(TimeSpan.FromSeconds(11));

                // The renewal loop may still be finishing its previous renewal when the clock moves; its next
                // delay then starts after the jump, so nudge the clock a little until it has renewed.
                await Eventually(() => ExpiresAt(app, "line-user:u1") > before, () => app.Clock.Advance(TimeSpan.FromSeconds(1)));
            }

            Assert.Null(await b.HoldAsync("line-user:u1", default));
            Assert.False(held.Lost);
        }

        await using var taken = await b.HoldAsync("line-user:u1", default);
        Assert.NotNull(taken);
    }

    [Fact]
    public async Task StickyLease_IsKeptAfterItsWork_UntilIdle_ThenReleasedForOthers()
    {
        using var app = await StartAsync();
        var (a, b) = (Replica(app, "replica-a"), Replica(app, "replica-b"));

        await using (var held = await a.HoldAsync("line-user:u2", default, sticky: true))
        {
            Assert.NotNull(held);
        }

        // Kept: the same person's next event on this replica takes it back without the other getting in between.
        Assert.Null(await b.HoldAsync("line-user:u2", default));
        await using (var again = await a.HoldAsync("line-user:u2", default, sticky: true))
        {
            Assert.NotNull(again);
            Assert.Null(await a.HoldAsync("line-user:u2", default, sticky: true)); // still one piece of work at a time
        }

        await a.ReleaseIdleAsync(all: false, default);
        Assert.Null(await b.HoldAsync("line-user:u2", default)); // used a moment ago: still kept

        app.Clock.Advance(a.KeepIdle);
        await a.ReleaseIdleAsync(all: false, default);
        await using var taken = await b.HoldAsync("line-user:u2", default);
        Assert.NotNull(taken); // released at once, long before the lease would have expired
    }

    [Fact]
    public async Task StickyLease_KeptTooLong_IsAskedForAgain_AndNotReusedOnceAnotherReplicaTookIt()
    {
        using var app = await StartAsync();
        var (a, b) = (Replica(app, "replica-a"), Replica(app, "replica-b"));
        await using (await a.HoldAsync("line-user:u3", default, sticky: true))
        {
        }

        // Kept but never released (say the worker loop stalled) past the lease's expiry: the other replica takes it,
        // and this one must not think it still holds it.
        app.Clock.Advance(Duration + TimeSpan.FromSeconds(1));
        await using (var other = await b.HoldAsync("line-user:u3", default, sticky: true))
        {
            Assert.NotNull(other);
            Assert.Null(await a.HoldAsync("line-user:u3", default, sticky: true));
        }
    }

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

    private static DateTimeOffset ExpiresAt(BotApplication app, string name) =>
        app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<WorkLease>().AsNoTracking().Single(l => l.Name == name).ExpiresAt);

    private static async Task Eventually(Func<bool> condition, Action? nudge = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var nextNudge = DateTime.UtcNow.AddMilliseconds(500);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            if (nudge is not null && DateTime.UtcNow > nextNudge)
            {
                nudge();
                nextNudge = DateTime.UtcNow.AddMilliseconds(500);
            }

            await Task.Delay(20);
        }
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
}
