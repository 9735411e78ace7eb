using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Announcements;

/// <summary>What an author asks for; every field is checked by <see cref="AnnouncementService.Check"/> before anything is kept.</summary>
public sealed record AnnouncementDraft(string? Topic, string? Text, string? Link = null, string? ImageUrl = null, DateTimeOffset? SendAt = null);

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
    TimeProvider clock,
    ILogger<AnnouncementService> logger)
{
    /// <summary>The channel residents are reached on, and the staff chat's.</summary>
    public const string ResidentChannel = "line";
    public const string StaffChannel = "staff";

    /// <summary>LINE's longest text message.</summary>
    public const int MaxTextMessage = 5_000;

    private AnnouncementsOptions Options => options.Value;

    public static string GroupKey(long id) => string.Create(CultureInfo.InvariantCulture, $"announcement:{id}");

    public string StaffKey(string rawId) => keys.Pseudonymize(StaffChannel, rawId);

    public bool IsAuthor(string userKey) => Options.Authors.Any(id => StaffKey(id) == userKey);

    public bool IsApprover(string userKey) => Options.Approvers.Any(id => StaffKey(id) == userKey);

    public bool MayEmergency(string userKey) => Options.Emergency.Any(id => StaffKey(id) == userKey);

    /// <summary>Every problem of a draft, in the staff chat's words; none: it can be kept.</summary>
    public List<string> Check(AnnouncementDraft draft, out Topic? topic)
    {
        var m = messages.Current;
        var problems = new List<string>();
        topic = topics.Find(draft.Topic);
        var names = string.Join(messages.Current[AnnouncementTexts.ListSeparator], topics.All.Select(t => t.Name));
        if (string.IsNullOrWhiteSpace(draft.Topic))
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
        else if (topic is not null && FullText(topic, draft.Text.Trim(), draft.Link?.Trim()) is { Length: > MaxTextMessage } full)
        {
            problems.Add(m.Format(AnnouncementTexts.TextTooLong, MaxTextMessage, full.Length));
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

    /// <summary>What residents receive, message by message: the preview shows exactly these.</summary>
    public IReadOnlyList<Reply> Replies(Announcement a)
    {
        var topic = topics.Find(a.TopicId);
        var name = topic?.Name ?? a.TopicId;
        var replies = new List<Reply> { new TextReply(FullText(topic ?? new Topic(a.TopicId, name, null, false, false), a.Text, a.Link)) };
        if (a.ImageUrl is { } url)
        {
            var uri = new Uri(url);
            replies.Add(new ImageReply(uri, uri, messages.Current.Format(AnnouncementTexts.ImageAlt, name)));
        }

        return replies;
    }

    private string FullText(Topic topic, string text, string? link) =>
        messages.Current.Format(AnnouncementTexts.Heading, topic.Name) + "\n" + text + (string.IsNullOrWhiteSpace(link) ? string.Empty : "\n" + link);

    /// <summary>Residents who receive a topic now: LINE friends who have it on (or did not turn a default-on topic off).</summary>
    public async Task<List<string>> RecipientsAsync(Topic topic, CancellationToken ct)
    {
        var friends = new List<string>();
        foreach (var directory in directories.Where(d => d.Channel == ResidentChannel))
        {
            friends.AddRange(await directory.UserKeysAsync(ct));
        }

        var choices = await db.Set<TopicSubscription>().AsNoTracking().Where(s => s.TopicId == topic.Id)
            .ToDictionaryAsync(s => s.UserKey, s => s.On, StringComparer.Ordinal, ct);
        return friends.Distinct(StringComparer.Ordinal)
            .Where(k => choices.TryGetValue(k, out var on) ? on : topic.DefaultOn)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

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
        var request = new List<Reply> { new TextReply(messages.Current.Format(AnnouncementTexts.ReviewRequest, a.Id, topic.Name, When(a))) };
        request.AddRange(Replies(a));
        request.Add(DecisionChoices(a.Id));
        foreach (var approver in Options.Approvers.Select(StaffKey).Distinct().Where(k => k != authorKey))
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

        if (!IsApprover(approverKey))
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

        if (a.AuthorKey != approverKey && !IsApprover(approverKey))
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

    /// <summary>Whether the month's limit leaves room for every recipient (counted now); unknown or no limit: yes.</summary>
    public async Task<bool> WithinQuotaAsync(Announcement a, CancellationToken ct)
    {
        var topic = topics.Find(a.TopicId) ?? new Topic(a.TopicId, a.TopicId, null, false, false);
        foreach (var quota in quotas.Where(q => q.Channel == ResidentChannel))
        {
            if (await quota.RemainingAsync(ct) is { } left && left < (await RecipientsAsync(topic, ct)).Count)
            {
                logger.LogWarning("Announcement {Id} not released: LINE's monthly limit leaves {Left} messages", a.Id, left);
                return false;
            }
        }

        return true;
    }

    /// <summary>An emergency topic, by one person with the emergency role: approved by no one else, marked so, released now.</summary>
    public async Task<Announcement> SendEmergencyAsync(string userKey, Topic topic, AnnouncementDraft draft, CancellationToken ct)
    {
        var a = New(userKey, topic, draft with { SendAt = null });
        (a.Status, a.Emergency, a.DecidedAt) = (AnnouncementStatus.Approved, true, a.CreatedAt);
        db.Add(a);
        await db.SaveChangesAsync(ct);
        logger.LogWarning("Emergency announcement {Id} sent without a second approver (topic {Topic})", a.Id, topic.Id);
        await ReleaseAsync(a.Id, ct);
        await db.Entry(a).ReloadAsync(ct);
        return a;
    }

    private Announcement New(string authorKey, Topic topic, AnnouncementDraft draft) => new()
    {
        TopicId = topic.Id,
        Text = draft.Text!.Trim(),
        Link = string.IsNullOrWhiteSpace(draft.Link) ? null : draft.Link.Trim(),
        ImageUrl = string.IsNullOrWhiteSpace(draft.ImageUrl) ? null : draft.ImageUrl.Trim(),
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
        var topic = topics.Find(a.TopicId) ?? new Topic(a.TopicId, a.TopicId, null, false, false);
        var recipients = await RecipientsAsync(topic, ct);
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

        var replies = Replies(a);
        var n = 0;
        foreach (var chunk in recipients.Chunk(Options.ChunkSize))
        {
            await outbox.AddAsync(ResidentChannel, GroupKey(id), replies, string.Create(CultureInfo.InvariantCulture, $"{GroupKey(id)}:{n++}"), ct, recipients: chunk);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Announcement {Id} released to {Count} recipients in {Chunks} chunk(s)", id, recipients.Count, n);
        return recipients.Count;
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

            a.Delivered = chunks.Where(c => c.SentAt is not null).Sum(c => c.Recipients?.Count ?? 0);
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
