using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Announcements;

/// <summary>A resident's topics, on or off, by pseudonymous key.</summary>
public sealed class TopicSubscriptions(BotDbContext db, TopicCatalog topics, TimeProvider clock)
{
    public async Task<IReadOnlyList<(Topic Topic, bool On)>> ForAsync(string userKey, CancellationToken ct)
    {
        var choices = await db.Set<TopicSubscription>().AsNoTracking().Where(s => s.UserKey == userKey)
            .ToDictionaryAsync(s => s.TopicId, s => s.On, StringComparer.Ordinal, ct);
        return topics.All.Select(t => (t, choices.TryGetValue(t.Id, out var on) ? on : t.DefaultOn)).ToList();
    }

    /// <returns>Whether the topic is on after the change.</returns>
    public async Task<bool> SetAsync(string userKey, Topic topic, bool on, CancellationToken ct)
    {
        var row = await db.Set<TopicSubscription>().SingleOrDefaultAsync(s => s.UserKey == userKey && s.TopicId == topic.Id, ct);
        if (row is null)
        {
            db.Add(new TopicSubscription { UserKey = userKey, TopicId = topic.Id, On = on, UpdatedAt = clock.GetUtcNow() });
        }
        else
        {
            (row.On, row.UpdatedAt) = (on, clock.GetUtcNow());
        }

        await db.SaveChangesAsync(ct);
        return on;
    }
}

/// <summary>
/// 「お知らせの設定」: the topics with their state, each a button that switches it; typing its number or name works too.
/// </summary>
public sealed class TopicSettingsHandler(TopicSubscriptions subscriptions, TopicCatalog topics, MessageCatalog messages) : IIntentHandler
{
    public const string HandlerName = "announcement-topics";

    public string Name => HandlerName;

    public Audience Audience => Audience.Resident;

    public double Match(Turn turn)
    {
        var t = turn.Normalized;
        var aboutNotices = t.Contains("おしらせ", StringComparison.Ordinal) || t.Contains("お知らせ", StringComparison.Ordinal) || t.Contains("配信", StringComparison.Ordinal);
        var settings = t.Contains("設定", StringComparison.Ordinal) || t.Contains("せってい", StringComparison.Ordinal) || t.Contains("受け取", StringComparison.Ordinal)
                       || t.Contains("うけと", StringComparison.Ordinal) || t.Contains("停止", StringComparison.Ordinal) || t.Contains("登録", StringComparison.Ordinal);
        return aboutNotices && settings ? 0.95 : aboutNotices ? 0.55 : 0.0;
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var m = messages.Current;
        var userKey = turn.Message.UserKey;
        if (turn.Postback is { Action: "set" } postback && topics.Find(postback["t"]) is { } topic)
        {
            var on = await subscriptions.SetAsync(userKey, topic, postback["on"] == "1", cancellationToken);
            var done = new TextReply(m.Format(on ? AnnouncementTexts.TurnedOn : AnnouncementTexts.TurnedOff, topic.Name));
            return TurnResult.Of(done, await SettingsAsync(userKey, cancellationToken));
        }

        return TurnResult.Of(new TextReply(m[AnnouncementTexts.SettingsIntro]), await SettingsAsync(userKey, cancellationToken));
    }

    private async Task<ChoicesReply> SettingsAsync(string userKey, CancellationToken ct)
    {
        var m = messages.Current;
        var state = await subscriptions.ForAsync(userKey, ct);
        var lines = state.Select((s, i) => m.Format(s.On ? AnnouncementTexts.SettingOn : AnnouncementTexts.SettingOff, i + 1, s.Topic.Name));
        var choices = state.Select(s => new Choice(
            m.Format(s.On ? AnnouncementTexts.ChoiceTurnOff : AnnouncementTexts.ChoiceTurnOn, s.Topic.Name),
            Postback.Create(HandlerName, "set", ("t", s.Topic.Id), ("on", s.On ? "0" : "1")))).ToList();
        return new ChoicesReply(string.Join("\n", lines) + "\n" + m[AnnouncementTexts.SettingsHint], choices);
    }
}

/// <summary>A new friend is told once, after the greeting, what they will hear and how to choose more.</summary>
public sealed class TopicWelcome(TopicCatalog topics, MessageCatalog messages) : INewFriendWelcome
{
    public Task<IReadOnlyList<Reply>> AfterGreetingAsync(string userKey, CancellationToken cancellationToken)
    {
        var m = messages.Current;
        var defaults = string.Join(messages.Current[AnnouncementTexts.ListSeparator], topics.All.Where(t => t.DefaultOn).Select(t => t.Name));
        var others = string.Join(messages.Current[AnnouncementTexts.ListSeparator], topics.All.Where(t => !t.DefaultOn).Select(t => t.Name));
        var body = m.Format(AnnouncementTexts.WelcomeBody, defaults, others);
        var card = new Card(m[AnnouncementTexts.WelcomeTitle], body, [new CardAction(m[AnnouncementTexts.WelcomeButton], CardActionKind.Message, m[AnnouncementTexts.SettingsWord])]);
        return Task.FromResult<IReadOnlyList<Reply>>([new CardsReply(m[AnnouncementTexts.WelcomeTitle], [card])]);
    }
}

/// <summary>On unfollow: the resident's topic choices go, and the unfollow is counted against what they were sent in the last 24 hours.</summary>
public sealed class AnnouncementDataEraser(BotDbContext db, TimeProvider clock) : IPersonalDataEraser
{
    public async Task EraseAsync(string userKey, CancellationToken cancellationToken)
    {
        await db.Set<TopicSubscription>().Where(s => s.UserKey == userKey).ExecuteDeleteAsync(cancellationToken);

        // Only a count is kept (the cost of an announcement), never who left.
        var since = clock.GetUtcNow() - AnnouncementService.UnfollowWindow;
        var quoted = "\"" + userKey + "\"";
        var everyone = "[\"" + OutboxMessage.Everyone + "\"]"; // a broadcast reached every friend
        var groups = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(o => o.Channel == AnnouncementService.ResidentChannel && o.UserKey.StartsWith("announcement:") && o.SentAt >= since
                        && (o.RecipientsJson == everyone || o.RecipientsJson!.Contains(quoted)))
            .Select(o => o.UserKey).Distinct().ToListAsync(cancellationToken);
        foreach (var group in groups)
        {
            if (long.TryParse(group["announcement:".Length..], System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                await db.Set<Announcement>().Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.UnfollowsAfter, a => a.UnfollowsAfter + 1), cancellationToken);
            }
        }
    }
}
