using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Line;

public sealed class LineWebhookTests
{
    [Fact]
    public async Task Webhook_WithSignedTextMessage_RepliesWithinSpec()
    {
        await using var host = await LineTestHost.StartAsync();

        await host.SendAsync(LineEvents.Text("メニュー", host.Now, replyToken: "token-menu"));
        await host.WhenSettledAsync();

        var reply = Assert.Single(host.Fake.Replies);
        Assert.Equal("token-menu", (string?)reply.Body!["replyToken"]);
        Assert.Null(reply.RetryKey);
        Assert.Contains("塩竈市の公式LINE", reply.AllText, StringComparison.Ordinal);
        Assert.NotNull(reply.Body["messages"]!.AsArray()[^1]!["quickReply"]);
        Assert.Empty(host.Fake.Pushes);
        Assert.Empty(host.Fake.SpecErrors);
        var stored = Assert.Single(host.Inbox());
        Assert.Equal(InboxStatus.Done, stored.Status);
        Assert.Null(stored.PayloadJson); // the person's words are not kept once answered
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bm90IGEgc2lnbmF0dXJl")]
    [InlineData("wrong-secret")]
    public async Task Webhook_WithMissingOrBadSignature_Returns401AndStoresNothing(string? signature)
    {
        await using var host = await LineTestHost.StartAsync();
        var body = new JsonObject
        {
            ["destination"] = LineTestHost.BotId,
            ["events"] = new JsonArray(LineEvents.Text("こんにちは", host.Now)),
        }.ToJsonString();

        var response = await host.PostAsync(body, signature == "wrong-secret" ? LineTestHost.Sign(body, "another-secret") : signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Inbox());
        Assert.Empty(host.Fake.Calls);
    }

    [Fact]
    public async Task Webhook_WithBodyChangedAfterSigning_Returns401()
    {
        await using var host = await LineTestHost.StartAsync();
        var body = new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray(LineEvents.Text("a", host.Now)) }.ToJsonString();

        var response = await host.PostAsync(body.Replace("\"a\"", "\"b\"", StringComparison.Ordinal), LineTestHost.Sign(body, LineTestHost.Secret));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Inbox());
    }

    [Fact]
    public async Task Webhook_WithPreviousSecretDuringRotation_IsAccepted()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Line:PreviousChannelSecret"] = "old-secret" });
        var body = new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray(LineEvents.Text("メニュー", host.Now)) }.ToJsonString();

        var response = await host.PostAsync(body, LineTestHost.Sign(body, "old-secret"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Inbox());
    }

    [Fact]
    public async Task Webhook_WithEmptyEvents_Returns200()
    {
        await using var host = await LineTestHost.StartAsync();

        var response = await host.PostAsync("""{"destination":"Ufedcba9876543210fedcba9876543210","events":[]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(host.Inbox());
    }

    [Fact]
    public async Task Webhook_WhenChannelHasNoSecret_Returns404()
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();

        var response = await client.PostAsync("/api/line/webhook", new StringContent("""{"events":[]}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_RedeliveredEvent_IsAnsweredOnce()
    {
        await using var host = await LineTestHost.StartAsync();
        var id = LineEvents.NewId();

        await host.SendAsync(LineEvents.Text("メニュー", host.Now, id: id));
        await host.WhenSettledAsync();
        var redelivered = LineEvents.Text("メニュー", host.Now, id: id);
        redelivered["deliveryContext"] = new JsonObject { ["isRedelivery"] = true };
        await host.SendAsync(redelivered);
        await host.SendAsync(LineEvents.Text("メニュー", host.Now, id: id));
        await host.WhenSettledAsync(); // a second stored copy would be answered before this returns

        Assert.Single(host.Inbox());
        Assert.Single(host.Fake.Calls);
    }

    [Fact]
    public async Task Webhook_ConcurrentRequestsWithOverlappingEvents_StoreEachOnceWithItsFields_AndAnswerEachOnce()
    {
        // Requests arriving together are stored in one statement: one already stored, some carried by two
        // requests at once, each of several events. Every event is stored once, whole, and answered once.
        await using var host = await LineTestHost.StartAsync();
        var known = LineEvents.Text("メニュー", host.Now, source: LineEvents.User("U" + new string('0', 32)));
        await host.SendAsync(known);
        await host.WhenSettledAsync();

        var people = Enumerable.Range(1, 12).Select(i => LineEvents.User("U" + i.ToString("D32", System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var events = people.Select(p => LineEvents.Text("こんにちは", host.Now.AddSeconds(1), source: p)).ToList();
        var requests = Enumerable.Range(0, 6).Select(i => new[] { known, events[2 * i], events[2 * i + 1], events[(2 * i + 2) % events.Count] }).ToList();

        // Another connection holds the file's write lock meanwhile, so the requests queue up and share statements.
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(host.Db(db => db.Database.GetConnectionString())).DataSource;
        HttpResponseMessage[] responses;
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await other.OpenAsync();
            await using (var begin = other.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                await begin.ExecuteNonQueryAsync();
            }

            var sending = Task.WhenAll(requests.Select(r => host.SendAsync(r)));
            await Task.Delay(300);
            Assert.False(sending.IsCompleted, "no request is acknowledged before its events are stored");
            await using (var commit = other.CreateCommand())
            {
                commit.CommandText = "COMMIT;";
                await commit.ExecuteNonQueryAsync();
            }

            responses = await sending;
        }

        await host.WhenSettledAsync();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var inbox = host.Inbox();
        Assert.Equal(13, inbox.Count);
        Assert.Equal(13, inbox.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(13, host.Fake.Replies.Count());
        Assert.Empty(host.Fake.Pushes);
        var stored = inbox.Single(e => e.EventId == events[5]["webhookEventId"]!.GetValue<string>());
        Assert.Equal("message", stored.Type);
        Assert.Equal(InboxStatus.Done, stored.Status);
        Assert.Equal(host.Now.AddSeconds(1).ToUnixTimeMilliseconds(), stored.Timestamp.ToUnixTimeMilliseconds());
        Assert.NotEqual(Guid.Empty, stored.RetryKey);
        Assert.False(stored.IsRedelivery);
        Assert.StartsWith("line-", stored.PersonKey ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(people[5]["userId"]!.GetValue<string>(), stored.PersonKey!, StringComparison.Ordinal);
        Assert.Null(stored.PayloadJson); // answered: the words are not kept
        Assert.Equal(13, host.Fake.Replies.Select(r => r.Body!["replyToken"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task Webhook_WithStandbyMode_StoresButDoesNotAnswer()
    {
        await using var host = await LineTestHost.StartAsync();
        var standby = LineEvents.Text("メニュー", host.Now);
        standby["mode"] = "standby";

        await host.SendAsync(standby);
        await host.WhenSettledAsync();

        var stored = Assert.Single(host.Inbox());
        Assert.Equal(InboxStatus.Skipped, stored.Status);
        Assert.Empty(host.Fake.Calls);
    }

    [Fact]
    public async Task Webhook_ForAnotherDestination_IsIgnored()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Line:Destination"] = "U00000000000000000000000000000000" });

        await host.SendAsync(LineEvents.Text("メニュー", host.Now));

        Assert.Empty(host.Inbox());
    }

    [Fact]
    public async Task Webhook_WithUnknownTypesAndFields_IsStoredAndSkipped()
    {
        await using var host = await LineTestHost.StartAsync();
        var future = LineEvents.Base("somethingNew", host.Now);
        future["somethingNew"] = new JsonObject { ["x"] = 1 };
        var text = LineEvents.Text("メニュー", host.Now);
        text["brandNewField"] = new JsonArray(1, 2);
        text["message"]!["alsoNew"] = true;
        var body = new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray(future, text) }.ToJsonString();

        var response = await host.PostAsync(body);
        await host.WhenSettledAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = host.Inbox();
        Assert.Equal(2, rows.Count);
        Assert.Equal(InboxStatus.Skipped, rows.Single(r => r.Type == "somethingNew").Status);
        Assert.Single(host.Fake.Replies);
    }

    [Fact]
    public async Task Webhook_FromGroup_RepliesThatTheBotWorksOneToOne()
    {
        await using var host = await LineTestHost.StartAsync();
        var group = new JsonObject { ["type"] = "group", ["groupId"] = "Ca56f94637c0123456789abcdef01234", ["userId"] = LineTestHost.UserId };

        await host.SendAsync(LineEvents.Text("こんにちは", host.Now, source: group));
        await host.WhenSettledAsync();

        var reply = Assert.Single(host.Fake.Replies);
        Assert.Contains("1対1", reply.AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.Pushes);
        Assert.Empty(host.Db(db => db.Set<LineUser>().ToList()));
    }

    [Fact]
    public async Task Webhook_WithSticker_AnswersKindlyWithTheMenu()
    {
        await using var host = await LineTestHost.StartAsync();

        await host.SendAsync(LineEvents.Sticker(host.Now));
        await host.WhenSettledAsync();

        var reply = Assert.Single(host.Fake.Replies);
        Assert.Contains("スタンプ", reply.AllText, StringComparison.Ordinal);
        Assert.Contains("スマホ教室", reply.AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task Follow_GreetsWithMenuAndRemembersTheUser()
    {
        await using var host = await LineTestHost.StartAsync();

        await host.SendAsync(LineEvents.Follow(host.Now));
        await host.WhenSettledAsync();

        var reply = Assert.Single(host.Fake.Replies);
        Assert.Contains("友だち追加ありがとうございます", reply.AllText, StringComparison.Ordinal);
        Assert.Contains("オンライン手続き", reply.AllText, StringComparison.Ordinal);
        var user = Assert.Single(host.Db(db => db.Set<LineUser>().ToList()));
        Assert.Equal(LineTestHost.UserId, user.LineUserId);
        Assert.Equal(host.UserKey, user.UserKey);
        Assert.True(user.Following);
    }

    [Fact]
    public async Task Unfollow_ErasesThePersonsData()
    {
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Follow(host.Now));
        await host.SendAsync(LineEvents.Text("ぬるぽがっ", host.Now.AddSeconds(1), replyToken: "t2")); // kept as an unanswered question
        await host.WhenSettledAsync();
        Assert.Equal(1, host.Db(db => db.Set<UnansweredQuestion>().Count(q => q.UserKey == host.UserKey)));

        await host.SendAsync(LineEvents.Unfollow(host.Now.AddSeconds(2)));
        await host.WhenSettledAsync();

        var user = Assert.Single(host.Db(db => db.Set<LineUser>().ToList()));
        Assert.Null(user.LineUserId);
        Assert.False(user.Following);
        Assert.Equal(0, host.Db(db => db.Set<UnansweredQuestion>().Count(q => q.UserKey == host.UserKey)));
        Assert.All(host.Inbox(), e => Assert.Null(e.PayloadJson));
    }

    [Fact]
    public async Task HandledEvents_AreDeletedAfterThirtyDays_PendingOnesAreKept()
    {
        await using var host = await LineTestHost.StartAsync();
        await host.SendAsync(LineEvents.Text("メニュー", host.Now));
        await host.WhenSettledAsync();

        host.App.Clock.Advance(TimeSpan.FromDays(31));
        await host.EventuallyAsync(() => host.Inbox().Count == 0, advanceBy: TimeSpan.FromSeconds(1), because: "old handled events deleted");
    }

    [Fact]
    public async Task Events_OfOnePerson_AreAnsweredInTimestampOrder()
    {
        await using var host = await LineTestHost.StartAsync();
        var later = LineEvents.Text("お問い合わせ", host.Now.AddSeconds(2), replyToken: "second");
        var earlier = LineEvents.Text("メニュー", host.Now.AddSeconds(1), replyToken: "first");
        var body = new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray(later, earlier) }.ToJsonString();

        await host.PostAsync(body);
        await host.WhenSettledAsync();

        Assert.Equal(new[] { "first", "second" }, host.Fake.Replies.Select(r => (string)r.Body!["replyToken"]!).ToArray());
    }

    [Fact]
    public async Task Webhook_StoresEventBeforeAnswering_EvenWhenLineIsDown()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Line:MaxRetries"] = "0" });
        // The reply's 500 may have arrived: its token is asked once more (500 again), then the answer is pushed.
        host.Fake.Fail("/v2/bot/message/reply", 500, times: 2);
        host.Fake.Fail("/v2/bot/message/push", 500);

        var response = await host.SendAsync(LineEvents.Text("メニュー", host.Now));
        await host.EventuallyAsync(() => host.Inbox().Single().Attempts == 1, because: "a failed push counted");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = host.Inbox().Single();
        Assert.Equal(InboxStatus.Pending, stored.Status);
        Assert.NotNull(stored.RepliesJson);
        Assert.Equal(stored.RetryKey.ToString("D"), host.Fake.Pushes.Single().RetryKey);

        await host.WhenSettledAsync(advanceBy: TimeSpan.FromSeconds(1));
        Assert.Equal(2, host.Fake.Pushes.Count());
        Assert.Equal(InboxStatus.Done, host.Inbox().Single().Status);
    }
}
