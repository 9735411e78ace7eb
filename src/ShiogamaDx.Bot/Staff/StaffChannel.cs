using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Staff;

/// <summary>
/// The staff channel's way out, for both kinds of message, through one send loop. A stored activity is answered
/// start to finish: the engine's answer (kept with the item, so a retried delivery never runs the turn again), then
/// its activities through the connector, each recorded as delivered; the channel waits at most 15 s for the HTTP
/// answer and answers may take longer, so they go out here, not in the response. The outbox's proactive messages
/// (surveys, notices) go to each person's stored personal conversation, or to a conversation named by address.
/// </summary>
internal sealed class StaffChannel(
    BotDbContext db,
    InboxOutcomes outcomes,
    ConversationEngine engine,
    ConnectorClient connector,
    ConversationReferenceStore references,
    ConversationStore store,
    ConversationLocks locks,
    PrivacyKeys keys,
    MessageCatalog messages,
    IOptions<StaffOptions> options,
    BotMetrics metrics,
    TimeProvider clock,
    ILogger<StaffChannel> logger) : IInboxChannel, IOutboxChannel
{
    /// <summary>Tries of an outbox message; an answer is tried <see cref="MaxAnswerAttempts"/> times.</summary>
    public const int MaxAttempts = 5;

    private const int MaxAnswerAttempts = 8;

    public async Task<bool> HandleAsync(InboxItem item, CancellationToken ct)
    {
        var activity = JsonSerializer.Deserialize(item.PayloadJson!, ActivityJson.Default.Activity)!;
        var replyToId = item.Type == StaffEndpoint.GreetingItem ? null : activity.Id; // a greeting is a new message
        var to = ReplyTarget(activity);
        var replies = InboxOutcomes.KeptAnswer(item);
        if (replies is null)
        {
            replies = await AnswerAsync(item, activity, to, replyToId, ct);
            InboxOutcomes.Keep(item, replies);
            await db.SaveChangesAsync(ct); // with the offers the turn left
        }

        var activities = AdaptiveCardRenderer.Render(replies, activity.ChannelId);
        try
        {
            await SendAsync(to, activities, item.DeliveredParts, replyToId, null, async i =>
            {
                item.DeliveredParts = i + 1;
                if (i + 1 < activities.Count)
                {
                    await db.SaveChangesAsync(ct); // a retry resumes after what arrived
                }
            }, ct);
        }
        catch (Exception ex) when (ConnectorException.IsDeliveryFailure(ex, ct))
        {
            logger.LogWarning("A staff answer was not delivered: {Error}", ex.Message);
            return ex is ConnectorException { IsPermanent: true }
                ? await outcomes.FinishAsync(item, InboxStatus.Failed, "connector refused: " + ex.Message, ct)
                : await outcomes.RetryLaterAsync(item, ex.Message, MaxAnswerAttempts, ct);
        }

        metrics.Answered(StaffActivities.Channel, clock.GetUtcNow() - item.ReceivedAt);
        return await outcomes.FinishAsync(item, InboxStatus.Done, null, ct);
    }

    /// <summary>The turn's answer, with a typing indicator when it takes a while; a failed turn gets the apology (a turn is not run twice).</summary>
    private async Task<IReadOnlyList<Reply>> AnswerAsync(InboxItem item, Activity activity, Activity to, string? replyToId, CancellationToken ct)
    {
        if (item.Type == StaffEndpoint.RefusalItem)
        {
            return [new TextReply(messages.Current[StaffTexts.OutsideTenant])];
        }

        var now = clock.GetUtcNow();
        var userKey = StaffActivities.UserKey(keys, activity.From!);
        await SaveReferenceAsync(userKey, activity, ct);
        var message = item.Type == StaffEndpoint.GreetingItem
            ? new IncomingMessage(StaffActivities.Channel, Audience.Staff, userKey, StaffActivities.ConversationKey(keys, activity), null, null, now)
            : StaffActivities.ToIncoming(activity, activity.Value, keys, now);
        if (message is null)
        {
            return [];
        }

        var answer = engine.AnswerAsync(message, ct);
        using (var typingCancel = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var typingDue = Task.Delay(options.Value.TypingDelay, clock, typingCancel.Token);
            if (await Task.WhenAny(answer, typingDue) == typingDue && !typingDue.IsCanceled)
            {
                try
                {
                    await SendAsync(to, [new Activity { Type = "typing" }], 0, replyToId, null, null, ct);
                }
                catch (Exception ex) when (ConnectorException.IsDeliveryFailure(ex, ct))
                {
                    logger.LogDebug("Typing indicator not delivered: {Error}", ex.Message); // cosmetic: the answer follows
                }
            }

            await typingCancel.CancelAsync();
        }

        try
        {
            return await answer;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A cancellation not of ours (a feature's HttpClient timing out) is a failed turn too, not a stop.
            logger.LogError(ex, "Answering a staff turn failed");
            metrics.Failed(StaffActivities.Channel, "engine");
            return await engine.ApologyAsync(message, save: false, ct); // the engine's, as LINE and the terminal say it; saved with the answer
        }
    }

    private async Task SaveReferenceAsync(string userKey, Activity activity, CancellationToken ct)
    {
        try
        {
            await references.SaveAsync(userKey, activity, activity.From!, ct);
        }
        catch (DbUpdateException ex)
        {
            // Two first messages at once (two conversations): the other stored the same reference.
            logger.LogDebug("Conversation reference not stored: {Error}", ex.Message);
            foreach (var entry in db.ChangeTracker.Entries<StaffConversationReference>().ToList())
            {
                entry.State = EntityState.Detached;
            }
        }
    }

    /// <summary>An outbox message. Always goes on: one conversation's failure is that message's, not the channel's.</summary>
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

        var to = new Activity
        {
            From = new ChannelAccount(reference.BotId, reference.BotName),
            Recipient = new ChannelAccount(reference.UserId),
            Conversation = new ConversationAccount(reference.ConversationId) { TenantId = reference.TenantId },
            ChannelId = reference.ChannelId,
            ServiceUrl = reference.ServiceUrl,
        };
        message.SentId = await SendAsync(to, AdaptiveCardRenderer.Render(message.Replies, to.ChannelId), 0, null, null, null, ct);
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

        var to = new Activity
        {
            Conversation = new ConversationAccount(address.ConversationId) { TenantId = address.TenantId },
            ChannelId = address.ChannelId ?? "msteams", // unknown counts as Teams, as the renderer takes it
            ServiceUrl = address.ServiceUrl,
        };
        message.SentId = await SendAsync(to, AdaptiveCardRenderer.Render(message.Replies, to.ChannelId), 0, null, replaceId, null, ct) ?? replaceId;
        return true;
    }

    /// <summary>
    /// The send code of answers and outbox messages: each activity from <paramref name="from"/> on, addressed to the
    /// conversation <paramref name="to"/> names (its service, conversation and channel, the bot and the person),
    /// posted, or updated in place when it replaces <paramref name="replaceId"/>.
    /// </summary>
    /// <param name="sent">After each activity sent, with its index (an answer records its progress).</param>
    /// <returns>The id the connector gave the last activity.</returns>
    private async Task<string?> SendAsync(Activity to, IReadOnlyList<Activity> activities, int from, string? replyToId, string? replaceId, Func<int, Task>? sent, CancellationToken ct)
    {
        string? id = null;
        for (var i = from; i < activities.Count; i++)
        {
            var addressed = activities[i] with
            {
                From = to.From,
                Recipient = to.Recipient,
                Conversation = to.Conversation,
                ChannelId = to.ChannelId,
                ServiceUrl = to.ServiceUrl,
                ReplyToId = replyToId,
            };
            id = replaceId is null
                ? await connector.SendAsync(to.ServiceUrl!, to.Conversation!.Id!, addressed, replyToId, ct)
                : await connector.UpdateAsync(to.ServiceUrl!, to.Conversation!.Id!, replaceId, addressed, ct) ?? replaceId;
            if (sent is not null)
            {
                await sent(i);
            }
        }

        return id;
    }

    /// <summary>The reply goes back the way the activity came: from and recipient swapped, same conversation.</summary>
    private static Activity ReplyTarget(Activity incoming) => new()
    {
        From = incoming.Recipient,
        Recipient = incoming.From,
        Conversation = incoming.Conversation,
        ChannelId = incoming.ChannelId,
        ServiceUrl = incoming.ServiceUrl,
    };

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
}
