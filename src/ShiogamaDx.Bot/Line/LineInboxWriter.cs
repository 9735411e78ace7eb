using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
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
    private readonly ILogger<LineInboxWriter> logger;
    private readonly Task loop;

    public LineInboxWriter(IServiceScopeFactory scopes, ILogger<LineInboxWriter> logger)
    {
        this.scopes = scopes;
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
        db.WritesFirst = true; // LINE waits for the 200 that follows this commit; the workers' writes can wait

        // First occurrence wins within the batch (a redelivery can arrive while the original is still waiting).
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fresh = new List<(Request Request, LineInboxEvent Row)>();
        foreach (var request in batch)
        {
            foreach (var row in request.Rows)
            {
                if (seen.Add(row.WebhookEventId))
                {
                    fresh.Add((request, row));
                }
            }
        }

        // One parameter for the list: one SQL text whatever the batch's size, not one to build per size.
        var ids = fresh.Select(f => f.Row.WebhookEventId).ToList();
        var known = (await db.Set<LineInboxEvent>().Where(e => EF.Parameter(ids).Contains(e.WebhookEventId)).Select(e => e.WebhookEventId).ToListAsync()).ToHashSet(StringComparer.Ordinal);
        var redelivered = seen.Count - fresh.Count + known.Count;
        fresh.RemoveAll(f => known.Contains(f.Row.WebhookEventId));
        if (redelivered > 0)
        {
            logger.LogInformation("LINE redelivered {Count} events already stored; not answered again", redelivered);
        }

        if (fresh.Count > 0)
        {
            db.AddRange(fresh.Select(f => f.Row));
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException)
            {
                // Another replica stored one of them in between: one by one, and the unique index drops the duplicates.
                db.ChangeTracker.Clear();
                foreach (var f in fresh.ToList())
                {
                    db.Add(f.Row);
                    try
                    {
                        await db.SaveChangesAsync();
                    }
                    catch (DbUpdateException)
                    {
                        // Only a duplicate may be dropped; any other failure (disk full, locked) must reach LINE as
                        // a 5xx, and what this loop already stored is recognised as a redelivery then.
                        db.ChangeTracker.Clear();
                        if (!await db.Set<LineInboxEvent>().AnyAsync(e => e.WebhookEventId == f.Row.WebhookEventId))
                        {
                            throw;
                        }

                        fresh.Remove(f);
                    }
                }
            }
        }

        var counts = fresh.CountBy(f => f.Request).ToDictionary();
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
}
