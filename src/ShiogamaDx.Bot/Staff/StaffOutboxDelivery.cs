using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Staff;

/// <summary>
/// Delivers the outbox's proactive staff messages (surveys, notices) to each person's stored personal
/// conversation: POST {serviceUrl}v3/conversations/{conversationId}/activities.
/// </summary>
internal sealed class StaffOutboxDelivery(IServiceScopeFactory scopes, ConnectorClient connector, PrivacyKeys keys, WorkLeases leases, TimeProvider clock, ILogger<StaffOutboxDelivery> logger) : IDisposable
{
    public const int MaxAttempts = 5;
    private const int BatchSize = 20;
    private const int MaxBatchesPerRun = 25;
    private readonly SemaphoreSlim gate = new(1, 1);

    public void Dispose() => gate.Dispose();

    /// <summary>
    /// Sends what is due; returns how many were sent. Serialised in this host, and each batch claimed in the
    /// database, so a message is never sent twice by this host or by another replica.
    /// </summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            // Every message of a batch ends sent, failed or postponed, so the next batch holds new ones.
            var sent = 0;
            for (var i = 0; i < MaxBatchesPerRun; i++)
            {
                var (processed, delivered) = await DeliverBatchAsync(ct);
                sent += delivered;
                if (processed < BatchSize)
                {
                    break;
                }
            }

            return sent;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(int Processed, int Sent)> DeliverBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        var references = scope.ServiceProvider.GetRequiredService<ConversationReferenceStore>();
        var store = scope.ServiceProvider.GetRequiredService<ConversationStore>();
        var locks = scope.ServiceProvider.GetRequiredService<ConversationLocks>();
        var sent = 0;
        var due = await outbox.ClaimDueAsync(StaffActivities.Channel, BatchSize, leases.Owner, leases.Duration, ct);
        foreach (var message in due)
        {
            message.Attempts++;
            if (message.Address is not null)
            {
                await DeliverToConversationAsync(db, message, ct);
                sent += message.SentAt is null ? 0 : 1;
                Outbox.Release(message);
                await db.SaveChangesAsync(ct);
                continue;
            }

            var reference = await references.FindAsync(message.UserKey, ct);
            if (reference is null)
            {
                message.FailedAt = clock.GetUtcNow();
                message.LastError = "no conversation with this person yet (they have not talked to the bot)";
                Outbox.Release(message);
                await db.SaveChangesAsync(ct);
                continue;
            }

            try
            {
                var replies = message.Replies;

                // Offers first, under the conversation's turn lock: the person may answer (by typing "1" or a
                // label, or by the button) the moment the message arrives, and their turn must find them.
                var conversationKey = keys.Pseudonymize("staff-conv", reference.ConversationId);
                using (await locks.AcquireAsync(conversationKey, ct))
                {
                    await store.SaveOffersAsync(conversationKey, Offers.From(replies), ct);
                }

                foreach (var activity in AdaptiveCardRenderer.Render(replies, reference.ChannelId))
                {
                    message.SentId = await connector.SendAsync(reference.ServiceUrl, reference.ConversationId, Address(activity, reference), null, ct);
                }

                message.SentAt = clock.GetUtcNow();
                message.LastError = null;
                sent++;
            }
            catch (Exception ex) when (ConnectorException.IsDeliveryFailure(ex, ct))
            {
                Failed(message, ex);
            }

            Outbox.Release(message);
            await db.SaveChangesAsync(ct);
        }

        return (due.Count, sent);
    }

    /// <summary>
    /// A message for a conversation named by address (a channel of the office): posted, or the earlier message it
    /// replaces updated in place (PUT) once that one has an id.
    /// </summary>
    private async Task DeliverToConversationAsync(BotDbContext db, OutboxMessage message, CancellationToken ct)
    {
        var address = JsonSerializer.Deserialize<ConversationAddress>(message.Address!, Outbox.Json)!;
        try
        {
            string? replaceId = null;
            if (message.ReplacesKey is { } replaces)
            {
                var earlier = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.IdempotencyKey == replaces)
                    .Select(m => new { m.SentId, m.SentAt, m.FailedAt }).FirstOrDefaultAsync(ct);
                if (earlier is { SentAt: null, FailedAt: null })
                {
                    message.NotBefore = clock.GetUtcNow() + TimeSpan.FromSeconds(5); // the card is not posted yet: update it after
                    message.Attempts--;
                    return;
                }

                replaceId = earlier?.SentId;
            }

            foreach (var activity in AdaptiveCardRenderer.Render(message.Replies, address.ChannelId))
            {
                var addressed = activity with
                {
                    Conversation = new ConversationAccount(address.ConversationId) { TenantId = address.TenantId },
                    ChannelId = address.ChannelId ?? "msteams",
                    ServiceUrl = address.ServiceUrl,
                };
                message.SentId = replaceId is null
                    ? await connector.SendAsync(address.ServiceUrl, address.ConversationId, addressed, null, ct)
                    : await connector.UpdateAsync(address.ServiceUrl, address.ConversationId, replaceId, addressed, ct) ?? replaceId;
            }

            message.SentAt = clock.GetUtcNow();
            message.LastError = null;
        }
        catch (Exception ex) when (ConnectorException.IsDeliveryFailure(ex, ct))
        {
            Failed(message, ex);
        }
    }

    private void Failed(OutboxMessage message, Exception ex)
    {
        message.LastError = StaffActivities.Clip(ex.Message, 500);
        if (ex is ConnectorException { IsPermanent: true } || message.Attempts >= MaxAttempts)
        {
            message.FailedAt = clock.GetUtcNow();
        }
        else
        {
            message.NotBefore = clock.GetUtcNow() + TimeSpan.FromMinutes(Math.Pow(2, message.Attempts));
        }

        logger.LogWarning("Proactive staff message {Id} not delivered (attempt {Attempts}): {Error}", message.Id, message.Attempts, ex.Message);
    }

    private static Activity Address(Activity activity, StaffConversationReference reference) => activity with
    {
        From = new ChannelAccount(reference.BotId, reference.BotName),
        Recipient = new ChannelAccount(reference.UserId),
        Conversation = new ConversationAccount(reference.ConversationId) { TenantId = reference.TenantId },
        ChannelId = reference.ChannelId,
        ServiceUrl = reference.ServiceUrl,
    };
}

internal sealed class StaffOutboxWorker(StaffOutboxDelivery delivery, OutboxSignals signals, IOptions<StaffOptions> options, Hosting.BotMetrics metrics, TimeProvider clock, ILogger<StaffOutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // Wait first: the host migrates the database after the workers have started.
        while (await WaitAsync(stoppingToken))
        {
            try
            {
                await delivery.DeliverDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Staff outbox delivery failed; trying again later");
            }

            metrics.JobRan("staff-outbox");
        }
    }

    private async Task<bool> WaitAsync(CancellationToken ct)
    {
        try
        {
            await signals.WaitAsync(StaffActivities.Channel, options.Value.OutboxInterval, clock, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
