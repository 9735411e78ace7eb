using Microsoft.Data.Sqlite;

namespace ShiogamaDx.Bot.Data;

/// <summary>
/// Copies SQLite's write-ahead log into the database file in the background. By default the commit that fills the
/// log past 1,000 pages does it itself, and waits for its fsyncs (10–20 ms on a plain disk): under a burst that was
/// whichever commit came next, often the webhook's, which LINE waits on. The connections of the host turn that off
/// (<c>wal_autocheckpoint=0</c>, <see cref="DatabaseExtensions"/>); this job does the same work on its own connection.
/// A PASSIVE checkpoint never waits for readers or writers: what it cannot copy now, the next round copies.
/// </summary>
internal sealed class SqliteCheckpointer(string connectionString, TimeProvider clock, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>Often enough that the log stays a few megabytes at the city's peak (a few thousand pages a second).</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: closing the last connection checkpoints what is left
        }
    }

    /// <returns>The log's frames and how many of them are now in the database file.</returns>
    internal async Task<(int Log, int Checkpointed)> CheckpointAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? (reader.GetInt32(1), reader.GetInt32(2)) : (0, 0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never fatal (an exception leaving a BackgroundService stops the host): the log only grows until a later
            // round succeeds.
            logger.LogWarning(ex, "SQLite checkpoint failed; the next round tries again");
            return (0, 0);
        }
    }
}
