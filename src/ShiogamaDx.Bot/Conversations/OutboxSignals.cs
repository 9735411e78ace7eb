using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// Wakes a channel's outbox deliverer when a message for it is committed, so a handoff turn or an announcement goes
/// out at once instead of at the next poll (15 s for staff). Polling stays: it finds what another replica wrote
/// and what was due later (<see cref="OutboxMessage.NotBefore"/>).
/// </summary>
public sealed class OutboxSignals : IDisposable
{
    private readonly ConcurrentDictionary<string, WakeSignal> signals = new(StringComparer.Ordinal);

    public void Notify(string channel) => Of(channel).Notify();

    /// <summary>Returns when a message for <paramref name="channel"/> was committed, or after <paramref name="timeout"/>.</summary>
    public Task WaitAsync(string channel, TimeSpan timeout, TimeProvider clock, CancellationToken ct) =>
        Of(channel).WaitAsync(timeout, clock, ct);

    public void Dispose()
    {
        foreach (var signal in signals.Values)
        {
            signal.Dispose();
        }
    }

    private WakeSignal Of(string channel) => signals.GetOrAdd(channel, _ => new WakeSignal());
}

/// <summary>
/// Tells <see cref="OutboxSignals"/> which channels got a message, once the message is committed: after the save,
/// or, inside a feature's own transaction, after its commit (a deliverer woken earlier would not see the row yet).
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignals signals) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    // Per context instance (pooled contexts are reused; the set is emptied whenever it is told or rolled back).
    private readonly ConditionalWeakTable<DbContext, HashSet<string>> pending = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        TellUnlessInTransaction(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        TellUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Clear(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Clear(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Tell(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Tell(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Clear(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Clear(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Without detecting changes: SaveChanges does that right after this, and a scan of its own here doubled it on
        // every save. Outbox.AddAsync adds its messages with Add, which tracks them as Added at once.
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in tracker.Entries<OutboxMessage>())
            {
                if (entry.State == EntityState.Added)
                {
                    pending.GetOrCreateValue(context).Add(entry.Entity.Channel);
                }
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    private void TellUnlessInTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            Tell(context);
        }
    }

    private void Tell(DbContext? context)
    {
        if (context is null || !pending.TryGetValue(context, out var channels))
        {
            return;
        }

        foreach (var channel in channels)
        {
            signals.Notify(channel);
        }

        channels.Clear();
    }

    private void Clear(DbContext? context)
    {
        if (context is not null && pending.TryGetValue(context, out var channels))
        {
            channels.Clear();
        }
    }
}
