using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Inbox;

/// <summary>
/// Stores what the channels' endpoints received, once each (by channel and id), before they answer 200. Concurrent
/// requests hand their items to one writer, which stores everything waiting in one transaction (group commit): under
/// a burst hundreds of requests share one commit instead of queueing for SQLite's single write lock one by one.
/// </summary>
internal sealed class InboxWriter : IAsyncDisposable
{
    /// <summary>Rows per transaction at most: a commit stays a few milliseconds even in a burst.</summary>
    private const int MaxBatchRows = 512;

    /// <summary>
    /// Rows per INSERT statement. Microsoft.Data.Sqlite binds each parameter by searching the command's parameters by
    /// name, so a statement's cost grows with the square of its rows: InboxBenchmarks measured 0.8 ms a row in
    /// batches of 16 and 4.8 ms a row in one statement of 512. Small statements keep a burst's cost per row flat.
    /// </summary>
    private const int RowsPerStatement = 16;

    private readonly Channel<Request> requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory scopes;
    private readonly InboxSignal signal;
    private readonly InboxSchedule schedule;
    private readonly ILogger<InboxWriter> logger;
    private readonly Task loop;

    public InboxWriter(IServiceScopeFactory scopes, InboxSignal signal, InboxSchedule schedule, ILogger<InboxWriter> logger)
    {
        this.scopes = scopes;
        this.signal = signal;
        this.schedule = schedule;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    /// <returns>How many of the items were new (a redelivery is not stored twice).</returns>
    public async Task<int> StoreAsync(IReadOnlyList<InboxItem> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return 0;
        }

        var request = new Request(items, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!requests.Writer.TryWrite(request))
        {
            throw new InvalidOperationException("The inbox is closed: the host is stopping.");
        }

        // The caller's cancellation (the channel hung up) does not undo a commit under way; it only stops waiting.
        return await request.Stored.Task.WaitAsync(ct);
    }

    private async Task RunAsync()
    {
        var batch = new List<Request>();
        while (await requests.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = 0;
            while (rows < MaxBatchRows && requests.Reader.TryRead(out var next))
            {
                batch.Add(next);
                rows += next.Items.Count;
            }

            try
            {
                await StoreBatchAsync(batch);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Storing {Count} requests in the inbox failed; their channels get an error and send again", batch.Count);
                batch.ForEach(r => r.Stored.TrySetException(ex));
            }
        }
    }

    private async Task StoreBatchAsync(List<Request> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();

        // First occurrence wins (a redelivery can arrive while the original waits), in key order: two PostgreSQL
        // replicas given the same items in another order would otherwise wait on each other's rows and deadlock.
        var first = batch.SelectMany(request => request.Items.Select(item => (Request: request, Item: item)))
            .DistinctBy(f => Key(f.Item.Channel, f.Item.EventId), StringComparer.Ordinal)
            .OrderBy(f => Key(f.Item.Channel, f.Item.EventId), StringComparer.Ordinal)
            .ToList();
        var stored = await InsertAsync(db, first.ConvertAll(f => f.Item));
        if (stored.Count > 0)
        {
            foreach (var (_, item) in first)
            {
                item.Id = stored.GetValueOrDefault(Key(item.Channel, item.EventId));
            }

            schedule.Add(first.Where(f => f.Item is { Id: > 0, Status: InboxStatus.Pending }).Select(f => InboxSchedule.Entry.Of(f.Item)));
            signal.Notify(); // here, not in the request: a request that stopped waiting still stored its items
        }

        var counts = first.Where(f => stored.ContainsKey(Key(f.Item.Channel, f.Item.EventId))).CountBy(f => f.Request).ToDictionary();
        batch.ForEach(r => r.Stored.TrySetResult(counts.GetValueOrDefault(r)));
    }

    private static string Key(string channel, string id) => channel + "\n" + id;

    /// <summary>
    /// INSERT … ON CONFLICT DO NOTHING RETURNING, <see cref="RowsPerStatement"/> rows a statement: the unique (Channel, EventId) drops
    /// what is stored already (a redelivery, another replica's insert), and the database names the rows that are new and their ids.
    /// EF Core's SaveChanges built a command row by row after a query for the ids already stored: in a burst that was
    /// the largest share of a webhook's cost. Columns, parameters and conversions come from the EF model, so both
    /// providers get their own SQL.
    /// </summary>
    private static async Task<Dictionary<string, long>> InsertAsync(BotDbContext db, List<InboxItem> rows)
    {
        var entity = db.Model.FindEntityType(typeof(InboxItem))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        var columns = entity.GetProperties().Where(p => !p.IsPrimaryKey()).ToArray();
        var into = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))}) VALUES ";
        var returning = $" ON CONFLICT ({Column(nameof(InboxItem.Channel))}, {Column(nameof(InboxItem.EventId))}) DO NOTHING RETURNING {Column(nameof(InboxItem.Channel))}, {Column(nameof(InboxItem.EventId))}, {Column(nameof(InboxItem.Id))}";

        // The SQL and its parameters are built before the transaction begins; through EF's command pipeline (its
        // logs and interceptors see the statements), not a FromSql query compiled and cached for every row count.
        var connection = db.GetService<IRelationalConnection>();
        var builder = db.GetService<IRawSqlCommandBuilder>();
        var commands = new List<RawSqlCommand>();
        using (var parameterFactory = connection.DbConnection.CreateCommand())
        {
            foreach (var chunk in rows.Chunk(RowsPerStatement))
            {
                var text = new StringBuilder(into);
                var parameters = new List<object>(chunk.Length * columns.Length);
                for (var r = 0; r < chunk.Length; r++)
                {
                    text.Append(r == 0 ? "(" : ", (");
                    for (var c = 0; c < columns.Length; c++)
                    {
                        var name = "p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
                        text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder(name));
                        parameters.Add(columns[c].GetRelationalTypeMapping().CreateParameter(parameterFactory, sql.GenerateParameterName(name), columns[c].GetGetter().GetClrValue(chunk[r]), columns[c].IsNullable));
                    }

                    text.Append(')');
                }

                commands.Add(builder.Build(text.Append(returning).ToString(), parameters, db.Model));
            }
        }

        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        var log = db.GetService<IRelationalCommandDiagnosticsLogger>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var command in commands)
        {
            await using var reader = await command.RelationalCommand.ExecuteReaderAsync(
                new RelationalCommandParameterObject(connection, command.ParameterValues, null, db, log, CommandSource.ExecuteSqlRaw));
            while (await reader.ReadAsync())
            {
                stored[Key(reader.DbDataReader.GetString(0), reader.DbDataReader.GetString(1))] = reader.DbDataReader.GetInt64(2);
            }
        }

        await transaction.CommitAsync();
        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        requests.Writer.TryComplete();
        try
        {
            // What was accepted is committed (or failed) before the host stops; a store that cannot finish while
            // the host's services are being disposed does not hold the disposal (its requests got no 200).
            await loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The inbox writer did not finish its last store at the stop; those requests were not acknowledged");
        }
    }

    private sealed record Request(IReadOnlyList<InboxItem> Items, TaskCompletionSource<int> Stored);
}

/// <summary>Wakes the inbox worker when something was stored or a person was let go, so answers don't wait for the next poll.</summary>
internal sealed class InboxSignal : WakeSignal;
