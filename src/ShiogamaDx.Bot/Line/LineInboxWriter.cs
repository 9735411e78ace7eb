using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// Group commit for the webhook inbox: concurrent webhook requests hand their rows to one writer, which stores
/// everything waiting in one transaction and then lets each request answer. A request still gets its 200 only
/// after its own rows are committed; under a burst hundreds of requests share one commit instead of queueing for
/// SQLite's single write lock one by one.
/// </summary>
internal sealed class LineInboxWriter : IAsyncDisposable
{
    /// <summary>Rows per transaction at most: a commit stays a few milliseconds even in a burst.</summary>
    internal const int MaxBatchRows = 512;

    private readonly Channel<Request> requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory scopes;
    private readonly LineInboxSignal signal;
    private readonly ILogger<LineInboxWriter> logger;
    private readonly Task loop;
    private InboxInsert? insert;

    public LineInboxWriter(IServiceScopeFactory scopes, LineInboxSignal signal, ILogger<LineInboxWriter> logger)
    {
        this.scopes = scopes;
        this.signal = signal;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    /// <returns>How many of the rows were new (a redelivered event is not stored twice).</returns>
    public async Task<int> StoreAsync(IReadOnlyList<LineInboxEvent> rows, CancellationToken ct)
    {
        var request = new Request(rows, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!requests.Writer.TryWrite(request))
        {
            throw new InvalidOperationException("The LINE inbox is closed: the host is stopping.");
        }

        // The caller's cancellation (LINE hung up) does not undo a commit already under way; it only stops waiting.
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
                rows += next.Rows.Count;
            }

            try
            {
                await StoreBatchAsync(batch);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Storing {Count} LINE webhook requests failed; LINE gets an error and redelivers", batch.Count);
                foreach (var r in batch)
                {
                    r.Stored.TrySetException(ex);
                }
            }
        }
    }

    private async Task StoreBatchAsync(List<Request> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        using var goFirst = db.WriteFirst(); // LINE waits for the 200 that follows this commit; the workers' writes can wait

        // First occurrence wins within the batch (a redelivery can arrive while the original is still waiting).
        // In id order: two PostgreSQL replicas given the same events in another order would otherwise wait on each
        // other's rows (ON CONFLICT) and deadlock.
        var first = batch.SelectMany(request => request.Rows.Select(row => (Request: request, Row: row)))
            .DistinctBy(f => f.Row.WebhookEventId, StringComparer.Ordinal)
            .OrderBy(f => f.Row.WebhookEventId, StringComparer.Ordinal)
            .ToList();
        insert ??= InboxInsert.For(db);
        var stored = await insert.RunAsync(db, first.ConvertAll(f => f.Row));
        if (stored.Count > 0)
        {
            signal.Notify(); // here, not only in the request: a request that stopped waiting still stored its events
        }

        var redelivered = batch.Sum(r => r.Rows.Count) - stored.Count;
        if (redelivered > 0)
        {
            logger.LogInformation("LINE redelivered {Count} events already stored; not answered again", redelivered);
        }

        var counts = first.Where(f => stored.Contains(f.Row.WebhookEventId)).CountBy(f => f.Request).ToDictionary();
        foreach (var request in batch)
        {
            request.Stored.TrySetResult(counts.GetValueOrDefault(request));
        }
    }

    public async ValueTask DisposeAsync()
    {
        requests.Writer.TryComplete();
        await loop; // what was accepted is committed (or failed) before the host stops
    }

    private sealed record Request(IReadOnlyList<LineInboxEvent> Rows, TaskCompletionSource<int> Stored);

    /// <summary>
    /// The batch's rows as INSERT … ON CONFLICT DO NOTHING RETURNING, a few hundred rows a statement: the unique
    /// WebhookEventId drops what is already stored (a redelivery, or another replica's insert), and the database
    /// names the rows that are new. EF Core's SaveChanges built a command, its SQL and its parameters row by row,
    /// after a query for the ids already stored: in a burst that was the largest share of a webhook's cost.
    /// Column names, parameters and value conversions come from the EF model, so both providers get their own.
    /// </summary>
    private sealed class InboxInsert
    {
        /// <summary>Below SQLite's 32,766 and PostgreSQL's 65,535 parameters a statement.</summary>
        private const int MaxParameters = 30_000;

        private readonly IProperty[] columns;
        private readonly string into;
        private readonly string returning;
        private readonly ISqlGenerationHelper sql;

        private InboxInsert(IProperty[] columns, string into, string returning, ISqlGenerationHelper sql)
        {
            this.columns = columns;
            this.into = into;
            this.returning = returning;
            this.sql = sql;
        }

        public static InboxInsert For(BotDbContext db)
        {
            var entity = db.Model.FindEntityType(typeof(LineInboxEvent))!;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            string Column(IProperty p) => sql.DelimitIdentifier(p.GetColumnName(table)!);

            // Every column but the generated key.
            var columns = entity.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never)).ToArray();
            var id = entity.FindProperty(nameof(LineInboxEvent.WebhookEventId))!;
            return new InboxInsert(
                columns,
                $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(Column))}) VALUES ",
                $" ON CONFLICT ({Column(id)}) DO NOTHING RETURNING {Column(id)}",
                sql);
        }

        private List<RawSqlCommand> Build(BotDbContext db, IRelationalConnection connection, List<LineInboxEvent> rows)
        {
            var commands = db.GetService<IRawSqlCommandBuilder>();
            using var parameterFactory = connection.DbConnection.CreateCommand();
            var perStatement = MaxParameters / columns.Length;
            var text = new StringBuilder();
            var built = new List<RawSqlCommand>();
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var chunk = rows.GetRange(start, Math.Min(perStatement, rows.Count - start));
                var parameters = new List<object>(chunk.Count * columns.Length);
                text.Clear().Append(into);
                for (var r = 0; r < chunk.Count; r++)
                {
                    text.Append(r == 0 ? "(" : ", (");
                    for (var c = 0; c < columns.Length; c++)
                    {
                        var name = "p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
                        text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder(name));
                        var property = columns[c];
                        parameters.Add(property.GetRelationalTypeMapping().CreateParameter(parameterFactory, sql.GenerateParameterName(name), property.GetGetter().GetClrValue(chunk[r]), property.IsNullable));
                    }

                    text.Append(')');
                }

                built.Add(commands.Build(text.Append(returning).ToString(), parameters, db.Model));
            }

            return built;
        }

        /// <returns>The WebhookEventIds stored now.</returns>
        public async Task<HashSet<string>> RunAsync(BotDbContext db, List<LineInboxEvent> rows)
        {
            var stored = new HashSet<string>(StringComparer.Ordinal);
            if (rows.Count == 0)
            {
                return stored;
            }

            // Through EF's own command pipeline (not a bare ADO.NET command): its interceptors, the SQLite write
            // gate among them, see the transaction and the statements, and so do its logs. Not a FromSql query:
            // that would compile and cache a query for every row count. The SQL and its parameters are built
            // before the transaction begins, so the write gate is held only while SQLite writes. (Each statement
            // committing on its own, without the transaction, was tried: acknowledgements were no faster, and in one
            // run of four they fell 11 s behind.)
            var connection = db.GetService<IRelationalConnection>();
            var log = db.GetService<IRelationalCommandDiagnosticsLogger>();
            var commands = Build(db, connection, rows);
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var command in commands)
            {
                await using var reader = await command.RelationalCommand.ExecuteReaderAsync(
                    new RelationalCommandParameterObject(connection, command.ParameterValues, null, db, log, CommandSource.ExecuteSqlRaw));
                while (await reader.ReadAsync())
                {
                    stored.Add(reader.DbDataReader.GetString(0));
                }
            }

            await transaction.CommitAsync();
            return stored;
        }
    }
}
