using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Announcements;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Tests.Announcements;

/// <summary>Chunks of up to 500 per multicast (broadcast off), each with its own retry key; LINE's 429 does not lose or double anything.</summary>
public sealed class AnnouncementDeliveryTests
{
    [Fact]
    public async Task ThousandTwoHundredFriends_ThreeMulticastsOfAtMost500_EachWithItsOwnKey_ExactlyOncePerFriend()
    {
        await using var h = await AnnouncementsHost.StartAsync(AnnouncementsHost.MulticastOnly());
        h.AddFriends(0, 1200);
        var id = await ApprovedAsync(h);
        var a = await h.DeliveredAsync(id);

        Assert.Equal((1200, 1200, 0), (a.Recipients, a.Delivered, a.Failed));
        var calls = h.Line.Multicasts.ToList();
        Assert.Equal([500, 500, 200], calls.Select(c => c.Body!["to"]!.AsArray().Count).Order().Reverse());
        Assert.Equal(3, calls.Select(c => c.RetryKey).Distinct().Count());
        var perUser = h.Line.MulticastsPerUser();
        Assert.Equal(1200, perUser.Count);
        Assert.All(perUser.Values, n => Assert.Equal(1, n));
        Assert.Empty(h.Line.SpecErrors);
    }

    [Fact]
    public async Task A429MidDelivery_IsWaitedOut_TheChunkIsRetriedWithTheSameKey_AndNobodyGetsItTwice()
    {
        await using var h = await AnnouncementsHost.StartAsync(AnnouncementsHost.MulticastOnly());
        h.AddFriends(0, 1000);

        // The first call meets LINE's rate limit more times than the client retries: that chunk waits its turn
        // while the next is sent, then goes again with its key.
        h.Line.Fail("/v2/bot/message/multicast", 429, times: 4, message: "Too many requests", retryAfterSeconds: 1);
        var id = await ApprovedAsync(h);
        var a = await h.DeliveredAsync(id);

        Assert.Equal((1000, 1000, 0), (a.Recipients, a.Delivered, a.Failed));
        var calls = h.Line.Multicasts.ToList();
        Assert.Equal(4, calls.Count(c => c.Status == 429));
        Assert.Equal(2, calls.Count(c => c.Status == 200));
        var limited = calls.First(c => c.Status == 429).RetryKey;
        Assert.Equal(5, calls.Count(c => c.RetryKey == limited)); // the same key each time, until accepted
        Assert.All(h.Line.MulticastsPerUser().Values, n => Assert.Equal(1, n));
        Assert.Equal(1000, h.Line.MulticastsPerUser().Count);
        var chunk = h.Db(db => db.Set<OutboxMessage>().AsNoTracking().Where(o => o.UserKey == AnnouncementService.GroupKey(id)).OrderBy(o => o.Id).First());
        Assert.True(chunk.Attempts >= 2);
    }

    [Fact]
    public async Task AFriendWhoBlocksBeforeTheirChunkGoesOut_IsNotSentAnything()
    {
        var settings = AnnouncementsHost.MulticastOnly();
        settings["Line:MonthlyLimitPause"] = "00:01:00";
        await using var h = await AnnouncementsHost.StartAsync(settings);
        h.AddFriends(0, 3);
        var created = await h.PostAnnouncementAsync(new { topic = "disaster", text = "訓練", author = h.Author.AadObjectId });
        // Fixed with three recipients; LINE first says the month's limit is reached, so the chunk waits out the pause
        // (on the fake clock, which stands) while one of them blocks.
        h.Line.Fail("/v2/bot/message/multicast", 429, message: "You have reached your monthly limit.");
        var (status, body) = await h.ApproveAsync((long)created["id"]!, h.Approver.AadObjectId);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal(3, (int)body!["recipients"]!);
        await h.EventuallyAsync(() => h.Line.Multicasts.Any(c => c.Status == 429), "the first attempt refused", advance: false);
        await h.UnfollowAsync(AnnouncementsHost.ResidentId(1));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (h.Db(db => db.Set<ShiogamaDx.Bot.Line.LineUser>().Any(u => u.Following && u.LineUserId == AnnouncementsHost.ResidentId(1))))
        {
            Assert.True(DateTime.UtcNow < deadline, "the unfollow handled");
            await Task.Delay(20);
        }

        var a = await h.DeliveredAsync((long)created["id"]!);
        Assert.False(h.Line.MulticastsPerUser().ContainsKey(AnnouncementsHost.ResidentId(1)));
        Assert.Equal(2, a.Delivered);
        Assert.Equal(1, a.Failed);
    }

    [Fact]
    public async Task ASendBeyondTheMonthsQuota_IsRefusedBeforeAnythingGoesOut_AndGoesWhenTheQuotaAllows()
    {
        await using var h = await AnnouncementsHost.StartAsync(AnnouncementsHost.MulticastOnly());
        h.AddFriends(0, 30);
        h.Line.QuotaLimit = 1000;
        h.Line.QuotaUsed = 980; // 20 left for 30 recipients
        var created = await h.PostAnnouncementAsync(new { topic = "disaster", text = "訓練のお知らせ", author = h.Author.AadObjectId });
        var id = (long)created["id"]!;

        var (status, body) = await h.ApproveAsync(id, h.Approver.AadObjectId);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, status);
        Assert.Contains("monthly limit", body!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(AnnouncementStatus.Pending, h.Db(db => db.Set<Announcement>().Single().Status));
        Assert.Equal(0, h.Db(db => db.Set<OutboxMessage>().Count(o => o.UserKey == AnnouncementService.GroupKey(id))));
        Assert.Empty(h.Line.Multicasts);

        h.Line.QuotaUsed = 970; // exactly enough
        (status, body) = await h.ApproveAsync(id, h.Approver.AadObjectId);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal(30, (await h.DeliveredAsync(id)).Delivered);
    }

    [Fact]
    public async Task ABroadcast_IsCheckedAgainstTheQuota_WithEveryFriendLineCounts_NotOnlyThoseTheBotKnows()
    {
        await using var h = await AnnouncementsHost.StartAsync();
        h.AddFriends(0, 30); // the bot has met 30 of them
        await h.JoinAsync(h.Author);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(h.App.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DateTime);
        string Day(int back) => today.AddDays(-back).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        h.Line.Followers[Day(2)] = (1_300, 100); // yesterday is not counted yet ("unready"): the day before's figure
        h.Line.QuotaLimit = 5_000;
        h.Line.QuotaUsed = 4_000; // 1,000 left: enough for the 30 the bot knows, not for LINE's 1,200

        var preview = await h.SayAsStaffAsync(h.Author, "お知らせを作る\n話題: 防災\n本文: 避難訓練のお知らせです。");
        Assert.Contains("友だち（ブロックを除く）は約1200人", preview, StringComparison.Ordinal);
        var id = h.Db(db => db.Set<Announcement>().Single().Id);
        var (status, body) = await h.ApproveAsync(id, h.Approver.AadObjectId);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, status);
        Assert.Contains("monthly limit", body!.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(h.Line.Broadcasts);

        h.Line.Followers[Day(1)] = (1_050, 100); // yesterday's count arrives: 950 fit
        (status, _) = await h.ApproveAsync(id, h.Approver.AadObjectId);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        await h.DeliveredAsync(id);
        Assert.Single(h.Line.Broadcasts, c => c.Status == 200);
    }

    private static async Task<long> ApprovedAsync(AnnouncementsHost h)
    {
        var created = await h.PostAnnouncementAsync(new { topic = "disaster", text = "大雨警報が出ています。", author = h.Author.AadObjectId });
        var id = (long)created["id"]!;
        var (status, _) = await h.ApproveAsync(id, h.Approver.AadObjectId);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        return id;
    }
}
