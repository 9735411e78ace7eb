using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Announcements;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Tests.Announcements;

/// <summary>
/// Staff compose in the staff chat (fake connector), a second person approves, and LINE (fake API) receives one
/// multicast per chunk, to the topic's subscribers only.
/// </summary>
public sealed class StaffAnnouncementTests
{
    [Fact]
    public async Task ComposedInTheStaffChat_ApprovedByASecondPerson_ReachesOnlyTheTopicsSubscribers_Once()
    {
        await using var h = await AnnouncementsHost.StartAsync();
        string r1 = AnnouncementsHost.ResidentId(1), r2 = AnnouncementsHost.ResidentId(2), r3 = AnnouncementsHost.ResidentId(3);
        await h.FollowAsync(r1); // 防災 by default
        await h.FollowAsync(r2);
        await h.SayAsResidentAsync(r2, "お知らせの設定");
        await h.SayAsResidentAsync(r2, "子育てを受け取る");
        await h.FollowAsync(r3);
        await h.SayAsResidentAsync(r3, "お知らせの設定");
        await h.SayAsResidentAsync(r3, "防災・災害をやめる");
        foreach (var s in new[] { h.Author, h.Approver, h.Other })
        {
            await h.JoinAsync(s);
        }

        Assert.Contains("作成者として登録された職員だけ", await h.SayAsStaffAsync(h.Other, "お知らせを作る"), StringComparison.Ordinal);
        Assert.Contains("話題:", await h.SayAsStaffAsync(h.Author, "お知らせを作る"), StringComparison.Ordinal);

        var preview = await h.SayAsStaffAsync(h.Author, """
            お知らせを作る
            話題: 子育て
            本文: 12月の乳幼児健診の日程です。
            母子手帳をお持ちください。
            リンク: https://www.city.shiogama.miyagi.jp/kenshin.html
            画像: https://www.city.shiogama.miyagi.jp/img/kenshin.png
            """);
        Assert.Contains("1人に届きます", preview, StringComparison.Ordinal);
        Assert.Contains("【子育て】塩竈市からのお知らせ", preview, StringComparison.Ordinal);
        Assert.Contains("母子手帳をお持ちください。", preview, StringComparison.Ordinal);
        Assert.Contains("kenshin.png", preview, StringComparison.Ordinal);
        Assert.Contains("承認者に依頼しました", preview, StringComparison.Ordinal);
        var id = h.Db(db => db.Set<Announcement>().Single().Id);

        // The approver is asked in their own conversation, with the same preview and the buttons.
        await h.EventuallyAsync(() => h.Proactive(h.Approver).Any(a => AnnouncementsHost.Visible(a).Contains("承認して送る", StringComparison.Ordinal)), "the approver asked");
        var asked = string.Join("\n", h.Proactive(h.Approver).Select(AnnouncementsHost.Visible));
        Assert.Contains("承認待ちのお知らせ", asked, StringComparison.Ordinal);
        Assert.Contains("母子手帳をお持ちください。", asked, StringComparison.Ordinal);
        var request = h.Proactive(h.Approver).Last(a => AnnouncementsHost.Visible(a).Contains("承認して送る", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Proactive(h.Author), a => AnnouncementsHost.Visible(a).Contains("承認待ち", StringComparison.Ordinal));

        // Four eyes: the author (an approver as well) cannot approve their own; someone without the role cannot approve.
        Assert.Contains("ご自分で作ったお知らせは承認できません", await h.SayAsStaffAsync(h.Author, $"お知らせを承認 {id}"), StringComparison.Ordinal);
        Assert.Contains("承認者として登録された職員だけ", await h.SayAsStaffAsync(h.Other, $"お知らせを承認 {id}"), StringComparison.Ordinal);
        Assert.Equal(AnnouncementStatus.Pending, h.Db(db => db.Set<Announcement>().Single().Status));
        Assert.Empty(h.Line.Multicasts);

        var approved = await h.SayAsStaffAsync(h.Approver, null, AnnouncementsHost.FindAction(request, "承認して送る"));
        Assert.Contains("1人に送ります", approved, StringComparison.Ordinal);
        var done = await h.DeliveredAsync(id);
        Assert.Equal((1, 1, 0), (done.Recipients, done.Delivered, done.Failed));

        var call = Assert.Single(h.Line.Multicasts);
        Assert.NotNull(call.RetryKey);
        Assert.Equal(new Dictionary<string, int> { [r2] = 1 }, h.Line.MulticastsPerUser());
        Assert.Equal("image", (string?)call.Body!["messages"]![1]!["type"]);
        Assert.Contains("https://www.city.shiogama.miyagi.jp/kenshin.html", call.AllText, StringComparison.Ordinal);
        Assert.Empty(h.Line.SpecErrors);

        // A second approval does nothing; the author hears the result.
        Assert.Contains("承認待ちではありません", await h.SayAsStaffAsync(h.Approver, $"お知らせを承認 {id}"), StringComparison.Ordinal);
        await h.EventuallyAsync(() => h.Proactive(h.Author).Any(a => AnnouncementsHost.Visible(a).Contains("届いた: 1人", StringComparison.Ordinal)), "the author told the result");

        // 防災 through the operations API: r1 (default) and r2 (did not turn it off), not r3.
        var created = await h.PostAnnouncementAsync(new { topic = "disaster", text = "避難訓練を行います。", author = h.Approver.AadObjectId });
        var second = (long)created["id"]!;
        var (status, body) = await h.ApproveAsync(second, h.Author.AadObjectId);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, (int)body!["recipients"]!);
        await h.DeliveredAsync(second);
        var perUser = h.Line.MulticastsPerUser();
        Assert.Equal(1, perUser[r1]);
        Assert.Equal(2, perUser[r2]); // one of each announcement
        Assert.False(perUser.ContainsKey(r3));
        Assert.Equal(2, h.Line.Multicasts.Select(c => c.RetryKey).Distinct().Count());

        // r1 blocks the account within a day: counted against the 防災 announcement, not the other.
        await h.UnfollowAsync(r1);
        await h.EventuallyAsync(() => h.Db(db => db.Set<Announcement>().Single(a => a.Id == second).UnfollowsAfter) == 1, "the unfollow counted");
        Assert.Equal(0, h.Db(db => db.Set<Announcement>().Single(a => a.Id == id).UnfollowsAfter));
        var results = await h.SayAsStaffAsync(h.Author, "お知らせの結果");
        Assert.Contains("ブロック", results, StringComparison.Ordinal);
        Assert.Contains("送信済み", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_GetsEveryReasonInTheStaffChat_AndA400_NothingKeptNorSent()
    {
        await using var h = await AnnouncementsHost.StartAsync();
        await h.FollowAsync(AnnouncementsHost.ResidentId(1));
        await h.JoinAsync(h.Author);

        var refused = await h.SayAsStaffAsync(h.Author, $"""
            お知らせを作る
            話題:
            本文: {new string('あ', 5000)}
            リンク: https://evil.example.com/phish
            画像: http://www.city.shiogama.miyagi.jp/a.png
            """);
        Assert.Contains("保存していません（何も送っていません）", refused, StringComparison.Ordinal);
        Assert.Contains("話題がありません", refused, StringComparison.Ordinal);
        Assert.Contains("リンク先 evil.example.com は許可されていません", refused, StringComparison.Ordinal);
        Assert.Contains("画像は https://", refused, StringComparison.Ordinal);

        var tooLong = await h.SayAsStaffAsync(h.Author, $"お知らせを作る\n話題: 防災\n本文: {new string('あ', 5000)}");
        Assert.Contains("本文が長すぎます", tooLong, StringComparison.Ordinal);
        Assert.Contains("5000文字まで", tooLong, StringComparison.Ordinal);
        Assert.Contains("日時が過ぎています", await h.SayAsStaffAsync(h.Author, "お知らせを作る\n話題: 防災\n本文: 訓練\n日時: 2020-01-01 09:00"), StringComparison.Ordinal);

        await h.PostAnnouncementAsync(new { topic = "", text = "a", author = h.Author.AadObjectId }, HttpStatusCode.BadRequest);
        await h.PostAnnouncementAsync(new { topic = "disaster", text = new string('a', 5001), author = h.Author.AadObjectId }, HttpStatusCode.BadRequest);
        await h.PostAnnouncementAsync(new { topic = "disaster", text = "a", link = "https://example.com/", author = h.Author.AadObjectId }, HttpStatusCode.BadRequest);
        await h.PostAnnouncementAsync(new { topic = "disaster", text = "a", imageUrl = "http://www.city.shiogama.miyagi.jp/a.png", author = h.Author.AadObjectId }, HttpStatusCode.BadRequest);
        await h.PostAnnouncementAsync(new { topic = "disaster", text = "a", author = h.Other.AadObjectId }, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NotFound, (await h.ApproveAsync(99, h.Approver.AadObjectId)).Status);

        Assert.Equal(0, h.Db(db => db.Set<Announcement>().Count()));
        Assert.Empty(h.Line.Multicasts);
    }

    [Fact]
    public async Task Emergency_OnlyTheEmergencyRole_OnlyAnEmergencyTopic_SentAtOnce_MarkedInTheRecord()
    {
        await using var h = await AnnouncementsHost.StartAsync(AnnouncementsHost.MulticastOnly());
        h.AddFriends(10, 3);
        foreach (var s in new[] { h.Author, h.Duty })
        {
            await h.JoinAsync(s);
        }

        const string Body = "緊急のお知らせ\n話題: 防災\n本文: 津波警報が出ました。高台へ避難してください。";
        Assert.Contains("緊急配信の権限を持つ職員だけ", await h.SayAsStaffAsync(h.Author, Body), StringComparison.Ordinal);
        Assert.Contains("緊急配信に使えません", await h.SayAsStaffAsync(h.Duty, "緊急のお知らせ\n話題: イベント\n本文: 花火大会"), StringComparison.Ordinal);

        var sent = await h.SayAsStaffAsync(h.Duty, Body);
        Assert.Contains("3人に送ります", sent, StringComparison.Ordinal);
        var a = await h.DeliveredAsync(h.Db(db => db.Set<Announcement>().Single().Id));
        Assert.True(a.Emergency);
        Assert.Null(a.ApproverKey);
        Assert.Equal(3, a.Delivered);
        Assert.All(Enumerable.Range(10, 3), i => Assert.Equal(1, h.Line.MulticastsPerUser()[AnnouncementsHost.ResidentId(i)]));

        var record = await h.Admin().GetStringAsync("/api/admin/announcements");
        Assert.Contains("\"emergency\":true", record, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scheduled_WaitsForItsTime_ThenGoesOutOnce()
    {
        await using var h = await AnnouncementsHost.StartAsync(AnnouncementsHost.MulticastOnly());
        h.AddFriends(0, 2);
        var at = h.App.Clock.GetUtcNow().AddHours(2);
        var created = await h.PostAnnouncementAsync(new { topic = "disaster", text = "断水のお知らせ", author = h.Author.AadObjectId, sendAt = at });
        var (status, body) = await h.ApproveAsync((long)created["id"]!, h.Approver.AadObjectId);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Approved", (string?)body!["status"]);

        // The job runs on the host's clock; a tick between is harmless (it runs any number of times).
        var job = h.App.Services.GetRequiredService<AnnouncementJob>();
        h.App.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await job.TickAsync(CancellationToken.None)).Released);
        Assert.Equal(AnnouncementStatus.Approved, h.Db(db => db.Set<Announcement>().Single().Status));
        Assert.Empty(h.Line.Multicasts);
        h.App.Clock.Advance(TimeSpan.FromHours(1));
        await job.TickAsync(CancellationToken.None);
        Assert.Equal(0, (await job.TickAsync(CancellationToken.None)).Released);
        var a = await h.DeliveredAsync((long)created["id"]!);
        Assert.Equal(2, a.Delivered);
        Assert.Single(h.Line.Multicasts);
    }
}
