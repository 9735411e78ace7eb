using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Announcements;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Tests.Announcements;

/// <summary>
/// Whom an announcement reaches and how: a class's participants, the roles of one topic, up to five messages,
/// one broadcast when it reaches every friend, and what its author and the dashboard see afterwards.
/// </summary>
public sealed class AnnouncementSegmentTests
{
    [Fact]
    public async Task AClassesAnnouncement_CountsItsClassHeading_TowardLinesLength()
    {
        await using var h = await AnnouncementsHost.StartAsync();
        var cls = h.Db(db => db.Set<SmartphoneClass>().AsNoTracking().OrderBy(c => c.Id).First());
        var day = TimeZoneInfo.ConvertTime(cls.StartsAt, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        var heading = $"【{cls.Title}（{day.Month}月{day.Day}日・{cls.Venue}）】塩竈市からのお知らせ";
        var fits = new string('あ', AnnouncementService.MaxTextMessage - heading.Length - 1); // heading, line break, text

        var refused = await h.PostAnnouncementAsync(new { classId = cls.Id, text = fits + "あ", author = h.Author.AadObjectId }, HttpStatusCode.BadRequest);
        await h.PostAnnouncementAsync(new { classId = cls.Id, text = fits, author = h.Author.AadObjectId });

        Assert.Contains($"いまは{AnnouncementService.MaxTextMessage + 1}文字です", refused.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClassParticipants_AreASegmentOfTheirOwn_WhateverTheirTopics_AndNobodyElse()
    {
        await using var h = await AnnouncementsHost.StartAsync();
        h.AddFriends(0, 6);
        var (classId, otherClass) = h.Db(db => (db.Set<SmartphoneClass>().OrderBy(c => c.Id).First().Id, db.Set<SmartphoneClass>().OrderBy(c => c.Id).Skip(1).First().Id));
        h.App.WithScope(sp =>
        {
            var db = sp.GetRequiredService<ShiogamaDx.Bot.Data.BotDbContext>();
            var now = h.App.Clock.GetUtcNow();
            ClassRegistration Registration(int resident, string cls, RegistrationStatus status) =>
                new() { ClassId = cls, UserKey = h.ResidentKey(AnnouncementsHost.ResidentId(resident)), Channel = "line", Status = status, CreatedAt = now };
            db.AddRange(
                Registration(0, classId, RegistrationStatus.Confirmed),
                Registration(1, classId, RegistrationStatus.Waiting),
                Registration(2, classId, RegistrationStatus.Cancelled),
                Registration(3, otherClass, RegistrationStatus.Confirmed));

            // Resident 0 turned off every topic: a class's own news reaches them all the same.
            db.AddRange(new[] { "disaster", "smartphone-classes" }.Select(t =>
                new TopicSubscription { UserKey = h.ResidentKey(AnnouncementsHost.ResidentId(0)), TopicId = t, On = false, UpdatedAt = now }));
            return db.SaveChanges();
        });
        await h.JoinAsync(h.Author);

        var unknown = await h.SayAsStaffAsync(h.Author, "お知らせを作る\n教室: 2020-01-01-nowhere\n本文: 会場が変わりました。");
        Assert.Contains("教室「2020-01-01-nowhere」は予定にありません", unknown, StringComparison.Ordinal);

        var preview = await h.SayAsStaffAsync(h.Author, $"お知らせを作る\n教室: {classId}\n本文: 会場が2階の会議室に変わりました。");
        Assert.Contains("2人に届きます", preview, StringComparison.Ordinal);
        Assert.Contains($"教室「{classId}」の申込者", preview, StringComparison.Ordinal);
        Assert.Contains("会場が2階の会議室に変わりました。", preview, StringComparison.Ordinal);
        var id = h.Db(db => db.Set<Announcement>().Single().Id);
        Assert.Equal(classId, h.Db(db => db.Set<Announcement>().Single().ClassId));

        var (status, body) = await h.ApproveAsync(id, h.Approver.AadObjectId);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, (int)body!["recipients"]!);
        var a = await h.DeliveredAsync(id);
        Assert.Equal((2, 2, 0), (a.Recipients, a.Delivered, a.Failed));
        Assert.Equal(
            new Dictionary<string, int> { [AnnouncementsHost.ResidentId(0)] = 1, [AnnouncementsHost.ResidentId(1)] = 1 },
            h.Line.MulticastsPerUser());
        Assert.Empty(h.Line.Broadcasts);

        // Its participants chose no topic: the first line names their class (title, day, place), not the topic.
        var cls = h.Db(db => db.Set<SmartphoneClass>().AsNoTracking().Single(c => c.Id == classId));
        var day = TimeZoneInfo.ConvertTime(cls.StartsAt, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        var received = h.Line.Multicasts.Single(c => c.Status == 200).AllText;
        Assert.StartsWith($"【{cls.Title}（{day.Month}月{day.Day}日・{cls.Venue}）】塩竈市からのお知らせ\n会場が2階の会議室に変わりました。", received, StringComparison.Ordinal);

        // The LINE id only where pushing needs it: the chunk names residents by their pseudonymous keys.
        var chunk = h.Db(db => db.Set<OutboxMessage>().AsNoTracking().Single(o => o.UserKey == AnnouncementService.GroupKey(id)));
        Assert.Contains(h.ResidentKey(AnnouncementsHost.ResidentId(0)), chunk.RecipientsJson!, StringComparison.Ordinal);
        Assert.DoesNotContain(AnnouncementsHost.ResidentId(0), chunk.RecipientsJson!, StringComparison.Ordinal);

        // Through the operations API too, with the class instead of a topic.
        var created = await h.PostAnnouncementAsync(new { classId = otherClass, text = "持ち物にスマホの充電器を加えてください。", author = h.Author.AadObjectId });
        Assert.Equal(1, (int)created["recipients"]!);
        await h.PostAnnouncementAsync(new { classId = "no-such-class", text = "a", author = h.Author.AadObjectId }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TopicRoles_LetStaffWriteAndApproveTheirOwnTopicOnly()
    {
        var roles = new Dictionary<string, string?>
        {
            ["Announcements:TopicRoles:childcare:Authors:0"] = "a0000000-0000-4000-8000-000000000004", // Other
            ["Announcements:TopicRoles:childcare:Approvers:0"] = "a0000000-0000-4000-8000-000000000003", // Duty
        };
        await using var h = await AnnouncementsHost.StartAsync(roles);
        h.AddFriends(0, 2);
        h.App.WithScope(sp =>
        {
            var db = sp.GetRequiredService<ShiogamaDx.Bot.Data.BotDbContext>();
            db.Add(new TopicSubscription { UserKey = h.ResidentKey(AnnouncementsHost.ResidentId(0)), TopicId = "childcare", On = true, UpdatedAt = h.App.Clock.GetUtcNow() });
            return db.SaveChanges();
        });
        foreach (var s in new[] { h.Other, h.Duty, h.Approver })
        {
            await h.JoinAsync(s);
        }

        Assert.Contains("「防災・災害」のお知らせを作れるのは", await h.SayAsStaffAsync(h.Other, "お知らせを作る\n話題: 防災\n本文: 訓練です。"), StringComparison.Ordinal);
        var preview = await h.SayAsStaffAsync(h.Other, "お知らせを作る\n話題: 子育て\n本文: 乳幼児健診の日程です。");
        Assert.Contains("1人に届きます", preview, StringComparison.Ordinal);
        var id = h.Db(db => db.Set<Announcement>().Single().Id);

        // The topic's approver and the approvers of every topic are asked.
        await h.EventuallyAsync(() => h.Proactive(h.Duty).Any(a => AnnouncementsHost.Visible(a).Contains("承認待ちのお知らせ", StringComparison.Ordinal)), "the topic's approver asked");
        await h.EventuallyAsync(() => h.Proactive(h.Approver).Any(a => AnnouncementsHost.Visible(a).Contains("承認待ちのお知らせ", StringComparison.Ordinal)), "every topic's approver asked");

        Assert.Contains("1人に送ります", await h.SayAsStaffAsync(h.Duty, $"お知らせを承認 {id}"), StringComparison.Ordinal);
        Assert.Equal(1, (await h.DeliveredAsync(id)).Delivered);

        // The operations API applies the same roles.
        var refused = await h.PostAnnouncementAsync(new { topic = "events", text = "花火大会", author = h.Other.AadObjectId }, HttpStatusCode.BadRequest);
        Assert.Contains("not an author of topic", refused.ToJsonString(), StringComparison.Ordinal);
        var other = await h.PostAnnouncementAsync(new { topic = "events", text = "花火大会", author = h.Author.AadObjectId });
        var (status, body) = await h.ApproveAsync((long)other["id"]!, h.Duty.AadObjectId);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Approvers", body!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(AnnouncementStatus.Pending, h.Db(db => db.Set<Announcement>().Single(a => a.Id == (long)other["id"]!).Status));
    }

    [Fact]
    public async Task UpToFiveMessages_SeparatedByALine_ThePreviewIsWhatResidentsGet_LimitsCheckedPerMessage()
    {
        await using var h = await AnnouncementsHost.StartAsync(AnnouncementsHost.MulticastOnly());
        h.AddFriends(0, 2);
        await h.JoinAsync(h.Author);

        var tooMany = await h.SayAsStaffAsync(h.Author, "お知らせを作る\n話題: 防災\n本文: 1\n---\n2\n---\n3\n---\n4\n---\n5\n画像: https://www.city.shiogama.miyagi.jp/a.png");
        Assert.Contains("メッセージが多すぎます（画像を含め5通まで、いまは6通です）", tooMany, StringComparison.Ordinal);
        var partTooLong = await h.SayAsStaffAsync(h.Author, $"お知らせを作る\n話題: 防災\n本文: 短い1通目\n---\n{new string('あ', 5001)}");
        Assert.Contains("2通目が長すぎます（見出しとリンクを含め1通5000文字まで、いまは5001文字です）", partTooLong, StringComparison.Ordinal);
        Assert.Contains("2通目が空です", await h.SayAsStaffAsync(h.Author, "お知らせを作る\n話題: 防災\n本文: 1通目\n---\n---\n3通目"), StringComparison.Ordinal);
        await h.PostAnnouncementAsync(new { topic = "disaster", text = "1\n---\n2\n---\n3\n---\n4\n---\n5\n---\n6", author = h.Author.AadObjectId }, HttpStatusCode.BadRequest);
        Assert.Equal(0, h.Db(db => db.Set<Announcement>().Count()));

        // A line of ー (as a Japanese keyboard types ---) separates too; the link goes under the last message.
        var preview = await h.SayAsStaffAsync(h.Author, """
            お知らせを作る
            話題: 防災
            本文: 避難所を開設しました。
            ---
            持ち物: 飲み物、常備薬
            ーーー
            ペットは同行避難できます。
            リンク: https://www.city.shiogama.miyagi.jp/hinan.html
            画像: https://www.city.shiogama.miyagi.jp/map.png
            """);
        Assert.Contains("2人に届きます", preview, StringComparison.Ordinal);
        var id = h.Db(db => db.Set<Announcement>().Single().Id);
        Assert.Equal(HttpStatusCode.OK, (await h.ApproveAsync(id, h.Approver.AadObjectId)).Status);
        await h.DeliveredAsync(id);

        var call = Assert.Single(h.Line.Multicasts);
        var sent = call.Body!["messages"]!.AsArray();
        Assert.Equal(["text", "text", "text", "image"], sent.Select(m => (string)m!["type"]!));
        Assert.Equal("【防災・災害】塩竈市からのお知らせ\n避難所を開設しました。", (string)sent[0]!["text"]!);
        Assert.Equal("持ち物: 飲み物、常備薬", (string)sent[1]!["text"]!);
        Assert.Equal("ペットは同行避難できます。\nhttps://www.city.shiogama.miyagi.jp/hinan.html", (string)sent[2]!["text"]!);
        Assert.All(sent.Take(3).SelectMany(m => ((string)m!["text"]!).Split('\n')), line => Assert.Contains(line, preview, StringComparison.Ordinal)); // the preview showed each
        Assert.Empty(h.Line.SpecErrors);
    }

    [Fact]
    public async Task ToEveryFriend_OneBroadcastWithItsRetryKey_TheAuthorHearsTheBlocksAfter24Hours_AndTheDashboardCountsThem()
    {
        await using var h = await AnnouncementsHost.StartAsync();
        h.AddFriends(0, 600);
        await h.JoinAsync(h.Author);
        h.Line.Fail("/v2/bot/message/broadcast", 500, times: 1); // retried with the same key

        var created = await h.PostAnnouncementAsync(new { topic = "disaster", text = "大雨警報が出ています。", author = h.Author.AadObjectId });
        Assert.True((bool)created["everyone"]!);
        var id = (long)created["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await h.ApproveAsync(id, h.Approver.AadObjectId)).Status);
        var a = await h.DeliveredAsync(id);

        Assert.Equal((600, 600, 0), (a.Recipients, a.Delivered, a.Failed));
        Assert.Empty(h.Line.Multicasts);
        var calls = h.Line.Broadcasts.ToList();
        Assert.Single(calls, c => c.Status == 200);
        Assert.Single(calls.Select(c => c.RetryKey).Distinct());
        Assert.NotNull(calls[0].RetryKey);
        Assert.Contains("大雨警報が出ています。", calls[0].AllText, StringComparison.Ordinal);
        Assert.Empty(h.Line.SpecErrors);

        // A friend blocks within the day: counted against it; the author hears the figure once the 24 hours are over.
        await h.UnfollowAsync(AnnouncementsHost.ResidentId(7));
        await h.EventuallyAsync(() => h.Db(db => db.Set<Announcement>().Single().UnfollowsAfter) == 1, "the block counted");
        await h.EventuallyAsync(() => h.Proactive(h.Author).Any(x => AnnouncementsHost.Visible(x).Contains("届いた: 600人", StringComparison.Ordinal)), "the author told the result");
        Assert.DoesNotContain(h.Proactive(h.Author), x => AnnouncementsHost.Visible(x).Contains("24時間以内にブロックした人", StringComparison.Ordinal));
        h.App.Clock.Advance(TimeSpan.FromHours(25));
        await h.App.Services.GetRequiredService<AnnouncementJob>().TickAsync(CancellationToken.None);
        await h.EventuallyAsync(() => h.Proactive(h.Author).Any(x => AnnouncementsHost.Visible(x).Contains("24時間以内にブロックした人: 1人", StringComparison.Ordinal)), "the author told the blocks");
        await h.App.Services.GetRequiredService<AnnouncementJob>().TickAsync(CancellationToken.None);
        await h.Staff.WhenSettledAsync();
        Assert.Single(h.Proactive(h.Author), x => AnnouncementsHost.Visible(x).Contains("24時間以内にブロックした人", StringComparison.Ordinal));

        // Per month, on the operations API, the KPI dashboard and in the staff chat.
        var months = await h.Admin().GetFromJsonAsync<JsonArray>("/api/admin/announcements/monthly");
        Assert.Equal(12, months!.Count);
        Assert.Equal(1, months.Sum(m => (int)m!["sent"]!));
        Assert.Equal(1, months.Sum(m => (int)m!["unfollowsAfter"]!));
        var dashboard = await h.Admin().GetStringAsync("/api/admin/kpis/dashboard");
        Assert.Contains("お知らせの月別の配信", dashboard, StringComparison.Ordinal);
        Assert.Contains("<td>600</td>", dashboard, StringComparison.Ordinal);
        Assert.Contains("防災・災害", dashboard[dashboard.IndexOf("announcements-recent", StringComparison.Ordinal)..], StringComparison.Ordinal);
        var monthly = await h.SayAsStaffAsync(h.Author, "お知らせの月別の配信数");
        Assert.Contains("お知らせの月別の配信", monthly, StringComparison.Ordinal);
        Assert.Contains("ブロック", monthly, StringComparison.Ordinal);
        Assert.Contains("お知らせの月別の配信", await h.SayAsStaffAsync(h.Author, "お知らせのあとブロックした人は何人？"), StringComparison.Ordinal);
        Assert.Contains("お知らせの月別の配信", await h.SayAsStaffAsync(h.Author, "今年はお知らせを何通送った？"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmergency_IsMarkedInTheRecord_AndTheApproversHearOfItAtOnce()
    {
        await using var h = await AnnouncementsHost.StartAsync();
        h.AddFriends(0, 2);
        foreach (var s in new[] { h.Duty, h.Approver })
        {
            await h.JoinAsync(s);
        }

        Assert.Contains("2人に送ります", await h.SayAsStaffAsync(h.Duty, "緊急のお知らせ\n話題: 防災\n本文: 津波警報。高台へ。"), StringComparison.Ordinal);
        var a = await h.DeliveredAsync(h.Db(db => db.Set<Announcement>().Single().Id));
        Assert.True(a.Emergency);
        Assert.Single(h.Line.Broadcasts); // every friend: one call
        await h.EventuallyAsync(() => h.Proactive(h.Approver).Any(x => AnnouncementsHost.Visible(x).Contains("【緊急配信】", StringComparison.Ordinal)), "the approvers told");
        Assert.Contains("（緊急）", await h.SayAsStaffAsync(h.Approver, "お知らせの結果"), StringComparison.Ordinal);
    }
}
