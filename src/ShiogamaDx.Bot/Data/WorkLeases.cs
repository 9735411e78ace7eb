using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Data;

/// <summary>
/// A scheduled job ("job:class-jobs") one replica holds until <see cref="ExpiresAt"/>. A replica
/// that dies stops renewing, so its leases expire and another replica takes over. Only PostgreSQL has replicas.
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

    /// <summary>This replica's name in the lease table and on outbox claims; empty: machine name, process id and a random suffix.</summary>
    [MaxLength(60)]
    public string? Owner { get; set; }

    /// <summary>How long a claimed outbox message is held by a replica before another may take it (a crashed replica's).</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Job leases, so replicas on one PostgreSQL database run a scheduled job once: an atomic upsert that takes a lease
/// only when it is free, expired or already ours (the row lock makes the second of two racing replicas see the
/// first's lease). SQLite serves one process: there a lease is always this process's, and nothing is written.
/// </summary>
public sealed class WorkLeases(IServiceScopeFactory scopes, TimeProvider clock, IOptions<LeaseOptions> options, IOptions<DatabaseOptions> database, Hosting.BotMetrics metrics)
{
    private static readonly TimeSpan MaxJobGrace = TimeSpan.FromMinutes(1);

    private readonly bool shared = database.Value.Provider == "PostgreSql";

    public string Owner { get; } = options.Value.Owner is { Length: > 0 } owner
        ? owner
        : Conversations.TextNormalizer.Clip($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}", 100);

    public TimeSpan Duration => options.Value.Duration;

    /// <summary>
    /// How long a periodic job's lease lasts: one interval plus some grace. The replica that runs the job renews
    /// it at each run, so it keeps the job while it lives; when it stops, another replica takes over after this.
    /// </summary>
    public static TimeSpan JobLease(TimeSpan interval) => interval + (interval < MaxJobGrace ? interval : MaxJobGrace);

    /// <summary>
    /// A scheduled job's loop, the same for every job: the first run after <paramref name="firstRun"/>, then one per
    /// interval, each while this replica holds the job's lease. A failed run is logged and tried at the next interval;
    /// every round is counted (<see cref="Hosting.BotMetrics.JobRan"/>), so a stopped job shows.
    /// </summary>
    public async Task RunPeriodicallyAsync(string name, TimeSpan interval, TimeSpan firstRun, Func<CancellationToken, Task> run, ILogger logger, CancellationToken stopping)
    {
        if (firstRun > TimeSpan.Zero)
        {
            await Task.Delay(firstRun, clock, stopping);
        }

        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                if (await TryAcquireAsync(name, JobLease(interval), stopping))
                {
                    await run(stopping);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Job {Job} failed; it runs again in {Interval}", name, interval);
            }

            metrics.JobRan(name);
        }
        while (await timer.WaitForNextTickAsync(stopping));
    }

    /// <summary>Takes or renews the lease; false while another replica holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, TimeSpan duration, CancellationToken ct)
    {
        if (!shared)
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = clock.GetUtcNow();
        var changed = await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "WorkLeases" ("Name", "Owner", "ExpiresAt") VALUES ({0}, {1}, {2})
            ON CONFLICT ("Name") DO UPDATE SET "Owner" = excluded."Owner", "ExpiresAt" = excluded."ExpiresAt"
            WHERE "WorkLeases"."Owner" = {1} OR "WorkLeases"."ExpiresAt" <= {3}
            """,
            [name, Owner, (now + duration).ToUniversalTime(), now.ToUniversalTime()],
            ct);
        return changed == 1;
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
