using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Handoff;

/// <summary>
/// A resident reaching a person: asking, the request card in the office's conversations, the claim, the messages
/// each way, the close and the rating. Every message to the other side is an outbox message staged with the turn
/// that caused it, so it is committed with that turn's record in the inbox and sent once (LINE: push with a retry key
/// derived from its key; staff: the connector).
/// </summary>
public sealed class HandoffDesk(
    BotDbContext db,
    Outbox outbox,
    PrivacyKeys keys,
    IOptions<HandoffOptions> options,
    OfficeCalendar calendar,
    MessageCatalog messages,
    DialogCatalog catalog,
    IEnumerable<IRecipientDirectory> directories,
    HandoffTopics topics,
    TerminalDesk terminal,
    TimeProvider clock,
    ILogger<HandoffDesk> logger) : ITurnDiversion
{
    // Both run on every resident's turn and almost never find a row.
    private static readonly CompiledQuery<string, HandoffCase?> OpenCaseByUser = new((db, userKey, ct) =>
        db.Set<HandoffCase>().Where(h => h.UserKey == userKey && (h.Status != HandoffStatus.Closed || h.RatingPending)).OrderByDescending(h => h.Id).FirstOrDefault());

    private static readonly CompiledQuery<string, HandoffStreak?> StreakByUser = new((db, userKey, ct) =>
        db.Set<HandoffStreak>().FirstOrDefault(s => s.UserKey == userKey));

    private Task<HandoffCase?> OpenCaseQuery(string userKey, CancellationToken ct) => OpenCaseByUser.RunAsync(db, userKey, ct);

    private Task<HandoffStreak?> StreakQuery(string userKey, CancellationToken ct) => StreakByUser.RunAsync(db, userKey, ct);

    public const string ResidentHandler = "handoff";
    public const string StaffHandler = "staff.handoff";
    public const string Line = "line", Staff = "staff";

    /// <summary>The terminal chat (<c>chat --as resident|staff</c>): both sides of a handoff for a demo, on one database.</summary>
    public const string Terminal = "terminal";

    /// <summary>LINE's limit for one text message: what a resident writes reaches staff whole (the engine reads fewer for matching).</summary>
    public const int MaxText = 5000;

    /// <summary><see cref="HandoffCase.ClosedBy"/> of a request answered by telephone.</summary>
    public const string Callback = "callback";

    /// <summary>What a resident types to end the handoff.</summary>
    private static readonly HashSet<string> EndWords = Normalized("終了", "終わり", "おわり", "終わる", "終わります", "終了します", "やめる", "やめます", "止める");

    /// <summary>What a staff member types in their personal chat.</summary>
    private static readonly HashSet<string> CloseWords = Normalized("対応終了", "対応を終了", "対応終わり");

    private static readonly HashSet<string> ListWords = Normalized("対応中の相談", "対応中", "相談一覧");

    private const string TransferWords = "転送";

    private HandoffOptions Options => options.Value;

    /// <summary>Configured for the staff chat, or played in the terminal chat.</summary>
    private bool Enabled => Options.Enabled || terminal.On;

    private MessageSet Texts => messages.Current;

    private static HashSet<string> Normalized(params string[] words) => words.Select(TextNormalizer.Normalize).ToHashSet(StringComparer.Ordinal);

    public async Task<IReadOnlyList<Reply>?> DivertAsync(Turn turn, CancellationToken ct)
    {
        if (turn.Postback is not null)
        {
            return null; // a button: the handlers answer it (claim, rating, a choice of the menu)
        }

        return turn.Message.Audience == Audience.Resident ? await FromResidentAsync(turn, ct) : await FromStaffAsync(turn, ct);
    }

    public async Task<IReadOnlyList<Reply>> AfterAsync(Turn turn, IReadOnlyList<Reply> replies, bool understood, CancellationToken ct)
    {
        if (turn.Message.Audience != Audience.Resident || turn.IsPostback || (!understood && turn.Normalized.Length == 0))
        {
            return replies;
        }

        // A query, not FindAsync: Find builds its key lookup anew and EF compiles it on every call.
        var userKey = turn.Message.UserKey;
        var streak = await StreakQuery(userKey, ct);
        if (understood)
        {
            if (streak is not null)
            {
                db.Remove(streak);
            }

            return replies;
        }

        if (streak is null)
        {
            db.Add(new HandoffStreak { UserKey = turn.Message.UserKey, Count = 1, At = clock.GetUtcNow() });
            return replies;
        }

        streak.Count++;
        streak.At = clock.GetUtcNow();
        if (streak.Count < 2 || !Enabled)
        {
            return replies;
        }

        // The menu's choices give way to the offer: one set of buttons, numbered as the resident sees them.
        db.Remove(streak);
        return [.. replies.Where(r => r is not ChoicesReply), new ChoicesReply(Texts[HandoffTexts.Offer], [new Choice(Texts[HandoffTexts.OfferButton]), new Choice(Texts[HandoffTexts.OfferNo])])];
    }

    // ---- the resident's side ----

    /// <summary>「職員と話したい」, the menu entry or the offer: what will happen, and the question asked for.</summary>
    public async Task<IReadOnlyList<Reply>> StartAsync(Turn turn, CancellationToken ct)
    {
        if (!Enabled)
        {
            return [new TextReply(Texts.Format(HandoffTexts.Off, catalog.Menus.Contact))];
        }

        var now = clock.GetUtcNow();
        var open = await OpenCaseAsync(turn.Message.UserKey, ct);
        if (open is null)
        {
            db.Add(new HandoffCase { UserKey = turn.Message.UserKey, Status = HandoffStatus.Asking, CreatedAt = now, ResidentChannel = turn.Message.Channel == Line ? null : turn.Message.Channel });
            await db.SaveChangesAsync(ct);
        }

        logger.LogInformation("A resident asked for a person");
        return [new TextReply(calendar.IsOpen(now) ? Texts[HandoffTexts.AskInHours] : Texts.Format(HandoffTexts.AskOutOfHours, Opens(now)))];
    }

    private async Task<IReadOnlyList<Reply>?> FromResidentAsync(Turn turn, CancellationToken ct)
    {
        var open = await OpenCaseQuery(turn.Message.UserKey, ct);
        if (open is null)
        {
            return null;
        }

        if (open.Status == HandoffStatus.Closed)
        {
            open.RatingPending = false; // not a rating (those come as the buttons' data): the bot is back
            return null;
        }

        var text = (turn.Message.Text ?? turn.Text).Trim(); // whole: turn.Text is clipped for matching
        var now = clock.GetUtcNow();
        if (EndWords.Contains(turn.Normalized))
        {
            return await ResidentEndsAsync(open, now, ct);
        }

        if (text.Length == 0)
        {
            return [new TextReply(Texts[HandoffTexts.NoMedia])];
        }

        text = TextNormalizer.Clip(text, MaxText);

        // A number they wrote themselves, before a staff member has them: the request waits for a call back too.
        var phone = open.Status == HandoffStatus.Claimed || open.CallbackPhone is not null ? null : PhoneNumbers.Find(text, except: catalog.Menus.Contact);
        open.CallbackPhone ??= phone;
        switch (open.Status)
        {
            case HandoffStatus.Asking:
                return await PostAsync(open, text, now, ct);

            case HandoffStatus.Waiting:
                Record(open, "resident", text, now);
                return [new TextReply(phone is null ? Texts[HandoffTexts.StillWaiting] : Texts.Format(HandoffTexts.CallbackNoted, phone))];

            default:
                Record(open, "resident", text, now);
                await outbox.AddAsync(StaffChannelOf(open), open.ClaimedBy!, [new TextReply(Texts.Format(HandoffTexts.FromResident, Resident(open), text))], MessageKey(open, "r"), ct);
                return []; // the bot stays quiet: the person answers
        }
    }

    /// <summary>The question arrived: the card goes to every conversation of the office.</summary>
    private async Task<IReadOnlyList<Reply>> PostAsync(HandoffCase open, string question, DateTimeOffset now, CancellationToken ct)
    {
        var inHours = calendar.IsOpen(now);
        (open.Question, open.Status, open.PostedAt, open.OutOfHours) = (question, HandoffStatus.Waiting, now, !inHours);
        open.ClaimDueAt = calendar.AddOfficeTime(now, Options.ClaimTimeout);
        open.ConversationName = Options.Conversations.FirstOrDefault()?.Name;
        open.Topic = TextNormalizer.Clip(await topics.GuessAsync(open.UserKey, question, ct), 200);
        open.Postings = 1;
        Record(open, "resident", question, now);
        foreach (var conversation in Options.Conversations)
        {
            await PostCardAsync(open, conversation, ct);
        }

        logger.LogInformation("Handoff {HandoffId} posted to {Conversations} staff conversation(s) (out of hours: {OutOfHours})", open.Id, Options.Conversations.Count, !inHours);
        return [new TextReply(inHours ? Texts[HandoffTexts.Received] : Texts.Format(HandoffTexts.ReceivedOutOfHours, Opens(now)))];
    }

    private async Task<IReadOnlyList<Reply>> ResidentEndsAsync(HandoffCase open, DateTimeOffset now, CancellationToken ct)
    {
        var wasClaimed = open.Status == HandoffStatus.Claimed;
        var wasPosted = open.Status == HandoffStatus.Waiting;
        (open.Status, open.ClosedAt, open.ClosedBy) = (HandoffStatus.Closed, now, "resident");
        if (wasPosted)
        {
            await UpdateCardsAsync(open, "withdrawn", Texts[HandoffTexts.CardWithdrawn], ct);
        }

        if (!wasClaimed)
        {
            return [new TextReply(Texts[HandoffTexts.CancelledByResident])];
        }

        open.RatingPending = true;
        await outbox.AddAsync(StaffChannelOf(open), open.ClaimedBy!, [new TextReply(Texts.Format(HandoffTexts.ResidentClosed, Resident(open)))], $"handoff:{open.Id}:closed", ct);
        await UpdateCardsAsync(open, "closed", Texts.Format(HandoffTexts.CardClosed, open.ClaimedByName ?? Texts[HandoffTexts.Anonymous]), ct);
        return [new TextReply(Texts[HandoffTexts.ClosedByResident]), RatingQuestion(open)];
    }

    /// <summary>A rating button (or its number typed), once per handoff.</summary>
    public async Task<IReadOnlyList<Reply>> RateAsync(Turn turn, Postback postback, CancellationToken ct)
    {
        if (!long.TryParse(postback["id"], CultureInfo.InvariantCulture, out var id) || !int.TryParse(postback["v"], CultureInfo.InvariantCulture, out var rating) || rating is < 1 or > 5)
        {
            return [];
        }

        var closed = await db.Set<HandoffCase>().SingleOrDefaultAsync(h => h.Id == id && h.UserKey == turn.Message.UserKey && h.Status == HandoffStatus.Closed, ct);
        if (closed is null || closed.Rating is not null)
        {
            return [new TextReply(Texts[HandoffTexts.RatingThanks])];
        }

        (closed.Rating, closed.RatingPending) = (rating, false);
        return [new TextReply(Texts[HandoffTexts.RatingThanks])];
    }

    // ---- the staff side ----

    /// <summary>The 対応する button, pressed in one of the office's conversations; the first wins.</summary>
    public async Task<IReadOnlyList<Reply>> ClaimAsync(Turn turn, Postback postback, CancellationToken ct)
    {
        if (!long.TryParse(postback["id"], CultureInfo.InvariantCulture, out var id))
        {
            return [];
        }

        var staffKey = turn.Message.UserKey;

        // From a card: where the cards are. From the queue (「相談の待ち状況」): the personal chat it was asked in.
        var fromQueue = postback["q"] == "1" && !turn.Message.InGroup;
        if (!IsStaff(turn) || !(fromQueue || InOfficeConversation(turn)))
        {
            logger.LogInformation("A claim from someone not in Handoff:Staff was refused");
            return [new TextReply(Texts[HandoffTexts.NotAllowed])];
        }

        if (!fromQueue && !await HasPersonalChatAsync(staffKey, ct))
        {
            return [new TextReply(Texts[HandoffTexts.NoPersonalChat])];
        }

        var now = clock.GetUtcNow();
        var name = turn.Message.SenderName is { Length: > 0 } n ? StaffText(n, 100) : null;
        var staffChannel = turn.Message.Channel == Staff ? null : turn.Message.Channel;

        // The condition is checked again by the database: of two claims at once, on any replica, one changes the row.
        var won = await db.Set<HandoffCase>().Where(h => h.Id == id && h.Status == HandoffStatus.Waiting)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, HandoffStatus.Claimed).SetProperty(h => h.ClaimedBy, staffKey)
                .SetProperty(h => h.ClaimedByName, name).SetProperty(h => h.ClaimedAt, now).SetProperty(h => h.FocusAt, now)
                .SetProperty(h => h.StaffChannel, staffChannel), ct) == 1;
        var claimed = await db.Set<HandoffCase>().SingleOrDefaultAsync(h => h.Id == id, ct);
        if (claimed is null || claimed.Status == HandoffStatus.Closed)
        {
            return [new TextReply(Texts[HandoffTexts.AlreadyClosed])];
        }

        if (claimed.ClaimedBy != staffKey)
        {
            return [new TextReply(Texts.Format(HandoffTexts.AlreadyClaimed, claimed.ClaimedByName ?? Texts[HandoffTexts.Anonymous]))];
        }

        // Won now, or won before a crash that came before this turn's record: the same keys send each message once.
        logger.LogInformation("Handoff {HandoffId} claimed (first claim: {Won})", id, won);
        await UpdateCardsAsync(claimed, "claimed", Texts.Format(HandoffTexts.CardClaimed, claimed.ClaimedByName ?? Texts[HandoffTexts.Anonymous]), ct);
        var later = await db.Set<HandoffMessage>().Where(m => m.HandoffId == id && m.From == "resident").OrderBy(m => m.Id).Skip(1).Select(m => m.Text).ToListAsync(ct);
        List<Reply> briefing = [new TextReply(Texts.Format(HandoffTexts.Briefing, Resident(claimed), claimed.Question ?? string.Empty)), .. later.Select(t => new TextReply(Texts.Format(HandoffTexts.BriefingLater, t)))];
        await outbox.AddAsync(StaffChannelOf(claimed), staffKey, briefing, $"handoff:{id}:{claimed.Postings}:briefing", ct);
        await outbox.AddAsync(ResidentChannelOf(claimed), claimed.UserKey, [new TextReply(Texts.Format(HandoffTexts.Connected, StaffLabel(claimed)))], $"handoff:{id}:{claimed.Postings}:connected", ct);
        return []; // the card, updated for everyone, says who has it
    }

    private async Task<IReadOnlyList<Reply>?> FromStaffAsync(Turn turn, CancellationToken ct)
    {
        if (turn.Message.InGroup || IsOfficeConversation(turn.Message.ConversationKey))
        {
            return null; // the office's channel: claims and the bot's other features, never a message to a resident
        }

        var staffKey = turn.Message.UserKey;
        if (StaffHandoffHandler.AsksForFigures(turn) || StaffHandoffHandler.AsksForQueue(turn))
        {
            return null; // the office's figures or queue, not a message to the resident
        }

        if (ListWords.Contains(turn.Normalized))
        {
            return await ListAsync(staffKey, ct);
        }

        var current = await db.Set<HandoffCase>().Where(h => h.ClaimedBy == staffKey && h.Status == HandoffStatus.Claimed)
            .OrderByDescending(h => h.FocusAt).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (CloseWords.Contains(turn.Normalized))
        {
            (current.Status, current.ClosedAt, current.ClosedBy, current.RatingPending) = (HandoffStatus.Closed, now, "staff", true);
            await outbox.AddAsync(ResidentChannelOf(current), current.UserKey, [new TextReply(Texts.Format(HandoffTexts.ClosedByStaff, StaffLabel(current))), RatingQuestion(current)], $"handoff:{current.Id}:closed", ct);
            await UpdateCardsAsync(current, "closed", Texts.Format(HandoffTexts.CardClosed, current.ClaimedByName ?? Texts[HandoffTexts.Anonymous]), ct);
            logger.LogInformation("Handoff {HandoffId} closed by staff", current.Id);
            return [new TextReply(Texts.Format(HandoffTexts.StaffClosed, Resident(current)))];
        }

        if ((turn.Message.Text ?? turn.Text).Trim() is var text && (text == TransferWords || text.StartsWith(TransferWords + " ", StringComparison.Ordinal) || text.StartsWith(TransferWords + "　", StringComparison.Ordinal)))
        {
            return await TransferAsync(current, text[TransferWords.Length..].Trim(), ct);
        }

        if (text.Length == 0)
        {
            return null;
        }

        text = TextNormalizer.Clip(text, MaxText);
        Record(current, "staff", text, now);
        await outbox.AddAsync(ResidentChannelOf(current), current.UserKey, [new TextReply(Texts.Format(HandoffTexts.FromStaff, StaffLabel(current), text))], MessageKey(current, "s"), ct);
        return []; // Teams shows what they wrote; the resident gets it by push
    }

    /// <summary>「対応中の相談」: the staff member's open handoffs, to choose the one their messages go to.</summary>
    private async Task<IReadOnlyList<Reply>> ListAsync(string staffKey, CancellationToken ct)
    {
        var open = await db.Set<HandoffCase>().Where(h => h.ClaimedBy == staffKey && h.Status == HandoffStatus.Claimed).OrderBy(h => h.ClaimedAt).ToListAsync(ct);
        if (open.Count == 0)
        {
            return [new TextReply(Texts[HandoffTexts.NoneOpen])];
        }

        return [new ChoicesReply(Texts.Format(HandoffTexts.Open, open.Count), open.Select(h => new Choice(Resident(h), Postback.Create(StaffHandler, "focus", ("id", h.Id.ToString(CultureInfo.InvariantCulture))))).ToList())];
    }

    public async Task<IReadOnlyList<Reply>> FocusAsync(Turn turn, Postback postback, CancellationToken ct)
    {
        var id = long.TryParse(postback["id"], CultureInfo.InvariantCulture, out var v) ? v : 0;
        var chosen = await db.Set<HandoffCase>().SingleOrDefaultAsync(h => h.Id == id && h.ClaimedBy == turn.Message.UserKey && h.Status == HandoffStatus.Claimed, ct);
        if (chosen is null)
        {
            return [new TextReply(Texts[HandoffTexts.AlreadyClosed])];
        }

        chosen.FocusAt = clock.GetUtcNow();
        return [new TextReply(Texts.Format(HandoffTexts.Switched, Resident(chosen)))];
    }

    /// <summary>「転送」: to another of the office's conversations, where it waits for a claim again.</summary>
    private async Task<IReadOnlyList<Reply>> TransferAsync(HandoffCase current, string to, CancellationToken ct)
    {
        var target = Options.Conversations.FirstOrDefault(c => string.Equals(c.Name, to, StringComparison.OrdinalIgnoreCase));
        if (target is null)
        {
            var names = Options.Conversations.Where(c => c.Name != current.ConversationName).ToList();
            return to.Length == 0
                ? [new ChoicesReply(Texts[HandoffTexts.TransferPick], names.Select(c => new Choice(c.Name, Postback.Create(StaffHandler, "transfer", ("id", current.Id.ToString(CultureInfo.InvariantCulture)), ("to", c.Name)))).ToList())]
                : [new TextReply(Texts.Format(HandoffTexts.TransferUnknown, string.Join(", ", names.Select(c => c.Name))))];
        }

        await UpdateCardsAsync(current, "transferred", Texts.Format(HandoffTexts.CardTransferred, target.Name), ct);
        (current.Status, current.ClaimedBy, current.ClaimedByName, current.ClaimedAt, current.FocusAt) = (HandoffStatus.Waiting, null, null, null, null);
        current.ConversationName = target.Name;
        current.Postings++;
        current.ClaimDueAt = calendar.AddOfficeTime(clock.GetUtcNow(), Options.ClaimTimeout);
        current.TimedOutAt = null;
        await PostCardAsync(current, target, ct);
        await outbox.AddAsync(ResidentChannelOf(current), current.UserKey, [new TextReply(Texts[HandoffTexts.StillWaiting])], $"handoff:{current.Id}:{current.Postings}:transferred", ct);
        logger.LogInformation("Handoff {HandoffId} transferred", current.Id);
        return [new TextReply(Texts.Format(HandoffTexts.TransferDone, Resident(current), target.Name))];
    }

    public async Task<IReadOnlyList<Reply>> TransferButtonAsync(Turn turn, Postback postback, CancellationToken ct)
    {
        var id = long.TryParse(postback["id"], CultureInfo.InvariantCulture, out var v) ? v : 0;
        var current = await db.Set<HandoffCase>().SingleOrDefaultAsync(h => h.Id == id && h.ClaimedBy == turn.Message.UserKey && h.Status == HandoffStatus.Claimed, ct);
        return current is null ? [new TextReply(Texts[HandoffTexts.AlreadyClosed])] : await TransferAsync(current, postback["to"] ?? string.Empty, ct);
    }

    /// <summary>「有人対応の実績」: per month (Japan time), requests, the share claimed, the median wait for a claim, the rating.</summary>
    public async Task<IReadOnlyList<Reply>> FiguresAsync(CancellationToken ct)
    {
        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), calendar.Zone);
        var from = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, now.Offset).AddMonths(-5);
        var cases = await db.Set<HandoffCase>().AsNoTracking().Where(h => h.PostedAt != null && h.PostedAt >= from)
            .Select(h => new { h.PostedAt, h.ClaimedAt, h.ClosedBy, h.StaffMessages, h.Rating }).ToListAsync(ct);
        var rows = new List<IReadOnlyList<string>>();
        for (var month = from; month <= now; month = month.AddMonths(1))
        {
            var start = month;
            var inMonth = cases.Where(c => TimeZoneInfo.ConvertTime(c.PostedAt!.Value, calendar.Zone) is var local && local.Year == start.Year && local.Month == start.Month).ToList();
            var claimed = inMonth.Where(c => c.ClaimedAt is not null || c.StaffMessages > 0 || c.ClosedBy is "staff" or Callback).ToList();
            var waits = inMonth.Where(c => c.ClaimedAt is not null).Select(c => (c.ClaimedAt!.Value - c.PostedAt!.Value).TotalMinutes).Order().ToList();
            var ratings = inMonth.Where(c => c.Rating is not null).Select(c => c.Rating!.Value).ToList();
            rows.Add(
            [
                Texts.Format(HandoffTexts.FiguresMonthValue, start.Year, start.Month),
                inMonth.Count.ToString(CultureInfo.InvariantCulture),
                inMonth.Count == 0 ? Texts[HandoffTexts.FiguresNone] : Texts.Format(HandoffTexts.FiguresPercent, Math.Round(100.0 * claimed.Count / inMonth.Count)),
                waits.Count == 0 ? Texts[HandoffTexts.FiguresNone] : Texts.Format(HandoffTexts.FiguresMinutes, Math.Round(Median(waits))),
                ratings.Count == 0 ? Texts[HandoffTexts.FiguresNone] : Texts.Format(HandoffTexts.FiguresRatingValue, Math.Round(ratings.Average(), 1).ToString("0.0", CultureInfo.InvariantCulture), ratings.Count),
            ]);
        }

        string[] headers = [Texts[HandoffTexts.FiguresMonth], Texts[HandoffTexts.FiguresCount], Texts[HandoffTexts.FiguresAnswered], Texts[HandoffTexts.FiguresClaimTime], Texts[HandoffTexts.FiguresRating]];
        return [new TableReply(Texts[HandoffTexts.FiguresTitle], headers, rows, Texts[HandoffTexts.FiguresNote])];
    }

    /// <summary>How far back the queue's outcomes look.</summary>
    public const int OutcomeDays = 7;

    /// <summary>「相談の待ち状況」: what waits for a claim or a call back, how long, and what became of the last week's requests.</summary>
    public async Task<IReadOnlyList<Reply>> QueueAsync(Turn turn, CancellationToken ct)
    {
        if (!IsStaff(turn))
        {
            return [new TextReply(Texts[HandoffTexts.NotAllowed])]; // the queue holds residents' phone numbers
        }

        var now = clock.GetUtcNow();
        var waiting = await db.Set<HandoffCase>().AsNoTracking().Where(h => h.Status == HandoffStatus.Waiting).OrderBy(h => h.PostedAt).Take(50).ToListAsync(ct);
        var rows = waiting.Select(h => (IReadOnlyList<string>)
        [
            Resident(h),
            h.Topic ?? Texts[HandoffTexts.TopicNone],
            Texts.Format(HandoffTexts.FiguresMinutes, Math.Max(0, (int)(now - (h.PostedAt ?? h.CreatedAt)).TotalMinutes)),
            h.CallbackPhone is { } phone ? Texts.Format(HandoffTexts.QueueCallback, phone)
                : h.TimedOutAt is not null ? Texts[HandoffTexts.QueueTimedOut]
                : h.OutOfHours ? Texts[HandoffTexts.QueueOutOfHours] : Texts[HandoffTexts.QueueWaiting],
        ]).ToList();

        var since = now - TimeSpan.FromDays(OutcomeDays);
        var recent = await db.Set<HandoffCase>().AsNoTracking().Where(h => h.PostedAt != null && h.PostedAt >= since)
            .Select(h => new { h.Status, h.ClosedBy, h.ClaimedAt, h.TimedOutAt }).ToListAsync(ct);
        var outcomes = Texts.Format(HandoffTexts.QueueOutcomes, OutcomeDays,
            recent.Count(h => h.ClaimedAt is not null && h.ClosedBy != Callback),
            recent.Count(h => h.ClosedBy == Callback),
            recent.Count(h => h.ClaimedAt is null && h.ClosedBy == "resident"),
            recent.Count(h => h.Status == HandoffStatus.Waiting && h.TimedOutAt is not null));

        string[] headers = [Texts[HandoffTexts.QueueResident], Texts[HandoffTexts.QueueTopic], Texts[HandoffTexts.QueueWaited], Texts[HandoffTexts.QueueState]];
        List<Reply> replies = [new TableReply(Texts.Format(HandoffTexts.QueueTitle, waiting.Count), headers, rows, outcomes)];
        var choices = waiting.Take(6).SelectMany(h => new[]
        {
            new Choice(Texts.Format(HandoffTexts.QueueClaim, Resident(h)), Postback.Create(StaffHandler, "claim", ("id", Id(h)), ("q", "1"))),
            h.CallbackPhone is null ? null : new Choice(Texts.Format(HandoffTexts.QueueCalled, Resident(h)), Postback.Create(StaffHandler, "called", ("id", Id(h)))),
        }).OfType<Choice>().ToList();
        if (choices.Count > 0)
        {
            replies.Add(new ChoicesReply(Texts[HandoffTexts.QueueActions], choices));
        }

        return replies;
    }

    /// <summary>「折り返し済み」: a staff member called the resident back; the request leaves the queue, closed.</summary>
    public async Task<IReadOnlyList<Reply>> CallbackDoneAsync(Turn turn, Postback postback, CancellationToken ct)
    {
        if (!IsStaff(turn))
        {
            return [new TextReply(Texts[HandoffTexts.NotAllowed])];
        }

        var id = long.TryParse(postback["id"], CultureInfo.InvariantCulture, out var v) ? v : 0;
        var now = clock.GetUtcNow();
        var name = turn.Message.SenderName is { Length: > 0 } n ? StaffText(n, 100) : null;

        // Once, even if two press it: the row changes for one of them.
        var done = await db.Set<HandoffCase>().Where(h => h.Id == id && h.Status == HandoffStatus.Waiting && h.CallbackPhone != null)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, HandoffStatus.Closed).SetProperty(h => h.ClosedAt, now).SetProperty(h => h.ClosedBy, Callback)
                .SetProperty(h => h.CallbackDoneAt, now).SetProperty(h => h.ClaimedByName, name), ct) == 1;
        var closed = await db.Set<HandoffCase>().SingleOrDefaultAsync(h => h.Id == id, ct);
        if (!done || closed is null)
        {
            return [new TextReply(closed?.ClaimedByName is { } other && closed.Status == HandoffStatus.Claimed ? Texts.Format(HandoffTexts.AlreadyClaimed, other) : Texts[HandoffTexts.AlreadyClosed])];
        }

        logger.LogInformation("Handoff {HandoffId} answered by a call back", id);
        await UpdateCardsAsync(closed, "callback", Texts.Format(HandoffTexts.CardCallbackDone, name ?? Texts[HandoffTexts.Anonymous]), ct);
        await outbox.AddAsync(ResidentChannelOf(closed), closed.UserKey, [new TextReply(Texts.Format(HandoffTexts.CallbackClosed, StaffLabel(closed)))], $"handoff:{id}:callback", ct);
        return [new TextReply(Texts.Format(HandoffTexts.CallbackDone, Resident(closed)))];
    }

    /// <summary>Unclaimed past the claim timeout: the resident is told (with the number, and the call back if they left one), the cards say so.</summary>
    public async Task TimeOutAsync(HandoffCase open, DateTimeOffset now, CancellationToken ct)
    {
        open.TimedOutAt = now;
        var told = open.CallbackPhone is { } phone
            ? Texts.Format(HandoffTexts.TimedOutCallback, catalog.Menus.Contact, phone)
            : Texts.Format(HandoffTexts.TimedOut, catalog.Menus.Contact);
        await outbox.AddAsync(ResidentChannelOf(open), open.UserKey, [new TextReply(told)], $"handoff:{open.Id}:{open.Postings}:timeout", ct);
        await UpdateCardsAsync(open, "timeout", Texts[open.CallbackPhone is null ? HandoffTexts.CardTimedOut : HandoffTexts.CardTimedOutCallback], ct, keepClaim: true);
    }

    private static string Id(HandoffCase h) => h.Id.ToString(CultureInfo.InvariantCulture);

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    // ---- shared ----

    /// <summary>The request card, in the conversations of its current posting (each card its own outbox message, to be updated later).</summary>
    private async Task PostCardAsync(HandoffCase open, HandoffConversation conversation, CancellationToken ct)
    {
        var title = Texts.Format(open.OutOfHours ? HandoffTexts.CardTitleOutOfHours : HandoffTexts.CardTitle, Resident(open));
        var local = TimeZoneInfo.ConvertTime(open.PostedAt ?? clock.GetUtcNow(), calendar.Zone);
        var received = Texts.Format(HandoffTexts.ReceivedAt, local.Month, local.Day, local.ToString("H:mm", CultureInfo.InvariantCulture));
        var body = Texts.Format(HandoffTexts.CardBody, open.Question ?? string.Empty, received, open.Topic ?? Texts[HandoffTexts.TopicNone]);
        await outbox.AddAsync(Staff, "handoff:" + conversation.Name, [new CardsReply(title, [new Card(title, body, [ClaimAction(open)])])], CardKey(open, conversation), ct, address: Address(conversation));
    }

    private CardAction ClaimAction(HandoffCase open) =>
        new(Texts[HandoffTexts.CardClaim], CardActionKind.Postback, Postback.Create(StaffHandler, "claim", ("id", Id(open))));

    /// <summary>The cards of the current posting, replaced by the same card saying what became of it, without the button.</summary>
    /// <param name="keepClaim">Still open for a claim (timed out, not taken): the card keeps its 対応する button.</param>
    private async Task UpdateCardsAsync(HandoffCase open, string state, string status, CancellationToken ct, bool keepClaim = false)
    {
        var title = Texts.Format(open.OutOfHours ? HandoffTexts.CardTitleOutOfHours : HandoffTexts.CardTitle, Resident(open));
        foreach (var conversation in Posted(open))
        {
            var card = new Card(title, open.Question ?? string.Empty, keepClaim ? [ClaimAction(open)] : [], Subtitle: status);
            await outbox.AddAsync(Staff, "handoff:" + conversation.Name, [new CardsReply(title + " " + status, [card])], CardKey(open, conversation) + ":" + state, ct, address: Address(conversation), replaces: CardKey(open, conversation));
        }
    }

    /// <summary>The first posting goes to every conversation; a transfer to one.</summary>
    private IEnumerable<HandoffConversation> Posted(HandoffCase open) =>
        open.Postings <= 1 ? Options.Conversations : Options.Conversations.Where(c => c.Name == open.ConversationName);

    private static string CardKey(HandoffCase open, HandoffConversation conversation) => $"handoff:{open.Id}:{open.Postings}:card:{conversation.Name}";

    private static string MessageKey(HandoffCase open, string side) => $"handoff:{open.Id}:{side}:{Guid.NewGuid():N}";

    private static ConversationAddress Address(HandoffConversation c) => new(c.ServiceUrl, c.ConversationId, c.TenantId, string.IsNullOrWhiteSpace(c.ChannelId) ? null : c.ChannelId);

    private ChoicesReply RatingQuestion(HandoffCase open) =>
        new(Texts[HandoffTexts.RatingPrompt], Enumerable.Range(1, 5).Select(v => new Choice(v.ToString(CultureInfo.InvariantCulture), Postback.Create(ResidentHandler, "rate", ("id", open.Id.ToString(CultureInfo.InvariantCulture)), ("v", v.ToString(CultureInfo.InvariantCulture))))).ToList());

    private void Record(HandoffCase open, string from, string text, DateTimeOffset now)
    {
        db.Add(new HandoffMessage { HandoffId = open.Id, From = from, Text = text, At = now });
        if (from == "resident")
        {
            open.ResidentMessages++;
        }
        else
        {
            open.StaffMessages++;
        }
    }

    private Task<HandoffCase?> OpenCaseAsync(string userKey, CancellationToken ct) =>
        db.Set<HandoffCase>().Where(h => h.UserKey == userKey && h.Status != HandoffStatus.Closed).FirstOrDefaultAsync(ct);

    public string Resident(HandoffCase open) => Texts.Format(HandoffTexts.Pseudonym, open.Pseudonym);

    /// <summary>What residents see of the staff member: 「市の担当者」 unless the city chose to show names.</summary>
    private string StaffLabel(HandoffCase open) =>
        Options.ShowStaffNames && open.ClaimedByName is { Length: > 0 } name ? Texts.Format(HandoffTexts.StaffName, name) : Texts[HandoffTexts.Anonymous];

    public string Opens(DateTimeOffset now)
    {
        var opens = TimeZoneInfo.ConvertTime(calendar.NextOpening(now), calendar.Zone);
        return Texts.Format(HandoffTexts.Opens, opens.Month, opens.Day, OfficeCalendar.WeekdayWords[(int)opens.DayOfWeek], opens.ToString("H:mm", CultureInfo.InvariantCulture));
    }

    /// <summary>In Handoff:Staff; in the terminal chat, whoever runs it (they hold the database already).</summary>
    private bool IsStaff(Turn turn) =>
        (turn.Message.Channel == Terminal && terminal.On) || Options.Staff.Any(s => !string.IsNullOrWhiteSpace(s) && keys.Pseudonymize(Staff, s.Trim()) == turn.Message.UserKey);

    private static string ResidentChannelOf(HandoffCase open) => open.ResidentChannel ?? Line;

    private static string StaffChannelOf(HandoffCase open) => open.StaffChannel ?? Staff;

    private bool IsOfficeConversation(string conversationKey) => Options.Conversations.Any(c => keys.Pseudonymize("staff-conv", c.ConversationId) == conversationKey);

    /// <summary>A claim comes from where the cards are: a channel or group (Teams adds the thread to a channel's id), or a configured conversation.</summary>
    public bool InOfficeConversation(Turn turn) => turn.Message.InGroup || IsOfficeConversation(turn.Message.ConversationKey);

    private async Task<bool> HasPersonalChatAsync(string staffKey, CancellationToken ct)
    {
        foreach (var directory in directories.Where(d => d.Channel == Staff))
        {
            if ((await directory.UserKeysAsync(ct)).Contains(staffKey))
            {
                return true;
            }
        }

        return false;
    }

    private static string StaffText(string s, int max) => s.Length <= max ? s : s[..max];
}
