using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// Works the stored webhook events: each person's in timestamp order (one at a time), different people in
/// parallel. Several replicas share the inbox: a person's events are answered under a lease on that person
/// (<see cref="UserLease"/>), so another replica never answers their next event while this one holds an earlier.
/// An event is marked done only after its answer was delivered, so events left over by a stop or crash are
/// picked up at the next start, or by another replica once the crashed one's lease expired. A person whose
/// delivery hangs (LINE slow for them) holds one slot only: the others keep being served, and one person's
/// backlog is taken a few events a round so it never hides the others.
/// </summary>
internal sealed class LineEventProcessor(IServiceScopeFactory scopes, LineInboxSignal signal, WorkLeases leases, IOptions<LineOptions> options, TimeProvider clock, ILogger<LineEventProcessor> logger)
    : BackgroundService
{
    private const int MaxParallelPeople = 4;

    /// <summary>Events of one person fetched per round: a flood of one person never fills the whole fetch.</summary>
    private const int EventsPerPersonPerRound = 20;

    /// <summary>Handled events are kept this long (ids only, payload already cleared) so late redeliveries are still recognised.</summary>
    public static readonly TimeSpan KeepHandledEvents = TimeSpan.FromDays(30);

    private readonly SemaphoreSlim slots = new(MaxParallelPeople, MaxParallelPeople);
    private readonly ConcurrentDictionary<string, byte> busyPeople = new(StringComparer.Ordinal);
    private readonly List<Task> inFlight = [];

    // Cancelled only when the host's shutdown timeout runs out: an answer being delivered at a stop is finished,
    // not cut between LINE's 200 and the save (which would answer it twice after the restart).
    private readonly CancellationTokenSource hardStop = new();

    private DateTimeOffset lastCleanup = DateTimeOffset.MinValue;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(hardStop.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        hardStop.Dispose();
        slots.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("LINE channel is off: set Line:ChannelSecret and Line:ChannelAccessToken to turn it on");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ProcessDueAsync(stoppingToken);
                await signal.WaitAsync(options.Value.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "LINE event worker failed; trying again");
                if (!await PauseAsync(options.Value.PollInterval, clock, stoppingToken))
                {
                    break;
                }
            }
        }

        // Graceful stop: no new event is started; the ones being answered finish (or stay pending for the next start).
        await Task.WhenAll(inFlight);
    }

    /// <returns>false when the host is stopping.</returns>
    internal static async Task<bool> PauseAsync(TimeSpan delay, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, clock, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The lease under which one replica answers a person's events (and pushes to them), one at a time.</summary>
    public static string UserLease(string userKey) => "line-user:" + userKey;

    /// <summary>Starts a worker for every person with due events who has none running; does not wait for them.</summary>
    public async Task ProcessDueAsync(CancellationToken stopping)
    {
        inFlight.RemoveAll(t => t.IsCompleted);
        List<(long Id, string? UserKey, DateTimeOffset Timestamp, DateTimeOffset NextAttemptAt)> pending = [];
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var due = db.Set<LineInboxEvent>().Where(e => e.Status == LineEventStatus.Pending);
            var waiting = await due.GroupBy(e => e.UserKey).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(stopping);

            // Most people have a few events waiting: one query for all of them. Someone with a backlog (a flood,
            // or events without a person) is read a slice at a time, so they never crowd the others out of a round.
            var few = waiting.Where(p => p.Key is not null && p.Count <= EventsPerPersonPerRound).Select(p => p.Key!).ToList();
            var rows = await due.Where(e => few.Contains(e.UserKey!)).Select(e => new { e.Id, e.UserKey, e.Timestamp, e.NextAttemptAt }).ToListAsync(stopping);
            foreach (var many in waiting.Where(p => p.Key is null || p.Count > EventsPerPersonPerRound))
            {
                rows.AddRange(await due.Where(e => e.UserKey == many.Key)
                    .OrderBy(e => e.Timestamp).ThenBy(e => e.Id)
                    .Select(e => new { e.Id, e.UserKey, e.Timestamp, e.NextAttemptAt })
                    .Take(EventsPerPersonPerRound)
                    .ToListAsync(stopping));
            }

            pending = rows.Select(e => (e.Id, e.UserKey, e.Timestamp, e.NextAttemptAt)).ToList();
        }

        var now = clock.GetUtcNow();
        if (now - lastCleanup >= TimeSpan.FromHours(1))
        {
            lastCleanup = now;
            if (await leases.TryAcquireAsync("job:line-inbox-cleanup", WorkLeases.JobLease(TimeSpan.FromHours(1)), stopping))
            {
                await using var scope = scopes.CreateAsyncScope();
                var cutoff = now - KeepHandledEvents;
                await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<LineInboxEvent>()
                    .Where(e => e.Status != LineEventStatus.Pending && e.ReceivedAt < cutoff)
                    .ExecuteDeleteAsync(stopping);
            }
        }

        var people = pending
            .GroupBy(e => e.UserKey is { } userKey ? UserLease(userKey) : "line-event:" + e.Id)
            .Select(g => (Key: g.Key, Events: g.OrderBy(e => e.Timestamp).ThenBy(e => e.Id).ToList()))
            .OrderBy(p => p.Events[0].NextAttemptAt);
        foreach (var (key, events) in people)
        {
            // A later event never overtakes an earlier one that waits for its retry; a person already being worked
            // on gets the rest when that worker is done (it wakes this loop).
            if (events[0].NextAttemptAt > now || !busyPeople.TryAdd(key, 0))
            {
                continue;
            }

            inFlight.Add(WorkPersonAsync(key, events[0].UserKey, events[0].Id, stopping));
        }
    }

    private async Task WorkPersonAsync(string key, string? userKey, long firstEventId, CancellationToken stopping)
    {
        var all = false;
        try
        {
            await slots.WaitAsync(stopping);
            try
            {
                // Another replica answering this person keeps their order; it picks up what came meanwhile too.
                await using var lease = await leases.HoldAsync(key, stopping);
                if (lease is not null)
                {
                    all = await HandleInOrderAsync(userKey, firstEventId, lease, stopping);
                }
            }
            finally
            {
                slots.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // stopping: what was not done stays pending for the next start
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "LINE worker for one person failed; their events stay pending");
        }
        finally
        {
            busyPeople.TryRemove(key, out _);
            if (all && !stopping.IsCancellationRequested)
            {
                signal.Notify(); // this person may have more; others may have waited for a slot
            }
        }
    }

    /// <returns>true when every event read was answered (the person may have more).</returns>
    private async Task<bool> HandleInOrderAsync(string? userKey, long firstEventId, HeldLease lease, CancellationToken stopping)
    {
        // Read again under the lease: what was read before it may have been answered by another replica meanwhile.
        List<(long Id, DateTimeOffset NextAttemptAt)> events;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var query = scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<LineInboxEvent>().Where(e => e.Status == LineEventStatus.Pending);
            query = userKey is null ? query.Where(e => e.Id == firstEventId) : query.Where(e => e.UserKey == userKey);
            events = (await query.OrderBy(e => e.Timestamp).ThenBy(e => e.Id).Select(e => new { e.Id, e.NextAttemptAt })
                    .Take(EventsPerPersonPerRound).ToListAsync(stopping))
                .Select(e => (e.Id, e.NextAttemptAt)).ToList();
        }

        var now = clock.GetUtcNow();
        foreach (var (id, nextAttemptAt) in events)
        {
            // A later event never overtakes an earlier one that waits for its retry.
            if (stopping.IsCancellationRequested || lease.Lost || nextAttemptAt > now)
            {
                return false;
            }

            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<LineEventHandler>();
            try
            {
                if (!await handler.HandleAsync(id, hardStop.Token))
                {
                    return false; // waits for its retry, and the person's later events with it
                }
            }
            catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "LINE event {EventId} failed; it stays pending", id);
                return false;
            }
        }

        return events.Count > 0;
    }
}

/// <summary>Delivers the outbox's "line" messages (reminders, surveys) by push, each with a retry key of its own.</summary>
internal sealed class LineOutboxDelivery(IServiceScopeFactory scopes, LinePushGate gate, WorkLeases leases, LineInboxSignal inboxSignal, IOptions<LineOptions> options, TimeProvider clock, ILogger<LineOutboxDelivery> logger)
    : BackgroundService
{
    public const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "LINE outbox delivery failed; trying again");
                if (!await LineEventProcessor.PauseAsync(options.Value.PollInterval, clock, stoppingToken))
                {
                    return;
                }
            }
        }
    }

    /// <returns>How many messages were sent.</returns>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        if (gate.IsPaused)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        var client = scope.ServiceProvider.GetRequiredService<LineMessagingClient>();
        var store = scope.ServiceProvider.GetRequiredService<ConversationStore>();
        var locks = scope.ServiceProvider.GetRequiredService<ConversationLocks>();
        var sent = 0;
        var claimed = await outbox.ClaimDueAsync(LineEventHandler.Channel, BatchSize, leases.Owner, leases.Duration, ct);
        try
        {
            foreach (var message in claimed)
            {
                var failure = await DeliverAsync(message, db, client, store, locks, ct);

                // An event of this person that came while the push held their lease was passed over: look again now.
                inboxSignal.Notify();
                Outbox.Release(message);
                await db.SaveChangesAsync(ct);
                sent += message.SentAt is null ? 0 : 1;
                if (failure == LineApiOutcome.MonthlyLimit)
                {
                    gate.PauseForMonthlyLimit();
                    break;
                }
                else if (failure == LineApiOutcome.Unavailable)
                {
                    break; // LINE is down: the rest waits for the next round
                }
            }
        }
        finally
        {
            // What this run did not get to goes back at once, not after the claim expires.
            var left = claimed.Where(m => m.ClaimedBy is not null && m.SentAt is null && m.FailedAt is null).ToList();
            if (left.Count > 0)
            {
                left.ForEach(Outbox.Release);
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }

        return sent;
    }

    /// <returns>Why the push failed; null when it was sent, given up for this person, or left for later.</returns>
    private async Task<LineApiOutcome?> DeliverAsync(OutboxMessage message, BotDbContext db, LineMessagingClient client, ConversationStore store, ConversationLocks locks, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var user = await db.Set<LineUser>().AsNoTracking().SingleOrDefaultAsync(u => u.UserKey == message.UserKey, ct);
        if (user?.LineUserId is not { } to || !user.Following)
        {
            message.Attempts++;
            (message.FailedAt, message.LastError) = (now, "not a LINE friend (blocked, or never followed)");
            return null;
        }

        // The person's lease, as for their events: a replica answering them right now finishes first, and
        // their next turn (on any replica) finds this message's offers saved.
        await using var lease = await leases.HoldAsync(LineEventProcessor.UserLease(message.UserKey), ct);
        if (lease is null)
        {
            return null; // released by the caller and taken up at the next round
        }

        message.Attempts++;

        // Offers first, under the person's turn lock: "1" typed right after a reminder answers its buttons.
        using (await locks.AcquireAsync(message.UserKey, ct))
        {
            await store.SaveOffersAsync(message.UserKey, Offers.From(message.Replies), ct);
        }

        var key = LineRenderer.DeriveKey("outbox:" + message.IdempotencyKey);
        var batches = LineRenderer.Batch(LineRenderer.Render(message.Replies));
        LineApiResult? failure = null;
        for (var i = 0; i < batches.Count && failure is null; i++)
        {
            // Earlier batches already sent answer 409 with the same key, which counts as success.
            var result = await client.PushAsync(to, batches[i], LineRenderer.BatchRetryKey(key, i), ct);
            failure = result.Delivered ? null : result;
        }

        if (failure is null)
        {
            message.SentAt = now;
            message.LastError = null;
            return null;
        }

        if (failure.Outcome == LineApiOutcome.Rejected)
        {
            (message.FailedAt, message.LastError) = (now, Clip($"push rejected {failure.StatusCode}: {failure.Error}"));
        }
        else
        {
            message.LastError = Clip($"push {failure.Outcome} {failure.StatusCode}");
            message.NotBefore = now + TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Min(message.Attempts, 7) - 1)));
        }

        return failure.Outcome;
    }

    private static string Clip(string s) => s.Length <= 500 ? s : s[..500];
}

/// <summary>What the LINE channel keeps about a person: the raw id (for push) and stored events.</summary>
internal sealed class LineDataEraser(BotDbContext db, TimeProvider clock) : IPersonalDataEraser
{
    public async Task EraseAsync(string userKey, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.Set<LineUser>().Where(u => u.UserKey == userKey).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.LineUserId, (string?)null)
            .SetProperty(u => u.Following, false)
            .SetProperty(u => u.UpdatedAt, now), cancellationToken);
        await db.Set<LineInboxEvent>().Where(e => e.UserKey == userKey).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.PayloadJson, (string?)null)
            .SetProperty(e => e.RepliesJson, (string?)null), cancellationToken);
    }
}
