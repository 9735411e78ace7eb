using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Inbox;

/// <summary>A channel's way of answering one stored item: its protocol (LINE, the Bot Framework) behind one seam.</summary>
internal interface IInboxChannel
{
    /// <summary>
    /// Answers and delivers the item (its payload is there; in the scope's own DbContext), recording each step on it
    /// (<see cref="InboxOutcomes"/>). False when it waits for a retry (its <see cref="InboxItem.NextAttemptAt"/> set),
    /// and the person's later items with it.
    /// </summary>
    Task<bool> HandleAsync(InboxItem item, CancellationToken ct);
}

public sealed class InboxOptions
{
    public const string SectionName = "Inbox";

    /// <summary>How often due retries are looked for when nothing woke the worker (a store or a finished person does).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>People answered at the same time (each one's items in order). More overlaps more round trips to LINE and the connector.</summary>
    [Range(1, 256)]
    public int ParallelPeople { get; set; } = 16;
}

/// <summary>
/// Answers the inbox: a round claims people whose oldest pending item is due, and answers each person's items in
/// order, one at a time, each in its own DI scope and DbContext; different people in parallel, at most
/// <see cref="InboxOptions.ParallelPeople"/>. An item is finished only after its answer was delivered, so what a
/// stop or crash left is answered at the next start (or by another replica: <see cref="PersonLocks"/>).
/// </summary>
internal sealed class InboxWorker(IServiceScopeFactory scopes, InboxSignal signal, PersonLocks locks, InboxSchedule schedule, IOptions<InboxOptions> options, IOptions<HostOptions> host, TimeProvider clock, ILogger<InboxWorker> logger)
    : BackgroundService
{
    /// <summary>Handled items are kept this long (ids only, payload cleared) so late redeliveries are still recognised.</summary>
    public static readonly TimeSpan KeepHandled = TimeSpan.FromDays(30);

    // The item's read: it runs for every item.
    private static readonly CompiledQuery<long, InboxItem?> PendingById =
        new((db, id, ct) => db.Set<InboxItem>().FirstOrDefault(i => i.Id == id && i.Status == InboxStatus.Pending));

    /// <summary>Items of one person answered before their place is given back: a flood never holds a place for long.</summary>
    private const int ItemsPerTurn = 20;

    /// <summary>People not asked for again before a time: another replica holds them, or their item failed unexpectedly.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> resting = new(StringComparer.Ordinal);
    private readonly List<Task> working = [];

    // Cancelled only when the host's shutdown timeout runs out: an answer being delivered at a stop is finished,
    // not cut between the channel's 200 and the save (which would answer it twice after the restart).
    private readonly CancellationTokenSource hardStop = new();
    private DateTimeOffset lastCleanup = DateTimeOffset.MinValue;
    private DateTimeOffset lastLoad = DateTimeOffset.MinValue;
    private bool disposed;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Real time, whatever clock the host runs on: a delivery waiting out a retry delay does not hold the stop.
        if (!disposed)
        {
            hardStop.CancelAfter(host.Value.ShutdownTimeout);
        }

        await using var registration = cancellationToken.Register(hardStop.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        disposed = true;
        hardStop.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ClaimDueAsync(stoppingToken);
                await signal.WaitAsync(options.Value.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Inbox worker failed; trying again");
                try
                {
                    await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        // Graceful stop: no new item is started; the ones being answered finish (or stay pending for the next start).
        await Task.WhenAll(working);
    }

    /// <summary>Starts work on people whose oldest pending item is due, as many as there are free places.</summary>
    private async Task ClaimDueAsync(CancellationToken stopping)
    {
        working.RemoveAll(t => t.IsCompleted);
        var free = options.Value.ParallelPeople - working.Count;
        if (free <= 0)
        {
            return; // a finished person wakes this loop
        }

        var now = clock.GetUtcNow();
        foreach (var (key, until) in resting.Where(e => e.Value <= now))
        {
            resting.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
        }

        if (schedule.Enabled)
        {
            if (now - lastLoad >= options.Value.PollInterval)
            {
                await LoadPendingAsync(stopping);
                lastLoad = now;
            }

            foreach (var entry in schedule.Due(now, free, person => locks.IsHeld(person) || resting.ContainsKey(person)))
            {
                if (await locks.TryTakeAsync(entry.Person, stopping) is { } held)
                {
                    working.Add(Task.Run(() => WorkAsync(held, entry.Id, null, entry, stopping), CancellationToken.None));
                }
            }
        }
        else
        {
            await ClaimFromInboxAsync(now, free, stopping);
        }

        await CleanUpAsync(now, stopping);
    }

    /// <summary>Replicas: people whose oldest pending item is due, read from the inbox that every replica shares.</summary>
    private async Task ClaimFromInboxAsync(DateTimeOffset now, int free, CancellationToken stopping)
    {
        var busy = locks.Held.Concat(resting.Keys).Take(1000).ToList();
        List<InboxItem> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            // Each person's oldest pending item only, when it is due: a later item never overtakes an earlier one
            // that waits for its retry. Read through the (PersonKey, Status, Timestamp) index.
            var inbox = scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<InboxItem>();
            due = await inbox.AsNoTracking()
                    .Where(i => i.Status == InboxStatus.Pending && i.NextAttemptAt <= now
                                && (i.PersonKey == null || (!EF.Parameter(busy).Contains(i.PersonKey)
                                    && !inbox.Any(o => o.PersonKey == i.PersonKey && o.Status == InboxStatus.Pending
                                                       && (o.Timestamp < i.Timestamp || (o.Timestamp == i.Timestamp && o.Id < i.Id))))))
                    .OrderBy(i => i.NextAttemptAt).ThenBy(i => i.Timestamp)
                    .Take(free)
                    .ToListAsync(stopping);
        }

        foreach (var first in due)
        {
            var key = InboxSchedule.Entry.Of(first.Id, first.PersonKey, first.Timestamp, first.NextAttemptAt).Person;
            if (await locks.TryTakeAsync(key, stopping) is { } held)
            {
                working.Add(Task.Run(() => WorkAsync(held, first.Id, first.PersonKey, null, stopping), CancellationToken.None));
            }
            else if (!locks.IsHeld(key))
            {
                resting[key] = now + options.Value.PollInterval; // another replica answers them now
            }
        }
    }

    /// <summary>Every pending item into the schedule: at start, and once per poll interval for rows this process did not write.</summary>
    private async Task LoadPendingAsync(CancellationToken stopping)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pending = await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<InboxItem>().AsNoTracking()
            .Where(i => i.Status == InboxStatus.Pending)
            .Select(i => new { i.Id, i.PersonKey, i.Timestamp, i.NextAttemptAt })
            .ToListAsync(stopping);
        schedule.Add(pending.Select(i => InboxSchedule.Entry.Of(i.Id, i.PersonKey, i.Timestamp, i.NextAttemptAt)));
    }

    /// <summary>
    /// One person's pending items, oldest first, until one waits for a retry or none is left. In one process the
    /// first item only: the round that the freed place wakes takes their next one from the schedule.
    /// </summary>
    private async Task WorkAsync(PersonLock held, long firstId, string? personKey, InboxSchedule.Entry? scheduled, CancellationToken stopping)
    {
        try
        {
            for (var n = 0; n < ItemsPerTurn && !stopping.IsCancellationRequested && (n == 0 || locks.Shared); n++)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();

                // One connection for the item's dozen statements (the read, the turn, two commits), closed with the
                // scope: EF would take it from the pool and give it back around each of them.
                await db.Database.OpenConnectionAsync(stopping);

                // Read under the person's lock: in one process by id (the schedule may know of an item another
                // path finished); with replicas the person's oldest pending item, which another replica may have
                // answered since the round saw it.
                var item = personKey is null || scheduled is not null
                    ? await PendingById.RunAsync(db, firstId, stopping)
                    : await db.Set<InboxItem>().Where(i => i.Status == InboxStatus.Pending && i.PersonKey == personKey)
                        .OrderBy(i => i.Timestamp).ThenBy(i => i.Id)
                        .FirstOrDefaultAsync(stopping);
                if (item is null || item.NextAttemptAt > clock.GetUtcNow())
                {
                    Record(scheduled, item);
                    return;
                }

                var handled = await HandleAsync(scope.ServiceProvider, item);
                Record(scheduled, item);
                if (!handled)
                {
                    if (item.Status == InboxStatus.Pending && item.NextAttemptAt <= clock.GetUtcNow())
                    {
                        resting[held.Key] = clock.GetUtcNow() + options.Value.PollInterval; // not at once again: it failed unexpectedly
                    }

                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // stopping: what was not done stays pending for the next start
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Inbox worker for one person failed; their items stay pending");
        }
        finally
        {
            await held.DisposeAsync();
            if (!stopping.IsCancellationRequested)
            {
                signal.Notify(); // a place is free; this person may have more
            }
        }
    }

    /// <summary>How the scheduled item ended: gone or no longer pending, or waiting for its retry.</summary>
    private void Record(InboxSchedule.Entry? scheduled, InboxItem? item)
    {
        if (scheduled is not { } entry)
        {
            return;
        }

        if (item is not { Status: InboxStatus.Pending })
        {
            schedule.Finished(entry);
        }
        else if (item.NextAttemptAt != entry.Due)
        {
            schedule.Postpone(entry, item.NextAttemptAt);
        }
    }

    private async Task<bool> HandleAsync(IServiceProvider services, InboxItem item)
    {
        using var correlation = LoggingExtensions.BeginEventScope(item.Channel, item.EventId);
        var channel = services.GetKeyedService<IInboxChannel>(item.Channel);
        try
        {
            if (channel is null || item.PayloadJson is null)
            {
                // A cleared payload: the person unsent the message, or their data was erased.
                var (status, reason) = channel is null ? (InboxStatus.Skipped, "no such channel") : (InboxStatus.Done, "payload cleared (unsent or erased)");
                return await services.GetRequiredService<InboxOutcomes>().FinishAsync(item, status, reason, hardStop.Token);
            }

            return await channel.HandleAsync(item, hardStop.Token);
        }
        catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Inbox item {ItemId} failed; it stays pending", item.Id);
            return false;
        }
    }

    private async Task CleanUpAsync(DateTimeOffset now, CancellationToken stopping)
    {
        if (now - lastCleanup < TimeSpan.FromHours(1))
        {
            return;
        }

        lastCleanup = now;
        var cutoff = now - KeepHandled;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<InboxItem>()
            .Where(i => i.Status != InboxStatus.Pending && i.ReceivedAt < cutoff)
            .ExecuteDeleteAsync(stopping);
    }
}
