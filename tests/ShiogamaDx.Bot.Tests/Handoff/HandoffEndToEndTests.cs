using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Handoff;
using ShiogamaDx.Bot.Tests.Line;

namespace ShiogamaDx.Bot.Tests.Handoff;

/// <summary>A resident on LINE and a staff member in the staff chat, through the bot, on the real protocols (fakes on loopback).</summary>
public sealed class HandoffEndToEndTests
{
    [Fact]
    public async Task ResidentAsks_StaffClaims_ThreeMessagesEachWay_Close_RatingStored()
    {
        await using var h = await HandoffHarness.StartAsync(new() { ["Admin:ApiKey"] = "ops-key" });
        await h.StaffSaysAsync(HandoffHarness.Yamada, "こんにちは"); // the personal chat the resident's words will reach
        h.Drain();

        await h.ResidentSaysAsync("職員と話したい");
        Assert.Contains("担当者がお答えします", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        await h.ResidentSaysAsync("児童手当の申請に必要な書類を教えてください");
        Assert.Contains("ご相談を受け付けました", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);

        // The request card, posted on its own to each office conversation: the pseudonym, the question, 対応する.
        await h.DeliverAsync();
        var cards = await h.ReceivedAsync(2);
        Assert.Equal([HandoffHarness.Office, HandoffHarness.Welfare], cards.Select(c => c.Conversation()).Order(StringComparer.Ordinal));
        Assert.All(cards, c =>
        {
            Assert.Equal("POST", c.Method);
            Assert.Contains("住民 A01", c.Text(), StringComparison.Ordinal);
            Assert.Contains("児童手当の申請に必要な書類", c.Text(), StringComparison.Ordinal);
            Assert.Contains("推定の話題: 児童手当の申請（認定請求）", c.Text(), StringComparison.Ordinal); // the catalog's procedure the bot would have answered
            Assert.DoesNotContain(LineTestHost.UserId, c.Text(), StringComparison.Ordinal);
            Assert.Equal("Action.Submit", (string?)c.Activity["attachments"]![0]!["content"]!["actions"]![0]!["type"]);
        });
        var office = cards.Single(c => c.Conversation() == HandoffHarness.Office);

        // Claimed from the office channel, as Teams sends an Action.Submit.
        await h.StaffPressesAsync(HandoffHarness.Yamada, HandoffHarness.Office, office.Action("対応")!, (string?)office.Activity["id"]);
        await h.DeliverAsync();
        var afterClaim = await h.ReceivedAsync(3);
        var updates = afterClaim.Where(a => a.Method == "PUT").ToList();
        Assert.Equal(2, updates.Count); // the card of each conversation, updated for everyone
        Assert.All(updates, u => Assert.Contains("山田 太郎さんが対応中", u.Text(), StringComparison.Ordinal));
        Assert.All(updates, u => Assert.Null(u.Action("対応")));
        var cardIds = h.Outbox().Where(m => m.Address is not null && m.ReplacesKey is null).Select(m => "/activities/" + m.SentId).ToList();
        Assert.Equal(cardIds.Order(StringComparer.Ordinal), updates.Select(u => u.RawTarget[u.RawTarget.LastIndexOf("/activities/", StringComparison.Ordinal)..]).Order(StringComparer.Ordinal));
        var briefing = afterClaim.Single(a => a.Method == "POST");
        Assert.Equal(HandoffHarness.Yamada.PersonalConversation, briefing.Conversation());
        Assert.Contains("児童手当の申請に必要な書類", briefing.Text(), StringComparison.Ordinal);
        var connected = h.Line.Fake.Pushes.Last();
        Assert.Contains("市の担当者がおつなぎしました", connected.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("山田", connected.AllText, StringComparison.Ordinal); // names hidden by default

        // Three messages each way.
        var repliesBefore = h.Line.Fake.Replies.Count();
        string[] fromStaff = ["ご連絡ありがとうございます。", "申請書と本人確認書類が必要です。", "ほかにご不明な点はありますか。"];
        string[] fromResident = ["ありがとうございます", "マイナンバーカードでいいですか", "わかりました"];
        for (var i = 0; i < 3; i++)
        {
            await h.StaffSaysAsync(HandoffHarness.Yamada, fromStaff[i]);
            await h.DeliverAsync();
            Assert.Contains("市の担当者: " + fromStaff[i], h.Line.Fake.Pushes.Last().AllText, StringComparison.Ordinal);

            await h.ResidentSaysAsync(fromResident[i]);
            await h.DeliverAsync();
            var relayed = await h.ReceivedAsync(1);
            Assert.Equal("住民 A01: " + fromResident[i], (string?)Assert.Single(relayed).Activity["text"]);
            Assert.Equal(HandoffHarness.Yamada.PersonalConversation, relayed[0].Conversation());
        }

        Assert.Equal(repliesBefore, h.Line.Fake.Replies.Count()); // the bot itself said nothing meanwhile

        // The resident ends it, and rates it by typing the number.
        await h.ResidentSaysAsync("終了");
        Assert.Contains("役に立ちましたか", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        await h.DeliverAsync();
        var closed = await h.ReceivedAsync(3);
        Assert.Contains(closed, a => a.Method == "POST" && a.Text().Contains("住民 A01 が相談を終了しました", StringComparison.Ordinal));
        Assert.Equal(2, closed.Count(a => a.Method == "PUT" && a.Text().Contains("対応終了", StringComparison.Ordinal)));
        await h.ResidentSaysAsync("4");

        var record = Assert.Single(h.Cases());
        Assert.Equal((HandoffStatus.Closed, 4, "resident", 4, 3), (record.Status, record.Rating, record.ClosedBy, record.ResidentMessages, record.StaffMessages));
        Assert.Equal(7, h.Line.Db(db => db.Set<HandoffMessage>().Count()));

        // Every push carried a retry key of its own; every body matched LINE's OpenAPI document.
        var keys = h.Line.Fake.Pushes.Select(p => p.RetryKey).ToList();
        Assert.All(keys, Assert.NotNull);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Empty(h.Line.Fake.SpecErrors);

        // The bot is back.
        await h.ResidentSaysAsync("メニュー");
        Assert.Contains("ご用件を選んでください", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);

        // The office's figures: this month one request, answered, claimed at once, rated 4.
        h.Drain();
        await h.StaffSaysAsync(HandoffHarness.Yamada, "有人対応の実績");
        var figures = (await h.ReceivedAsync(1)).Single().Text();
        Assert.Contains("2026年11月 | 1 | 100% | 0分 | 4.0（1件）", figures, StringComparison.Ordinal);
        Assert.Contains("2026年6月 | 0 | ― | ― | ―", figures, StringComparison.Ordinal);

        // The same figures on the KPI dashboard, below the plan's KPIs.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/kpis/dashboard");
        request.Headers.Add("X-Api-Key", "ops-key");
        var page = await (await h.Line.Client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("<h2 id=\"handoff-monthly\">有人対応の実績（直近6か月）</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">2026年11月</th><td>1</td><td>100%</td><td>0分</td><td>4.0（1件）</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongConsultation_UpToLinesLimitOfOneMessage_ReachesStaffWhole_AndIsKeptWhole()
    {
        await using var h = await HandoffHarness.StartAsync();
        await h.StaffSaysAsync(HandoffHarness.Yamada, "こんにちは");
        h.Drain();
        await h.ResidentSaysAsync("職員と話したい");

        // LINE takes up to 5,000 characters in one text message; the bot reads only the first 2,000 for matching.
        var question = "父の介護保険の申請について相談です。" + new string('あ', 3000) + "最後まで読んでください。";
        await h.ResidentSaysAsync(question);
        await h.DeliverAsync();
        var office = (await h.ReceivedAsync(2)).Single(c => c.Conversation() == HandoffHarness.Office);
        Assert.Contains("最後まで読んでください。", office.Text(), StringComparison.Ordinal);

        await h.StaffPressesAsync(HandoffHarness.Yamada, HandoffHarness.Office, office.Action("対応")!, (string?)office.Activity["id"]);
        await h.DeliverAsync();
        await h.ReceivedAsync(3);
        var more = new string('い', 4900) + "おわり";
        await h.ResidentSaysAsync(more);
        await h.DeliverAsync();

        Assert.Equal("住民 A01: " + more, (string?)Assert.Single(await h.ReceivedAsync(1)).Activity["text"]);
        Assert.Equal([question, more], h.Line.Db(db => db.Set<HandoffMessage>().Where(m => m.From == "resident").OrderBy(m => m.Id).Select(m => m.Text).ToList()));
    }

    [Fact]
    public async Task TwoStaffClaimAtOnce_OneWins_TheOtherIsTold_ResidentHearsOnce()
    {
        await using var h = await HandoffHarness.StartAsync();
        await h.StaffSaysAsync(HandoffHarness.Yamada, "こんにちは");
        await h.StaffSaysAsync(HandoffHarness.Sato, "こんにちは");
        await h.ResidentSaysAsync("担当の人に聞きたい");
        await h.ResidentSaysAsync("ごみの出し方について相談したいです");
        await h.DeliverAsync();
        h.Drain();
        var cards = h.Outbox().Where(m => m.Address is not null).ToList();
        Assert.Equal(2, cards.Count);
        var sent = h.Connector.All.Where(a => a.Method == "POST" && a.Action("対応") is not null).ToList();

        // From the two conversations at once: two people of the inbox, answered in parallel.
        await Task.WhenAll(
            h.StaffPressesAsync(HandoffHarness.Yamada, HandoffHarness.Office, sent.First(a => a.Conversation() == HandoffHarness.Office).Action("対応")!, null),
            h.StaffPressesAsync(HandoffHarness.Sato, HandoffHarness.Welfare, sent.First(a => a.Conversation() == HandoffHarness.Welfare).Action("対応")!, null));
        await h.DeliverAsync();

        var claimed = Assert.Single(h.Cases());
        Assert.Equal(HandoffStatus.Claimed, claimed.Status);
        var winner = claimed.ClaimedByName == HandoffHarness.Yamada.Name ? HandoffHarness.Yamada : HandoffHarness.Sato;
        var loser = winner == HandoffHarness.Yamada ? HandoffHarness.Sato : HandoffHarness.Yamada;
        var all = h.Connector.All.ToList();
        Assert.Contains(all, a => a.Text().Contains($"すでに{winner.Name}さんが対応しています", StringComparison.Ordinal) && a.Conversation().StartsWith(loser == HandoffHarness.Yamada ? HandoffHarness.Office : HandoffHarness.Welfare, StringComparison.Ordinal));
        Assert.Single(all, a => a.Text().Contains("の相談を担当します", StringComparison.Ordinal) && a.Conversation() == winner.PersonalConversation);
        Assert.Single(h.Line.Fake.Pushes, p => p.AllText.Contains("おつなぎしました", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SomeoneNotInHandoffStaff_CannotClaim()
    {
        await using var h = await HandoffHarness.StartAsync();
        await h.StaffSaysAsync(HandoffHarness.Stranger, "こんにちは");
        await h.ResidentSaysAsync("職員に相談する");
        await h.ResidentSaysAsync("道路の穴について");
        await h.DeliverAsync();
        var card = h.Connector.All.First(a => a.Action("対応") is not null);
        h.Drain();

        await h.StaffPressesAsync(HandoffHarness.Stranger, HandoffHarness.Office, card.Action("対応")!, null);

        Assert.Contains(h.Connector.All, a => a.Text().Contains("Handoff:Staff", StringComparison.Ordinal));
        Assert.Equal(HandoffStatus.Waiting, Assert.Single(h.Cases()).Status);
    }

    [Fact]
    public async Task Unclaimed_PastTheTimeout_ResidentIsToldWithThePhoneNumber_Once_AndItStaysInTheQueue()
    {
        await using var h = await HandoffHarness.StartAsync();
        await h.ResidentSaysAsync("職員と話したい");
        await h.ResidentSaysAsync("介護保険の手続きを相談したい");
        var jobs = h.App.Services.GetRequiredService<HandoffJobs>();

        h.App.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(0, (await jobs.TickAsync(CancellationToken.None)).TimedOut);
        h.App.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await jobs.TickAsync(CancellationToken.None)).TimedOut);
        Assert.Equal(0, (await jobs.TickAsync(CancellationToken.None)).TimedOut);
        await h.DeliverAsync();

        var told = Assert.Single(h.Line.Fake.Pushes, p => p.AllText.Contains("つながりにくく", StringComparison.Ordinal));
        Assert.Contains("022-355-5284", told.AllText, StringComparison.Ordinal);
        Assert.NotNull(told.RetryKey);
        var waiting = Assert.Single(h.Cases());
        Assert.Equal(HandoffStatus.Waiting, waiting.Status);
        Assert.NotNull(waiting.TimedOutAt);
    }

    [Fact]
    public async Task OutsideOfficeHours_RequestIsPostedMarked時間外_AndResidentIsToldWhen()
    {
        // Saturday 28 November 2026, 10:00 in Shiogama: the office opens on Monday at 8:30.
        await using var h = await HandoffHarness.StartAsync(now: new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(9)));
        await h.ResidentSaysAsync("職員と話したい");
        Assert.Contains("11月30日(月) 8:30以降", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        await h.ResidentSaysAsync("住民票の写しについて");
        Assert.Contains("11月30日(月) 8:30以降", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        await h.DeliverAsync();

        Assert.All(await h.ReceivedAsync(2), c => Assert.Contains("【時間外】住民 A01 からの相談", c.Text(), StringComparison.Ordinal));

        // The claim timeout counts office time only: Monday 8:30 plus 15 minutes.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 45, 0, TimeSpan.FromHours(9)), Assert.Single(h.Cases()).ClaimDueAt);
    }

    [Fact]
    public async Task TwoAnswersNotUnderstoodInARow_OfferAPerson()
    {
        await using var h = await HandoffHarness.StartAsync();
        await h.ResidentSaysAsync("ふわふわのもこもこ");
        Assert.DoesNotContain("市の担当者に相談しますか", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        await h.ResidentSaysAsync("ぴよぴよのぽよぽよ");
        Assert.Contains("市の担当者に相談しますか", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);

        await h.ResidentSaysAsync("1"); // the offer's first choice, typed
        Assert.Contains("ご相談の内容を、1つのメッセージでお送りください", h.Line.Fake.Replies.Last().AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResidentWhoBlocksTheAccount_TheirHandoffIsErased()
    {
        await using var h = await HandoffHarness.StartAsync();
        await h.ResidentSaysAsync("職員と話したい");
        await h.ResidentSaysAsync("税金の相談です");
        Assert.Single(h.Cases());

        await h.Line.SendAsync(LineEvents.Unfollow(h.Line.Now));
        await h.SettledAsync();

        Assert.Empty(h.Cases());
        Assert.Equal(0, h.Line.Db(db => db.Set<HandoffMessage>().Count()));
    }

    [Fact]
    public async Task HandoffOff_ResidentGetsThePhoneNumber()
    {
        await using var line = await LineTestHost.StartAsync();
        await line.SendAsync(LineEvents.Text("職員と話したい", line.Now));
        await line.WhenSettledAsync();

        Assert.Contains("022-355-5284", line.Fake.Replies.Last().AllText, StringComparison.Ordinal);
        Assert.Equal(0, line.Db(db => db.Set<HandoffCase>().Count()));
    }
}
