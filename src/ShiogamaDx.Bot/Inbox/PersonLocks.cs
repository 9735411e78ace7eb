using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;

namespace ShiogamaDx.Bot.Inbox;

/// <summary>
/// One worker at a time per person (their answers and pushes keep their order and never overlap). In this process a
/// set of the people held; with PostgreSQL, where replicas share the inbox, also a session advisory lock per person
/// on a connection of its own: another replica's try fails while it is held, and the server lets go of it when the
/// holder's connection ends, a crashed replica's included. SQLite serves one process: the set is all it takes.
/// Scheduled jobs are held the same way, by the key "job:" and the job's name (<see cref="Data.WorkLeases"/>).
/// </summary>
/// <remarks>ADO.NET's base types, not Npgsql's: on SQLite, Npgsql is then never loaded.</remarks>
public sealed class PersonLocks(DbDataSource? postgres, ILogger<PersonLocks> logger)
{
    private readonly ConcurrentDictionary<string, byte> held = new(StringComparer.Ordinal);

    public ICollection<string> Held => held.Keys;

    public bool IsHeld(string key) => held.ContainsKey(key);

    /// <summary>Replicas share the inbox (PostgreSQL): what one read may be answered by another meanwhile.</summary>
    public bool Shared => postgres is not null;

    /// <returns>Null while this process or another replica holds the person.</returns>
    public Task<PersonLock?> TryTakeAsync(string key, CancellationToken ct) =>
        !held.TryAdd(key, 0) ? Task.FromResult<PersonLock?>(null)
        : postgres is null ? Task.FromResult<PersonLock?>(new PersonLock(this, key, null))
        : TryLockAsync(postgres, key, ct);

    private async Task<PersonLock?> TryLockAsync(DbDataSource source, string key, CancellationToken ct)
    {
        DbConnection? connection = null;
        try
        {
            connection = await source.OpenConnectionAsync(ct);
            await using var command = Command(connection, "SELECT pg_try_advisory_lock($1)", LockId(key));
            if (await command.ExecuteScalarAsync(ct) is true)
            {
                return new PersonLock(this, key, connection);
            }
        }
        catch
        {
            await ReleaseAsync(key, connection);
            throw;
        }

        await ReleaseAsync(key, connection);
        return null;
    }

    internal async ValueTask ReleaseAsync(string key, DbConnection? connection)
    {
        try
        {
            if (connection is { State: System.Data.ConnectionState.Open })
            {
                await using var command = Command(connection, "SELECT pg_advisory_unlock_all()");
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // The connection is broken: the server ends its session, and the lock with it.
            logger.LogWarning("Releasing a person's lock failed ({Error}); the server releases it with the session", ex.Message);
            ClearPool(connection!);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            held.TryRemove(key, out _);
        }
    }

    internal static DbCommand Command(DbConnection connection, string sql, long? argument = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (argument is { } value)
        {
            var parameter = command.CreateParameter();
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    // Its own method: only PostgreSQL's errors reach it, so only there is Npgsql loaded.
    private static void ClearPool(DbConnection connection) => Npgsql.NpgsqlConnection.ClearPool((Npgsql.NpgsqlConnection)connection);

    /// <summary>Advisory locks take a 64-bit key: the first 8 bytes of the key's hash (a collision only serialises two people).</summary>
    private static long LockId(string key) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("person:" + key)), 0);
}

public sealed class PersonLock(PersonLocks locks, string key, DbConnection? connection) : IAsyncDisposable
{
    private int disposed;

    public string Key => key;

    /// <summary>False once the lock's session has ended (a restarted or failed-over server): the lock is gone with it.</summary>
    public Task<bool> StillHeldAsync(CancellationToken ct) => connection is null ? Task.FromResult(true) : PingAsync(connection, ct);

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref disposed, 1) == 0 ? locks.ReleaseAsync(key, connection) : ValueTask.CompletedTask;

    private static async Task<bool> PingAsync(DbConnection connection, CancellationToken ct)
    {
        try
        {
            await using var command = PersonLocks.Command(connection, "SELECT 1");
            await command.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            return false;
        }
    }
}
