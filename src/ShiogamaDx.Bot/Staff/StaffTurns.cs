using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Staff;

/// <summary>A turn to answer after the HTTP request has been acknowledged.</summary>
/// <param name="ReplyToId">The activity answered; null for a greeting sent as a new message.</param>
/// <param name="Fixed">Replies decided by the channel itself (a refusal); the engine is not asked.</param>
internal sealed record StaffWork(Activity Incoming, IncomingMessage Message, string? ReplyToId, IReadOnlyList<Reply>? Fixed = null);

/// <summary>
/// The channel waits at most 15 s for the HTTP answer and retries after that; answers (guideline search,
/// an LLM) may take longer. So the endpoint only verifies and queues, and answers go out through the connector.
/// One lane per worker, chosen by conversation: turns of one conversation are answered in the order they
/// came (a quick "1" then "2"), different conversations in parallel.
/// </summary>
internal sealed class StaffTurnQueue(IOptions<StaffOptions> options)
{
    private readonly Channel<StaffWork>[] lanes = Enumerable.Range(0, options.Value.MaxConcurrentTurns)
        .Select(_ => Channel.CreateBounded<StaffWork>(new BoundedChannelOptions(500) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true }))
        .ToArray();

    public int Lanes => lanes.Length;

    public bool TryEnqueue(StaffWork work) =>
        lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(work.Message.ConversationKey) % (uint)lanes.Length)].Writer.TryWrite(work);

    public IAsyncEnumerable<StaffWork> ReadAllAsync(int lane, CancellationToken ct) => lanes[lane].Reader.ReadAllAsync(ct);
}

internal sealed class StaffTurnWorker(
    StaffTurnQueue queue,
    IServiceScopeFactory scopes,
    ConnectorClient connector,
    IOptions<StaffOptions> options,
    BotMetrics metrics,
    TimeProvider clock,
    ILogger<StaffTurnWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, queue.Lanes).Select(lane => Task.Run(() => RunLaneAsync(lane, stoppingToken), stoppingToken)));

    private async Task RunLaneAsync(int lane, CancellationToken ct)
    {
        try
        {
            await foreach (var work in queue.ReadAllAsync(lane, ct))
            {
                await ProcessAsync(work, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down
        }
    }

    internal async Task ProcessAsync(StaffWork work, CancellationToken ct)
    {
        using var correlation = LoggingExtensions.BeginEventScope(StaffActivities.Channel, work.Incoming.Id);
        var started = clock.GetTimestamp();
        metrics.Received(StaffActivities.Channel);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var engine = scope.ServiceProvider.GetRequiredService<ConversationEngine>();
            var answer = work.Fixed is { } replied ? Task.FromResult(replied) : engine.HandleAsync(work.Message, ct);

            using (var typingCancel = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                var typingDue = Task.Delay(options.Value.TypingDelay, clock, typingCancel.Token);
                if (await Task.WhenAny(answer, typingDue) == typingDue && !typingDue.IsCanceled)
                {
                    await SendQuietlyAsync(work, new Activity { Type = "typing" }, ct);
                }

                await typingCancel.CancelAsync();
            }

            IReadOnlyList<Reply> replies;
            try
            {
                replies = await answer;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // A cancellation not of ours (a feature's HttpClient timing out) is a failed turn too, not a stop.
                logger.LogError(ex, "Answering a staff turn failed");
                metrics.Failed(StaffActivities.Channel, "engine");
                replies = [ConversationEngine.Apology];
            }

            foreach (var activity in AdaptiveCardRenderer.Render(replies, work.Incoming.ChannelId))
            {
                await connector.SendAsync(work.Incoming.ServiceUrl!, work.Incoming.Conversation!.Id!, Address(activity, work.Incoming, work.ReplyToId), work.ReplyToId, ct);
            }

            metrics.Processed(StaffActivities.Channel);
            metrics.Answered(StaffActivities.Channel, clock.GetElapsedTime(started));
        }
        catch (ConnectorException ex)
        {
            logger.LogWarning("The connector refused a staff answer: {Error}", ex.Message);
            metrics.Failed(StaffActivities.Channel, "delivery");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception ex)
        {
            // Network errors, timeouts, a bug: one lost answer, never the worker (and with it the host).
            logger.LogWarning("A staff answer could not be delivered: {Error}", ex.Message);
            metrics.Failed(StaffActivities.Channel, "delivery");
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

    private async Task SendQuietlyAsync(StaffWork work, Activity activity, CancellationToken ct)
    {
        try
        {
            await connector.SendAsync(work.Incoming.ServiceUrl!, work.Incoming.Conversation!.Id!, Address(activity, work.Incoming, work.ReplyToId), work.ReplyToId, ct);
        }
        catch (Exception ex) when (ConnectorException.IsDeliveryFailure(ex, ct))
        {
            logger.LogDebug("Typing indicator not delivered: {Error}", ex.Message); // cosmetic: the answer follows
        }
    }
}
