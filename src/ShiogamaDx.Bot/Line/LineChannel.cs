using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// The LINE channel's way out, for both kinds of message: a stored event answered start to finish (who it is, what
/// the engine answers, a reply while the token is fresh, else a push with the stored retry key), and the outbox's
/// messages (a push to one person, a multicast to many, a broadcast to every friend, each with a retry key derived
/// from the message). Both send their batches of five through one loop.
/// </summary>
internal sealed class LineChannel(
    BotDbContext db,
    InboxOutcomes outcomes,
    ConversationEngine engine,
    IEnumerable<IPersonalDataEraser> erasers,
    IEnumerable<INewFriendWelcome> welcomes,
    LineMessagingClient client,
    LinePushGate gate,
    LineUserRateLimiter limiter,
    KnownLineUsers knownUsers,
    LineProfileLanguages profiles,
    Localization.LanguageDiversion language,
    MessageCatalog messages,
    IOptions<LineOptions> options,
    BotMetrics metrics,
    ConversationStore store,
    ConversationLocks locks,
    PersonLocks people,
    InboxSignal inboxSignal,
    TimeProvider clock,
    ILogger<LineChannel> logger) : IInboxChannel, IOutboxChannel
{
    public const string Channel = "line";

    /// <summary>The Messaging API's limit of user ids per multicast call.</summary>
    public const int MaxMulticast = 500;

    private const int MaxAttempts = 12;

    // A person's first event in this process reads their row: compiled, not funcletized and looked up in EF's query cache each time.
    private static readonly CompiledQuery<string, LineUser?> UserByKey =
        new((db, userKey, ct) => db.Set<LineUser>().FirstOrDefault(u => u.UserKey == userKey));

    public async Task<bool> HandleAsync(InboxItem row, CancellationToken ct)
    {
        var ev = JsonSerializer.Deserialize(row.PayloadJson!, LineWebhookJson.Default.LineEvent)!;
        var source = ev.Source;
        return ev.Type switch
        {
            _ when source is not null && !source.IsUser && ev.Type is "message" or "postback" or "join" => await GroupAsync(row, ev, ct),
            "message" or "postback" or "follow" when source?.IsUser == true && !string.IsNullOrEmpty(source.UserId) => await ConverseAsync(row, ev, source.UserId, ct),
            "unfollow" when row.PersonKey is not null => await UnfollowAsync(row, ct),
            "unsend" => await UnsendAsync(row, ev, ct),
            _ => await outcomes.FinishAsync(row, InboxStatus.Skipped, null, ct),
        };
    }

    /// <summary>
    /// Decides and stages the event's answer, not saved: the rate limit's verdict (a drop finishes the event),
    /// the turn, the answer kept with the event, and the reply token marked spent when it is to be used now. The
    /// caller commits it all at once before any delivery: a retry after a crash neither runs the turn again nor
    /// reuses the token, and the limit is counted once per event.
    /// </summary>
    /// <returns>The answer (null when the rate limit dropped the event) and whether to reply with the token now.</returns>
    private async Task<(IReadOnlyList<Reply>? Replies, bool ReplyNow)> StageAnswerAsync(InboxItem row, LineEvent ev, string lineUserId, CancellationToken ct)
    {
        var decision = ev.Type == "follow" ? RateDecision.Answer : limiter.Decide(row.PersonKey!, row.Timestamp);
        if (decision == RateDecision.Drop)
        {
            row.Finish(InboxStatus.Skipped, "rate limited: not answered", clock.GetUtcNow());
            return (null, false);
        }

        IReadOnlyList<Reply> replies;
        if (decision == RateDecision.SlowDown)
        {
            logger.LogWarning("LINE user over the per-person limit: told once to slow down, further events not answered");
            replies = [new TextReply(messages.Current[LineTexts.SlowDown])];
        }
        else
        {
            replies = await AnswerAsync(row, ev, lineUserId, ct);
        }

        InboxOutcomes.Keep(row, replies);
        var replyNow = CanReply(row, ev);
        row.ReplyTokenUsed |= replyNow;
        return (replies, replyNow);
    }

    private async Task<bool> ConverseAsync(InboxItem row, LineEvent ev, string lineUserId, CancellationToken ct)
    {
        await RememberUserAsync(row.PersonKey!, lineUserId, refresh: ev.Type == "follow", ct);
        var replies = InboxOutcomes.KeptAnswer(row);
        var replyNow = false;
        if (replies is null)
        {
            (replies, replyNow) = await StageAnswerAsync(row, ev, lineUserId, ct);
            await db.SaveChangesAsync(ct);
            if (replies is null)
            {
                return true; // dropped by the rate limit: finished
            }
        }

        var done = await DeliverAsync(row, ev, lineUserId, replies, replyNow, ct);
        if (done && row.Status == InboxStatus.Done)
        {
            metrics.Answered(Channel, clock.GetUtcNow() - row.ReceivedAt);
        }

        return done;
    }

    private async Task<IReadOnlyList<Reply>> AnswerAsync(InboxItem row, LineEvent ev, string lineUserId, CancellationToken ct)
    {
        var (message, prefix) = ToIncoming(ev, row.PersonKey!, clock.GetUtcNow(), messages.Current);
        try
        {
            message = message with { Locale = await profiles.LanguageAsync(row.PersonKey!, lineUserId, ct) ?? message.Locale };
            var answer = await WithLoadingAnimationAsync(engine.AnswerAsync(message, ct), lineUserId, ct); // offers saved with the answer below
            if (ev.Type == "follow" && ev.Follow?.IsUnblocked != true)
            {
                // A new friend (an unblock is not one): what features ask once, after the greeting.
                var offers = new List<Reply>();
                foreach (var welcome in welcomes)
                {
                    offers.AddRange(await welcome.AfterGreetingAsync(row.PersonKey!, ct));
                }

                answer = [.. answer, .. await language.AroundAsync(offers, ct)];
            }

            // In a resident's own language the engine's answer greets them; the channel's Japanese thanks would not.
            return [.. ev.Type == "follow" && language.IsForeign ? [] : await language.AroundAsync(prefix, ct), .. answer];
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A turn is not idempotent, so it is not run again: the person gets an apology and can retry. A
            // cancellation not of ours (a feature's HttpClient timing out) is such a failure too: only the host's
            // hard stop (ct) leaves the event pending, for the next start.
            logger.LogError(ex, "Conversation engine failed on LINE event {EventId}", row.Id);
            metrics.Failed(Channel, "engine");
            return await engine.ApologyAsync(message, save: false, ct); // in the resident's language, its menu's buttons signed; committed with the answer
        }
    }

    /// <summary>
    /// A LINE event as the channel-neutral turn, plus what the channel says first (thanks for following, "stickers
    /// can't be read"). Non-text messages reach the engine as empty text so the person still gets the menu.
    /// </summary>
    internal static (IncomingMessage Message, List<Reply> Prefix) ToIncoming(LineEvent ev, string userKey, DateTimeOffset now, MessageSet words)
    {
        var prefix = new List<Reply>();
        string? text = null;
        string? postback = null;
        Dictionary<string, string>? parameters = null;
        switch (ev.Type)
        {
            case "follow":
                prefix.Add(new TextReply(words[ev.Follow?.IsUnblocked == true ? LineTexts.ThanksForUnblocking : LineTexts.ThanksForFollowing]));
                text = words[LineTexts.FollowOpens];
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
                    prefix.Add(new TextReply(words[NonTextReply(ev.Message?.Type)]));
                    text = string.Empty;
                }

                break;
        }

        var time = ev.Timestamp > 0 ? ev.Time : now;
        return (new IncomingMessage(Channel, Audience.Resident, userKey, userKey, text, postback, time, "ja-JP", parameters), prefix);
    }

    private static MessageKey NonTextReply(string? type) => type switch
    {
        "sticker" => LineTexts.Sticker,
        "image" or "video" or "audio" or "file" => LineTexts.Media,
        "location" => LineTexts.Location,
        _ => LineTexts.Unreadable,
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
    private async Task<bool> DeliverAsync(InboxItem row, LineEvent ev, string? lineUserId, IReadOnlyList<Reply> replies, bool tokenReserved, CancellationToken ct)
    {
        var batches = LineRenderer.Batch(LineRenderer.Render(replies, messages.Current));
        if (row.DeliveredParts == 0 && batches.Count > 0 && (tokenReserved || MayHaveReplied(row, ev) || CanReply(row, ev)))
        {
            // Unsure: a stop or crash came between an earlier reply and recording it.
            var unsure = !tokenReserved && MayHaveReplied(row, ev);
            if (!tokenReserved && !unsure)
            {
                row.ReplyTokenUsed = true; // before the call: the token is spent whatever LINE answers
                await db.SaveChangesAsync(ct);
            }

            var replied = await client.ReplyAsync(ev.ReplyToken!, batches[0], ct);
            if (!replied.Delivered && !unsure && replied.Outcome != LineApiOutcome.Rejected)
            {
                unsure = true; // a timeout or a 5xx may have arrived: the same token, asked again, tells
                replied = await client.ReplyAsync(ev.ReplyToken!, batches[0], ct);
            }

            if (replied.Delivered || (unsure && IsSpentToken(replied)))
            {
                row.DeliveredParts = 1;
                row.LastError = replied.Delivered ? null : "reply assumed delivered: LINE said its token was already used"; // for audit
            }
            else
            {
                // Known now: not by reply. Saved before the push, so a crash in between never asks the token again.
                logger.LogInformation("Reply to LINE event {EventId} failed ({Status}); pushing instead", row.Id, replied.StatusCode);
                row.ReplyFailed = true;
            }

            if (row.ReplyFailed || batches.Count > 1)
            {
                await db.SaveChangesAsync(ct); // else the finishing commit below records it
            }
        }

        if (row.DeliveredParts < batches.Count)
        {
            if (lineUserId is null)
            {
                return await outcomes.FinishAsync(row, InboxStatus.Failed, "reply token expired and nobody to push to", ct);
            }

            if (gate.IsPaused)
            {
                // Not an attempt of this event: it waits for the pause to end without using up its retries.
                (row.NextAttemptAt, row.LastError) = (gate.PausedUntil, "pushes paused: monthly limit");
                await db.SaveChangesAsync(ct);
                return false;
            }

            var failure = await SendBatchesAsync(batches, row.DeliveredParts, row.RetryKey, (batch, key) => client.PushAsync(lineUserId, batch, key, ct), async i =>
            {
                row.DeliveredParts = i + 1;
                if (i + 1 < batches.Count)
                {
                    await db.SaveChangesAsync(ct); // else the finishing commit below records it
                }
            });
            if (failure is not null)
            {
                return failure.Outcome == LineApiOutcome.Rejected
                    ? await outcomes.FinishAsync(row, InboxStatus.Failed, $"push rejected {failure.StatusCode}: {failure.Error}", ct)
                    : await outcomes.RetryLaterAsync(row, $"push {failure.Outcome} {failure.StatusCode}", MaxAttempts, ct);
            }
        }

        return await outcomes.FinishAsync(row, InboxStatus.Done, null, ct);
    }

    /// <summary>The token was spent on this answer and nothing says how that went (a batch or the host stopped in between).</summary>
    private bool MayHaveReplied(InboxItem row, LineEvent ev) =>
        row.ReplyTokenUsed && !row.ReplyFailed && row.DeliveredParts == 0 && !string.IsNullOrEmpty(ev.ReplyToken)
        && clock.GetUtcNow() - ev.Time < options.Value.ReplyTokenLifetime;

    /// <summary>LINE's answer to a token used before (the same as to an expired one, which the token's age rules out).</summary>
    private static bool IsSpentToken(LineApiResult result) =>
        result is { Outcome: LineApiOutcome.Rejected, StatusCode: 400 } && result.Error?.Contains("Invalid reply token", StringComparison.OrdinalIgnoreCase) == true;

    private bool CanReply(InboxItem row, LineEvent ev) =>
        !row.ReplyTokenUsed && !string.IsNullOrEmpty(ev.ReplyToken) && clock.GetUtcNow() - ev.Time < options.Value.ReplyTokenLifetime;

    private async Task<bool> GroupAsync(InboxItem row, LineEvent ev, CancellationToken ct)
    {
        // Groups are answered once, by reply only: the bot never pushes into a group.
        if (CanReply(row, ev))
        {
            row.ReplyTokenUsed = true;
            await db.SaveChangesAsync(ct);
            await client.ReplyAsync(ev.ReplyToken!, [new LineTextMessage(messages.Current[LineTexts.OneToOneOnly])], ct);
        }

        return await outcomes.FinishAsync(row, InboxStatus.Done, null, ct);
    }

    private async Task<bool> UnfollowAsync(InboxItem row, CancellationToken ct)
    {
        var userKey = row.PersonKey!;
        foreach (var eraser in erasers)
        {
            await eraser.EraseAsync(userKey, ct);
        }

        logger.LogInformation("LINE user blocked the account; their personal data was erased");
        db.ChangeTracker.Clear(); // erasers changed rows behind the tracker's back
        var fresh = await db.Set<InboxItem>().SingleAsync(e => e.Id == row.Id, ct);
        return await outcomes.FinishAsync(fresh, InboxStatus.Done, null, ct);
    }

    private async Task<bool> UnsendAsync(InboxItem row, LineEvent ev, CancellationToken ct)
    {
        if (ev.Unsend?.MessageId is { } messageId)
        {
            // The person took the message back: forget its text, and don't answer it if it is still waiting.
            await db.Set<InboxItem>().Where(e => e.Channel == Channel && e.MessageId == messageId)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.PayloadJson, (string?)null), ct);
        }

        return await outcomes.FinishAsync(row, InboxStatus.Done, null, ct);
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
        var user = await UserByKey.RunAsync(db, userKey, ct);
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

    /// <summary>An outbox message. False when the round should stop: pushes are paused, or LINE is down.</summary>
    public async Task<bool> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        if (gate.IsPaused)
        {
            return false;
        }

        var failure = message.RecipientsJson is null ? await PushAsync(message, ct)
            : message.ToEveryone ? await BroadcastAsync(message, ct)
            : await MulticastAsync(message, ct);

        // An event of this person that came while the push held them was passed over: look again now.
        inboxSignal.Notify();
        return failure is not (LineApiOutcome.MonthlyLimit or LineApiOutcome.Unavailable); // LINE down: the rest waits
    }

    /// <returns>Why the push failed; null when it was sent, given up for this person, or left for later.</returns>
    private async Task<LineApiOutcome?> PushAsync(OutboxMessage message, CancellationToken ct)
    {
        var user = await db.Set<LineUser>().AsNoTracking().SingleOrDefaultAsync(u => u.UserKey == message.UserKey, ct);
        if (user?.LineUserId is not { } to || !user.Following)
        {
            message.Attempts++;
            (message.FailedAt, message.LastError) = (clock.GetUtcNow(), "not a LINE friend (blocked, or never followed)");
            return null;
        }

        // The person's lock, as for their events: a worker answering them right now finishes first, and their
        // next turn (on any replica) finds this message's offers saved.
        await using var held = await people.TryTakeAsync(message.UserKey, ct);
        if (held is null)
        {
            return null; // released by the caller and taken up at the next round
        }

        message.Attempts++;

        // Offers first, under the person's turn lock: "1" typed right after a reminder answers its buttons.
        using (await locks.AcquireAsync(message.UserKey, ct))
        {
            await store.SaveOffersAsync(message.UserKey, Offers.From(message.Replies), ct);
        }

        return Record(message, "push", await SendBatchesAsync(OutboxBatches(message), 0, OutboxKey(message), (batch, key) => client.PushAsync(to, batch, key, ct)));
    }

    /// <summary>
    /// One message to many: to those of its recipients who are still friends, in calls of up to 500. A retry (after a
    /// 429, an outage or a crash before SentAt was saved) sends the same calls with the same keys: LINE answers 409 to
    /// those it already accepted, so nobody gets it twice. No offers are kept: an announcement has no choices.
    /// </summary>
    private async Task<LineApiOutcome?> MulticastAsync(OutboxMessage message, CancellationToken ct)
    {
        var keys = message.Recipients ?? [];
        var friends = await db.Set<LineUser>().AsNoTracking()
            .Where(u => keys.Contains(u.UserKey) && u.Following && u.LineUserId != null)
            .Select(u => new { u.UserKey, u.LineUserId })
            .ToListAsync(ct);
        friends = [.. friends.OrderBy(f => f.UserKey, StringComparer.Ordinal)]; // the same calls on a retry
        message.Attempts++;
        var key = OutboxKey(message);
        var batches = OutboxBatches(message);
        LineApiResult? failure = null;
        foreach (var (part, p) in friends.Chunk(MaxMulticast).Select((part, p) => (part, p)))
        {
            var to = part.Select(f => f.LineUserId!).ToList();
            var partKey = p == 0 ? key : LineRenderer.DeriveKey($"{key:N}:part:{p}");
            failure = await SendBatchesAsync(batches, 0, partKey, (batch, batchKey) => client.MulticastAsync(to, batch, batchKey, ct));
            if (failure is not null)
            {
                break;
            }
        }

        if (failure is null)
        {
            message.RecipientsJson = JsonSerializer.Serialize(friends.Select(f => f.UserKey).ToList(), Outbox.Json); // those it reached
        }

        return Record(message, "multicast", failure);
    }

    /// <summary>One message to every friend (an announcement to everyone): a broadcast, retried with the same key, so sent once.</summary>
    private async Task<LineApiOutcome?> BroadcastAsync(OutboxMessage message, CancellationToken ct)
    {
        message.Attempts++;
        return Record(message, "broadcast", await SendBatchesAsync(OutboxBatches(message), 0, OutboxKey(message), (batch, key) => client.BroadcastAsync(batch, key, ct)));
    }

    private IReadOnlyList<IReadOnlyList<LineMessage>> OutboxBatches(OutboxMessage message) => LineRenderer.Batch(LineRenderer.Render(message.Replies, messages.Current));

    private static Guid OutboxKey(OutboxMessage message) => LineRenderer.DeriveKey("outbox:" + message.IdempotencyKey);

    /// <summary>
    /// The send code of both kinds of message: the batches of five from <paramref name="from"/> on, in order, each with
    /// the retry key derived from <paramref name="key"/> and its index, until one fails (a monthly limit pauses every
    /// push). A batch sent before answers 409 to the same key, which counts as sent.
    /// </summary>
    /// <param name="sent">After each batch sent, with its index (an answer records its progress).</param>
    /// <returns>The failure; null when every batch was sent.</returns>
    private async Task<LineApiResult?> SendBatchesAsync(
        IReadOnlyList<IReadOnlyList<LineMessage>> batches, int from, Guid key, Func<IReadOnlyList<LineMessage>, Guid, Task<LineApiResult>> send, Func<int, Task>? sent = null)
    {
        for (var i = from; i < batches.Count; i++)
        {
            var result = await send(batches[i], LineRenderer.BatchRetryKey(key, i));
            if (!result.Delivered)
            {
                if (result.Outcome == LineApiOutcome.MonthlyLimit)
                {
                    gate.PauseForMonthlyLimit();
                }

                return result;
            }

            if (sent is not null)
            {
                await sent(i);
            }
        }

        return null;
    }

    /// <summary>Sent; or failed for good (LINE rejected it); or tried again later, with backoff up to an hour.</summary>
    private LineApiOutcome? Record(OutboxMessage message, string call, LineApiResult? failure)
    {
        var now = clock.GetUtcNow();
        if (failure is null)
        {
            (message.SentAt, message.LastError) = (now, null);
            return null;
        }

        if (failure.Outcome == LineApiOutcome.Rejected)
        {
            (message.FailedAt, message.LastError) = (now, TextNormalizer.Clip($"{call} rejected {failure.StatusCode}: {failure.Error}", 500));
        }
        else
        {
            message.LastError = TextNormalizer.Clip($"{call} {failure.Outcome} {failure.StatusCode}", 500);
            message.NotBefore = now + TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Min(message.Attempts, 7) - 1)));
        }

        return failure.Outcome;
    }
}
