using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ShiogamaDx.Bot.Data;

/// <summary>
/// SQLite lets one connection write at a time; the others meet its busy handler, which sleeps and retries (1, 2,
/// 5 … 100 ms). Under load, with the webhook's inbox writer and several LINE workers writing at once, those
/// sleeps cost more than the writes and made a webhook wait up to seconds for its commit. Writers of this process
/// queue here instead, first come first served, woken the moment the previous writer is done. Another process on
/// the same file still meets the busy timeout, as before.
/// </summary>
/// <remarks>
/// A write is a transaction (EF's SaveChanges of several rows, migrations) from its start to its end, or one
/// writing statement outside a transaction (a single-row SaveChanges, ExecuteUpdate/Delete, the lease upsert).
/// Whatever happens, the gate is let go at the latest when the connection closes.
/// </remarks>
internal sealed class SqliteWriteGate(string dataSource) : IDbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    /// <summary>As long as the busy timeout: a writer that waits longer gets an error, as SQLite would give it.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>One gate per database file: hosts in one process (the tests) on different files never wait for each other.</summary>
    private static readonly ConcurrentDictionary<string, WriteTurns> Gates = new(StringComparer.Ordinal);

    private readonly WriteTurns gate = Gates.GetOrAdd(dataSource, _ => new WriteTurns());

    /// <summary>Connections that hold the gate, and why: a transaction, or one statement (possibly a reader still open).</summary>
    private readonly ConditionalWeakTable<DbConnection, Holder> holders = [];

    // BEGIN is run here, not by EF: when it fails (SQLITE_BUSY from another process, a cancelled token) EF tells no
    // interceptor, and the gate would stay taken until the context is disposed, maybe after a call to LINE.
    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(connection, HoldKind.Transaction, Urgent(eventData), cancellationToken);
        try
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(await connection.BeginTransactionAsync(eventData.IsolationLevel, cancellationToken));
        }
        catch
        {
            Exit(connection, HoldKind.Transaction);
            throw;
        }
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Enter(connection, HoldKind.Transaction, Urgent(eventData));
        try
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(connection.BeginTransaction(eventData.IsolationLevel));
        }
        catch
        {
            Exit(connection, HoldKind.Transaction);
            throw;
        }
    }

    public void TransactionCommitted(DbConnection connection, TransactionEndEventData eventData) => Exit(connection, HoldKind.Transaction);

    public Task TransactionCommittedAsync(DbConnection connection, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(connection, HoldKind.Transaction);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbConnection connection, TransactionEndEventData eventData) => Exit(connection, HoldKind.Transaction);

    public Task TransactionRolledBackAsync(DbConnection connection, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(connection, HoldKind.Transaction);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbConnection connection, TransactionErrorEventData eventData) => Exit(connection, HoldKind.Transaction);

    public Task TransactionFailedAsync(DbConnection connection, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(connection, HoldKind.Transaction);
        return Task.CompletedTask;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterForStatementAsync(command, Urgent(eventData), cancellationToken);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        EnterForStatement(command, Urgent(eventData));
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Exit(command.Connection, HoldKind.Statement);
        return ValueTask.FromResult(result);
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Exit(command.Connection, HoldKind.Statement);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await EnterForStatementAsync(command, Urgent(eventData), cancellationToken);
        return result;
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        EnterForStatement(command, Urgent(eventData));
        return result;
    }

    // INSERT … RETURNING writes while its reader is read: the statement ends when the reader is closed.
    public InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        Exit(command.Connection, HoldKind.Statement);
        return result;
    }

    public ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        Exit(command.Connection, HoldKind.Statement);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Exit(command.Connection, HoldKind.Statement);
        return result;
    }

    public async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await EnterForStatementAsync(command, Urgent(eventData), cancellationToken);
        return result;
    }

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        EnterForStatement(command, Urgent(eventData));
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Exit(command.Connection, HoldKind.Statement);
        return ValueTask.FromResult(result);
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Exit(command.Connection, HoldKind.Statement);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Exit(command.Connection, HoldKind.Statement);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(command.Connection, HoldKind.Statement);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Exit(command.Connection, HoldKind.Statement);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(command.Connection, HoldKind.Statement);
        return Task.CompletedTask;
    }

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Exit(connection, null);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Exit(connection, null);
        return ValueTask.FromResult(result);
    }

    // A context disposed with its connection open (a transaction whose BEGIN failed, say) closes it without Close.
    public InterceptionResult ConnectionDisposing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Exit(connection, null);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionDisposingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Exit(connection, null);
        return ValueTask.FromResult(result);
    }

    /// <summary>A statement that changes the file, outside a transaction (inside one, the transaction holds the gate).</summary>
    internal static bool IsWrite(DbCommand command)
    {
        if (command.Transaction is not null)
        {
            return false;
        }

        var sql = command.CommandText.AsSpan().TrimStart();
        return sql.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
               || sql.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
               || sql.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
               || sql.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }

    private static bool Urgent(DbContextEventData eventData) => eventData.Context is BotDbContext { WritesFirst: true };

    private Task EnterForStatementAsync(DbCommand command, bool urgent, CancellationToken ct) =>
        command.Connection is { } connection && IsWrite(command) ? EnterAsync(connection, HoldKind.Statement, urgent, ct) : Task.CompletedTask;

    private void EnterForStatement(DbCommand command, bool urgent)
    {
        if (command.Connection is { } connection && IsWrite(command))
        {
            Enter(connection, HoldKind.Statement, urgent);
        }
    }

    private async Task EnterAsync(DbConnection connection, HoldKind kind, bool urgent, CancellationToken ct)
    {
        var holder = holders.GetOrCreateValue(connection);
        if (holder.Kind is not null)
        {
            return; // this connection already writes (a statement inside its own transaction)
        }

        await gate.EnterAsync(urgent, MaxWait, ct);
        holder.Kind = kind;
    }

    private void Enter(DbConnection connection, HoldKind kind, bool urgent)
    {
        var holder = holders.GetOrCreateValue(connection);
        if (holder.Kind is not null)
        {
            return;
        }

        gate.EnterAsync(urgent, MaxWait, CancellationToken.None).GetAwaiter().GetResult(); // sync EF calls: migrations at start
        holder.Kind = kind;
    }

    /// <param name="kind">What ends; null: the connection closes, whatever it held.</param>
    private void Exit(DbConnection? connection, HoldKind? kind)
    {
        if (connection is not null && holders.TryGetValue(connection, out var holder)
            && holder.Kind is { } held && (kind is null || kind == held))
        {
            holder.Kind = null;
            gate.Exit();
        }
    }

    /// <summary>
    /// One writer at a time, in order of arrival, except that urgent writers (the webhook's inbox: LINE waits for
    /// its 200) go before the others waiting.
    /// </summary>
    internal sealed class WriteTurns
    {
        private readonly Lock sync = new();
        private readonly LinkedList<TaskCompletionSource> urgent = [];
        private readonly LinkedList<TaskCompletionSource> others = [];
        private bool held;

        public async Task EnterAsync(bool first, TimeSpan maxWait, CancellationToken ct)
        {
            TaskCompletionSource turn;
            LinkedListNode<TaskCompletionSource> node;
            lock (sync)
            {
                if (!held)
                {
                    held = true;
                    return;
                }

                turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                node = (first ? urgent : others).AddLast(turn);
            }

            try
            {
                await turn.Task.WaitAsync(maxWait, ct);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                lock (sync)
                {
                    if (node.List is { } queue)
                    {
                        queue.Remove(node); // never given the turn: just leave the queue
                    }
                    else
                    {
                        Pass(); // given the turn just as the wait ended: hand it on
                    }
                }

                if (ex is TimeoutException)
                {
                    throw new TimeoutException($"No turn to write to the database within {maxWait.TotalSeconds:0} s (another writer of this process held it).", ex);
                }

                throw;
            }
        }

        public void Exit()
        {
            lock (sync)
            {
                Pass();
            }
        }

        /// <summary>Urgent turns given in a row while others wait; then one of the others goes, so they are never starved.</summary>
        public const int UrgentInARow = 4;

        private int urgentGiven;

        private void Pass()
        {
            var next = urgentGiven >= UrgentInARow && others.First is { } waiting ? waiting : urgent.First ?? others.First;
            if (next is null)
            {
                held = false;
                urgentGiven = 0;
                return;
            }

            urgentGiven = next.List == urgent && others.First is not null ? urgentGiven + 1 : 0;

            next.List!.Remove(next);
            next.Value.SetResult(); // held stays true: the turn passes straight to the next writer
        }
    }

    private enum HoldKind
    {
        Transaction,
        Statement,
    }

    private sealed class Holder
    {
        public HoldKind? Kind { get; set; }
    }
}
