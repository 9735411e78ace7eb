using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>Dialog state per conversation, in the database so it survives restarts and is shared by replicas.</summary>
public sealed class ConversationStore(BotDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    // A day: a reminder pushed in the morning may be answered by typing its number in the evening.
    private static readonly TimeSpan OffersLifetime = TimeSpan.FromDays(1);

    /// <summary>Unchanged offers are written again only when they are this much older than new ones.</summary>
    private static readonly TimeSpan OffersRefresh = TimeSpan.FromHours(1);

    // Both run on every turn.
    private static readonly CompiledQuery<string, ConversationStateRecord?> StateByKey =
        new((db, key, ct) => db.Set<ConversationStateRecord>().FirstOrDefault(r => r.ConversationKey == key));

    private static readonly CompiledQuery<string, ConversationOffersRecord?> OffersByKey =
        new((db, key, ct) => db.Set<ConversationOffersRecord>().FirstOrDefault(r => r.ConversationKey == key));

    private Task<ConversationStateRecord?> StateQuery(string key, CancellationToken ct) => StateByKey.RunAsync(db, key, ct);

    private Task<ConversationOffersRecord?> OffersQuery(string key, CancellationToken ct) => OffersByKey.RunAsync(db, key, ct);

    private string? stateKey;
    private ConversationStateRecord? stateRecord;
    private string? offersKey;
    private ConversationOffersRecord? offersRecord;

    /// <summary>The person's state row, read once per scope (a turn loads it, then saves the dialog's next step).</summary>
    private async Task<ConversationStateRecord?> StateRecordAsync(string conversationKey, CancellationToken ct)
    {
        if (stateKey != conversationKey)
        {
            stateRecord = await StateQuery(conversationKey, ct);
            stateKey = conversationKey;
        }

        return stateRecord;
    }

    private void RemoveState(ConversationStateRecord record)
    {
        db.Remove(record);
        stateRecord = null;
    }

    public async Task<(DialogState? State, bool Expired)> LoadAsync(string conversationKey, CancellationToken ct)
    {
        var record = await StateRecordAsync(conversationKey, ct);
        if (record is null)
        {
            return (null, false);
        }

        if (record.ExpiresAt <= clock.GetUtcNow())
        {
            RemoveState(record);
            await db.SaveChangesAsync(ct);
            return (null, true);
        }

        return (JsonSerializer.Deserialize<DialogState>(record.StateJson, Json), false);
    }

    public async Task SaveAsync(string conversationKey, DialogState? state, CancellationToken ct)
    {
        var record = await StateRecordAsync(conversationKey, ct);
        if (state is null)
        {
            if (record is not null)
            {
                RemoveState(record);
                await db.SaveChangesAsync(ct);
            }

            return;
        }

        if (record is null)
        {
            record = new ConversationStateRecord { ConversationKey = conversationKey, DialogId = state.DialogId, StepId = state.StepId, StateJson = string.Empty };
            db.Add(record);
            stateRecord = record;
        }

        record.DialogId = state.DialogId;
        record.StepId = state.StepId;
        record.StateJson = JsonSerializer.Serialize(state, Json);
        record.ExpiresAt = state.ExpiresAt;
        record.UpdatedAt = clock.GetUtcNow();
        record.Version++;
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<Choice>> LoadOffersAsync(string conversationKey, CancellationToken ct)
    {
        var record = await OffersRecordAsync(conversationKey, ct);
        return record is null || record.ExpiresAt <= clock.GetUtcNow()
            ? []
            : JsonSerializer.Deserialize<List<Choice>>(record.OffersJson, Json) ?? [];
    }

    public async Task SaveOffersAsync(string conversationKey, IReadOnlyList<Choice> offers, CancellationToken ct)
    {
        // Read fresh: an outbox batch keeps one scope for many messages, and the person's turn may have changed the row meanwhile.
        offersKey = null;
        var record = await StageOffersAsync(conversationKey, offers, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (record is not null && db.Entry(record).State == EntityState.Added)
        {
            // Another replica inserted the row first: the latest offers win, as an update.
            db.Entry(record).State = EntityState.Detached;
            offersKey = null;
            var existing = await db.Set<ConversationOffersRecord>().FirstAsync(r => r.ConversationKey == conversationKey, ct);
            existing.OffersJson = record.OffersJson;
            existing.ExpiresAt = record.ExpiresAt;
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>
    /// Puts the offers into the scope's DbContext without saving: the caller commits them with its own change (a
    /// LINE event's answer), one commit instead of two. Unchanged offers write nothing.
    /// </summary>
    /// <returns>The row added or changed; null when nothing is to be written or the row is removed.</returns>
    public async Task<ConversationOffersRecord?> StageOffersAsync(string conversationKey, IReadOnlyList<Choice> offers, CancellationToken ct)
    {
        var record = await OffersRecordAsync(conversationKey, ct);
        if (offers.Count == 0)
        {
            if (record is not null)
            {
                db.Remove(record);
                offersRecord = null;
            }

            return null;
        }

        var json = JsonSerializer.Serialize(offers, Json);
        var now = clock.GetUtcNow();

        // The same menu answered again: keep the row as it is unless its lifetime is running down.
        if (record is not null && record.OffersJson == json && record.ExpiresAt - now > OffersLifetime - OffersRefresh)
        {
            return null;
        }

        if (record is null)
        {
            record = new ConversationOffersRecord { ConversationKey = conversationKey, OffersJson = string.Empty };
            db.Add(record);
            offersRecord = record;
        }

        record.OffersJson = json;
        record.ExpiresAt = now + OffersLifetime;
        return record;
    }

    /// <summary>The person's offers row, read once per scope (a turn reads it to pick a typed number, then writes it).</summary>
    private async Task<ConversationOffersRecord?> OffersRecordAsync(string conversationKey, CancellationToken ct)
    {
        if (offersKey != conversationKey)
        {
            offersRecord = await OffersQuery(conversationKey, ct);
            offersKey = conversationKey;
        }

        return offersRecord;
    }

    /// <summary>Removes every conversation state of a person (e.g. when they block the account).</summary>
    public async Task ForgetAsync(string conversationKey, CancellationToken ct)
    {
        await db.Set<ConversationStateRecord>().Where(r => r.ConversationKey == conversationKey).ExecuteDeleteAsync(ct);
        await db.Set<ConversationOffersRecord>().Where(r => r.ConversationKey == conversationKey).ExecuteDeleteAsync(ct);
        offersKey = null;
        stateKey = null;
    }
}

/// <summary>One turn at a time per conversation within this process; the inbox orders turns across replicas.</summary>
public sealed class ConversationLocks
{
    private readonly ConcurrentDictionary<string, (SemaphoreSlim Gate, int Users)> gates = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken ct)
    {
        var gate = gates.AddOrUpdate(key, _ => (new SemaphoreSlim(1, 1), 1), (_, g) => (g.Gate, g.Users + 1)).Gate;
        try
        {
            await gate.WaitAsync(ct);
        }
        catch
        {
            Release(key, entered: false);
            throw;
        }

        return new Lease(this, key);
    }

    private void Release(string key, bool entered)
    {
        while (true)
        {
            var current = gates[key];
            if (entered)
            {
                current.Gate.Release();
                entered = false;
            }

            var updated = (current.Gate, current.Users - 1);
            if (updated.Item2 == 0
                ? gates.TryRemove(new KeyValuePair<string, (SemaphoreSlim, int)>(key, current))
                : gates.TryUpdate(key, updated, current))
            {
                return;
            }
        }
    }

    private sealed class Lease(ConversationLocks owner, string key) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Release(key, entered: true);
            }
        }
    }
}
