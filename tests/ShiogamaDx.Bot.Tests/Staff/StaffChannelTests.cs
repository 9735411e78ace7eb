using System.Net;
using Microsoft.AspNetCore.Hosting;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Staff;

namespace ShiogamaDx.Bot.Tests.Staff;

public sealed class StaffChannelTests
{
    private static readonly string EscapedConversation = Uri.EscapeDataString(StaffHarness.ConversationId);

    [Fact]
    public async Task Message_WithValidToken_RepliesToTheActivity_WithSwappedAccountsAndToken()
    {
        await using var h = await StaffHarness.StartAsync();

        var response = await h.PostAsync(h.Message("メニュー"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var greeting = await h.Connector.NextAsync();
        var menu = await h.Connector.NextAsync();
        Assert.Equal($"/amer/v3/conversations/{EscapedConversation}/activities/f%3Aact%7C1", greeting.RawTarget);
        Assert.Equal("message", greeting.Type);
        Assert.Equal("f:act|1", (string?)greeting.Activity["replyToId"]);
        Assert.Equal(StaffHarness.BotId, (string?)greeting.Activity["from"]!["id"]);
        Assert.Equal(StaffHarness.UserId, (string?)greeting.Activity["recipient"]!["id"]);
        Assert.Equal(StaffHarness.ConversationId, (string?)greeting.Activity["conversation"]!["id"]);
        Assert.Contains("KPI", (string?)greeting.Activity["text"], StringComparison.Ordinal);
        Assert.Equal("Bearer access-token-1", greeting.Authorization);

        var card = menu.Activity["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)card["contentType"]);
        Assert.Equal("1.5", (string?)card["content"]!["version"]);
        var labels = card["content"]!["actions"]!.AsArray().Select(a => (string?)a!["title"]).ToList();
        Assert.Contains("KPI一覧", labels);
        Assert.Contains("1. KPI一覧", (string?)card["content"]!["fallbackText"], StringComparison.Ordinal);
        Assert.Null(menu.Activity["suggestedActions"]); // Teams would show them beside the card's buttons

        var tokenRequest = Assert.Single(h.Identity.TokenRequests);
        Assert.Equal("client_credentials", tokenRequest["grant_type"]);
        Assert.Equal(StaffHarness.AppId, tokenRequest["client_id"]);
        Assert.Equal("test-app-password", tokenRequest["client_secret"]);
        Assert.Equal("https://api.botframework.com/.default", tokenRequest["scope"]);
        Assert.Equal("botframework.com", tokenRequest["tenant"]);
    }

    [Fact]
    public async Task Message_SignedWithANewKey_RefreshesTheKeys_AndIsAccepted()
    {
        await using var h = await StaffHarness.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(h.Message("お問い合わせ", id: "first"))).StatusCode);
        await h.Connector.NextAsync();
        Assert.Equal(1, h.Identity.KeysRequests);
        await h.WhenSettledAsync();

        using var rotated = new TestSigningKey("key-2", "msteams");
        h.Identity.Publish(rotated);
        h.App.Clock.Advance(TimeSpan.FromMinutes(2));

        var response = await h.PostAsync(h.Message("お問い合わせ", id: "second"), h.Token(rotated));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("second", (string?)(await h.Connector.NextAsync()).Activity["replyToId"]);
        Assert.Equal(2, h.Identity.KeysRequests);

        // Known keys are served from the cache, and reloaded once they are older than half a day.
        await h.PostAsync(h.Message("お問い合わせ", id: "third"));
        await h.Connector.NextAsync();
        Assert.Equal(2, h.Identity.KeysRequests);
        await h.WhenSettledAsync();
        h.App.Clock.Advance(TimeSpan.FromHours(13));
        await h.PostAsync(h.Message("お問い合わせ", id: "fourth"));
        await h.Connector.NextAsync();
        Assert.Equal(3, h.Identity.MetadataRequests);
    }

    [Fact]
    public async Task SingleTenantApp_AcceptsTheTenantsEntraIssuer_AndGetsItsTokenFromTheTenant()
    {
        // Token endpoint derived from the authority (the fake) and the tenant, as in production.
        await using var single = await StaffHarness.StartAsync(authorityFromIdentity: true, settings: new()
        {
            ["Staff:MicrosoftAppTenantId"] = StaffHarness.TenantId,
            ["Staff:TokenEndpoint"] = null,
        });
        var token = single.Key.CreateToken($"https://login.microsoftonline.com/{StaffHarness.TenantId}/v2.0", StaffHarness.AppId, single.ServiceUrl, single.App.Clock.GetUtcNow());

        Assert.Equal(HttpStatusCode.OK, (await single.PostAsync(single.Message("お問い合わせ"), token)).StatusCode);
        Assert.Contains("022-355-5284", (string?)(await single.Connector.NextAsync()).Activity["text"], StringComparison.Ordinal);
        Assert.Equal(1, single.Identity.EntraMetadataRequests);
        Assert.Equal(StaffHarness.TenantId, Assert.Single(single.Identity.TokenRequests)["tenant"]);

        // Another tenant's issuer is not accepted.
        var other = single.Key.CreateToken("https://login.microsoftonline.com/another-tenant/v2.0", StaffHarness.AppId, single.ServiceUrl, single.App.Clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.Unauthorized, (await single.PostAsync(single.Message("お問い合わせ"), other)).StatusCode);
    }

    [Fact]
    public async Task Message_FromAnotherTenant_IsRefusedKindly_AndNotRouted()
    {
        await using var h = await StaffHarness.StartAsync(new() { ["Staff:AllowedTenantIds:0"] = StaffHarness.TenantId });
        var stranger = h.Message("お問い合わせ", id: "stranger");
        stranger["conversation"]!["tenantId"] = "another-tenant";
        stranger["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "another-tenant" } };

        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(stranger)).StatusCode);

        var reply = await h.Connector.NextAsync();
        Assert.Equal("stranger", (string?)reply.Activity["replyToId"]);
        Assert.Contains("職員専用", (string?)reply.Activity["text"], StringComparison.Ordinal);
        Assert.Equal(0, WithDb(h, db => db.Set<StaffConversationReference>().Count()));
    }

    [Fact]
    public async Task AllowUnauthenticated_WithoutAppId_AcceptsUnsignedActivities_AndSendsNoToken()
    {
        await using var h = await StaffHarness.StartAsync(new() { ["Staff:AllowUnauthenticated"] = "true" }, authenticated: false);

        var response = await h.PostAsync(h.Message("お問い合わせ", channelId: "emulator"), token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await h.Connector.NextAsync();
        Assert.Contains("022-355-5284", (string?)reply.Activity["text"], StringComparison.Ordinal);
        Assert.Null(reply.Authorization);
        Assert.Empty(h.Identity.TokenRequests);
    }

    [Fact]
    public async Task AllowUnauthenticated_InProduction_RefusesToStart()
    {
        var validator = new StaffOptionsValidator(new TestEnvironment("Production"));
        var refused = validator.Validate(null, new StaffOptions { AllowUnauthenticated = true });
        Assert.True(refused.Failed);
        Assert.Contains("Production", refused.FailureMessage, StringComparison.Ordinal);
        Assert.True(new StaffOptionsValidator(new TestEnvironment("Development")).Validate(null, new StaffOptions { AllowUnauthenticated = true }).Succeeded);

        await using var app = new Infrastructure.BotApplication(new Dictionary<string, string?> { ["Staff:AllowUnauthenticated"] = "true" });
        await using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        var error = Assert.ThrowsAny<Exception>(() => production.CreateClient());
        Assert.Contains("AllowUnauthenticated", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Channel_WithoutCredentials_IsOff()
    {
        await using var h = await StaffHarness.StartAsync(authenticated: false);

        var response = await h.PostAsync(h.Message("お問い合わせ"), token: null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ConversationUpdate_MemberAdded_GreetsWithTheMenu_AndStoresTheReference()
    {
        await using var h = await StaffHarness.StartAsync();
        var update = h.Base("conversationUpdate", id: "f:update-1");
        update["membersAdded"] = new JsonArray(
            new JsonObject { ["id"] = StaffHarness.BotId },
            new JsonObject { ["id"] = StaffHarness.UserId, ["aadObjectId"] = StaffHarness.AadObjectId });

        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(update)).StatusCode);

        var greeting = await h.Connector.NextAsync();
        var menu = await h.Connector.NextAsync();
        Assert.Equal($"/amer/v3/conversations/{EscapedConversation}/activities", greeting.RawTarget);
        Assert.Contains("DX推進プラン", (string?)greeting.Activity["text"], StringComparison.Ordinal);
        Assert.Equal(StaffHarness.UserId, (string?)greeting.Activity["recipient"]!["id"]);
        Assert.NotNull(menu.Activity["attachments"]);

        var keys = h.Services.GetRequiredService<PrivacyKeys>();
        var reference = WithDb(h, db => db.Set<StaffConversationReference>().AsNoTracking().Single());
        Assert.Equal(keys.Pseudonymize("staff", StaffHarness.AadObjectId), reference.UserKey);
        Assert.Equal(h.ServiceUrl, reference.ServiceUrl);
        Assert.Equal(StaffHarness.ConversationId, reference.ConversationId);
        Assert.Equal(StaffHarness.BotId, reference.BotId);
        Assert.Equal("しおがまDX", reference.BotName);
        Assert.Equal(StaffHarness.UserId, reference.UserId);
        Assert.Equal(StaffHarness.TenantId, reference.TenantId);
        Assert.Equal("msteams", reference.ChannelId);

        // Typing the number of a greeting's choice answers it.
        await h.PostAsync(h.Message("4", id: "f:act-2"));
        Assert.Contains("022-355-5284", (string?)(await h.Connector.NextAsync()).Activity["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConversationUpdate_InAGroup_GreetsOnceWhenTheBotArrives_AndStoresNoPersonalReference()
    {
        await using var h = await StaffHarness.StartAsync();
        JsonObject GroupUpdate(string id, params string[] added)
        {
            var update = h.Base("conversationUpdate", id: id);
            update["conversation"] = new JsonObject { ["isGroup"] = true, ["conversationType"] = "groupChat", ["tenantId"] = StaffHarness.TenantId, ["id"] = "19:group@thread.v2" };
            update["membersAdded"] = new JsonArray(added.Select(m => (JsonNode)new JsonObject { ["id"] = m }).ToArray());
            return update;
        }

        await h.PostAsync(GroupUpdate("f:colleague", "29:colleague"));
        await h.PostAsync(h.Message("お問い合わせ", id: "probe"));
        Assert.Equal("probe", (string?)(await h.Connector.NextAsync()).Activity["replyToId"]);

        await h.PostAsync(GroupUpdate("f:bot", StaffHarness.BotId));
        var greeting = await h.Connector.NextAsync();
        Assert.Equal("/amer/v3/conversations/19%3Agroup%40thread.v2/activities", greeting.RawTarget);
        Assert.Contains("DX推進プラン", (string?)greeting.Activity["text"], StringComparison.Ordinal);
        Assert.DoesNotContain(WithDb(h, db => db.Set<StaffConversationReference>().Select(r => r.ConversationId).ToList()), c => c.StartsWith("19:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_AdaptiveCardAction_AnswersWithACardInTheResponse()
    {
        await using var h = await StaffHarness.StartAsync();
        var invoke = h.Base("invoke", id: "f:invoke-1");
        invoke["name"] = "adaptiveCard/action";
        invoke["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "answer", ["data"] = new JsonObject { ["text"] = "お問い合わせ" } },
            ["trigger"] = "manual",
        };

        var response = await h.PostAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, (int)body["statusCode"]!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)body["type"]);
        Assert.Equal("AdaptiveCard", (string?)body["value"]!["type"]);
        Assert.Contains("022-355-5284", body["value"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_NotHandled_Returns501()
    {
        await using var h = await StaffHarness.StartAsync();
        var invoke = h.Base("invoke", id: "f:invoke-2");
        invoke["name"] = "composeExtension/query";
        invoke["value"] = new JsonObject { ["commandId"] = "search" };

        Assert.Equal(HttpStatusCode.NotImplemented, (await h.PostAsync(invoke)).StatusCode);
    }

    [Fact]
    public async Task OtherActivityTypes_AndUnknownFields_AreAcceptedAndIgnored()
    {
        await using var h = await StaffHarness.StartAsync();
        var reaction = h.Base("messageReaction", id: "f:reaction");
        reaction["reactionsAdded"] = new JsonArray(new JsonObject { ["type"] = "like" });
        reaction["somethingNew"] = new JsonObject { ["nested"] = new JsonArray(1, 2, 3) };

        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(reaction)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(h.Base("typing", id: "f:typing"))).StatusCode);
        await AssertNothingWasProcessedAsync(h);
    }

    [Fact]
    public async Task CardSubmit_WithSignedPostback_ReachesTheHandler_WithItsFields()
    {
        await using var h = await StaffHarness.StartAsync(services: s => s.AddSingleton<IIntentHandler, EchoHandler>());
        var keys = h.Services.GetRequiredService<PrivacyKeys>();
        var signed = Postback.Sign(Postback.Create(EchoHandler.HandlerName, "pick", ("id", "7")), keys.PostbackKey);
        var value = new JsonObject
        {
            ["postback"] = signed,
            ["comment"] = "わかりやすい",
            ["msteams"] = new JsonObject { ["type"] = "messageBack" },
        };

        await h.PostAsync(h.Message(null, value: value));
        Assert.Equal("echo pick 7 わかりやすい", (string?)(await h.Connector.NextAsync()).Activity["text"]);

        // A forged postback never reaches the handler.
        await h.PostAsync(h.Message(null, id: "f:forged", value: new JsonObject { ["postback"] = Postback.Create(EchoHandler.HandlerName, "pick", ("id", "8")) + "&sig=AAAAAAAAAAAA" }));
        Assert.Contains("このボタンは使えなくなりました", (string?)(await h.Connector.NextAsync()).Activity["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboundToken_IsCached_AndNeverSentToAHostOffTheAllowList()
    {
        await using var h = await StaffHarness.StartAsync();
        await h.PostAsync(h.Message("お問い合わせ", id: "one"));
        var first = await h.Connector.NextAsync();
        await h.PostAsync(h.Message("お問い合わせ", id: "two"));
        var second = await h.Connector.NextAsync();
        Assert.Equal("Bearer access-token-1", first.Authorization);
        Assert.Equal(first.Authorization, second.Authorization);
        Assert.Single(h.Identity.TokenRequests);
        await h.WhenSettledAsync();

        // Renewed shortly before it expires (3600 s).
        h.App.Clock.Advance(TimeSpan.FromMinutes(56));
        await h.PostAsync(h.Message("お問い合わせ", id: "three"));
        Assert.Equal("Bearer access-token-2", (await h.Connector.NextAsync()).Authorization);

        // The same connector under a host name that is not allowed: answered, but without the bot's token.
        var elsewhere = h.ServiceUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(h.Message("お問い合わせ", id: "four", serviceUrl: elsewhere))).StatusCode);
        var unlisted = await h.Connector.NextAsync();
        Assert.Equal("four", (string?)unlisted.Activity["replyToId"]);
        Assert.Null(unlisted.Authorization);
    }

    [Fact]
    public async Task Outbox_StaffMessage_IsDeliveredToTheStoredConversation_AsSoonAsItIsCommitted()
    {
        // The fake clock stands, so the worker's 15-second poll never comes: the commit itself wakes it.
        await using var h = await StaffHarness.StartAsync();
        await h.PostAsync(h.Message("お問い合わせ", id: "hello"));
        await h.Connector.NextAsync();
        var keys = h.Services.GetRequiredService<PrivacyKeys>();
        var userKey = keys.Pseudonymize("staff", StaffHarness.AadObjectId);

        await using (var scope = h.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            await outbox.AddAsync("staff", userKey, [new TextReply("研修アンケートにご協力ください。"), new ChoicesReply("理解できましたか", [new Choice("はい"), new Choice("いいえ")])], "survey:1", CancellationToken.None);
            await outbox.AddAsync("staff", "staff-nobody", [new TextReply("届かない")], "survey:2", CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<BotDbContext>().SaveChangesAsync();
        }

        var text = await h.Connector.NextAsync();
        var choices = await h.Connector.NextAsync();
        Assert.Equal($"/amer/v3/conversations/{EscapedConversation}/activities", text.RawTarget);
        Assert.Equal("研修アンケートにご協力ください。", (string?)text.Activity["text"]);
        Assert.Equal(StaffHarness.BotId, (string?)text.Activity["from"]!["id"]);
        Assert.Equal(StaffHarness.UserId, (string?)text.Activity["recipient"]!["id"]);
        Assert.Null(text.Activity["replyToId"]);
        Assert.StartsWith("Bearer ", text.Authorization, StringComparison.Ordinal);
        Assert.NotNull(choices.Activity["attachments"]);

        var messages = WithDb(h, db => db.Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToList());
        for (var deadline = DateTime.UtcNow.AddSeconds(30); messages.Any(m => m.SentAt is null && m.FailedAt is null); messages = WithDb(h, db => db.Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToList()))
        {
            Assert.True(DateTime.UtcNow < deadline, "both messages settled");
            await Task.Delay(20);
        }

        Assert.NotNull(messages[0].SentAt);
        Assert.Equal(1, messages[0].Attempts);
        Assert.Null(messages[1].SentAt);
        Assert.NotNull(messages[1].FailedAt);

        // Sent once: a second run finds nothing due.
        Assert.Equal(0, await h.Services.GetServices<IHostedService>().OfType<OutboxDelivery>().Single(d => d.Channel == StaffActivities.Channel).DeliverDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Outbox_MessageSavedInAFeaturesTransaction_IsDeliveredWhenTheTransactionCommits()
    {
        // The fake clock stands (no poll): only the commit's wake-up can send it; one at the save would find nothing.
        await using var h = await StaffHarness.StartAsync();
        await h.PostAsync(h.Message("お問い合わせ", id: "hello"));
        await h.Connector.NextAsync();
        var userKey = h.Services.GetRequiredService<PrivacyKeys>().Pseudonymize("staff", StaffHarness.AadObjectId);
        await using (var scope = h.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<Outbox>().AddAsync("staff", userKey, [new TextReply("取引の中で書いたお知らせ")], "in-transaction:1", CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        Assert.Equal("取引の中で書いたお知らせ", (string?)(await h.Connector.NextAsync()).Activity["text"]);
    }

    [Fact]
    public async Task Outbox_WhenTheBotWasRemoved_GivesUp()
    {
        await using var h = await StaffHarness.StartAsync();
        await h.PostAsync(h.Message("お問い合わせ", id: "hello"));
        await h.Connector.NextAsync();
        var userKey = h.Services.GetRequiredService<PrivacyKeys>().Pseudonymize("staff", StaffHarness.AadObjectId);
        h.Connector.Status = 403;
        await using (var scope = h.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Outbox>().AddAsync("staff", userKey, [new TextReply("お知らせ")], "notice:1", CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<BotDbContext>().SaveChangesAsync();
        }

        var message = WithDb(h, db => db.Set<OutboxMessage>().AsNoTracking().Single());
        for (var deadline = DateTime.UtcNow.AddSeconds(30); message.FailedAt is null && message.SentAt is null; message = WithDb(h, db => db.Set<OutboxMessage>().AsNoTracking().Single()))
        {
            Assert.True(DateTime.UtcNow < deadline, "the message settled");
            await Task.Delay(20);
        }

        Assert.Null(message.SentAt);
        Assert.NotNull(message.FailedAt);
        Assert.Equal(1, message.Attempts);
        Assert.Contains("403", message.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turn_WhenAFeatureTimesOut_NotAtAStop_IsAnsweredWithTheApology()
    {
        await using var h = await StaffHarness.StartAsync(services: s => s.AddSingleton<IIntentHandler, TimingOutHandler>());

        await h.PostAsync(h.Message("時間切れ", id: "late"));

        var answer = await h.Connector.NextAsync();
        Assert.Equal("message", answer.Type);
        Assert.Equal("late", (string?)answer.Activity["replyToId"]);
        var apology = h.Services.GetRequiredService<Bot.Messages.MessageCatalog>().Current[ConversationTexts.Apology];
        Assert.Contains(apology, (string?)answer.Activity["text"], StringComparison.Ordinal); // Japanese, from messages.yaml
    }

    [Fact]
    public async Task SlowAnswer_GetsATypingIndicator_WhileTheHttpResponseIsImmediate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = await StaffHarness.StartAsync(services: s => s.AddSingleton<IIntentHandler>(new SlowHandler(gate.Task)));

        // The handler cannot finish before the gate opens, so a 200 here proves the answer is not awaited.
        var response = await h.PostAsync(h.Message("ゆっくり", id: "slow"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        ReceivedActivity? typing = null;
        for (var i = 0; i < 50 && typing is null; i++)
        {
            h.App.Clock.Advance(TimeSpan.FromSeconds(1));
            try
            {
                typing = await h.Connector.NextAsync(TimeSpan.FromMilliseconds(100));
            }
            catch (OperationCanceledException)
            {
                // the worker had not started waiting yet; advance again
            }
        }

        Assert.NotNull(typing);
        Assert.Equal("typing", typing.Type);
        Assert.Equal("slow", (string?)typing.Activity["replyToId"]);

        // A quick question behind the slow one in the same conversation waits its turn: answers keep their order.
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(h.Message("お問い合わせ", id: "quick"))).StatusCode);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Connector.NextAsync(TimeSpan.FromMilliseconds(300)));

        gate.SetResult();
        var answer = await h.Connector.NextAsync();
        Assert.Equal("message", answer.Type);
        Assert.Equal("お待たせしました", (string?)answer.Activity["text"]);
        Assert.Equal("quick", (string?)(await h.Connector.NextAsync()).Activity["replyToId"]);
    }

    /// <summary>Sends a valid probe and checks the probe's answer is the first thing the connector got.</summary>
    private static async Task AssertNothingWasProcessedAsync(StaffHarness h)
    {
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(h.Message("お問い合わせ", id: "probe"))).StatusCode);
        var first = await h.Connector.NextAsync();
        Assert.Equal("probe", (string?)first.Activity["replyToId"]);
        Assert.Single(h.Connector.All);
        var unanswered = WithDb(h, db => db.Set<UnansweredQuestion>().Count());
        Assert.Equal(0, unanswered);
    }

    private static T WithDb<T>(StaffHarness h, Func<BotDbContext, T> use)
    {
        using var scope = h.Services.CreateScope();
        return use(scope.ServiceProvider.GetRequiredService<BotDbContext>());
    }

    private sealed class EchoHandler : IIntentHandler
    {
        public const string HandlerName = "staff-test-echo";

        public string Name => HandlerName;

        public Audience Audience => Audience.Staff;

        public double Match(Turn turn) => 0;

        public Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
        {
            var comment = turn.Message.Parameters?.GetValueOrDefault("comment");
            return Task.FromResult(TurnResult.Of(new TextReply($"echo {turn.Postback!.Action} {turn.Postback["id"]} {comment}")));
        }
    }

    /// <summary>Times out the way an HttpClient call does (TaskCanceledException), the host not stopping.</summary>
    private sealed class TimingOutHandler : IIntentHandler
    {
        public string Name => "staff-test-timeout";

        public Audience Audience => Audience.Staff;

        public double Match(Turn turn) => turn.Text == "時間切れ" ? 1 : 0;

        public Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken) =>
            throw new TaskCanceledException("The upstream service did not answer in time.", new TimeoutException());
    }

    private sealed class SlowHandler(Task gate) : IIntentHandler
    {
        public string Name => "staff-test-slow";

        public Audience Audience => Audience.Staff;

        public double Match(Turn turn) => turn.Normalized == "ゆっくり" ? 1 : 0;

        public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            return TurnResult.Of(new TextReply("お待たせしました"));
        }
    }

    private sealed class TestEnvironment(string name) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "ShiogamaDx.Bot";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
