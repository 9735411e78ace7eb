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
/// Most events are answered in batches of people (one event each, one commit for their answers, the deliveries at
/// the same time); the rest one person at a time. An event is marked done only after its answer was delivered, so
/// events left over by a stop or crash are picked up at the next start, or by another replica once the crashed
/// one's lease expired. A delivery that hangs holds its batch's people (or one slot) only: the other batch and the
/// one-at-a-time workers keep serving, and one person's backlog is taken an event a round so it never hides the others.
/// </summary>
internal sealed class LineEventProcessor(IServiceScopeFactory scopes, LineInboxSignal signal, WorkLeases leases, IOptions<LineOptions> options, TimeProvider clock, ILogger<LineEventProcessor> logger)
    : BackgroundService
{
    /// <summary>Rows read per free slot in a round: most people have one or two events waiting.</summary>
    private const int RowsPerFreeSlot = 4;

    /// <summary>Events of one person fetched per round: a flood of one person never fills the whole fetch.</summary>
    private const int EventsPerPersonPerRound = 20;

    /// <summary>Handled events are kept this long (ids only, payload already cleared) so late redeliveries are still recognised.</summary>
    public static readonly TimeSpan KeepHandledEvents = TimeSpan.FromDays(30);

    /// <summary>Batches worked on at the same time (one's replies on their way while another answers, or both answering).</summary>
    internal const int ParallelBatches = 2;

    /// <summary>
    /// A batch stops taking turns after this: its first person's reply waits for all of them, and reply tokens
    /// age. The people left over go in the next batch.
    /// </summary>
    private static readonly TimeSpan MaxTurnsTime = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, byte> busyPeople = new(StringComparer.Ordinal);

    /// <summary>People whose next event a batch handed on: a one-at-a-time worker takes them next.</summary>
    private readonly ConcurrentDictionary<string, byte> oneAtATime = new(StringComparer.Ordinal);

    private int batchesInFlight;
    private int slowWorkers;

    /// <summary>People whose worker stopped early (an event waits for its retry, another replica holds them): not before then.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> resting = new(StringComparer.Ordinal);
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
        try
        {
            await leases.ReleaseIdleAsync(all: true, hardStop.Token); // other replicas take these people at once
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning("Releasing the people this replica held failed ({Error}); their leases expire on their own", ex.Message);
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
    public static string UserLease(string userKey) => UserLeasePrefix + userKey;

    private const string UserLeasePrefix = "line-user:";

    /// <summary>
    /// Starts work on people with due events, without waiting for it: a batch of people (one event each, answered
    /// together: one scope, one commit for the answers, the replies at the same time, one commit marking them
    /// done), and one-at-a-time workers for what a batch hands on (pushes, retries, unfollows, groups).
    /// </summary>
    public async Task ProcessDueAsync(CancellationToken stopping)
    {
        inFlight.RemoveAll(t => t.IsCompleted);
        await leases.ReleaseIdleAsync(all: false, stopping);
        await CleanUpAsync(stopping);

        var batchSize = options.Value.BatchSize;
        var freeBatches = ParallelBatches - Volatile.Read(ref batchesInFlight);
        var freeSlow = options.Value.ParallelPeople - Volatile.Read(ref slowWorkers);
        if (freeBatches <= 0 && (freeSlow <= 0 || oneAtATime.IsEmpty))
        {
            // Work that finishes wakes this loop. Not a query per stored webhook while both batches run: events
            // without a person (groups) wait for the next free batch place, milliseconds under load.
            return;
        }

        // The oldest due events of people nobody works on yet, read through the (Status, NextAttemptAt, Timestamp)
        // index: a round costs the same with a backlog of 20 or 20,000. Someone with a backlog takes one place and
        // is left out of the next rounds while worked on, so they never crowd the others out.
        List<(long Id, string? UserKey)> due;
        var now = clock.GetUtcNow();
        foreach (var (key, until) in resting.Where(r => r.Value <= now))
        {
            resting.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
        }

        // Left out in the query (a bounded list: with LINE down, thousands may rest; most of their events are not due anyway).
        var busy = busyPeople.Keys.Concat(resting.Keys).Where(k => k.StartsWith(UserLeasePrefix, StringComparison.Ordinal))
            .Select(k => k[UserLeasePrefix.Length..]).Take(500).ToList();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            due = (await db.Set<LineInboxEvent>()
                    .Where(e => e.Status == LineEventStatus.Pending && e.NextAttemptAt <= now && (e.UserKey == null || !EF.Parameter(busy).Contains(e.UserKey)))
                    .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Timestamp)
                    .Select(e => new { e.Id, e.UserKey })
                    .Take((Math.Max(freeBatches, 0) * batchSize) + (Math.Max(freeSlow, 0) * RowsPerFreeSlot))
                    .ToListAsync(stopping))
                .Select(e => (e.Id, e.UserKey)).ToList();
        }

        var batch = new List<(string Key, string UserKey)>();
        foreach (var (id, userKey) in due)
        {
            // A person already being worked on gets the rest when that work is done (it wakes this loop). Their
            // next event is read again then, in time order: a later event never overtakes an earlier one that
            // waits for its retry.
            var key = userKey is null ? "line-event:" + id : UserLease(userKey);
            if (resting.ContainsKey(key) || busyPeople.ContainsKey(key))
            {
                continue;
            }

            if (userKey is not null && freeBatches > 0 && batch.Count < batchSize && !oneAtATime.ContainsKey(key))
            {
                busyPeople.TryAdd(key, 0);
                batch.Add((key, userKey));
            }
            else if ((userKey is null || oneAtATime.ContainsKey(key)) && freeSlow > 0 && busyPeople.TryAdd(key, 0))
            {
                freeSlow--;
                Interlocked.Increment(ref slowWorkers);
                inFlight.Add(Task.Run(() => WorkPersonAsync(key, userKey, id, stopping), CancellationToken.None));
            }
        }

        if (batch.Count > 0)
        {
            Interlocked.Increment(ref batchesInFlight);
            inFlight.Add(Task.Run(() => AnswerBatchAsync(batch, stopping), CancellationToken.None));
        }
    }

    /// <summary>
    /// Each person's next event, answered together. What a batch does not finish (a reply LINE refused or did not
    /// answer, the rest of an answer of more than five messages, an event that is not a person's message, one
    /// whose turn failed) is handed to a one-at-a-time worker, which resumes from what the batch saved. A turn
    /// that saved something of its own (a dialog step) has its answer saved with it at once, so a batch failing
    /// later never runs that turn again.
    /// </summary>
    private async Task AnswerBatchAsync(List<(string Key, string UserKey)> people, CancellationToken stopping)
    {
        var batch = new Batch(people);

        // Outlives the replies (EndBatchAsync waits for them): its HTTP client is never let go while a reply is
        // on its way, whose outcome would be unknown then (the one-at-a-time worker asks its token again).
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();

        // A batch's writes are as pressing as storing webhooks (reply tokens age): with them at the write gate,
        // each of the batch's small writes (a turn's demand count, a dialog step) would otherwise wait behind
        // a stream of webhooks, and the batch with it. Until the end, the outcomes of late replies included.
        using var goFirst = db.WriteFirst();
        try
        {
            if (!await HoldLeasesAsync(batch, stopping))
            {
                return;
            }

            var handler = scope.ServiceProvider.GetRequiredService<LineEventHandler>();
            await ReadFirstEventsAsync(batch, scope.ServiceProvider, db, stopping);
            await TakeTurnsAsync(batch, db, handler, stopping);

            // The answers and their spent reply tokens, before any reply is sent: a retry after a crash neither
            // runs a turn again nor reuses a token.
            await db.SaveChangesAsync(hardStop.Token);
            batch.AnswersSaved = true;

            await DeliverRepliesAsync(batch, db, handler);
        }
        catch (OperationCanceledException) when (hardStop.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // stopping: what was not done stays pending for the next start
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "A batch of LINE events failed {When}; its people are answered one at a time", batch.AnswersSaved ? "after its answers were saved" : "before its answers were saved");
            batch.HandOn.UnionWith(batch.Firsts.Where(r => r.Status == LineEventStatus.Pending).Select(r => UserLease(r.UserKey!)));
        }
        finally
        {
            await EndBatchAsync(batch, stopping);
        }
    }

    /// <summary>Phase 1: the people's leases (one statement for those not kept from earlier work).</summary>
    /// <returns>false when another replica holds them all.</returns>
    private async Task<bool> HoldLeasesAsync(Batch batch, CancellationToken stopping)
    {
        batch.Held = await leases.HoldManyAsync([.. batch.People.Select(p => p.Key)], stopping, sticky: true);
        foreach (var (key, _) in batch.People.Where(p => !batch.Held.ContainsKey(p.Key)))
        {
            resting[key] = clock.GetUtcNow() + options.Value.PollInterval; // another replica answers them now
        }

        return batch.Held.Count > 0;
    }

    /// <summary>Phase 2: each held person's first pending event, and their conversations read ahead in one go.</summary>
    private static async Task ReadFirstEventsAsync(Batch batch, IServiceProvider services, BotDbContext db, CancellationToken stopping)
    {
        // Read under the leases: what was read before them may have been answered by another replica meanwhile.
        var userKeys = batch.People.Where(p => batch.Held.ContainsKey(p.Key)).Select(p => p.UserKey).ToList();
        batch.Firsts = await db.Set<LineInboxEvent>()
            .Where(e => e.Status == LineEventStatus.Pending && e.UserKey != null && userKeys.Contains(e.UserKey))
            .GroupBy(e => e.UserKey)
            .Select(g => g.OrderBy(e => e.Timestamp).ThenBy(e => e.Id).First())
            .ToListAsync(stopping);

        await services.GetRequiredService<ConversationStore>().PreloadAsync([.. batch.Firsts.Select(r => r.UserKey!)], stopping);
    }

    /// <summary>
    /// Phase 3: the turns, in time order, their answers staged in the batch's DbContext (saved by the batch's
    /// commit), unless a turn saved on its own. A turn that fails, or an event that is not for a batch, is handed on.
    /// </summary>
    private async Task TakeTurnsAsync(Batch batch, BotDbContext db, LineEventHandler handler, CancellationToken stopping)
    {
        var started = clock.GetUtcNow();
        var saved = false;
        db.SavedChanges += (_, _) => saved = true;
        foreach (var row in batch.Firsts.OrderBy(r => r.Timestamp))
        {
            var key = UserLease(row.UserKey!);
            if (row.NextAttemptAt > started)
            {
                resting[key] = row.NextAttemptAt; // a later event never overtakes one that waits for its retry
                continue;
            }

            // Stopping, a lease lost (another replica may answer them now), or the batch long enough: the rest
            // stay pending for the next round, their reply tokens still fresh.
            if (stopping.IsCancellationRequested || batch.Held[key].Lost || clock.GetUtcNow() - started > MaxTurnsTime)
            {
                continue;
            }

            saved = false;
            BatchAnswer? answer;
            try
            {
                answer = await handler.AnswerInBatchAsync(row, hardStop.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !hardStop.IsCancellationRequested)
            {
                // This person only: the one-at-a-time worker retries (or gives up on) their event.
                logger.LogError(ex, "LINE event {EventId} failed in a batch; it goes on one at a time", row.Id);
                batch.HandOn.Add(key);
                continue;
            }

            if (answer is null)
            {
                batch.HandOn.Add(key);
                continue;
            }

            batch.Answers.Add((key, answer));
            if (saved)
            {
                await db.SaveChangesAsync(hardStop.Token); // the turn wrote on its own: its answer goes with it
            }
        }
    }

    /// <summary>
    /// Phase 4, after the answers' commit: the replies (or pushes, for tokens that aged in the inbox) at the same
    /// time; each outcome saved as soon as it is known, several at once when they come together (group commit),
    /// ahead of other writers: a crash between LINE's 200 for a reply and that save leaves the event to be asked
    /// again with its token after the restart, and pushed once that token expired (a reply has no retry key; a
    /// push has), so the gap is kept one short commit long.
    /// </summary>
    private async Task DeliverRepliesAsync(Batch batch, BotDbContext db, LineEventHandler handler)
    {
        batch.Replying = [.. batch.Answers.Where(a => a.Answer.Row.Status == LineEventStatus.Pending && !batch.Held[a.Key].Lost)
            .Select(a => (a.Key, a.Answer, DeliverOneAsync(handler, a.Answer)))];
        batch.HandOn.UnionWith(batch.Answers.Where(a => a.Answer.Row.Status == LineEventStatus.Pending && batch.Held[a.Key].Lost).Select(a => a.Key));
        var left = batch.Replying.ToList();
        while (left.Count > 0)
        {
            await Task.WhenAny(left.Select(r => r.Reply));
            foreach (var (key, answer, reply) in left.Where(r => r.Reply.IsCompleted).ToList())
            {
                left.RemoveAll(r => r.Answer == answer);
                StageOutcome(batch, handler, key, answer, await reply);
            }

            await SaveFinishedAsync(db); // the finished events are counted (metrics) once this commit succeeded
        }
    }

    /// <summary>A delivery's outcome staged on its event: done, retried later (a push), or handed on.</summary>
    private void StageOutcome(Batch batch, LineEventHandler handler, string key, BatchAnswer answer, BatchDelivery delivery)
    {
        var (outcome, delivered, failure) = delivery;
        answer.Row.DeliveredBatches = delivered;
        if (outcome == BatchReply.Answered)
        {
            handler.FinishInBatch(answer.Row);
        }
        else if (outcome == BatchReply.PushFailed && handler.PushFailedInBatch(answer.Row, failure!) is { } retryAt)
        {
            resting[key] = retryAt; // their later events wait behind this one
        }
        else if (outcome != BatchReply.PushFailed)
        {
            answer.Row.ReplyFailed = outcome == BatchReply.Refused;
            batch.HandOn.Add(key);
        }
    }

    private async Task<BatchDelivery> DeliverOneAsync(LineEventHandler handler, BatchAnswer answer)
    {
        try
        {
            return await handler.DeliverInBatchAsync(answer, hardStop.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Delivering LINE event {EventId} failed ({Error}); it goes on one at a time", answer.Row.Id, ex.GetType().Name);
            return new(BatchReply.NotSent, 0);
        }
    }

    /// <summary>
    /// Last, whatever happened: the replies still on their way awaited, the leases kept for the next work on
    /// these people, what was handed on marked for a one-at-a-time worker, and the people freed for the next round.
    /// </summary>
    private async Task EndBatchAsync(Batch batch, CancellationToken stopping)
    {
        await Task.WhenAll(batch.Replying.Select(r => (Task)r.Reply)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var lease in batch.Held.Values)
        {
            await lease.DisposeAsync(); // kept: a one-at-a-time worker or the next batch takes it without the database
        }

        foreach (var (key, _) in batch.People)
        {
            if (batch.HandOn.Contains(key))
            {
                oneAtATime[key] = 0;
            }

            busyPeople.TryRemove(key, out _);
        }

        Interlocked.Decrement(ref batchesInFlight);
        if (!stopping.IsCancellationRequested)
        {
            signal.Notify(); // they may have more, and a batch place is free
        }
    }

    /// <summary>One batch's state, filled in by its phases.</summary>
    private sealed class Batch(List<(string Key, string UserKey)> people)
    {
        public List<(string Key, string UserKey)> People { get; } = people;

        public Dictionary<string, HeldLease> Held { get; set; } = new(StringComparer.Ordinal);

        /// <summary>The people whose next event goes to a one-at-a-time worker after the batch.</summary>
        public HashSet<string> HandOn { get; } = new(StringComparer.Ordinal);

        public List<LineInboxEvent> Firsts { get; set; } = [];

        public List<(string Key, BatchAnswer Answer)> Answers { get; } = [];

        public List<(string Key, BatchAnswer Answer, Task<BatchDelivery> Reply)> Replying { get; set; } = [];

        /// <summary>The answers' commit succeeded: a later failure leaves them saved.</summary>
        public bool AnswersSaved { get; set; }
    }

    /// <summary>
    /// The replies were sent: not saving that would deliver them again at the next try. A busy database is waited
    /// for a little, a few times, before giving up (the events are then asked again with their reply token, or
    /// pushed with their retry key once the token expired).
    /// </summary>
    private async Task SaveFinishedAsync(BotDbContext db)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(hardStop.Token);
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or TimeoutException && attempt < 3)
            {
                logger.LogWarning("Saving a batch's delivered replies failed ({Error}); trying again", ex.InnerException?.Message ?? ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), clock, hardStop.Token);
            }
        }
    }

    private async Task CleanUpAsync(CancellationToken stopping)
    {
        var now = clock.GetUtcNow();
        if (now - lastCleanup < TimeSpan.FromHours(1))
        {
            return;
        }

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

    private async Task WorkPersonAsync(string key, string? userKey, long firstEventId, CancellationToken stopping)
    {
        var all = false;
        var restUntil = DateTimeOffset.MinValue;
        try
        {
            // Another replica answering this person keeps their order; it picks up what came meanwhile too.
            await using var lease = await leases.HoldAsync(key, stopping, sticky: true);
            if (lease is not null)
            {
                (all, restUntil) = await HandleInOrderAsync(userKey, firstEventId, lease, stopping);
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
            if (!all)
            {
                // Until then a round would pick them again at once (their later events are due) and stop again: at
                // least a poll interval, or until the event that holds the others up is due.
                var pollLater = clock.GetUtcNow() + options.Value.PollInterval;
                resting[key] = restUntil > pollLater ? restUntil : pollLater;
            }

            oneAtATime.TryRemove(key, out _); // their next event may go in a batch again
            busyPeople.TryRemove(key, out _);
            Interlocked.Decrement(ref slowWorkers);
            if (!stopping.IsCancellationRequested)
            {
                signal.Notify(); // a slot is free; this person may have more
            }
        }
    }

    /// <returns>
    /// All: every event read was answered (the person may have more). WaitUntil: when the event that stopped the
    /// others (it waits for its retry) is due, if that is known.
    /// </returns>
    private async Task<(bool All, DateTimeOffset WaitUntil)> HandleInOrderAsync(string? userKey, long firstEventId, HeldLease lease, CancellationToken stopping)
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
                return (false, nextAttemptAt);
            }

            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<LineEventHandler>();
            try
            {
                if (!await handler.HandleAsync(id, hardStop.Token))
                {
                    return (false, DateTimeOffset.MinValue); // waits for its retry, and the person's later events with it
                }
            }
            catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
            {
                return (false, DateTimeOffset.MinValue);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "LINE event {EventId} failed; it stays pending", id);
                return (false, DateTimeOffset.MinValue);
            }
        }

        return (events.Count > 0, DateTimeOffset.MinValue);
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
        await using var lease = await leases.HoldAsync(LineEventProcessor.UserLease(message.UserKey), ct, sticky: true);
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
internal sealed class LineDataEraser(BotDbContext db, KnownLineUsers knownUsers, TimeProvider clock) : IPersonalDataEraser
{
    public async Task EraseAsync(string userKey, CancellationToken cancellationToken)
    {
        knownUsers.Forget(userKey);
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
