using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// Counts the procedures residents ask about in memory and adds the counts to <see cref="ProcedureDemand"/>
/// every few seconds, one statement per procedure and month. One write per answered question was the only write
/// a resident's turn did on its own: under a burst, hundreds of them a second queued for SQLite's single writer
/// ahead of the answers. The price: a host killed outright loses the last seconds of counts (a statistic for the
/// DX office, not a record of anyone's request); a graceful stop writes them once the workers have finished.
/// </summary>
public sealed class ProcedureDemandCounter(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ProcedureDemandCounter> logger) : BackgroundService, IHostedLifecycleService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string ProcedureId, DateOnly Month), int> pending = new();
    // Not disposed: a host may still call StoppedAsync after disposing its services, and without a wait handle
    // a SemaphoreSlim holds nothing to free.
    private readonly SemaphoreSlim flushing = new(1, 1);

    public void Count(string procedureId)
    {
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        pending.AddOrUpdate((procedureId, new DateOnly(today.Year, today.Month, 1)), 1, (_, n) => n + 1);
    }

    /// <summary>
    /// Writes what was counted so far. Readers of the counts call it first, so this host reads its own counts.
    /// A count that cannot be written (database busy or down) is kept for the next flush, never thrown at a reader.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        // Checked under the lock: a flush under way has taken its counts out of `pending` but not yet written them.
        await flushing.WaitAsync(ct);
        try
        {
            if (pending.IsEmpty)
            {
                return;
            }

            AsyncServiceScope scope;
            try
            {
                scope = scopes.CreateAsyncScope();
            }
            catch (ObjectDisposedException)
            {
                return; // the host's services are gone (a second stop): nothing left to write with
            }

            await using var _ = scope;
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            foreach (var key in pending.Keys)
            {
                if (!pending.TryRemove(key, out var asked))
                {
                    continue;
                }

                try
                {
                    // Added in the database (same SQL on SQLite and PostgreSQL): replicas never overwrite each other's counts.
                    await db.Database.ExecuteSqlInterpolatedAsync(
                        $"""
                        INSERT INTO "ProcedureDemand" ("ProcedureId", "Month", "Asked") VALUES ({key.ProcedureId}, {key.Month}, {asked})
                        ON CONFLICT ("ProcedureId", "Month") DO UPDATE SET "Asked" = "ProcedureDemand"."Asked" + {asked}
                        """,
                        CancellationToken.None);
                }
                catch (Exception ex)
                {
                    pending.AddOrUpdate(key, asked, (_, n) => n + asked);
                    logger.LogWarning(ex, "Procedure demand counts could not be written; kept for the next try");
                    return;
                }
            }
        }
        finally
        {
            flushing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping: written below
        }
    }

    // After every hosted service has stopped (IHostedLifecycleService.StoppedAsync), not in this one's StopAsync:
    // the LINE and staff workers stop after it and finish their turns in flight, which still count.
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(CancellationToken.None);
        if (!pending.IsEmpty)
        {
            logger.LogWarning("Procedure demand counts could not be written at stop; the last {Count} are lost", pending.Values.Sum());
        }
    }
}
