using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Inbox;

namespace ShiogamaDx.Bot.Data;

public sealed class LeaseOptions
{
    public const string SectionName = "Leases";

    /// <summary>This replica's name on outbox claims; empty: machine name, process id and a random suffix.</summary>
    [MaxLength(60)]
    public string? Owner { get; set; }

    /// <summary>How long a claimed outbox message is held by a replica before another may take it (a crashed replica's).</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Scheduled jobs, run by one replica at a time. On PostgreSQL the replica that runs a job holds a session advisory
/// lock for it (<see cref="PersonLocks"/>, on a connection of its own) for as long as it lives; the others' tries
/// fail, and when the holder dies the server ends its session and lets go of the lock, so another replica takes the
/// job at its next round. SQLite serves one process: the jobs just run.
/// </summary>
public sealed class WorkLeases(PersonLocks locks, TimeProvider clock, IOptions<LeaseOptions> options, Hosting.BotMetrics metrics)
{
    public string Owner { get; } = options.Value.Owner is { Length: > 0 } owner
        ? owner
        : Conversations.TextNormalizer.Clip($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}", 100);

    public TimeSpan Duration => options.Value.Duration;

    /// <summary>
    /// A scheduled job's loop, the same for every job: the first run after <paramref name="firstRun"/>, then one per
    /// interval, each while this replica holds the job. A failed run is logged and tried at the next interval; every
    /// round is counted (<see cref="Hosting.BotMetrics.JobRan"/>), so a stopped job shows.
    /// </summary>
    public async Task RunPeriodicallyAsync(string name, TimeSpan interval, TimeSpan firstRun, Func<CancellationToken, Task> run, ILogger logger, CancellationToken stopping)
    {
        if (firstRun > TimeSpan.Zero)
        {
            await Task.Delay(firstRun, clock, stopping);
        }

        PersonLock? held = null;
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            do
            {
                try
                {
                    if (held is not null && !await held.StillHeldAsync(stopping))
                    {
                        await held.DisposeAsync(); // the session ended (a restarted server): another replica may hold the job now
                        held = null;
                    }

                    held ??= await locks.TryTakeAsync("job:" + name, stopping);
                    if (held is not null)
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
        finally
        {
            if (held is not null)
            {
                await held.DisposeAsync();
            }
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
