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
/// One stored LINE event, start to finish: who it is, what the engine answers, and delivery (reply while the token
/// is fresh, else push with the stored retry key). Returns false when the event must be tried again later.
/// </summary>
internal sealed class LineInboxChannel(
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
    TimeProvider clock,
    ILogger<LineInboxChannel> logger) : IInboxChannel
{
    public const string Channel = "line";

    private const int MaxAttempts = 12;

    public string Name => Channel;

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
        for (var i = row.DeliveredParts; i < batches.Count; i++)
        {
            if (i == 0 && (tokenReserved || MayHaveReplied(row, ev) || CanReply(row, ev)))
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
                    if (batches.Count > 1)
                    {
                        await db.SaveChangesAsync(ct); // else the finishing commit below records it
                    }

                    continue;
                }

                // Known now: not by reply. Saved before the push, so a crash in between never asks the token again.
                logger.LogInformation("Reply to LINE event {EventId} failed ({Status}); pushing instead", row.Id, replied.StatusCode);
                row.ReplyFailed = true;
                await db.SaveChangesAsync(ct);
            }

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

            var pushed = await client.PushAsync(lineUserId, batches[i], LineRenderer.BatchRetryKey(row.RetryKey, i), ct);
            if (pushed.Delivered)
            {
                row.DeliveredParts = i + 1;
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
                ? await outcomes.FinishAsync(row, InboxStatus.Failed, $"push rejected {pushed.StatusCode}: {pushed.Error}", ct)
                : await outcomes.RetryLaterAsync(row, $"push {pushed.Outcome} {pushed.StatusCode}", MaxAttempts, ct);
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
}
