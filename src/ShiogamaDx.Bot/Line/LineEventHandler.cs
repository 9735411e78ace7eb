using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// One stored event, start to finish: who it is, what the engine answers, and delivery (reply while the token is
/// fresh, else push with a retry key). Returns false when the event must be tried again later.
/// </summary>
internal sealed class LineEventHandler(
    BotDbContext db,
    ConversationEngine engine,
    DialogCatalog catalog,
    IEnumerable<IPersonalDataEraser> erasers,
    LineMessagingClient client,
    LinePushGate gate,
    LineUserRateLimiter limiter,
    KnownLineUsers knownUsers,
    IOptions<LineOptions> options,
    BotMetrics metrics,
    TimeProvider clock,
    ILogger<LineEventHandler> logger)
{
    public const string Channel = "line";

    public const string OneToOneOnly = "申し訳ありませんが、このアカウントは1対1のトークでのみご利用いただけます。友だち追加のうえ、個別のトークでお話しください。";

    private const int MaxAttempts = 12;

    /// <summary>Measurements of what this scope staged, made once a commit saved it (<see cref="CountWhenSaved"/>).</summary>
    private readonly List<Action> unsavedCounts = [];

    public async Task<bool> HandleAsync(long id, CancellationToken ct)
    {
        var row = await db.Set<LineInboxEvent>().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (row is null || row.Status != LineEventStatus.Pending)
        {
            return true;
        }

        using var correlation = LoggingExtensions.BeginEventScope(Channel, row.WebhookEventId);
        var ev = row.PayloadJson is null ? null : JsonSerializer.Deserialize(row.PayloadJson, LineWebhookJson.Default.LineEvent);
        bool done;
        if (ev is null)
        {
            done = await FinishAsync(row, LineEventStatus.Done, "payload cleared (unsent or erased)", ct);
        }
        else
        {
            var source = ev.Source;
            done = ev.Type switch
            {
                _ when source is not null && !source.IsUser && ev.Type is "message" or "postback" or "join" => await GroupAsync(row, ev, ct),
                "message" or "postback" or "follow" when source?.IsUser == true && !string.IsNullOrEmpty(source.UserId) => await ConverseAsync(row, ev, source.UserId, ct),
                "unfollow" when row.UserKey is not null => await UnfollowAsync(row, ct),
                "unsend" => await UnsendAsync(row, ev, ct),
                _ => await FinishAsync(row, LineEventStatus.Skipped, null, ct),
            };
        }

        return done;
    }

    /// <summary>
    /// The batch's first half for one event (<see cref="LineEventProcessor"/>): the turn's answer and the spent reply
    /// token staged in the batch's DbContext, not saved. Null when the event takes the one-at-a-time way instead
    /// (not a person's message, an answer already stored, a dropped payload): <see cref="HandleAsync"/> then.
    /// </summary>
    internal async Task<BatchAnswer?> AnswerInBatchAsync(LineInboxEvent row, CancellationToken ct)
    {
        if (row.Status != LineEventStatus.Pending || row.RepliesJson is not null || row.PayloadJson is null || row.UserKey is null)
        {
            return null;
        }

        using var correlation = LoggingExtensions.BeginEventScope(Channel, row.WebhookEventId);
        var ev = JsonSerializer.Deserialize(row.PayloadJson, LineWebhookJson.Default.LineEvent);
        if (ev is not { Type: "message" or "postback" or "follow", Source: { IsUser: true, UserId: { Length: > 0 } lineUserId } })
        {
            return null;
        }

        await RememberUserAsync(row.UserKey, lineUserId, refresh: ev.Type == "follow", ct);
        var (replies, replyNow) = await StageAnswerAsync(row, ev, lineUserId, ct); // committed by the batch before any reply
        return new BatchAnswer(row, ev, replies is null ? [] : LineRenderer.Batch(LineRenderer.Render(replies)), replyNow);
    }

    /// <summary>
    /// Decides and stages the event's answer, not saved: the rate limit's verdict (a drop finishes the event),
    /// the turn, the answer kept with the event, and the reply token marked spent when it is to be used now. The
    /// caller commits it all at once before any delivery: a retry after a crash neither runs the turn again nor
    /// reuses the token, and the limit is counted once per event.
    /// </summary>
    /// <returns>The answer (null when the rate limit dropped the event) and whether to reply with the token now.</returns>
    private async Task<(IReadOnlyList<Reply>? Replies, bool ReplyNow)> StageAnswerAsync(LineInboxEvent row, LineEvent ev, string lineUserId, CancellationToken ct)
    {
        var decision = ev.Type == "follow" ? RateDecision.Answer : limiter.Decide(row.UserKey!, row.Timestamp);
        if (decision == RateDecision.Drop)
        {
            Finish(row, LineEventStatus.Skipped, "rate limited: not answered");
            return (null, false);
        }

        IReadOnlyList<Reply> replies;
        if (decision == RateDecision.SlowDown)
        {
            logger.LogWarning("LINE user over the per-person limit: told once to slow down, further events not answered");
            replies = [new TextReply(LineUserRateLimiter.SlowDown)];
        }
        else
        {
            replies = await AnswerAsync(row, ev, lineUserId, ct);
        }

        row.RepliesJson = JsonSerializer.Serialize(replies.ToList(), Outbox.Json);
        var replyNow = CanReply(row, ev);
        row.ReplyTokenUsed |= replyNow;
        return (replies, replyNow);
    }

    /// <summary>
    /// The batch's second half: the reply, or the push when the reply token is not ours to use (it aged in the
    /// inbox), without touching the DbContext (the batch's deliveries run at the same time, and the batch records
    /// the outcome). Not called for an event the rate limit dropped (already finished).
    /// </summary>
    /// <returns>What happened, how many message batches (of 5) were delivered, and LINE's answer to a failed push.</returns>
    internal async Task<BatchDelivery> DeliverInBatchAsync(BatchAnswer answer, CancellationToken ct)
    {
        if (answer.Messages.Count == 0)
        {
            return new(BatchReply.NotSent, 0);
        }

        if (!answer.ReplyNow)
        {
            return await PushInBatchAsync(answer, ct);
        }

        var replied = await client.ReplyAsync(answer.Event.ReplyToken!, answer.Messages[0], ct);
        if (!replied.Delivered)
        {
            // Refused is known not delivered; unavailable (a timeout, a 5xx) may have arrived: the token is asked again.
            logger.LogInformation("Reply to LINE event {EventId} failed ({Status}); it goes on one at a time", answer.Row.Id, replied.StatusCode);
            return new(replied.Outcome == LineApiOutcome.Rejected ? BatchReply.Refused : BatchReply.NotSent, 0);
        }

        return new(answer.Messages.Count == 1 ? BatchReply.Answered : BatchReply.PartlySent, 1);
    }

    /// <summary>
    /// Pushes with the event's retry keys (one per message batch), as the one-at-a-time way does: a retry of what
    /// fails here, there, is never delivered twice.
    /// </summary>
    private async Task<BatchDelivery> PushInBatchAsync(BatchAnswer answer, CancellationToken ct)
    {
        if (gate.IsPaused || answer.Event.Source?.UserId is not { Length: > 0 } to)
        {
            return new(BatchReply.NotSent, 0); // the one-at-a-time way waits for the pause, or gives up
        }

        for (var i = 0; i < answer.Messages.Count; i++)
        {
            var pushed = await client.PushAsync(to, answer.Messages[i], LineRenderer.BatchRetryKey(answer.Row.RetryKey, i), ct);
            if (!pushed.Delivered)
            {
                if (pushed.Outcome == LineApiOutcome.MonthlyLimit)
                {
                    gate.PauseForMonthlyLimit();
                    return new(BatchReply.NotSent, i); // waits for the pause the one-at-a-time way, not as an attempt
                }

                return new(BatchReply.PushFailed, i, pushed);
            }
        }

        return new(BatchReply.Answered, answer.Messages.Count);
    }

    /// <summary>Stages the end of an event answered in a batch; the batch's second commit saves it.</summary>
    internal void FinishInBatch(LineInboxEvent row)
    {
        var elapsed = clock.GetUtcNow() - row.ReceivedAt; // delivered now; counted once that is saved
        Finish(row, LineEventStatus.Done, null);
        CountWhenSaved(() => metrics.Answered(Channel, elapsed));
    }

    private async Task<bool> ConverseAsync(LineInboxEvent row, LineEvent ev, string lineUserId, CancellationToken ct)
    {
        await RememberUserAsync(row.UserKey!, lineUserId, refresh: ev.Type == "follow", ct);
        IReadOnlyList<Reply> replies;
        var replyNow = false;
        if (row.RepliesJson is null)
        {
            (var staged, replyNow) = await StageAnswerAsync(row, ev, lineUserId, ct);
            await db.SaveChangesAsync(ct);
            if (staged is null)
            {
                return true; // dropped by the rate limit: finished
            }

            replies = staged;
        }
        else
        {
            replies = JsonSerializer.Deserialize<List<Reply>>(row.RepliesJson, Outbox.Json) ?? [];
        }

        var done = await DeliverAsync(row, ev, lineUserId, replies, replyNow, ct);
        if (done && row.Status == LineEventStatus.Done)
        {
            metrics.Answered(Channel, clock.GetUtcNow() - row.ReceivedAt);
        }

        return done;
    }

    private async Task<IReadOnlyList<Reply>> AnswerAsync(LineInboxEvent row, LineEvent ev, string lineUserId, CancellationToken ct)
    {
        var (message, prefix) = ToIncoming(ev, row.UserKey!, clock.GetUtcNow());
        try
        {
            var answer = await WithLoadingAnimationAsync(engine.AnswerAsync(message, ct), lineUserId, ct); // offers saved with the answer below
            return [.. prefix, .. answer];
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A turn is not idempotent, so it is not run again: the person gets an apology and can retry. A
            // cancellation not of ours (a feature's HttpClient timing out) is such a failure too: only the host's
            // hard stop (ct) leaves the event pending, for the next start.
            logger.LogError(ex, "Conversation engine failed on LINE event {EventId}", row.Id);
            CountWhenSaved(() => metrics.Failed(Channel, "engine")); // with the apology's commit
            return [ConversationEngine.Apology, catalog.Menus.Resident.AsChoices()];
        }
    }

    /// <summary>
    /// A LINE event as the channel-neutral turn, plus what the channel says first (thanks for following, "stickers
    /// can't be read"). Non-text messages reach the engine as empty text so the person still gets the menu.
    /// </summary>
    internal static (IncomingMessage Message, List<Reply> Prefix) ToIncoming(LineEvent ev, string userKey, DateTimeOffset now)
    {
        var prefix = new List<Reply>();
        string? text = null;
        string? postback = null;
        Dictionary<string, string>? parameters = null;
        switch (ev.Type)
        {
            case "follow":
                prefix.Add(new TextReply(ev.Follow?.IsUnblocked == true ? "ブロック解除ありがとうございます。またご利用いただけてうれしいです。" : "友だち追加ありがとうございます。"));
                text = "メニュー";
                break;
            case "postback":
                postback = ev.Postback?.Data;
                if (ev.Postback?.Params is { Count: > 0 } p)
                {
                    // Date/time pickers: date, time, datetime, as LINE names them.
                    parameters = p.Where(kv => kv.Key is "date" or "time" or "datetime").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                }

                break;
            default:
                if (ev.Message?.Type == "text")
                {
                    text = ev.Message.Text;
                }
                else
                {
                    prefix.Add(new TextReply(NonTextReply(ev.Message?.Type)));
                    text = string.Empty;
                }

                break;
        }

        var time = ev.Timestamp > 0 ? ev.Time : now;
        return (new IncomingMessage(Channel, Audience.Resident, userKey, userKey, text, postback, time, "ja-JP", parameters), prefix);
    }

    private static string NonTextReply(string? type) => type switch
    {
        "sticker" => "スタンプありがとうございます。",
        "image" or "video" or "audio" or "file" => "画像や音声、ファイルは読み取れません。お手数ですが、文字で入力するか、下のメニューからお選びください。",
        "location" => "位置情報ありがとうございます。場所のご案内は、下のメニューからお選びください。",
        _ => "このメッセージは読み取れませんでした。",
    };

    private async Task<IReadOnlyList<Reply>> WithLoadingAnimationAsync(Task<IReadOnlyList<Reply>> work, string lineUserId, CancellationToken ct)
    {
        var after = options.Value.LoadingAnimationAfter;
        if (after > TimeSpan.Zero && !work.IsCompleted)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(after, clock, cts.Token);
            if (await Task.WhenAny(work, delay) == delay && !work.IsCompleted)
            {
                await client.StartLoadingAsync(lineUserId, 20, ct); // best effort: its failure is logged, not fatal
            }

            await cts.CancelAsync();
        }

        return await work;
    }

    /// <param name="tokenReserved">The reply token was marked used with the answer's commit and not tried yet.</param>
    private async Task<bool> DeliverAsync(LineInboxEvent row, LineEvent ev, string? lineUserId, IReadOnlyList<Reply> replies, bool tokenReserved, CancellationToken ct)
    {
        var batches = LineRenderer.Batch(LineRenderer.Render(replies));
        for (var i = row.DeliveredBatches; i < batches.Count; i++)
        {
            if (i == 0 && MayHaveReplied(row, ev))
            {
                // Stopped or crashed between the reply and recording it: the token tells whether LINE got it.
                var again = await client.ReplyAsync(ev.ReplyToken!, batches[0], ct);
                if (again.Delivered || IsSpentToken(again))
                {
                    logger.LogInformation("LINE event {EventId}: the earlier reply {Outcome}", row.Id, again.Delivered ? "had not arrived; replied now" : "had arrived");
                    row.DeliveredBatches = 1;
                    row.LastError = again.Delivered ? null : "reply assumed delivered: LINE said its token was already used"; // for audit
                    continue;
                }

                // Known now: not by reply. Saved before the push, so a crash in between never asks the token again.
                row.ReplyFailed = true;
                await db.SaveChangesAsync(ct);
            }
            else if (i == 0 && (tokenReserved || CanReply(row, ev)))
            {
                if (!tokenReserved)
                {
                    row.ReplyTokenUsed = true; // before the call: the token is spent whatever LINE answers
                    await db.SaveChangesAsync(ct);
                }

                var replied = await client.ReplyAsync(ev.ReplyToken!, batches[0], ct);
                if (replied.Delivered)
                {
                    row.DeliveredBatches = 1;
                    if (batches.Count > 1)
                    {
                        await db.SaveChangesAsync(ct); // else the finishing commit below records it
                    }

                    continue;
                }

                logger.LogInformation("Reply to LINE event {EventId} failed ({Status}); pushing instead", row.Id, replied.StatusCode);
                row.ReplyFailed = true;
                await db.SaveChangesAsync(ct); // before the push: a crash in between never asks the token again
            }

            if (lineUserId is null)
            {
                return await FinishAsync(row, LineEventStatus.Failed, "reply token expired and nobody to push to", ct);
            }

            if (gate.IsPaused)
            {
                // Not an attempt of this event: it waits for the pause to end without using up its retries.
                (row.NextAttemptAt, row.LastError) = (gate.PausedUntil, "pushes paused: monthly limit");
                await db.SaveChangesAsync(ct);
                return false;
            }

            var pushed = await client.PushAsync(lineUserId, batches[i], LineRenderer.BatchRetryKey(row.RetryKey, i), ct);
            if (pushed.Delivered)
            {
                row.DeliveredBatches = i + 1;
                if (i + 1 < batches.Count)
                {
                    await db.SaveChangesAsync(ct); // else the finishing commit below records it
                }

                continue;
            }

            if (pushed.Outcome == LineApiOutcome.MonthlyLimit)
            {
                gate.PauseForMonthlyLimit();
            }

            return pushed.Outcome == LineApiOutcome.Rejected
                ? await FinishAsync(row, LineEventStatus.Failed, $"push rejected {pushed.StatusCode}: {pushed.Error}", ct)
                : await RetryLaterAsync(row, $"push {pushed.Outcome} {pushed.StatusCode}", ct);
        }

        return await FinishAsync(row, LineEventStatus.Done, null, ct);
    }

    /// <summary>The token was spent on this answer and nothing says how that went (a batch or the host stopped in between).</summary>
    private bool MayHaveReplied(LineInboxEvent row, LineEvent ev) =>
        row.ReplyTokenUsed && !row.ReplyFailed && row.DeliveredBatches == 0 && !string.IsNullOrEmpty(ev.ReplyToken)
        && clock.GetUtcNow() - ev.Time < options.Value.ReplyTokenLifetime;

    /// <summary>LINE's answer to a token used before (the same as to an expired one, which the token's age rules out).</summary>
    private static bool IsSpentToken(LineApiResult result) =>
        result is { Outcome: LineApiOutcome.Rejected, StatusCode: 400 } && result.Error?.Contains("Invalid reply token", StringComparison.OrdinalIgnoreCase) == true;

    private bool CanReply(LineInboxEvent row, LineEvent ev) =>
        !row.ReplyTokenUsed && !string.IsNullOrEmpty(ev.ReplyToken) && clock.GetUtcNow() - ev.Time < options.Value.ReplyTokenLifetime;

    private async Task<bool> GroupAsync(LineInboxEvent row, LineEvent ev, CancellationToken ct)
    {
        // Groups are answered once, by reply only: the bot never pushes into a group.
        if (CanReply(row, ev))
        {
            row.ReplyTokenUsed = true;
            await db.SaveChangesAsync(ct);
            await client.ReplyAsync(ev.ReplyToken!, [new LineTextMessage(OneToOneOnly)], ct);
        }

        return await FinishAsync(row, LineEventStatus.Done, null, ct);
    }

    private async Task<bool> UnfollowAsync(LineInboxEvent row, CancellationToken ct)
    {
        var userKey = row.UserKey!;
        foreach (var eraser in erasers)
        {
            await eraser.EraseAsync(userKey, ct);
        }

        logger.LogInformation("LINE user blocked the account; their personal data was erased");
        db.ChangeTracker.Clear(); // erasers changed rows behind the tracker's back
        var fresh = await db.Set<LineInboxEvent>().SingleAsync(e => e.Id == row.Id, ct);
        return await FinishAsync(fresh, LineEventStatus.Done, null, ct);
    }

    private async Task<bool> UnsendAsync(LineInboxEvent row, LineEvent ev, CancellationToken ct)
    {
        if (ev.Unsend?.MessageId is { } messageId)
        {
            // The person took the message back: forget its text, and don't answer it if it is still waiting.
            await db.Set<LineInboxEvent>().Where(e => e.MessageId == messageId)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.PayloadJson, (string?)null), ct);
        }

        return await FinishAsync(row, LineEventStatus.Done, null, ct);
    }

    /// <summary>Stages the person's LINE id (for pushes) as a friend in the DbContext; the event's next commit saves it.</summary>
    /// <param name="refresh">A follow: another replica may have handled an unfollow (and erased them) since this one remembered them.</param>
    private async Task RememberUserAsync(string userKey, string lineUserId, bool refresh, CancellationToken ct)
    {
        if (!refresh && knownUsers.IsStored(userKey, lineUserId))
        {
            return; // stored by an earlier event: no read per message
        }

        var now = clock.GetUtcNow();
        var user = await db.Set<LineUser>().SingleOrDefaultAsync(u => u.UserKey == userKey, ct);
        if (user is null)
        {
            db.Add(new LineUser { UserKey = userKey, LineUserId = lineUserId, Following = true, FirstSeenAt = now, UpdatedAt = now });
        }
        else if (user.LineUserId != lineUserId || !user.Following)
        {
            (user.LineUserId, user.Following, user.UpdatedAt) = (lineUserId, true, now);
        }

        db.SavedChanges += Remember;
        void Remember(object? sender, SavedChangesEventArgs e)
        {
            db.SavedChanges -= Remember;
            knownUsers.Stored(userKey, lineUserId);
        }
    }

    private async Task<bool> FinishAsync(LineInboxEvent row, LineEventStatus status, string? error, CancellationToken ct)
    {
        Finish(row, status, error);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private void Finish(LineInboxEvent row, LineEventStatus status, string? error)
    {
        row.Status = status;
        row.ProcessedAt = clock.GetUtcNow();
        row.LastError = error is null ? null : Clip(error, 500);
        row.PayloadJson = null; // handled: the person's words and the reply token are not kept
        row.RepliesJson = null;
        CountWhenSaved(status == LineEventStatus.Failed ? () => metrics.Failed(Channel, "delivery") : () => metrics.Processed(Channel));

        if (status == LineEventStatus.Failed)
        {
            logger.LogWarning("LINE event {EventId} given up: {Error}", row.Id, row.LastError);
        }
    }

    private async Task<bool> RetryLaterAsync(LineInboxEvent row, string error, CancellationToken ct)
    {
        RetryLater(row, error);
        await db.SaveChangesAsync(ct);
        return false;
    }

    /// <returns>When the event is tried again; null when it was given up (too many attempts).</returns>
    private DateTimeOffset? RetryLater(LineInboxEvent row, string error)
    {
        row.Attempts++;
        if (row.Attempts >= MaxAttempts)
        {
            Finish(row, LineEventStatus.Failed, "gave up after retries: " + error);
            return null;
        }

        var backoff = TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(2, row.Attempts - 1)));
        row.NextAttemptAt = clock.GetUtcNow() + backoff;
        row.LastError = Clip(error, 500);
        logger.LogWarning("LINE event {EventId} will be retried in {Backoff}: {Error}", row.Id, backoff, row.LastError);
        return row.NextAttemptAt;
    }

    /// <summary>
    /// A push in a batch failed: staged as the one-at-a-time way records it (given up when LINE refused it,
    /// else tried again after a backoff). The batch's next commit saves it.
    /// </summary>
    /// <returns>When the event is tried again; null when it is finished (failed).</returns>
    internal DateTimeOffset? PushFailedInBatch(LineInboxEvent row, LineApiResult failure)
    {
        if (failure.Outcome == LineApiOutcome.Rejected)
        {
            Finish(row, LineEventStatus.Failed, $"push rejected {failure.StatusCode}: {failure.Error}");
            return null;
        }

        return RetryLater(row, $"push {failure.Outcome} {failure.StatusCode}");
    }

    /// <summary>
    /// Counts what was staged once the next commit of this scope's DbContext saved it: a commit that fails leaves
    /// the event pending, and whoever does it again (the one-at-a-time way after a batch, or the next try) counts
    /// it then; counting at staging counted it twice.
    /// </summary>
    private void CountWhenSaved(Action count)
    {
        if (unsavedCounts.Count == 0)
        {
            db.SavedChanges += CountSaved;
        }

        unsavedCounts.Add(count);
    }

    private void CountSaved(object? sender, SavedChangesEventArgs e)
    {
        db.SavedChanges -= CountSaved;
        var counts = unsavedCounts.ToList();
        unsavedCounts.Clear();
        counts.ForEach(count => count());
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}

/// <summary>
/// What a delivery in a batch did: nothing or an unknown outcome (LINE unavailable for a reply: its token is
/// asked again), the reply refused (pushed instead), some of several message batches sent, a push failed (retried
/// later with its key, or given up), or the event answered.
/// </summary>
internal enum BatchReply
{
    NotSent,
    Refused,
    PartlySent,
    PushFailed,
    Answered,
}

/// <summary>A delivery in a batch: what happened, the message batches delivered, and LINE's answer to a failed push.</summary>
internal readonly record struct BatchDelivery(BatchReply Outcome, int Delivered, LineApiResult? Failure = null);

/// <summary>An event's answer within a batch: the rendered message batches (of 5), and whether its reply token is ours to use now.</summary>
internal sealed record BatchAnswer(LineInboxEvent Row, LineEvent Event, List<List<LineMessage>> Messages, bool ReplyNow);
