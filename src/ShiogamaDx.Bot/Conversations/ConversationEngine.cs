namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// One turn of any channel: continue the active dialog, else route to the best feature within the person's
/// audience, else say so kindly with the menu. Residents can never reach a staff handler and the reverse:
/// handlers are filtered by audience before anything else, postbacks included.
/// </summary>
public sealed class ConversationEngine(
    IEnumerable<IIntentHandler> handlers,
    DialogRuntime runtime,
    DialogCatalog catalog,
    ConversationStore store,
    ConversationLocks locks,
    PrivacyKeys keys,
    Data.BotDbContext db,
    Hosting.BotMetrics metrics,
    TimeProvider clock,
    ILogger<ConversationEngine> logger)
{
    /// <summary>Below this a handler's match is a guess, and "not understood" with the menu serves better.</summary>
    public const double MatchThreshold = 0.5;

    public static readonly TextReply Apology = new("申し訳ありません、ただいま応答できませんでした。少し時間をおいてもう一度お試しください。");

    public async Task<IReadOnlyList<Reply>> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        // Saved under the turn lock: the conversation's next turn finds these offers.
        using var _ = await locks.AcquireAsync(message.ConversationKey, ct);
        var replies = await TurnAsync(message, ct);
        await db.SaveChangesAsync(ct);
        return replies;
    }

    /// <summary>
    /// The turn, with the offers it leaves (buttons a typed number may pick) staged in the scope's DbContext and
    /// not yet saved: for a caller that commits its own record of the answer with them (the LINE inbox, where the
    /// person's lease, not this process's turn lock, keeps their turns apart until that commit).
    /// </summary>
    public async Task<IReadOnlyList<Reply>> AnswerAsync(IncomingMessage message, CancellationToken ct)
    {
        using var _ = await locks.AcquireAsync(message.ConversationKey, ct);
        return await TurnAsync(message, ct);
    }

    private async Task<IReadOnlyList<Reply>> TurnAsync(IncomingMessage message, CancellationToken ct)
    {
        var (state, expired) = await store.LoadAsync(message.ConversationKey, ct);
        var turn = await ToTurnAsync(message, inDialog: state is not null, ct);
        var (replies, dialogActive) = await RespondAsync(turn, state, expired, ct);
        var signed = replies.Select(r => ReplySigning.Sign(r, keys.PostbackKey)).ToList();

        // A dialog reads its own answers; offers are for the turns between dialogs.
        await store.StageOffersAsync(message.ConversationKey, dialogActive ? [] : Offers.From(signed), ct);
        return signed;
    }

    private async Task<Turn> ToTurnAsync(IncomingMessage message, bool inDialog, CancellationToken ct)
    {
        var text = TextNormalizer.Clip(message.Text ?? string.Empty, IncomingMessage.MaxTextLength);
        if (!inDialog && message.PostbackData is null && text.Length > 0 && text.Length <= 40)
        {
            // "2" or a button's label typed instead of pressed: answer it as the button would have.
            var offers = await store.LoadOffersAsync(message.ConversationKey, ct);
            if (offers.Count > 0 && Offers.Pick(text, offers) is { } picked)
            {
                message = picked.Value is null ? message with { Text = picked.Label } : message with { Text = null, PostbackData = picked.Value };
                text = message.Text ?? string.Empty;
            }
        }

        var postback = message.PostbackData is null ? null : Postback.Verify(message.PostbackData, keys.PostbackKey);
        return new Turn(message, text, TextNormalizer.Normalize(text), postback);
    }

    private async Task<(IReadOnlyList<Reply> Replies, bool DialogActive)> RespondAsync(Turn turn, DialogState? state, bool expired, CancellationToken ct)
    {
        var audience = turn.Message.Audience;
        var menu = catalog.Menus.For(audience);

        if (turn.Message.PostbackData is not null && turn.Postback is null)
        {
            logger.LogWarning("Rejected postback data that is malformed or not signed by this host ({Channel})", turn.Message.Channel);
            return ([new TextReply("このボタンは使えなくなりました。メニューからもう一度お選びください。"), menu.AsChoices()], state is not null);
        }

        var prefix = new List<Reply>();
        if (expired)
        {
            prefix.Add(new TextReply("前のやりとりは時間が経ったため終了しました。"));
        }

        if (state is not null)
        {
            if (IsMenuWord(turn) || (turn.Postback is { } pb && pb.Handler != DialogRuntime.PostbackHandler))
            {
                await store.SaveAsync(turn.Message.ConversationKey, null, ct); // the person moved on
            }
            else
            {
                var dialogTurn = await runtime.ContinueAsync(state, turn, ct);
                await store.SaveAsync(turn.Message.ConversationKey, dialogTurn.State, ct);
                return (dialogTurn.Replies, dialogTurn.State is not null);
            }
        }

        if (turn.Postback is { Handler: DialogRuntime.PostbackHandler })
        {
            return ([.. prefix, new TextReply("そのボタンのやりとりは終わっています。"), menu.AsChoices()], false);
        }

        var result = await RouteAsync(turn, ct);
        if (result is null)
        {
            return ([.. prefix, .. await NotUnderstoodAsync(turn, ct)], false);
        }

        if (result.StartDialog is { } start)
        {
            var started = await runtime.StartAsync(start.DialogId, turn, start.Values, ct);
            await store.SaveAsync(turn.Message.ConversationKey, started.State, ct);
            return ([.. prefix, .. result.Replies, .. started.Replies], started.State is not null);
        }

        return ([.. prefix, .. result.Replies], false);
    }

    private async Task<TurnResult?> RouteAsync(Turn turn, CancellationToken ct)
    {
        var audience = turn.Message.Audience;
        var allowed = handlers.Where(h => h.Audience == audience);

        if (turn.Postback is { } postback)
        {
            var target = allowed.FirstOrDefault(h => h.Name == postback.Handler);
            if (target is null)
            {
                // A signed postback of the other audience cannot happen by accident: note it, answer nothing of it.
                logger.LogWarning("Postback for handler {Handler} refused for audience {Audience}", postback.Handler, audience);
                return null;
            }

            return await target.HandleAsync(turn, ct);
        }

        if (turn.Normalized.Length == 0)
        {
            return null;
        }

        var dialog = catalog.Dialogs.FirstOrDefault(d => d.Audience == audience && d.Triggers.Any(t => TextNormalizer.Normalize(t) == turn.Normalized));
        if (dialog is not null)
        {
            return new TurnResult([], new DialogStart(dialog.Id));
        }

        IIntentHandler? best = null;
        var bestScore = 0.0;
        foreach (var handler in allowed)
        {
            var score = handler.Match(turn);
            if (score > bestScore)
            {
                (best, bestScore) = (handler, score);
            }
        }

        return best is not null && bestScore >= MatchThreshold ? await best.HandleAsync(turn, ct) : null;
    }

    private async Task<IReadOnlyList<Reply>> NotUnderstoodAsync(Turn turn, CancellationToken ct)
    {
        var menu = catalog.Menus.For(turn.Message.Audience);
        if (turn.Normalized.Length == 0)
        {
            // A sticker, an emoji or an empty message: no question to keep, just offer the way in.
            return [new TextReply(menu.Greeting), menu.AsChoices()];
        }

        db.Add(new UnansweredQuestion
        {
            Channel = turn.Message.Channel,
            Audience = turn.Message.Audience,
            UserKey = turn.Message.UserKey,
            Text = TextNormalizer.Clip(turn.Text, 500),
            AskedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        metrics.Unanswered(turn.Message.Channel, turn.Message.Audience.ToString().ToLowerInvariant());
        logger.LogInformation("Unanswered question kept for review ({Channel}, {Audience})", turn.Message.Channel, turn.Message.Audience);
        return [new TextReply(menu.NotUnderstood + "\n" + catalog.Menus.Contact), menu.AsChoices()];
    }

    private static bool IsMenuWord(Turn turn) => !turn.IsPostback && turn.Normalized is "めにゅう" or "めにゅ" or "menu" or "めにゅー" or "メニュー";
}
