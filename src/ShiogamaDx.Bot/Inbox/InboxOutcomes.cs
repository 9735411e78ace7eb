using System.Text.Json;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Inbox;

/// <summary>How an item ends, the same for every channel: finished and counted, or tried again after a backoff.</summary>
internal sealed class InboxOutcomes(BotDbContext db, BotMetrics metrics, TimeProvider clock, ILogger<InboxOutcomes> logger)
{
    /// <summary>The answer kept with the item by an earlier attempt (a retried delivery never runs the turn again); null before the turn.</summary>
    public static IReadOnlyList<Reply>? KeptAnswer(InboxItem item) =>
        item.RepliesJson is null ? null : JsonSerializer.Deserialize<List<Reply>>(item.RepliesJson, Outbox.Json) ?? [];

    public static void Keep(InboxItem item, IReadOnlyList<Reply> answer) => item.RepliesJson = JsonSerializer.Serialize(answer.ToList(), Outbox.Json);

    /// <returns>True: the item is handled.</returns>
    public async Task<bool> FinishAsync(InboxItem item, InboxStatus status, string? error, CancellationToken ct)
    {
        item.Finish(status, error, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        if (status == InboxStatus.Failed)
        {
            logger.LogWarning("{Channel} item {ItemId} given up: {Error}", item.Channel, item.Id, item.LastError);
            metrics.Failed(item.Channel, "delivery");
        }
        else
        {
            metrics.Processed(item.Channel);
        }

        return true;
    }

    /// <summary>Tried again after a backoff (5 s doubling, at most 10 min); given up (Failed) after <paramref name="maxAttempts"/>.</summary>
    /// <returns>False while it waits for the retry; true when it was given up.</returns>
    public async Task<bool> RetryLaterAsync(InboxItem item, string error, int maxAttempts, CancellationToken ct)
    {
        if (item.RetryLater(error, clock.GetUtcNow(), maxAttempts, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10)))
        {
            logger.LogWarning("{Channel} item {ItemId} will be retried at {RetryAt:u}: {Error}", item.Channel, item.Id, item.NextAttemptAt, item.LastError);
            await db.SaveChangesAsync(ct);
            return false;
        }

        return await FinishAsync(item, InboxStatus.Failed, item.LastError, ct);
    }
}
