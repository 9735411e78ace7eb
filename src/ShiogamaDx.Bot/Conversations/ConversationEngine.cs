using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// One turn of any channel: continue the active dialog, else route to the best feature within the person's
/// audience, else say so kindly with the menu. Residents can never reach a staff handler and the reverse:
/// handlers are filtered by audience before anything else, postbacks included.
/// </summary>
public sealed class ConversationEngine(
    IEnumerable<IIntentHandler> handlers,
    IEnumerable<ITurnDiversion> diversions,
    DialogRuntime runtime,
    DialogCatalog catalog,
    ConversationStore store,
    ConversationLocks locks,
    PrivacyKeys keys,
    Data.BotDbContext db,
    Hosting.BotMetrics metrics,
    TimeProvider clock,
    Messages.MessageCatalog messages,
    ILogger<ConversationEngine> logger)
{
    /// <summary>Below this a handler's match is a guess, and "not understood" with the menu serves better.</summary>
    public const double MatchThreshold = 0.5;

    /// <summary>A feature's keyword said on its own, or in a message no longer than this, names the feature (「お知らせ」「問い合わせ先は」).</summary>
    public const int KeywordOnlyLength = 10;

    /// <summary>
    /// What a feature's keyword mentioned in a message is worth: a message that is little more than the keyword asks for
    /// the feature (0.6); inside a longer question (「操作の問い合わせはどこが受けてくれる？」「お知らせは何日たったら出す？」) the
    /// keyword is one word of a question another feature may answer on evidence, so it is the weakest claim, taken only
    /// when no other feature claims the question.
    /// </summary>
    public static double KeywordMention(Turn turn) => turn.Normalized.Length <= KeywordOnlyLength ? 0.6 : MatchThreshold;

    /// <summary>
    /// Two features closer than this are asked between (when the menu names both as topics). Handlers score in
    /// steps of about 0.1 by the evidence they have (a KPI's own words 0.9, a figure asked of a project 0.75, a
    /// guideline topic 0.8, a guideline passage 0.6), so this asks on a tie or half a step, never across a step.
    /// </summary>
    public const double AskMargin = 0.075;

    private const string RoutePostback = "route";

    // Set by this turn's "not understood" answer (the engine is scoped: one per turn or one per inbox item).
    private bool notUnderstood;

    // The feature whose answer stands this turn (ITurnDiversion.AfterAsync is told): a handler's name, "dialog:" + a flow's id.
    private string? answeredBy;
    private const int MaxAskedText = 90; // the question travels, escaped, in the choice's postback data (1,000 characters at most)

    /// <summary>
    /// What a channel says when the turn itself failed (an exception of a feature, a timeout): the apology of
    /// messages.yaml, in the resident's language where a diversion says it (<see cref="ITurnDiversion.ApologyAsync"/>),
    /// with the person's menu, its buttons signed and kept as offers (a typed number picks them). The turn is not run
    /// again: it is not idempotent. Staged with the caller's commit unless <paramref name="save"/>; if anything of it
    /// fails, the Japanese apology and menu without offers.
    /// </summary>
    public async Task<IReadOnlyList<Reply>> ApologyAsync(IncomingMessage message, bool save, CancellationToken ct)
    {
        var menu = catalog.Menus.For(message.Audience);
        IReadOnlyList<Reply> japanese = message.Audience == Audience.Resident
            ? [new TextReply(messages.Current[ConversationTexts.Apology]), menu.AsChoices()]
            : [new TextReply(messages.Current[ConversationTexts.Apology])];
        try
        {
            using var _ = await locks.AcquireAsync(message.ConversationKey, ct);
            IReadOnlyList<Reply>? said = null;
            foreach (var diversion in diversions)
            {
                said ??= await diversion.ApologyAsync(message, ct);
            }

            var signed = (said ?? japanese).Select(r => ReplySigning.Sign(r, keys.PostbackKey)).ToList();
            await store.StageOffersAsync(message.ConversationKey, Offers.From(signed), ct);
            if (save)
            {
                await db.SaveChangesAsync(ct);
            }

            return signed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "The apology in the person's language failed ({Channel}); said in Japanese", message.Channel);
            return japanese;
        }
    }

    public async Task<IReadOnlyList<Reply>> HandleAsync(IncomingMessage message, CancellationToken ct)
    {
        // Saved under the turn lock: the conversation's next turn finds these offers.
        using var _ = await locks.AcquireAsync(message.ConversationKey, ct);
        return await OnOneConnectionAsync(message, save: true, ct);
    }

    /// <summary>
    /// The turn, with the offers it leaves (buttons a typed number may pick) staged in the scope's DbContext and
    /// not yet saved: for a caller that commits its own record of the answer with them (the LINE inbox, where the
    /// person's lease, not this process's turn lock, keeps their turns apart until that commit).
    /// </summary>
    public async Task<IReadOnlyList<Reply>> AnswerAsync(IncomingMessage message, CancellationToken ct)
    {
        using var _ = await locks.AcquireAsync(message.ConversationKey, ct);
        return await OnOneConnectionAsync(message, save: false, ct);
    }

    /// <summary>
    /// A turn reads six to eight rows (its state and offers, the features' per-person rows): opened once here, the
    /// connection is not taken from the pool and given back around each of them (#19: 27 KB less per turn).
    /// </summary>
    private async Task<IReadOnlyList<Reply>> OnOneConnectionAsync(IncomingMessage message, bool save, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var replies = await TurnAsync(message, ct);
            if (save)
            {
                await db.SaveChangesAsync(ct);
            }

            return replies;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<IReadOnlyList<Reply>> TurnAsync(IncomingMessage message, CancellationToken ct)
    {
        notUnderstood = false;
        answeredBy = null;
        var (state, expired) = await store.LoadAsync(message.ConversationKey, ct);
        var turn = await ToTurnAsync(message, inDialog: state is not null, ct);
        var diverted = await DivertAsync(turn, ct);
        var (replies, dialogActive) = diverted is not null ? (diverted, false) : await RespondAsync(turn, state, expired, ct);
        if (diverted is null)
        {
            foreach (var diversion in diversions)
            {
                replies = await diversion.AfterAsync(turn, replies, !notUnderstood, answeredBy, ct);
            }
        }

        var signed = replies.Select(r => ReplySigning.Sign(r, keys.PostbackKey)).ToList();

        // A dialog reads its own answers; offers are for the turns between dialogs.
        await store.StageOffersAsync(message.ConversationKey, dialogActive ? [] : Offers.From(signed), ct);
        return signed;
    }

    private async Task<IReadOnlyList<Reply>?> DivertAsync(Turn turn, CancellationToken ct)
    {
        if (turn.Message.PostbackData is not null && turn.Postback is null)
        {
            return null; // a forged or stale button is refused by the engine, not passed on
        }

        foreach (var diversion in diversions)
        {
            if (await diversion.DivertAsync(turn, ct) is { } replies)
            {
                return replies;
            }
        }

        return null;
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
        if (postback is { Handler: Choice.SendsHandler } sends && sends["t"] is { Length: > 0 } said)
        {
            // A choice shown in other words (Choice.Sending): the turn is the text it stands for, as if typed.
            message = message with { Text = said, PostbackData = null };
            text = TextNormalizer.Clip(said, IncomingMessage.MaxTextLength);
            postback = null;
        }

        return new Turn(message, text, TextNormalizer.Normalize(text), postback);
    }

    private async Task<(IReadOnlyList<Reply> Replies, bool DialogActive)> RespondAsync(Turn turn, DialogState? state, bool expired, CancellationToken ct)
    {
        var audience = turn.Message.Audience;
        var menu = catalog.Menus.For(audience);

        if (turn.Message.PostbackData is not null && turn.Postback is null)
        {
            logger.LogWarning("Rejected postback data that is malformed or not signed by this host ({Channel})", turn.Message.Channel);
            return ([new TextReply(messages.Current[ConversationTexts.ButtonInvalid]), menu.AsChoices()], state is not null);
        }

        var prefix = new List<Reply>();
        if (expired)
        {
            prefix.Add(new TextReply(messages.Current[ConversationTexts.Expired]));
        }

        if (state is not null)
        {
            var otherButton = turn.Postback is { } pb && pb.Handler != DialogRuntime.PostbackHandler;
            if (IsMenuWord(turn))
            {
                await store.SaveAsync(turn.Message.ConversationKey, null, ct); // the person moved on
            }
            else if ((otherButton || (!turn.IsPostback && !runtime.Accepts(state, turn))) && await AsideAsync(turn, ct) is { StartDialog: null } aside)
            {
                // Not an answer but a new request (or a button of what was answered meanwhile): answer it, and the
                // flow waits with its answers instead of counting a wrong answer.
                return ([.. aside.Replies, runtime.ResumeOffer(state)], true);
            }
            else if (otherButton)
            {
                await store.SaveAsync(turn.Message.ConversationKey, null, ct); // a button that starts another flow
            }
            else
            {
                answeredBy = "dialog:" + state.DialogId;
                var dialogTurn = await runtime.ContinueAsync(state, turn, ct);
                await store.SaveAsync(turn.Message.ConversationKey, dialogTurn.State, ct);
                return (dialogTurn.Replies, dialogTurn.State is not null);
            }
        }

        if (turn.Postback is { Handler: DialogRuntime.PostbackHandler })
        {
            return ([.. prefix, new TextReply(messages.Current[ConversationTexts.ButtonFinished]), menu.AsChoices()], false);
        }

        if (!turn.IsPostback && catalog.Menus.SmallTalkFor(turn.Normalized) is { } talk)
        {
            // 「はい」「ありがとう」 on their own: not a question to search for, nor one to keep as unanswered.
            return ([.. prefix, new TextReply(talk.Reply)], false);
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

        if (turn.Postback is { Handler: RoutePostback } picked)
        {
            // The answer to "which do you mean": the question asked again, of the feature chosen.
            var chosen = allowed.FirstOrDefault(h => h.Name == picked["to"]);
            var question = picked["q"] ?? string.Empty;
            return chosen is null || question.Length == 0
                ? null
                : await HandleOrHandOverAsync(chosen, new Turn(turn.Message with { Text = question, PostbackData = null }, question, TextNormalizer.Normalize(question), null), ct);
        }

        if (turn.Postback is { } postback)
        {
            var target = allowed.FirstOrDefault(h => h.Name == postback.Handler);
            if (target is null)
            {
                // A signed postback of the other audience cannot happen by accident: note it, answer nothing of it.
                logger.LogWarning("Postback for handler {Handler} refused for audience {Audience}", postback.Handler, audience);
                return null;
            }

            answeredBy = target.Name;
            return await target.HandleAsync(turn, ct);
        }

        if (turn.Normalized.Length == 0 || PromptInjection.IsAttempt(turn.Text))
        {
            return null; // an attempt to steer the bot is not a question: no guess, no "did you mean"
        }

        if (Trigger(turn) is { } dialog)
        {
            return new TurnResult([], new DialogStart(dialog.Id));
        }

        var ranked = Ranked(turn);
        if (ranked.Count == 0)
        {
            return null;
        }

        var topics = catalog.Menus.For(audience).Topics;
        if (ranked.Count > 1 && ranked[0].Score - ranked[1].Score < AskMargin
            && topics.TryGetValue(ranked[0].Handler.Name, out var first) && topics.TryGetValue(ranked[1].Handler.Name, out var second)
            && turn.Text.Length <= MaxAskedText)
        {
            // Two features fit about equally (a KPI's words and a guideline passage): ask, do not let one keyword win.
            return TurnResult.Of(new ChoicesReply(catalog.Menus.AskWhich,
            [
                new Choice(first, Postback.Create(RoutePostback, "pick", ("to", ranked[0].Handler.Name), ("q", turn.Text))),
                new Choice(second, Postback.Create(RoutePostback, "pick", ("to", ranked[1].Handler.Name), ("q", turn.Text))),
            ]));
        }

        return await HandleOrHandOverAsync(ranked[0].Handler, turn, ct);
    }

    /// <summary>The handler's answer, or that of the handler it hands the turn over to (one hop, same audience).</summary>
    private async Task<TurnResult> HandleOrHandOverAsync(IIntentHandler handler, Turn turn, CancellationToken ct)
    {
        answeredBy = handler.Name;
        var result = await handler.HandleAsync(turn, ct);
        if (result.HandOverTo is { } name && name != handler.Name
            && handlers.FirstOrDefault(h => h.Audience == turn.Message.Audience && h.Name == name) is { } next)
        {
            answeredBy = next.Name;
            return await next.HandleAsync(turn, ct);
        }

        return result;
    }

    /// <summary>Inside a flow: a button of another feature, or a text some feature would answer, else null.</summary>
    private async Task<TurnResult?> AsideAsync(Turn turn, CancellationToken ct)
    {
        if (turn.IsPostback)
        {
            return await RouteAsync(turn, ct);
        }

        // Flows do not nest: a flow's own words (ご意見 inside ご意見) are not a new request.
        if (PromptInjection.IsAttempt(turn.Text) || Trigger(turn) is not null || Best(turn) is not { } handler)
        {
            return null;
        }

        return await HandleOrHandOverAsync(handler, turn, ct);
    }

    private DialogDefinition? Trigger(Turn turn) => catalog.Triggered(turn.Message.Audience, turn.Normalized);

    private IIntentHandler? Best(Turn turn) => Ranked(turn) is [var best, ..] ? best.Handler : null;

    /// <summary>
    /// The handlers of the person's audience that would answer, best first. Of the handlers answering from documents,
    /// only those whose passage holds the most of the question compete (<see cref="IPassageHandler"/>).
    /// </summary>
    private List<(IIntentHandler Handler, double Score)> Ranked(Turn turn)
    {
        var claims = new List<(IIntentHandler Handler, double Score)>();
        foreach (var handler in handlers)
        {
            if (handler.Audience == turn.Message.Audience && handler.Match(turn) is var score && score >= MatchThreshold)
            {
                claims.Add((handler, score));
            }
        }

        var passages = claims.Where(x => x.Handler is IPassageHandler)
            .Select(x => (x.Handler, Coverage: ((IPassageHandler)x.Handler).Coverage(turn)))
            .ToList();
        if (passages.Count > 1)
        {
            var most = passages.Max(p => p.Coverage);
            claims.RemoveAll(x => passages.Any(p => p.Handler == x.Handler && p.Coverage < most));
        }

        return claims.OrderByDescending(x => x.Score).ToList();
    }

    private async Task<IReadOnlyList<Reply>> NotUnderstoodAsync(Turn turn, CancellationToken ct)
    {
        var menu = catalog.Menus.For(turn.Message.Audience);
        if (turn.Normalized.Length == 0)
        {
            // A sticker, an emoji or an empty message: no question to keep, just offer the way in.
            return [new TextReply(menu.Greeting), menu.AsChoices()];
        }

        notUnderstood = true;
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
