using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Staff;

/// <summary>
/// Sends the outbox's proactive staff messages (surveys, notices) to each person's stored personal conversation:
/// POST {serviceUrl}v3/conversations/{conversationId}/activities; or to a conversation named by address.
/// </summary>
internal sealed class StaffOutboxChannel(BotDbContext db, ConnectorClient connector, ConversationReferenceStore references, ConversationStore store, ConversationLocks locks, PrivacyKeys keys, TimeProvider clock, ILogger<StaffOutboxChannel> logger)
    : IOutboxChannel
{
    public const int MaxAttempts = 5;

    public string Name => StaffActivities.Channel;

    /// <summary>Always goes on: one conversation's failure is that message's, not the channel's.</summary>
    public async Task<bool> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        message.Attempts++;
        try
        {
            if (await (message.Address is null ? SendToPersonAsync(message, ct) : SendToConversationAsync(message, ct)))
            {
                (message.SentAt, message.LastError) = (clock.GetUtcNow(), null);
            }
        }
        catch (Exception ex) when (ConnectorException.IsDeliveryFailure(ex, ct))
        {
            Failed(message, ex);
        }

        return true;
    }

    /// <returns>False when the message was not sent and will not be tried now (nobody to send to).</returns>
    private async Task<bool> SendToPersonAsync(OutboxMessage message, CancellationToken ct)
    {
        var reference = await references.FindAsync(message.UserKey, ct);
        if (reference is null)
        {
            message.FailedAt = clock.GetUtcNow();
            message.LastError = "no conversation with this person yet (they have not talked to the bot)";
            return false;
        }

        // Offers first, under the conversation's turn lock: the person may answer (by typing "1" or a
        // label, or by the button) the moment the message arrives, and their turn must find them.
        var conversationKey = keys.Pseudonymize("staff-conv", reference.ConversationId);
        using (await locks.AcquireAsync(conversationKey, ct))
        {
            await store.SaveOffersAsync(conversationKey, Offers.From(message.Replies), ct);
        }

        foreach (var activity in AdaptiveCardRenderer.Render(message.Replies, reference.ChannelId))
        {
            message.SentId = await connector.SendAsync(reference.ServiceUrl, reference.ConversationId, Address(activity, reference), null, ct);
        }

        return true;
    }

    /// <summary>
    /// A message for a conversation named by address (a channel of the office): posted, or the earlier message it
    /// replaces updated in place (PUT) once that one has an id.
    /// </summary>
    /// <returns>False when it waits for the earlier message to be posted.</returns>
    private async Task<bool> SendToConversationAsync(OutboxMessage message, CancellationToken ct)
    {
        var address = JsonSerializer.Deserialize<ConversationAddress>(message.Address!, Outbox.Json)!;
        string? replaceId = null;
        if (message.ReplacesKey is { } replaces)
        {
            var earlier = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.IdempotencyKey == replaces)
                .Select(m => new { m.SentId, m.SentAt, m.FailedAt }).FirstOrDefaultAsync(ct);
            if (earlier is { SentAt: null, FailedAt: null })
            {
                message.NotBefore = clock.GetUtcNow() + TimeSpan.FromSeconds(5); // the card is not posted yet: update it after
                message.Attempts--;
                return false;
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

        return true;
    }

    private void Failed(OutboxMessage message, Exception ex)
    {
        message.LastError = TextNormalizer.Clip(ex.Message, 500);
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
