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
/// picked up at the next start, or by another replica once the crashed one's lease expired.
/// </summary>
internal sealed class LineEventProcessor(IServiceScopeFactory scopes, LineInboxSignal signal, WorkLeases leases, IOptions<LineOptions> options, TimeProvider clock, ILogger<LineEventProcessor> logger)
    : BackgroundService
{
    private const int MaxParallelPeople = 4;

    /// <summary>Handled events are kept this long (ids only, payload already cleared) so late redeliveries are still recognised.</summary>
    public static readonly TimeSpan KeepHandledEvents = TimeSpan.FromDays(30);

    private DateTimeOffset lastCleanup = DateTimeOffset.MinValue;

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
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "LINE event worker failed; trying again");
                if (!await PauseAsync(options.Value.PollInterval, clock, stoppingToken))
                {
                    return;
                }
            }
        }
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

    public async Task ProcessDueAsync(CancellationToken ct)
    {
        List<(long Id, string? UserKey, DateTimeOffset NextAttemptAt)> pending;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            pending = (await db.Set<LineInboxEvent>()
                    .Where(e => e.Status == LineEventStatus.Pending)
                    .OrderBy(e => e.Timestamp).ThenBy(e => e.Id)
                    .Select(e => new { e.Id, e.UserKey, e.NextAttemptAt })
                    .Take(500)
                    .ToListAsync(ct))
                .Select(e => (e.Id, e.UserKey, e.NextAttemptAt)).ToList();
        }

        var now = clock.GetUtcNow();
        if (now - lastCleanup >= TimeSpan.FromHours(1))
        {
            lastCleanup = now;
            if (await leases.TryAcquireAsync("job:line-inbox-cleanup", WorkLeases.JobLease(TimeSpan.FromHours(1)), ct))
            {
                await using var scope = scopes.CreateAsyncScope();
                var cutoff = now - KeepHandledEvents;
                await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<LineInboxEvent>()
                    .Where(e => e.Status != LineEventStatus.Pending && e.ReceivedAt < cutoff)
                    .ExecuteDeleteAsync(ct);
            }
        }

        // People whose earliest event waits for its retry are not even leased this round.
        var people = pending.GroupBy(e => e.UserKey is { } key ? UserLease(key) : "line-event:" + e.Id)
            .Where(g => g.First().NextAttemptAt <= now)
            .ToList();
        await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelPeople, CancellationToken = ct }, async (events, token) =>
        {
            // Another replica answering this person keeps their order; it picks up what came meanwhile too.
            await using var lease = await leases.HoldAsync(events.Key, token);
            if (lease is null)
            {
                return;
            }

            var userKey = events.First().UserKey;
            var eventId = events.First().Id;

            // Until the person has nothing due: what was read before the lease may be stale, and events that
            // arrive while this replica holds the lease would otherwise wait for the next poll.
            for (var round = 0; round < 10 && !lease.Lost; round++)
            {
                if (!await ProcessPersonAsync(userKey, eventId, lease, token))
                {
                    return;
                }
            }
        });
    }

    /// <returns>false when nothing was due, or an event must wait for its retry.</returns>
    private async Task<bool> ProcessPersonAsync(string? userKey, long eventId, HeldLease lease, CancellationToken ct)
    {
        List<(long Id, DateTimeOffset NextAttemptAt)> events;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var query = scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<LineInboxEvent>().Where(e => e.Status == LineEventStatus.Pending);
            query = userKey is null ? query.Where(e => e.Id == eventId) : query.Where(e => e.UserKey == userKey);
            events = (await query.OrderBy(e => e.Timestamp).ThenBy(e => e.Id).Select(e => new { e.Id, e.NextAttemptAt }).Take(100).ToListAsync(ct))
                .Select(e => (e.Id, e.NextAttemptAt)).ToList();
        }

        var now = clock.GetUtcNow();
        foreach (var e in events)
        {
            // A later event never overtakes an earlier one that waits for its retry.
            if (e.NextAttemptAt > now || lease.Lost)
            {
                return false;
            }

            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<LineEventHandler>();
            bool finished;
            try
            {
                finished = await handler.HandleAsync(e.Id, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "LINE event {EventId} failed; it stays pending", e.Id);
                finished = false;
            }

            if (!finished)
            {
                return false;
            }
        }

        return events.Count > 0;
    }
}

/// <summary>Delivers the outbox's "line" messages (reminders, surveys) by push, each with a retry key of its own.</summary>
internal sealed class LineOutboxDelivery(IServiceScopeFactory scopes, LinePushGate gate, WorkLeases leases, IOptions<LineOptions> options, TimeProvider clock, ILogger<LineOutboxDelivery> logger)
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
