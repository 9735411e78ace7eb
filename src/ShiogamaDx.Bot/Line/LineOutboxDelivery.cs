using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// Delivers the outbox's "line" messages: to one person by push (reminders, surveys), to many by multicast (an
/// announcement's chunk) or to every friend by broadcast, each call with a retry key of its own derived from the message.
/// </summary>
internal sealed class LineOutboxDelivery(IServiceScopeFactory scopes, LinePushGate gate, PersonLocks people, WorkLeases leases, InboxSignal inboxSignal, OutboxSignals signals, MessageCatalog words, IOptions<LineOptions> options, Hosting.BotMetrics metrics, TimeProvider clock, ILogger<LineOutboxDelivery> logger)
    : BackgroundService
{
    public const int BatchSize = 20;

    /// <summary>The Messaging API's limit of user ids per multicast call.</summary>
    public const int MaxMulticast = 500;

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
                await DeliverDueAsync(stoppingToken);
                metrics.JobRan("line-outbox");
                await signals.WaitAsync(LineInboxChannel.Channel, options.Value.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "LINE outbox delivery failed; trying again");
                try
                {
                    await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
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
        var claimed = await outbox.ClaimDueAsync(LineInboxChannel.Channel, BatchSize, leases.Owner, leases.Duration, ct);
        try
        {
            foreach (var message in claimed)
            {
                var failure = message.RecipientsJson is null ? await DeliverAsync(message, db, client, store, locks, ct)
                    : message.ToEveryone ? await BroadcastAsync(message, client, ct)
                    : await MulticastAsync(message, db, client, ct);

                // An event of this person that came while the push held them was passed over: look again now.
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

        // The person's lock, as for their events: a worker answering them right now finishes first, and their
        // next turn (on any replica) finds this message's offers saved.
        await using var held = await people.TryTakeAsync(message.UserKey, ct);
        if (held is null)
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
        var batches = LineRenderer.Batch(LineRenderer.Render(message.Replies, words.Current));
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

    /// <summary>
    /// One message to many: to those of its recipients who are still friends, in calls of up to 500. A retry (after a
    /// 429, an outage or a crash before SentAt was saved) sends the same calls with the same keys: LINE answers 409 to
    /// those it already accepted, so nobody gets it twice. No offers are kept: an announcement has no choices.
    /// </summary>
    private async Task<LineApiOutcome?> MulticastAsync(OutboxMessage message, BotDbContext db, LineMessagingClient client, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var keys = message.Recipients ?? [];
        var friends = await db.Set<LineUser>().AsNoTracking()
            .Where(u => keys.Contains(u.UserKey) && u.Following && u.LineUserId != null)
            .Select(u => new { u.UserKey, u.LineUserId })
            .ToListAsync(ct);
        friends = [.. friends.OrderBy(f => f.UserKey, StringComparer.Ordinal)]; // the same calls on a retry
        message.Attempts++;
        var key = LineRenderer.DeriveKey("outbox:" + message.IdempotencyKey);
        var batches = LineRenderer.Batch(LineRenderer.Render(message.Replies, words.Current));
        var parts = friends.Chunk(MaxMulticast).ToList();
        LineApiResult? failure = null;
        for (var p = 0; p < parts.Count && failure is null; p++)
        {
            var to = parts[p].Select(f => f.LineUserId!).ToList();
            for (var i = 0; i < batches.Count && failure is null; i++)
            {
                var callKey = LineRenderer.BatchRetryKey(p == 0 ? key : LineRenderer.DeriveKey($"{key:N}:part:{p}"), i);
                var result = await client.MulticastAsync(to, batches[i], callKey, ct);
                failure = result.Delivered ? null : result;
            }
        }

        if (failure is null)
        {
            message.SentAt = now;
            message.LastError = null;
            message.RecipientsJson = JsonSerializer.Serialize(friends.Select(f => f.UserKey).ToList(), Outbox.Json); // those it reached
            return null;
        }

        if (failure.Outcome == LineApiOutcome.Rejected)
        {
            (message.FailedAt, message.LastError) = (now, Clip($"multicast rejected {failure.StatusCode}: {failure.Error}"));
        }
        else
        {
            message.LastError = Clip($"multicast {failure.Outcome} {failure.StatusCode}");
            message.NotBefore = now + TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Min(message.Attempts, 7) - 1)));
        }

        return failure.Outcome;
    }

    /// <summary>One message to every friend (an announcement to everyone): a broadcast, retried with the same key, so sent once.</summary>
    private async Task<LineApiOutcome?> BroadcastAsync(OutboxMessage message, LineMessagingClient client, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        message.Attempts++;
        var key = LineRenderer.DeriveKey("outbox:" + message.IdempotencyKey);
        var batches = LineRenderer.Batch(LineRenderer.Render(message.Replies, words.Current));
        LineApiResult? failure = null;
        for (var i = 0; i < batches.Count && failure is null; i++)
        {
            var result = await client.BroadcastAsync(batches[i], LineRenderer.BatchRetryKey(key, i), ct);
            failure = result.Delivered ? null : result;
        }

        if (failure is null)
        {
            (message.SentAt, message.LastError) = (now, null);
            return null;
        }

        if (failure.Outcome == LineApiOutcome.Rejected)
        {
            (message.FailedAt, message.LastError) = (now, Clip($"broadcast rejected {failure.StatusCode}: {failure.Error}"));
        }
        else
        {
            message.LastError = Clip($"broadcast {failure.Outcome} {failure.StatusCode}");
            message.NotBefore = now + TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Min(message.Attempts, 7) - 1)));
        }

        return failure.Outcome;
    }

    private static string Clip(string s) => s.Length <= 500 ? s : s[..500];
}

/// <summary>Every LINE friend (following now), by pseudonymous key: whom an announcement to everyone reaches.</summary>
internal sealed class LineRecipientDirectory(BotDbContext db) : IRecipientDirectory
{
    public string Channel => LineInboxChannel.Channel;

    public async Task<IReadOnlyList<string>> UserKeysAsync(CancellationToken cancellationToken) =>
        await db.Set<LineUser>().AsNoTracking().Where(u => u.Following && u.LineUserId != null).Select(u => u.UserKey).ToListAsync(cancellationToken);
}

/// <summary>LINE's monthly message limit, read before a large send.</summary>
internal sealed class LineMessageQuota(LineMessagingClient client, IOptions<LineOptions> options, TimeProvider clock) : IMessageQuota
{
    public string Channel => LineInboxChannel.Channel;

    public Task<long?> RemainingAsync(CancellationToken cancellationToken) =>
        options.Value.Enabled ? client.RemainingQuotaAsync(cancellationToken) : Task.FromResult<long?>(null);

    /// <summary>LINE counts a day's friends the next day (Japan time): yesterday's figure, else the day before's.</summary>
    public async Task<long?> FriendsAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), clock.LocalTimeZone).DateTime);
        return await client.FriendsAsync(today.AddDays(-1), cancellationToken) ?? await client.FriendsAsync(today.AddDays(-2), cancellationToken);
    }
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
        await db.Set<InboxItem>().Where(e => e.Channel == LineInboxChannel.Channel && e.PersonKey == userKey).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.PayloadJson, (string?)null)
            .SetProperty(e => e.RepliesJson, (string?)null), cancellationToken);
    }
}
