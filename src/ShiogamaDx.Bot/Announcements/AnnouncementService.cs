using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Announcements;

/// <summary>What an author asks for; every field is checked by <see cref="AnnouncementService.Check"/> before anything is kept.</summary>
/// <param name="ClassId">A class's own announcement: to its participants, whatever their topics (the topic is then <see cref="AnnouncementsOptions.ClassesTopic"/>).</param>
/// <param name="Translations">The text in residents' languages, by the language's code (<c>en</c>, <c>easy</c> …; <see cref="AnnouncementLanguages"/>).</param>
public sealed record AnnouncementDraft(string? Topic, string? Text, string? Link = null, string? ImageUrl = null, DateTimeOffset? SendAt = null, string? ClassId = null, IReadOnlyDictionary<string, string>? Translations = null);

/// <summary>Whom an announcement reaches now: their pseudonymous keys; <paramref name="Everyone"/>: every LINE friend (one broadcast).</summary>
public sealed record AnnouncementAudience(IReadOnlyList<string> UserKeys, bool Everyone);

/// <summary>One month of announcements (Japan time): how many went out, to how many, and the blocks within 24 hours of each.</summary>
public sealed record AnnouncementMonth(int Year, int Month, int Sent, int Recipients, int Delivered, int Failed, int UnfollowsAfter);

public enum ApprovalResult
{
    Approved,
    NotFound,
    NotPending,
    OwnAnnouncement,
    NotApprover,

    /// <summary>The recipients exceed what LINE's monthly limit leaves: nothing sent, still pending.</summary>
    OverQuota,
}

/// <summary>
/// Announcements from composing to the author's report: checks, the four-eyes rule, the recipients of a topic, and
/// release into the outbox in chunks (one LINE multicast each, keyed <c>announcement:{id}:{n}</c>, so that however
/// often release runs, each chunk exists once and the channel's retry keys make each call count once).
/// </summary>
public sealed class AnnouncementService(
    BotDbContext db,
    Outbox outbox,
    TopicCatalog topics,
    IEnumerable<IRecipientDirectory> directories,
    IEnumerable<IMessageQuota> quotas,
    PrivacyKeys keys,
    IOptions<AnnouncementsOptions> options,
    MessageCatalog messages,
    AnnouncementLanguages languages,
    TimeProvider clock,
    ILogger<AnnouncementService> logger)
{
    /// <summary>The channel residents are reached on, and the staff chat's.</summary>
    public const string ResidentChannel = "line";
    public const string StaffChannel = "staff";

    /// <summary>LINE's longest text message (Messaging API reference, text message: "Max character limit: 5000").</summary>
    public const int MaxTextMessage = 5_000;

    /// <summary>LINE's most messages in one push, multicast or broadcast (messages: maxItems 5): the image counts too.</summary>
    public const int MaxMessages = 5;

    private AnnouncementsOptions Options => options.Value;

    public static string GroupKey(long id) => string.Create(CultureInfo.InvariantCulture, $"announcement:{id}");

    public string StaffKey(string rawId) => keys.Pseudonymize(StaffChannel, rawId);

    /// <summary>An author of any topic (of all, or of one by <see cref="AnnouncementsOptions.TopicRoles"/>).</summary>
    public bool IsAuthor(string userKey) => Options.Authors.Concat(Options.TopicRoles.Values.SelectMany(r => r.Authors)).Any(id => StaffKey(id) == userKey);

    public bool IsAuthor(string userKey, string topicId) => Options.Authors.Concat(RolesOf(topicId).Authors).Any(id => StaffKey(id) == userKey);

    public bool IsApprover(string userKey, string topicId) => ApproverKeys(topicId).Contains(userKey);

    /// <summary>Who may approve the topic's announcements: the approvers of every topic and those of this one.</summary>
    public IReadOnlyList<string> ApproverKeys(string topicId) => Options.Approvers.Concat(RolesOf(topicId).Approvers).Select(StaffKey).Distinct().ToList();

    private TopicRoles RolesOf(string topicId) => Options.TopicRoles.TryGetValue(topicId, out var roles) ? roles : new TopicRoles();

    /// <summary>The topic of a class's own announcements (its roles apply); a stand-in when topics.yaml lacks it.</summary>
    public Topic ClassesTopic => topics.Find(Options.ClassesTopic) ?? new Topic(Options.ClassesTopic, Options.ClassesTopic, null, false, false);

    /// <summary>The messages of a text: parts separated by a line of three or more '-' (a line 「---」), each trimmed.</summary>
    public static IReadOnlyList<string> Parts(string text)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var line in text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            var t = line.Trim();
            if (t.Length >= 3 && t.All(c => c is '-' or '－' or 'ー' or '―' or '‐'))
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(line).Append('\n');
            }
        }

        parts.Add(current.ToString().Trim());
        return parts;
    }

    public bool MayEmergency(string userKey) => Options.Emergency.Any(id => StaffKey(id) == userKey);

    /// <summary>Every problem of a draft, in the staff chat's words; none: it can be kept.</summary>
    /// <param name="classHeading">A class's announcement: the heading residents will read (it counts toward LINE's length).</param>
    public List<string> Check(AnnouncementDraft draft, out Topic? topic, string? classHeading = null)
    {
        var m = messages.Current;
        var problems = new List<string>();
        var forClass = !string.IsNullOrWhiteSpace(draft.ClassId);
        topic = forClass ? ClassesTopic : topics.Find(draft.Topic);
        var names = string.Join(messages.Current[AnnouncementTexts.ListSeparator], topics.All.Select(t => t.Name));
        if (forClass)
        {
            // The class is checked against the schedule by CheckAsync; its topic is fixed.
        }
        else if (string.IsNullOrWhiteSpace(draft.Topic))
        {
            problems.Add(m.Format(AnnouncementTexts.TopicMissing, names));
        }
        else if (topic is null)
        {
            problems.Add(m.Format(AnnouncementTexts.TopicUnknown, draft.Topic.Trim(), names));
        }

        if (string.IsNullOrWhiteSpace(draft.Text))
        {
            problems.Add(m[AnnouncementTexts.TextMissing]);
        }
        else
        {
            var parts = Parts(draft.Text.Trim());
            var count = parts.Count + (string.IsNullOrWhiteSpace(draft.ImageUrl) ? 0 : 1);
            if (count > MaxMessages)
            {
                problems.Add(m.Format(AnnouncementTexts.TooManyMessages, MaxMessages, count));
            }

            for (var i = 0; i < parts.Count; i++)
            {
                if (parts[i].Length == 0)
                {
                    problems.Add(m.Format(AnnouncementTexts.PartEmpty, i + 1));
                }
                else if ((classHeading ?? (topic is null ? null : messages.Current.Format(AnnouncementTexts.Heading, topic.Name))) is { } heading
                         && MessageText(heading, parts, i, draft.Link?.Trim()) is { Length: > MaxTextMessage } full)
                {
                    problems.Add(parts.Count == 1
                        ? m.Format(AnnouncementTexts.TextTooLong, MaxTextMessage, full.Length)
                        : m.Format(AnnouncementTexts.PartTooLong, i + 1, MaxTextMessage, full.Length));
                }
            }
        }

        foreach (var (code, translation) in draft.Translations ?? new Dictionary<string, string>())
        {
            problems.AddRange(TranslationProblems(code, translation, draft));
        }

        if (!string.IsNullOrWhiteSpace(draft.Link))
        {
            if (!Uri.TryCreate(draft.Link.Trim(), UriKind.Absolute, out var link) || link.Scheme != Uri.UriSchemeHttps)
            {
                problems.Add(m[AnnouncementTexts.LinkNotHttps]);
            }
            else if (!Options.LinkHosts.Any(h => link.IdnHost.Equals(h, StringComparison.OrdinalIgnoreCase) || link.IdnHost.EndsWith("." + h, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add(m.Format(AnnouncementTexts.LinkHostNotAllowed, link.IdnHost, string.Join(messages.Current[AnnouncementTexts.ListSeparator], Options.LinkHosts)));
            }
        }

        if (!string.IsNullOrWhiteSpace(draft.ImageUrl))
        {
            // LINE shows an image message only from https, JPEG or PNG, up to 2,000 characters of URL.
            if (!Uri.TryCreate(draft.ImageUrl.Trim(), UriKind.Absolute, out var image) || image.Scheme != Uri.UriSchemeHttps || image.AbsoluteUri.Length > 2_000)
            {
                problems.Add(m[AnnouncementTexts.ImageNotHttps]);
            }
            else if (!image.AbsolutePath.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) && !image.AbsolutePath.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)
                     && !image.AbsolutePath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(m[AnnouncementTexts.ImageNotJpegOrPng]);
            }
        }

        if (draft.SendAt is { } at && at < clock.GetUtcNow())
        {
            problems.Add(m[AnnouncementTexts.SendAtPast]);
        }

        return problems;
    }

    /// <summary>A translation's problems, each after its language's name: a language without a pack, and the text's own checks.</summary>
    private IEnumerable<string> TranslationProblems(string code, string translation, AnnouncementDraft draft)
    {
        var m = messages.Current;
        if (!languages.Codes.Contains(code))
        {
            yield return m.Format(AnnouncementTexts.TranslationLanguageUnknown, code, string.Join(m[AnnouncementTexts.ListSeparator], languages.Codes));
            yield break;
        }

        var name = languages.NameOf(code);
        if (string.IsNullOrWhiteSpace(translation))
        {
            yield return m.Format(AnnouncementTexts.TranslationProblem, name, m[AnnouncementTexts.TextMissing]);
            yield break;
        }

        var parts = Parts(translation.Trim());
        var count = parts.Count + (string.IsNullOrWhiteSpace(draft.ImageUrl) ? 0 : 1);
        if (count > MaxMessages)
        {
            yield return m.Format(AnnouncementTexts.TranslationProblem, name, m.Format(AnnouncementTexts.TooManyMessages, MaxMessages, count));
        }

        var heading = new string(' ', AnnouncementLanguages.HeadingAllowance); // the heading in the language is written when it is sent
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Length == 0)
            {
                yield return m.Format(AnnouncementTexts.TranslationProblem, name, m.Format(AnnouncementTexts.PartEmpty, i + 1));
            }
            else if (MessageText(heading, parts, i, draft.Link?.Trim()) is { Length: > MaxTextMessage } full)
            {
                yield return m.Format(AnnouncementTexts.TranslationProblem, name, m.Format(AnnouncementTexts.PartTooLong, i + 1, MaxTextMessage, full.Length));
            }
        }
    }

    /// <summary>
    /// What residents receive in each language the office translated it into, after the Japanese: what the preview and
    /// the approvers see.
    /// </summary>
    public async Task<IReadOnlyList<Reply>> AllRepliesAsync(Announcement a, CancellationToken ct)
    {
        var japanese = await RepliesAsync(a, ct);
        var all = japanese.ToList();
        foreach (var (code, text) in (await languages.TranslationsAsync(a.Id, ct)).OrderBy(t => languages.Codes.ToList().IndexOf(t.Key)))
        {
            all.Add(new TextReply(messages.Current.Format(AnnouncementTexts.PreviewTranslation, languages.NameOf(code))));
            all.AddRange(await languages.InAsync(code, a, TopicOf(a), japanese, text, ct));
        }

        return all;
    }

    /// <summary>Every problem of a draft, the class of a class's announcement included (it must be in the schedule).</summary>
    public async Task<(List<string> Problems, Topic? Topic)> CheckAsync(AnnouncementDraft draft, CancellationToken ct)
    {
        var id = draft.ClassId?.Trim();
        var classHeading = string.IsNullOrEmpty(id) ? null : await ClassHeadingAsync(id, ct);
        var problems = Check(draft, out var topic, classHeading);
        if (!string.IsNullOrEmpty(id))
        {
            if (classHeading is null)
            {
                var upcoming = await db.Set<SmartphoneClass>().AsNoTracking().Where(c => c.Status == ClassStatus.Scheduled)
                    .Select(c => new { c.Id, c.StartsAt }).ToListAsync(ct);
                var now = clock.GetUtcNow();
                var ids = upcoming.Where(c => c.StartsAt >= now).OrderBy(c => c.StartsAt).Take(5).Select(c => c.Id);
                problems.Add(messages.Current.Format(AnnouncementTexts.ClassUnknown, id, string.Join(messages.Current[AnnouncementTexts.ListSeparator], ids)));
            }
        }

        return (problems, topic);
    }

    /// <summary>What residents receive, message by message: the preview shows exactly these.</summary>
    public async Task<IReadOnlyList<Reply>> RepliesAsync(Announcement a, CancellationToken ct)
    {
        var topic = topics.Find(a.TopicId);
        var name = topic?.Name ?? a.TopicId;
        var heading = await HeadingAsync(a, name, ct);
        var parts = Parts(a.Text);
        var replies = new List<Reply>();
        for (var i = 0; i < parts.Count; i++)
        {
            replies.Add(new TextReply(MessageText(heading, parts, i, a.Link)));
        }

        if (a.ImageUrl is { } url)
        {
            var uri = new Uri(url);
            replies.Add(new ImageReply(uri, uri, messages.Current.Format(AnnouncementTexts.ImageAlt, name)));
        }

        return replies;
    }

    /// <summary>
    /// The first line residents read: the topic's name, or for a class's own announcement the class (its title, day
    /// and place), since its participants chose no topic and need to know which of their classes it is about.
    /// </summary>
    private async Task<string> HeadingAsync(Announcement a, string topicName, CancellationToken ct) =>
        (a.ClassId is { } id ? await ClassHeadingAsync(id, ct) : null) ?? messages.Current.Format(AnnouncementTexts.Heading, topicName);

    /// <summary>A class's heading (「【教室名（12月10日・会場）】…」); null when the class is not in the schedule.</summary>
    private async Task<string?> ClassHeadingAsync(string id, CancellationToken ct)
    {
        if (await db.Set<SmartphoneClass>().AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Title, c.StartsAt, c.Venue }).FirstOrDefaultAsync(ct) is not { } c)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(c.StartsAt, clock.LocalTimeZone);
        return messages.Current.Format(AnnouncementTexts.ClassHeading, c.Title, local.Month, local.Day, c.Venue);
    }

    /// <summary>Message <paramref name="i"/> of the parts: the first under the heading, the last with the link.</summary>
    private static string MessageText(string heading, IReadOnlyList<string> parts, int i, string? link) =>
        (i == 0 ? heading + "\n" : string.Empty)
        + parts[i]
        + (i == parts.Count - 1 && !string.IsNullOrWhiteSpace(link) ? "\n" + link : string.Empty);

    /// <summary>Residents who receive a topic now: LINE friends who have it on (or did not turn a default-on topic off).</summary>
    public async Task<List<string>> RecipientsAsync(Topic topic, CancellationToken ct) => [.. (await AudienceAsync(topic, null, ct)).UserKeys];

    /// <summary>
    /// Whom an announcement reaches now. A class's: LINE friends registered for it (waiting too, not cancelled), whatever
    /// their topics. A topic's: LINE friends who have it on; every friend (a broadcast) only for a topic on by default,
    /// since a friend the bot has not seen yet has only the defaults on.
    /// </summary>
    public async Task<AnnouncementAudience> AudienceAsync(Topic topic, string? classId, CancellationToken ct)
    {
        var friends = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in directories.Where(d => d.Channel == ResidentChannel))
        {
            friends.UnionWith(await directory.UserKeysAsync(ct));
        }

        if (classId is not null)
        {
            var registered = await db.Set<ClassRegistration>().AsNoTracking()
                .Where(r => r.ClassId == classId && r.Status != RegistrationStatus.Cancelled && r.Channel == ResidentChannel)
                .Select(r => r.UserKey).ToListAsync(ct);
            return new AnnouncementAudience(registered.Where(friends.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), false);
        }

        var choices = await db.Set<TopicSubscription>().AsNoTracking().Where(s => s.TopicId == topic.Id)
            .ToDictionaryAsync(s => s.UserKey, s => s.On, StringComparer.Ordinal, ct);
        var keys = friends.Where(k => choices.TryGetValue(k, out var on) ? on : topic.DefaultOn).Order(StringComparer.Ordinal).ToList();
        return new AnnouncementAudience(keys, Options.Broadcast && topic.DefaultOn && keys.Count > 0 && keys.Count == friends.Count);
    }

    public Task<AnnouncementAudience> AudienceAsync(Announcement a, CancellationToken ct) => AudienceAsync(TopicOf(a), a.ClassId, ct);

    private Topic TopicOf(Announcement a) => topics.Find(a.TopicId) ?? new Topic(a.TopicId, a.TopicId, null, false, false);

    public async Task<Dictionary<string, int>> SubscriberCountsAsync(CancellationToken ct)
    {
        var counts = new Dictionary<string, int>();
        foreach (var topic in topics.All)
        {
            counts[topic.Id] = (await RecipientsAsync(topic, ct)).Count;
        }

        return counts;
    }

    public Task<Announcement?> FindAsync(long id, CancellationToken ct) => db.Set<Announcement>().SingleOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>Keeps a checked draft as pending, and asks each approver (but the author) in the staff chat.</summary>
    public async Task<Announcement> CreateAsync(string authorKey, Topic topic, AnnouncementDraft draft, CancellationToken ct)
    {
        var a = New(authorKey, topic, draft);
        db.Add(a);
        await db.SaveChangesAsync(ct);
        await languages.KeepAsync(a.Id, draft.Translations, ct);
        var request = new List<Reply> { new TextReply(messages.Current.Format(AnnouncementTexts.ReviewRequest, a.Id, topic.Name, When(a))) };
        request.AddRange(await AllRepliesAsync(a, ct));
        request.Add(DecisionChoices(a.Id));
        foreach (var approver in ApproverKeys(topic.Id).Where(k => k != authorKey))
        {
            await outbox.AddAsync(StaffChannel, approver, request, $"{GroupKey(a.Id)}:review:{approver}", ct);
        }

        await db.SaveChangesAsync(ct);
        logger.LogInformation("Announcement {Id} written for topic {Topic}, waiting for approval", a.Id, topic.Id);
        return a;
    }

    public ChoicesReply DecisionChoices(long id) => new(messages.Current[AnnouncementTexts.DecidePrompt],
    [
        new Choice(messages.Current[AnnouncementTexts.ApproveLabel], Postback.Create(StaffAnnouncementHandler.HandlerName, "approve", ("n", id.ToString(CultureInfo.InvariantCulture)))),
        new Choice(messages.Current[AnnouncementTexts.ReturnLabel], Postback.Create(StaffAnnouncementHandler.HandlerName, "return", ("n", id.ToString(CultureInfo.InvariantCulture)))),
    ]);

    /// <summary>The four-eyes rule: an approver who is not the author; released at once unless it waits for its time.</summary>
    public async Task<(ApprovalResult Result, Announcement? Announcement)> ApproveAsync(long id, string approverKey, CancellationToken ct)
    {
        var a = await FindAsync(id, ct);
        if (a is null)
        {
            return (ApprovalResult.NotFound, null);
        }

        if (a.AuthorKey == approverKey)
        {
            return (ApprovalResult.OwnAnnouncement, a);
        }

        if (!IsApprover(approverKey, a.TopicId))
        {
            return (ApprovalResult.NotApprover, a);
        }

        var now = clock.GetUtcNow();
        if ((a.SendAt is null || a.SendAt <= now) && a.Status == AnnouncementStatus.Pending && !await WithinQuotaAsync(a, ct))
        {
            return (ApprovalResult.OverQuota, a);
        }

        // Of two approvers at once, one decides: the update holds only while it is still pending.
        var won = await db.Set<Announcement>().Where(x => x.Id == id && x.Status == AnnouncementStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, AnnouncementStatus.Approved)
            .SetProperty(x => x.ApproverKey, approverKey)
            .SetProperty(x => x.DecidedAt, now), ct);
        if (won == 0)
        {
            return (ApprovalResult.NotPending, a);
        }

        logger.LogInformation("Announcement {Id} approved by a second person", id);
        await db.Entry(a).ReloadAsync(ct);
        if (a.SendAt is null || a.SendAt <= now)
        {
            await ReleaseAsync(id, ct);
            await db.Entry(a).ReloadAsync(ct);
        }

        return (ApprovalResult.Approved, a);
    }

    public async Task<(ApprovalResult Result, Announcement? Announcement)> ReturnAsync(long id, string approverKey, string? reason, CancellationToken ct)
    {
        var a = await FindAsync(id, ct);
        if (a is null)
        {
            return (ApprovalResult.NotFound, null);
        }

        if (a.AuthorKey != approverKey && !IsApprover(approverKey, a.TopicId))
        {
            return (ApprovalResult.NotApprover, a);
        }

        var now = clock.GetUtcNow();
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()[..Math.Min(reason.Trim().Length, 500)];
        var won = await db.Set<Announcement>().Where(x => x.Id == id && x.Status == AnnouncementStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, AnnouncementStatus.Returned)
            .SetProperty(x => x.ApproverKey, approverKey)
            .SetProperty(x => x.ReturnReason, reason)
            .SetProperty(x => x.DecidedAt, now), ct);
        if (won == 0)
        {
            return (ApprovalResult.NotPending, a);
        }

        await db.Entry(a).ReloadAsync(ct);
        if (a.AuthorKey != approverKey)
        {
            await outbox.AddAsync(StaffChannel, a.AuthorKey, [new TextReply(messages.Current.Format(AnnouncementTexts.ReturnedToAuthor, a.Id, reason ?? messages.Current[AnnouncementTexts.NoReason]))], $"{GroupKey(id)}:returned", ct);
            await db.SaveChangesAsync(ct);
        }

        return (ApprovalResult.Approved, a);
    }

    /// <summary>
    /// Whether the month's limit leaves room for every recipient (counted now); unknown or no limit: yes. A broadcast
    /// reaches every friend, also those the bot never heard from: it counts as many as LINE says the account has.
    /// </summary>
    public async Task<bool> WithinQuotaAsync(Announcement a, CancellationToken ct)
    {
        foreach (var quota in quotas.Where(q => q.Channel == ResidentChannel))
        {
            if (await quota.RemainingAsync(ct) is not { } left)
            {
                continue;
            }

            var audience = await AudienceAsync(a, ct);
            var count = Math.Max(audience.UserKeys.Count, audience.Everyone ? await quota.FriendsAsync(ct) ?? 0 : 0);
            if (left < count)
            {
                logger.LogWarning("Announcement {Id} not released: LINE's monthly limit leaves {Left} messages for {Count} recipients", a.Id, left, count);
                return false;
            }
        }

        return true;
    }

    /// <summary>How many friends a broadcast reaches as LINE counts them; null when unknown.</summary>
    public async Task<long?> FriendsAsync(CancellationToken ct)
    {
        foreach (var quota in quotas.Where(q => q.Channel == ResidentChannel))
        {
            if (await quota.FriendsAsync(ct) is { } friends)
            {
                return friends;
            }
        }

        return null;
    }

    /// <summary>An emergency topic, by one person with the emergency role: approved by no one else, marked so, released now.</summary>
    public async Task<Announcement> SendEmergencyAsync(string userKey, Topic topic, AnnouncementDraft draft, CancellationToken ct)
    {
        var a = New(userKey, topic, draft with { SendAt = null });
        (a.Status, a.Emergency, a.DecidedAt) = (AnnouncementStatus.Approved, true, a.CreatedAt);
        db.Add(a);
        await db.SaveChangesAsync(ct);
        await languages.KeepAsync(a.Id, draft.Translations, ct);
        logger.LogWarning("Emergency announcement {Id} sent without a second approver (topic {Topic})", a.Id, topic.Id);
        await ReleaseAsync(a.Id, ct);
        await db.Entry(a).ReloadAsync(ct);

        // Sent by one person: the approvers and the other emergency role holders hear of it at once, with the text.
        var notice = new List<Reply> { new TextReply(messages.Current.Format(AnnouncementTexts.EmergencyNotice, a.Id, topic.Name, a.Recipients)) };
        notice.AddRange(await AllRepliesAsync(a, ct));
        foreach (var other in ApproverKeys(topic.Id).Concat(Options.Emergency.Select(StaffKey)).Distinct().Where(k => k != userKey))
        {
            await outbox.AddAsync(StaffChannel, other, notice, $"{GroupKey(a.Id)}:emergency:{other}", ct);
        }

        await db.SaveChangesAsync(ct);
        return a;
    }

    private Announcement New(string authorKey, Topic topic, AnnouncementDraft draft) => new()
    {
        TopicId = topic.Id,
        Text = draft.Text!.Trim(),
        Link = string.IsNullOrWhiteSpace(draft.Link) ? null : draft.Link.Trim(),
        ImageUrl = string.IsNullOrWhiteSpace(draft.ImageUrl) ? null : draft.ImageUrl.Trim(),
        ClassId = string.IsNullOrWhiteSpace(draft.ClassId) ? null : draft.ClassId.Trim(),
        AuthorKey = authorKey,
        Status = AnnouncementStatus.Pending,
        CreatedAt = clock.GetUtcNow(),
        SendAt = draft.SendAt,
    };

    /// <summary>
    /// Fixes the recipients and puts the chunks in the outbox, in one transaction with the status change: either the
    /// announcement is Sending with all its chunks, or still Approved with none (a crash in between loses nothing).
    /// </summary>
    /// <returns>The number of recipients; 0 when another run released it first.</returns>
    public async Task<int> ReleaseAsync(long id, CancellationToken ct)
    {
        var a = await db.Set<Announcement>().AsNoTracking().SingleAsync(x => x.Id == id, ct);
        var audience = await AudienceAsync(a, ct);
        var recipients = audience.UserKeys;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var won = await db.Set<Announcement>().Where(x => x.Id == id && x.Status == AnnouncementStatus.Approved).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, AnnouncementStatus.Sending)
            .SetProperty(x => x.Recipients, recipients.Count)
            .SetProperty(x => x.SentAt, now), ct);
        if (won == 0)
        {
            return 0;
        }

        var replies = await RepliesAsync(a, ct);
        var (japanese, own) = await InLanguagesAsync(a, replies, recipients, ct);
        var n = 0;
        if (audience.Everyone)
        {
            // Every friend: one broadcast (one call, one retry key) instead of a multicast per 500. A broadcast leaves
            // no one out: residents who keep another language get it too, and their own version after it (not counted
            // twice: its group is another).
            await outbox.AddAsync(ResidentChannel, GroupKey(id), replies, $"{GroupKey(id)}:everyone", ct, recipients: [OutboxMessage.Everyone]);
            n++;
            foreach (var (language, (keys, said)) in own)
            {
                foreach (var chunk in keys.Chunk(Options.ChunkSize))
                {
                    await outbox.AddAsync(ResidentChannel, GroupKey(id) + ":languages", said, string.Create(CultureInfo.InvariantCulture, $"{GroupKey(id)}:{language}:{n++}"), ct, recipients: chunk);
                }
            }
        }
        else
        {
            foreach (var chunk in japanese.Chunk(Options.ChunkSize))
            {
                await outbox.AddAsync(ResidentChannel, GroupKey(id), replies, string.Create(CultureInfo.InvariantCulture, $"{GroupKey(id)}:{n++}"), ct, recipients: chunk);
            }

            foreach (var (language, (keys, said)) in own)
            {
                foreach (var chunk in keys.Chunk(Options.ChunkSize))
                {
                    await outbox.AddAsync(ResidentChannel, GroupKey(id), said, string.Create(CultureInfo.InvariantCulture, $"{GroupKey(id)}:{language}:{n++}"), ct, recipients: chunk);
                }
            }
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Announcement {Id} released to {Count} recipients in {Chunks} chunk(s), broadcast: {Broadcast}", id, recipients.Count, n, audience.Everyone);
        return recipients.Count;
    }

    /// <summary>
    /// The recipients by what they receive: those who get the Japanese, and per other language kept (a translation, a
    /// labelled machine translation, or the Japanese said to be Japanese) its recipients and messages.
    /// </summary>
    private async Task<(List<string> Japanese, SortedDictionary<string, (List<string> Keys, IReadOnlyList<Reply> Replies)> Own)> InLanguagesAsync(
        Announcement a, IReadOnlyList<Reply> japanese, IReadOnlyList<string> recipients, CancellationToken ct)
    {
        var kept = await languages.KeptAsync(recipients, ct);
        var translations = kept.Count == 0 ? [] : await languages.TranslationsAsync(a.Id, ct);
        var own = new SortedDictionary<string, (List<string> Keys, IReadOnlyList<Reply> Replies)>(StringComparer.Ordinal);
        var plain = new List<string>();
        foreach (var key in recipients)
        {
            if (!kept.TryGetValue(key, out var language))
            {
                plain.Add(key);
                continue;
            }

            if (!own.TryGetValue(language, out var group))
            {
                group = ([], await languages.InAsync(language, a, TopicOf(a), japanese, translations.GetValueOrDefault(language), ct));
                own[language] = group;
            }

            group.Keys.Add(key);
        }

        foreach (var language in own.Where(g => ReferenceEquals(g.Value.Replies, japanese)).Select(g => g.Key).ToList())
        {
            plain.AddRange(own[language].Keys); // the Japanese itself (やさしい日本語 without an easy text)
            own.Remove(language);
        }

        plain.Sort(StringComparer.Ordinal);
        return (plain, own);
    }

    /// <summary>Releases what was approved for a time that has come.</summary>
    public async Task<int> ReleaseDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await db.Set<Announcement>().AsNoTracking()
            .Where(a => a.Status == AnnouncementStatus.Approved && (a.SendAt == null || a.SendAt <= now))
            .Select(a => a.Id).ToListAsync(ct);
        foreach (var id in due)
        {
            var a = await db.Set<Announcement>().AsNoTracking().SingleAsync(x => x.Id == id, ct);
            if (a.Emergency || await WithinQuotaAsync(a, ct))
            {
                await ReleaseAsync(id, ct); // else it waits (the next run reads the quota again); an emergency always goes
            }
        }

        return due.Count;
    }

    /// <summary>Announcements whose every chunk was delivered or given up: counted, and their author told.</summary>
    public async Task<int> FinishAsync(CancellationToken ct)
    {
        var sending = await db.Set<Announcement>().Where(a => a.Status == AnnouncementStatus.Sending).ToListAsync(ct);
        var finished = 0;
        foreach (var a in sending)
        {
            var group = GroupKey(a.Id);
            var chunks = await db.Set<OutboxMessage>().AsNoTracking().Where(o => o.Channel == ResidentChannel && o.UserKey == group).ToListAsync(ct);
            if (chunks.Any(c => c.SentAt is null && c.FailedAt is null))
            {
                continue;
            }

            a.Delivered = chunks.Where(c => c.SentAt is not null).Sum(c => c.ToEveryone ? a.Recipients : c.Recipients?.Count ?? 0);
            a.Failed = Math.Max(0, a.Recipients - a.Delivered);
            a.Status = AnnouncementStatus.Done;
            a.FinishedAt = clock.GetUtcNow();
            var topic = topics.Find(a.TopicId)?.Name ?? a.TopicId;
            await outbox.AddAsync(StaffChannel, a.AuthorKey, [new TextReply(messages.Current.Format(AnnouncementTexts.Result, a.Id, topic, a.Delivered, a.Failed))], $"{group}:result", ct);
            await db.SaveChangesAsync(ct);
            finished++;
        }

        return finished;
    }

    /// <summary>
    /// Announcements finished more than 24 hours ago (within a week): their author is told, once, how many blocked the
    /// account within 24 hours of delivery.
    /// </summary>
    public async Task<int> ReportUnfollowsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (until, since) = (now - UnfollowWindow, now - TimeSpan.FromDays(7));
        var finished = await db.Set<Announcement>().AsNoTracking()
            .Where(a => a.Status == AnnouncementStatus.Done && a.FinishedAt <= until && a.FinishedAt > since).ToListAsync(ct);
        var reported = 0;
        foreach (var a in finished)
        {
            var text = messages.Current.Format(AnnouncementTexts.UnfollowsReport, a.Id, TopicName(a.TopicId), a.Delivered, a.UnfollowsAfter);
            if (await outbox.AddAsync(StaffChannel, a.AuthorKey, [new TextReply(text)], $"{GroupKey(a.Id)}:unfollows", ct))
            {
                await db.SaveChangesAsync(ct);
                reported++;
            }
        }

        return reported;
    }

    /// <summary>How long after delivery a block counts against an announcement.</summary>
    public static readonly TimeSpan UnfollowWindow = TimeSpan.FromHours(24);

    /// <summary>The last <paramref name="months"/> months (Japan time, this one included), oldest first; months without announcements too.</summary>
    public async Task<List<AnnouncementMonth>> MonthlyAsync(int months, CancellationToken ct)
    {
        var japan = TimeSpan.FromHours(9);
        var local = clock.GetUtcNow().ToOffset(japan);
        var first = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, japan).AddMonths(1 - months);
        var sent = (await db.Set<Announcement>().AsNoTracking().Where(a => a.SentAt != null).ToListAsync(ct))
            .Where(a => a.SentAt >= first)
            .ToLookup(a => (a.SentAt!.Value.ToOffset(japan).Year, a.SentAt.Value.ToOffset(japan).Month));
        return Enumerable.Range(0, months).Select(i => first.AddMonths(i)).Select(m =>
        {
            var these = sent[(m.Year, m.Month)].ToList();
            return new AnnouncementMonth(m.Year, m.Month, these.Count, these.Sum(a => a.Recipients), these.Sum(a => a.Delivered), these.Sum(a => a.Failed), these.Sum(a => a.UnfollowsAfter));
        }).ToList();
    }

    /// <summary>Recent announcements with their record, newest first.</summary>
    public Task<List<Announcement>> RecentAsync(int max, CancellationToken ct) =>
        db.Set<Announcement>().AsNoTracking().OrderByDescending(a => a.Id).Take(max).ToListAsync(ct);

    public Task<List<Announcement>> PendingAsync(CancellationToken ct) =>
        db.Set<Announcement>().AsNoTracking().Where(a => a.Status == AnnouncementStatus.Pending).OrderBy(a => a.Id).ToListAsync(ct);

    public string When(Announcement a) => a.SendAt is { } at
        ? at.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : messages.Current[AnnouncementTexts.Now];

    public string TopicName(string id) => topics.Find(id)?.Name ?? id;
}
