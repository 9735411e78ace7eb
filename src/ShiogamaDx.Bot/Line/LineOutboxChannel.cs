using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// Sends the outbox's "line" messages: to one person by push (reminders, surveys), to many by multicast (an
/// announcement's chunk) or to every friend by broadcast, each call with a retry key of its own derived from the message.
/// </summary>
internal sealed class LineOutboxChannel(BotDbContext db, LineMessagingClient client, ConversationStore store, ConversationLocks locks, LinePushGate gate, PersonLocks people, InboxSignal inboxSignal, MessageCatalog words, TimeProvider clock)
    : IOutboxChannel
{
    /// <summary>The Messaging API's limit of user ids per multicast call.</summary>
    public const int MaxMulticast = 500;

    public string Name => LineInboxChannel.Channel;

    public async Task<bool> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        if (gate.IsPaused)
        {
            return false;
        }

        var failure = message.RecipientsJson is null ? await PushAsync(message, ct)
            : message.ToEveryone ? await BroadcastAsync(message, ct)
            : await MulticastAsync(message, ct);

        // An event of this person that came while the push held them was passed over: look again now.
        inboxSignal.Notify();
        if (failure == LineApiOutcome.MonthlyLimit)
        {
            gate.PauseForMonthlyLimit();
        }

        return failure is not (LineApiOutcome.MonthlyLimit or LineApiOutcome.Unavailable); // LINE down: the rest waits
    }

    /// <returns>Why the push failed; null when it was sent, given up for this person, or left for later.</returns>
    private async Task<LineApiOutcome?> PushAsync(OutboxMessage message, CancellationToken ct)
    {
        var user = await db.Set<LineUser>().AsNoTracking().SingleOrDefaultAsync(u => u.UserKey == message.UserKey, ct);
        if (user?.LineUserId is not { } to || !user.Following)
        {
            message.Attempts++;
            (message.FailedAt, message.LastError) = (clock.GetUtcNow(), "not a LINE friend (blocked, or never followed)");
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
        return Record(message, "push", await SendBatchesAsync(message, (batch, i) => client.PushAsync(to, batch, LineRenderer.BatchRetryKey(key, i), ct)));
    }

    /// <summary>
    /// One message to many: to those of its recipients who are still friends, in calls of up to 500. A retry (after a
    /// 429, an outage or a crash before SentAt was saved) sends the same calls with the same keys: LINE answers 409 to
    /// those it already accepted, so nobody gets it twice. No offers are kept: an announcement has no choices.
    /// </summary>
    private async Task<LineApiOutcome?> MulticastAsync(OutboxMessage message, CancellationToken ct)
    {
        var keys = message.Recipients ?? [];
        var friends = await db.Set<LineUser>().AsNoTracking()
            .Where(u => keys.Contains(u.UserKey) && u.Following && u.LineUserId != null)
            .Select(u => new { u.UserKey, u.LineUserId })
            .ToListAsync(ct);
        friends = [.. friends.OrderBy(f => f.UserKey, StringComparer.Ordinal)]; // the same calls on a retry
        message.Attempts++;
        var key = LineRenderer.DeriveKey("outbox:" + message.IdempotencyKey);
        LineApiResult? failure = null;
        foreach (var (part, p) in friends.Chunk(MaxMulticast).Select((part, p) => (part, p)))
        {
            var to = part.Select(f => f.LineUserId!).ToList();
            var partKey = p == 0 ? key : LineRenderer.DeriveKey($"{key:N}:part:{p}");
            failure = await SendBatchesAsync(message, (batch, i) => client.MulticastAsync(to, batch, LineRenderer.BatchRetryKey(partKey, i), ct));
            if (failure is not null)
            {
                break;
            }
        }

        if (failure is null)
        {
            message.RecipientsJson = JsonSerializer.Serialize(friends.Select(f => f.UserKey).ToList(), Outbox.Json); // those it reached
        }

        return Record(message, "multicast", failure);
    }

    /// <summary>One message to every friend (an announcement to everyone): a broadcast, retried with the same key, so sent once.</summary>
    private async Task<LineApiOutcome?> BroadcastAsync(OutboxMessage message, CancellationToken ct)
    {
        message.Attempts++;
        var key = LineRenderer.DeriveKey("outbox:" + message.IdempotencyKey);
        return Record(message, "broadcast", await SendBatchesAsync(message, (batch, i) => client.BroadcastAsync(batch, LineRenderer.BatchRetryKey(key, i), ct)));
    }

    /// <summary>The message's batches of five, in order, until one fails. Batches already sent answer 409 to the same key, which counts as sent.</summary>
    private async Task<LineApiResult?> SendBatchesAsync(OutboxMessage message, Func<IReadOnlyList<LineMessage>, int, Task<LineApiResult>> send)
    {
        var batches = LineRenderer.Batch(LineRenderer.Render(message.Replies, words.Current));
        for (var i = 0; i < batches.Count; i++)
        {
            var result = await send(batches[i], i);
            if (!result.Delivered)
            {
                return result;
            }
        }

        return null;
    }

    /// <summary>Sent; or failed for good (LINE rejected it); or tried again later, with backoff up to an hour.</summary>
    private LineApiOutcome? Record(OutboxMessage message, string call, LineApiResult? failure)
    {
        var now = clock.GetUtcNow();
        if (failure is null)
        {
            (message.SentAt, message.LastError) = (now, null);
            return null;
        }

        if (failure.Outcome == LineApiOutcome.Rejected)
        {
            (message.FailedAt, message.LastError) = (now, TextNormalizer.Clip($"{call} rejected {failure.StatusCode}: {failure.Error}", 500));
        }
        else
        {
            message.LastError = TextNormalizer.Clip($"{call} {failure.Outcome} {failure.StatusCode}", 500);
            message.NotBefore = now + TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Min(message.Attempts, 7) - 1)));
        }

        return failure.Outcome;
    }
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
