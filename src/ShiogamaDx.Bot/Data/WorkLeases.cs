using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Data;

/// <summary>
/// A piece of work one replica holds until <see cref="ExpiresAt"/>: a scheduled job ("job:class-jobs"), one
/// person's LINE events ("line-user:{key}"), content seeding at start. A replica that dies stops renewing, so
/// its leases expire and another replica takes over.
/// </summary>
public sealed class WorkLease
{
    public required string Name { get; set; }

    public required string Owner { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class WorkLeaseConfiguration : IEntityTypeConfiguration<WorkLease>
{
    public void Configure(EntityTypeBuilder<WorkLease> b)
    {
        b.ToTable("WorkLeases");
        b.HasKey(x => x.Name);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Owner).HasMaxLength(100);
    }
}

public sealed class LeaseOptions
{
    public const string SectionName = "Leases";

    /// <summary>This replica's name in the lease table; empty: machine name, process id and a random suffix.</summary>
    [MaxLength(60)]
    public string? Owner { get; set; }

    /// <summary>
    /// How long a replica holds a person's events or a claimed outbox message without renewing. Held leases are
    /// renewed every third of it, so this is also how long work of a crashed replica waits before another takes it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Leases in the database, so several replicas on one database share work without doing any of it twice.
/// One code path for SQLite and PostgreSQL: an atomic upsert that takes a lease only when it is free, expired
/// or already ours (on PostgreSQL the row lock makes the second of two racing replicas see the first's lease).
/// </summary>
public sealed class WorkLeases(IServiceScopeFactory scopes, TimeProvider clock, IOptions<LeaseOptions> options, ILogger<WorkLeases> logger)
{
    private static readonly TimeSpan MaxJobGrace = TimeSpan.FromMinutes(1);

    /// <summary>The single hold's statement, built once.</summary>
    private static readonly string TakeOneSql = TakeSql(1);

    /// <summary>Leases held by work of this process: the table knows replicas, not which of our tasks holds one.</summary>
    private readonly ConcurrentDictionary<string, bool> holding = new(StringComparer.Ordinal);

    /// <summary>Sticky leases this replica still holds in the table while no work runs under them.</summary>
    private readonly ConcurrentDictionary<string, (DateTimeOffset ExpiresAt, DateTimeOffset LastUsed)> kept = new(StringComparer.Ordinal);

    private DateTimeOffset lastIdleSweep = DateTimeOffset.MinValue;

    public string Owner { get; } = options.Value.Owner is { Length: > 0 } owner
        ? owner
        : Clip($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}", 100);

    public TimeSpan Duration => options.Value.Duration;

    /// <summary>
    /// How long a periodic job's lease lasts: one interval plus some grace. The replica that runs the job renews
    /// it at each run, so it keeps the job while it lives; when it stops, another replica takes over after this.
    /// </summary>
    public static TimeSpan JobLease(TimeSpan interval) => interval + (interval < MaxJobGrace ? interval : MaxJobGrace);

    /// <summary>Takes or renews the lease; false while another replica holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, TimeSpan duration, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var changed = await db.Database.ExecuteSqlRawAsync(TakeOneSql, TakeParameters(db, clock.GetUtcNow(), duration, [name]), ct);
        return changed == 1;
    }

    /// <summary>
    /// One statement taking or renewing the leases of {3}, {4}… for this replica ({0}) until {1}, each only where it
    /// is free, expired ({2} is now) or already ours. Same SQL on both providers (SQLite ≥ 3.24 and PostgreSQL
    /// share ON CONFLICT … DO UPDATE … WHERE). Only numbered placeholders are put into the text; every value goes
    /// as a parameter (<see cref="TakeParameters"/>).
    /// </summary>
    private static string TakeSql(int names) =>
        """INSERT INTO "WorkLeases" ("Name", "Owner", "ExpiresAt") VALUES """
        + string.Join(", ", Enumerable.Range(0, names).Select(i => $"({{{i + 3}}}, {{0}}, {{1}})"))
        + """

            ON CONFLICT ("Name") DO UPDATE SET "Owner" = excluded."Owner", "ExpiresAt" = excluded."ExpiresAt"
            WHERE "WorkLeases"."Owner" = {0} OR "WorkLeases"."ExpiresAt" <= {2}
            """;

    private object[] TakeParameters(BotDbContext db, DateTimeOffset now, TimeSpan duration, IEnumerable<string> names) =>
        [Owner, ExpiresAtInSql(db, now + duration), ExpiresAtInSql(db, now), .. names];

    /// <summary>A time as the provider stores <see cref="WorkLease.ExpiresAt"/> (SQLite: a number), for raw SQL.</summary>
    private static object ExpiresAtInSql(BotDbContext db, DateTimeOffset value) =>
        db.Model.FindEntityType(typeof(WorkLease))!.FindProperty(nameof(WorkLease.ExpiresAt))!.GetTypeMapping().Converter?.ConvertToProvider(value) ?? value;

    /// <summary>Extends a lease this replica holds; false when it expired and another replica took it.</summary>
    public Task<bool> RenewAsync(string name, TimeSpan duration, CancellationToken ct) =>
        RenewUntilAsync(name, clock.GetUtcNow() + duration, ct);

    internal async Task<bool> RenewUntilAsync(string name, DateTimeOffset until, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<WorkLease>()
            .Where(l => l.Name == name && l.Owner == Owner)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, until), ct) == 1;
    }

    public async Task ReleaseAsync(string name, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<WorkLease>()
            .Where(l => l.Name == name && l.Owner == Owner)
            .ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// Takes the lease for a piece of work and keeps renewing it until the handle is disposed, which releases it.
    /// Null while another replica, or other work of this one, holds it. A <paramref name="sticky"/> lease (a
    /// person's LINE events) is kept a little after the work instead of released: the same person's next event,
    /// seconds later, then costs no database write. <see cref="ReleaseIdleAsync"/> lets go of it later.
    /// </summary>
    public async Task<HeldLease?> HoldAsync(string name, CancellationToken ct, bool sticky = false)
    {
        if (!holding.TryAdd(name, true))
        {
            return null;
        }

        try
        {
            var duration = Duration;
            var now = clock.GetUtcNow();

            // Still ours for most of its time: nobody else can have taken it, no need to ask the database.
            if (kept.TryRemove(name, out var idle) && idle.ExpiresAt - now > duration * 2 / 3)
            {
                return new HeldLease(this, name, duration, idle.ExpiresAt, sticky, clock, logger);
            }

            if (await TryAcquireAsync(name, duration, ct))
            {
                return new HeldLease(this, name, duration, now + duration, sticky, clock, logger);
            }
        }
        catch
        {
            holding.TryRemove(name, out _);
            throw;
        }

        holding.TryRemove(name, out _);
        return null;
    }

    /// <summary>
    /// <see cref="HoldAsync"/> for many names at once (a batch of people): the ones still ours for most of their
    /// time without the database, the others in one statement. Returns those held; the rest are another's.
    /// </summary>
    public async Task<Dictionary<string, HeldLease>> HoldManyAsync(IReadOnlyCollection<string> names, CancellationToken ct, bool sticky = false)
    {
        var held = new Dictionary<string, HeldLease>(StringComparer.Ordinal);
        var ask = new List<string>();
        var duration = Duration;
        var now = clock.GetUtcNow();
        foreach (var name in names)
        {
            if (!holding.TryAdd(name, true))
            {
                continue;
            }

            if (kept.TryRemove(name, out var idle) && idle.ExpiresAt - now > duration * 2 / 3)
            {
                held[name] = new HeldLease(this, name, duration, idle.ExpiresAt, sticky, clock, logger);
            }
            else
            {
                ask.Add(name);
            }
        }

        HashSet<string> got = [];
        try
        {
            got = ask.Count == 0 ? got : await TryAcquireManyAsync(ask, now, duration, ct);
        }
        catch
        {
            // The statement may have taken some before the failure: kept, so the idle sweep lets go of them soon
            // instead of other replicas waiting for them to expire.
            ask.ForEach(name => Keep(name, now + duration));
            throw;
        }
        finally
        {
            foreach (var name in ask)
            {
                if (got.Contains(name))
                {
                    held[name] = new HeldLease(this, name, duration, now + duration, sticky, clock, logger);
                }
                else
                {
                    holding.TryRemove(name, out _);
                }
            }
        }

        return held;
    }

    private async Task<HashSet<string>> TryAcquireManyAsync(List<string> names, DateTimeOffset now, TimeSpan duration, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();

        // The names in one order for every replica (PostgreSQL locks the rows in VALUES order: two replicas never
        // wait for each other in a ring).
        names = [.. names.Order(StringComparer.Ordinal)];
        await db.Database.ExecuteSqlRawAsync(TakeSql(names.Count), TakeParameters(db, now, duration, names), ct);

        // Ours and not expired: nobody else can hold these (each name was asked for by this process's one holder).
        return (await db.Set<WorkLease>().AsNoTracking().Where(l => names.Contains(l.Name) && l.Owner == Owner && l.ExpiresAt > now)
            .Select(l => l.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>How long a sticky lease is kept after its work: a sixth of the duration (10 s by default).</summary>
    public TimeSpan KeepIdle => Duration / 6;

    internal void Keep(string name, DateTimeOffset expiresAt) => kept[name] = (expiresAt, clock.GetUtcNow());

    /// <summary>
    /// Releases the sticky leases idle for <see cref="KeepIdle"/> (all of them when <paramref name="all"/>), in one
    /// statement, so another replica can take those people at once. Called by the worker's loop.
    /// </summary>
    public async Task ReleaseIdleAsync(bool all, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (kept.IsEmpty || (!all && now - lastIdleSweep < KeepIdle / 10))
        {
            return; // called every worker round: look through the kept leases about once a second, not each time
        }

        lastIdleSweep = now;
        var cutoff = now - KeepIdle;

        // Marked as held while releasing: a hold in between would acquire a row this delete then removes.
        var names = kept.Where(k => all || k.Value.LastUsed <= cutoff).Select(k => k.Key)
            .Where(name => holding.TryAdd(name, true)).ToList();
        try
        {
            names.ForEach(name => kept.TryRemove(name, out _));
            foreach (var chunk in names.Chunk(200))
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<WorkLease>()
                    .Where(l => chunk.Contains(l.Name) && l.Owner == Owner)
                    .ExecuteDeleteAsync(ct);
            }
        }
        finally
        {
            names.ForEach(name => holding.TryRemove(name, out _));
        }
    }

    internal void Forget(string name) => holding.TryRemove(name, out _);

    /// <summary>Waits (polling) until the lease is ours, for work every replica must see done once before going on.</summary>
    public async Task<HeldLease> WaitAsync(string name, CancellationToken ct)
    {
        while (true)
        {
            if (await HoldAsync(name, ct) is { } held)
            {
                return held;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, ct);
        }
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}

/// <summary>
/// A lease held while work runs: renewed in the background when a third of its duration has passed, released (or
/// kept, when sticky) on dispose.
/// </summary>
public sealed class HeldLease : IAsyncDisposable
{
    private readonly WorkLeases leases;
    private readonly bool sticky;
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewing;
    private volatile bool lost;
    private DateTimeOffset expiresAt;

    internal HeldLease(WorkLeases leases, string name, TimeSpan duration, DateTimeOffset expiresAt, bool sticky, TimeProvider clock, ILogger logger)
    {
        this.leases = leases;
        this.sticky = sticky;
        this.expiresAt = expiresAt;
        Name = name;
        renewing = RenewAsync(duration, clock, logger);
    }

    public string Name { get; }

    /// <summary>True once a renewal found the lease expired and taken: the work must stop where it can.</summary>
    public bool Lost => lost;

    private async Task RenewAsync(TimeSpan duration, TimeProvider clock, ILogger logger)
    {
        while (!lost)
        {
            var due = expiresAt - duration * 2 / 3 - clock.GetUtcNow();

            // Not an exception per released lease: most work ends long before the first renewal.
            await Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, clock, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            try
            {
                var until = clock.GetUtcNow() + duration;
                lost = !await leases.RenewUntilAsync(Name, until, stop.Token);
                expiresAt = until;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database hiccuped: the lease still has two thirds of its time; try again.
                logger.LogWarning("Renewing lease {Lease} failed: {Error}", Name, ex.Message);
                await Task.Delay(duration / 10, clock, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        logger.LogWarning("Lease {Lease} expired and was taken by another replica", Name);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewing;
        stop.Dispose();
        try
        {
            if (lost)
            {
                return;
            }

            if (sticky)
            {
                leases.Keep(Name, expiresAt);
            }
            else
            {
                await leases.ReleaseAsync(Name, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not released: it expires on its own; nobody waits longer than its duration.
        }
        finally
        {
            leases.Forget(Name);
        }
    }
}

public static class WorkLeaseExtensions
{
    public static IServiceCollection AddWorkLeases(this IServiceCollection services)
    {
        services.AddOptions<LeaseOptions>().BindConfiguration(LeaseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WorkLeases>();
        return services;
    }
}
