using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Announcements;

namespace ShiogamaDx.Bot.Tests.Announcements;

/// <summary>Residents choose their topics on LINE: through the signed webhook, answered at the fake LINE API, kept in SQLite.</summary>
public sealed class ResidentTopicTests
{
    [Fact]
    public async Task NewFriend_IsAskedOnceAfterTheGreeting_ChoosesByNumberOrLabel_AndUnfollowErasesTheChoices()
    {
        await using var h = await AnnouncementsHost.StartAsync();
        var resident = AnnouncementsHost.ResidentId(1);

        var welcome = await h.FollowAsync(resident);
        Assert.Contains("友だち追加ありがとうございます", welcome, StringComparison.Ordinal);
        Assert.Contains("防災・災害のお知らせは、はじめから受け取る設定です", welcome, StringComparison.Ordinal);
        Assert.Contains("お知らせの設定", welcome, StringComparison.Ordinal); // the card's button sends these words
        Assert.Empty(h.Line.Pushes); // the greeting and the question fit one reply

        // An unblock is not a new friend: not asked again.
        var unblock = ShiogamaDx.Bot.Tests.Line.LineEvents.Follow(h.App.Clock.GetUtcNow(), unblocked: true);
        unblock["source"] = ShiogamaDx.Bot.Tests.Line.LineEvents.User(resident);
        var before = h.Line.Replies.Count();
        await h.WebhookAsync(unblock);
        await h.EventuallyAsync(() => h.Line.Replies.Count() > before, "the unblock answered", advance: false);
        Assert.DoesNotContain("お知らせの受け取り", h.Line.Replies.Last().AllText, StringComparison.Ordinal);

        var settings = (await h.SayAsResidentAsync(resident, "お知らせの設定")).AllText;
        Assert.Contains("1. 防災・災害: 受け取る", settings, StringComparison.Ordinal);
        Assert.Contains("2. 子育て: 受け取らない", settings, StringComparison.Ordinal);

        var byNumber = (await h.SayAsResidentAsync(resident, "2")).AllText;
        Assert.Contains("「子育て」のお知らせを受け取るようにしました", byNumber, StringComparison.Ordinal);
        Assert.Contains("2. 子育て: 受け取る", byNumber, StringComparison.Ordinal);

        var byLabel = (await h.SayAsResidentAsync(resident, "防災・災害をやめる")).AllText;
        Assert.Contains("「防災・災害」のお知らせを止めました", byLabel, StringComparison.Ordinal);
        Assert.Contains("1. 防災・災害: 受け取らない", byLabel, StringComparison.Ordinal);
        Assert.Empty(h.Line.SpecErrors);

        // Kept by pseudonymous key, never the LINE id.
        var key = h.ResidentKey(resident);
        var rows = h.Db(db => db.Set<TopicSubscription>().AsNoTracking().OrderBy(s => s.TopicId).ToList());
        Assert.All(rows, r => Assert.Equal(key, r.UserKey));
        Assert.Equal([("childcare", true), ("disaster", false)], rows.Select(r => (r.TopicId, r.On)));

        var topics = await TopicsAsync(h);
        Assert.Equal(0, topics["disaster"]);
        Assert.Equal(1, topics["childcare"]);

        await h.UnfollowAsync(resident);
        await h.EventuallyAsync(() => h.Db(db => !db.Set<TopicSubscription>().Any()), "the choices erased");
        topics = await TopicsAsync(h);
        Assert.Equal(0, topics["childcare"]);
        Assert.Equal(0, topics["disaster"]); // no longer a friend: nobody to send to
    }

    [Fact]
    public async Task TopicsFile_IsRefusedWithItsLine_WhenAnIdRepeats()
    {
        var file = Path.Combine(Path.GetTempPath(), "topics-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(file, "topics:\n  - id: a\n    name: A\n  - id: a\n    name: B\n");
        try
        {
            var error = Assert.Throws<ShiogamaDx.Bot.Conversations.ContentFileException>(() => TopicCatalog.Load(file));
            Assert.Equal(4, error.Line);
            Assert.Contains("unique", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static async Task<Dictionary<string, int>> TopicsAsync(AnnouncementsHost h)
    {
        var topics = await h.Admin().GetFromJsonAsync<JsonArray>("/api/admin/topics");
        return topics!.ToDictionary(t => (string)t!["id"]!, t => (int)t!["subscribers"]!);
    }
}
