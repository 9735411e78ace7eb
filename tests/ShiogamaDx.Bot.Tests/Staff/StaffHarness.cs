using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Staff;

/// <summary>
/// The bot host with its staff channel pointed at a fake connector and a fake Bot Framework identity
/// provider, both real HTTP servers on loopback. The key "key-1" (endorsed for msteams and webchat) is published.
/// </summary>
public sealed class StaffHarness : IAsyncDisposable
{
    public const string AppId = "11111111-2222-3333-4444-555555555555";
    public const string BotId = "28:" + AppId;
    public const string UserId = "29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrrA8vM06X1-cHHle4zOE6U4ttcc";
    public const string AadObjectId = "6be4b5cc-5ae1-4c2a-9e0c-3f6b1b7f9a01";
    public const string ConversationId = "a:1Xv8fa-Zx/conv 1";
    public const string TenantId = "72f988bf-0000-0000-0000-2d7cd011db47";

    private WebApplicationFactory<Program>? factory;

    private StaffHarness(FakeConnector connector, FakeIdentityProvider identity, TestSigningKey key)
    {
        Connector = connector;
        Identity = identity;
        Key = key;
    }

    public FakeConnector Connector { get; }

    public FakeIdentityProvider Identity { get; }

    public TestSigningKey Key { get; }

    public BotApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => factory!.Services;

    /// <summary>Teams' serviceUrl carries a path (a region); the bot must keep it.</summary>
    public string ServiceUrl => Connector.BaseUrl + "amer/";

    public static async Task<StaffHarness> StartAsync(
        Dictionary<string, string?>? settings = null,
        bool authenticated = true,
        Action<IServiceCollection>? services = null,
        bool authorityFromIdentity = false)
    {
        var connector = await FakeConnector.StartAsync();
        var identity = await FakeIdentityProvider.StartAsync();
        var key = new TestSigningKey("key-1", "msteams", "webchat");
        identity.Publish(key);
        var harness = new StaffHarness(connector, identity, key);

        var all = new Dictionary<string, string?>
        {
            ["Staff:OpenIdMetadataUrl"] = identity.MetadataUrl,
            ["Staff:TokenEndpoint"] = identity.TokenEndpoint,
            ["Staff:AllowedServiceUrlHosts:0"] = "127.0.0.1",
            ["Staff:EntraOpenIdMetadataUrl"] = identity.EntraMetadataUrl,
        };
        if (authorityFromIdentity)
        {
            all["Staff:Authority"] = identity.BaseUrl.ToString();
        }

        if (authenticated)
        {
            all["Staff:MicrosoftAppId"] = AppId;
            all["Staff:MicrosoftAppPassword"] = "test-app-password";
        }

        foreach (var (k, v) in settings ?? [])
        {
            all[k] = v;
        }

        harness.App = new BotApplication(all);
        harness.factory = services is null ? harness.App : harness.App.WithWebHostBuilder(b => b.ConfigureServices(services));
        harness.Client = harness.factory.CreateClient();
        return harness;
    }

    public string Token(TestSigningKey? key = null, string? serviceUrl = null) =>
        (key ?? Key).CreateToken("https://api.botframework.com", AppId, serviceUrl ?? ServiceUrl, App.Clock.GetUtcNow());

    public JsonObject Message(string? text, string id = "f:act|1", JsonNode? value = null, string channelId = "msteams", string? serviceUrl = null)
    {
        var activity = Base("message", id, channelId, serviceUrl);
        if (text is not null)
        {
            activity["text"] = text;
        }

        if (value is not null)
        {
            activity["value"] = value;
        }

        return activity;
    }

    public JsonObject Base(string type, string id = "f:act|1", string channelId = "msteams", string? serviceUrl = null) => new()
    {
        ["type"] = type,
        ["id"] = id,
        ["timestamp"] = "2026-11-25T01:00:00.000Z",
        ["localTimestamp"] = "2026-11-25T10:00:00.000+09:00",
        ["serviceUrl"] = serviceUrl ?? ServiceUrl,
        ["channelId"] = channelId,
        ["from"] = new JsonObject { ["id"] = UserId, ["name"] = "塩竈 花子", ["aadObjectId"] = AadObjectId },
        ["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = TenantId, ["id"] = ConversationId },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "しおがまDX" },
        ["entities"] = new JsonArray(new JsonObject { ["type"] = "clientInfo", ["locale"] = "ja-JP", ["country"] = "JP", ["platform"] = "Windows" }),
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
        ["locale"] = "ja-JP",
    };

    /// <summary>POST /api/messages; token: null sends none, "" the harness's valid token.</summary>
    public async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? token = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Length == 0 ? Token(serviceUrl: (string?)activity["serviceUrl"]) : token);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>
    /// Waits until every stored activity is handled: the connector sees an answer before the bot has read the
    /// connector's response, and a test that moves the fake clock meanwhile would time that request out.
    /// </summary>
    public async Task WhenSettledAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (App.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<InboxItem>().Any(i => i.Status == InboxStatus.Pending)))
        {
            Assert.True(DateTime.UtcNow < deadline, "stored activities still pending");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (factory is not null && !ReferenceEquals(factory, App))
        {
            await factory.DisposeAsync();
        }

        if (App is not null)
        {
            await App.DisposeAsync();
        }

        Key.Dispose();
        await Connector.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
