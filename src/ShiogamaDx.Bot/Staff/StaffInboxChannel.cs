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
/// One stored activity, start to finish: the engine's answer (kept with the item, so a retried delivery never runs
/// the turn again), then its activities through the connector, each recorded as delivered. The channel waits at
/// most 15 s for the HTTP answer, answers may take longer: so they go out here, not in the response.
/// </summary>
internal sealed class StaffInboxChannel(
    BotDbContext db,
    InboxOutcomes outcomes,
    ConversationEngine engine,
    ConnectorClient connector,
    ConversationReferenceStore references,
    PrivacyKeys keys,
    MessageCatalog messages,
    IOptions<StaffOptions> options,
    BotMetrics metrics,
    TimeProvider clock,
    ILogger<StaffInboxChannel> logger) : IInboxChannel
{
    private const int MaxAttempts = 8;

    public string Name => StaffActivities.Channel;

    public async Task<bool> HandleAsync(InboxItem item, CancellationToken ct)
    {
        var activity = JsonSerializer.Deserialize(item.PayloadJson!, ActivityJson.Default.Activity)!;
        var replyToId = item.Type == StaffEndpoint.GreetingItem ? null : activity.Id; // a greeting is a new message
        var replies = InboxOutcomes.KeptAnswer(item);
        if (replies is null)
        {
            replies = await AnswerAsync(item, activity, replyToId, ct);
            InboxOutcomes.Keep(item, replies);
            await db.SaveChangesAsync(ct); // with the offers the turn left
        }

        var activities = AdaptiveCardRenderer.Render(replies, activity.ChannelId);
        try
        {
            for (var i = item.DeliveredParts; i < activities.Count; i++)
            {
                await connector.SendAsync(activity.ServiceUrl!, activity.Conversation!.Id!, Address(activities[i], activity, replyToId), replyToId, ct);
                item.DeliveredParts = i + 1;
                if (i + 1 < activities.Count)
                {
                    await db.SaveChangesAsync(ct); // a retry resumes after what arrived
                }
            }
        }
        catch (Exception ex) when (ConnectorException.IsDeliveryFailure(ex, ct))
        {
            logger.LogWarning("A staff answer was not delivered: {Error}", ex.Message);
            return ex is ConnectorException { IsPermanent: true }
                ? await outcomes.FinishAsync(item, InboxStatus.Failed, "connector refused: " + ex.Message, ct)
                : await outcomes.RetryLaterAsync(item, ex.Message, MaxAttempts, ct);
        }

        metrics.Answered(StaffActivities.Channel, clock.GetUtcNow() - item.ReceivedAt);
        return await outcomes.FinishAsync(item, InboxStatus.Done, null, ct);
    }

    /// <summary>The turn's answer, with a typing indicator when it takes a while; a failed turn gets the apology (a turn is not run twice).</summary>
    private async Task<IReadOnlyList<Reply>> AnswerAsync(InboxItem item, Activity activity, string? replyToId, CancellationToken ct)
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
                await SendQuietlyAsync(activity, new Activity { Type = "typing" }, replyToId, ct);
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

    /// <summary>The reply goes back the way the activity came: from and recipient swapped, same conversation.</summary>
    internal static Activity Address(Activity reply, Activity incoming, string? replyToId) => reply with
    {
        From = incoming.Recipient,
        Recipient = incoming.From,
        Conversation = incoming.Conversation,
        ChannelId = incoming.ChannelId,
        ServiceUrl = incoming.ServiceUrl,
        ReplyToId = replyToId,
    };

    private async Task SendQuietlyAsync(Activity incoming, Activity activity, string? replyToId, CancellationToken ct)
    {
        try
        {
            await connector.SendAsync(incoming.ServiceUrl!, incoming.Conversation!.Id!, Address(activity, incoming, replyToId), replyToId, ct);
        }
        catch (Exception ex) when (ConnectorException.IsDeliveryFailure(ex, ct))
        {
            logger.LogDebug("Typing indicator not delivered: {Error}", ex.Message); // cosmetic: the answer follows
        }
    }
}
