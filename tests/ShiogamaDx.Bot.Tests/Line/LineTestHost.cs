using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>The host with the LINE channel on, pointed at a fake LINE API; webhook calls signed as LINE signs them.</summary>
public sealed class LineTestHost : IAsyncDisposable
{
    public const string Secret = "test-channel-secret";
    public const string UserId = "U0123456789abcdef0123456789abcdef";
    public const string BotId = "Ufedcba9876543210fedcba9876543210";

    private LineTestHost(FakeLineApi fake, BotApplication app, HttpClient client)
    {
        Fake = fake;
        App = app;
        Client = client;
    }

    public FakeLineApi Fake { get; }

    public BotApplication App { get; }

    public HttpClient Client { get; }

    public static async Task<LineTestHost> StartAsync(Dictionary<string, string?>? extra = null, FakeLineApi? fake = null, Action<IServiceCollection>? services = null, DateTimeOffset? now = null)
    {
        fake ??= await FakeLineApi.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Line:ChannelSecret"] = Secret,
            ["Line:ChannelAccessToken"] = "test-access-token",
            ["Line:ApiBaseUrl"] = fake.Url,

            // Attempt timeouts run on the fake clock, which tests move forward to wake pollers: keep them far away.
            ["Line:RequestTimeout"] = "00:02:00",
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        var app = new BotApplication(settings, now, configureServices: services);
        fake.Clock = () => app.Clock.GetUtcNow();
        return new LineTestHost(fake, app, app.CreateClient());
    }

    public DateTimeOffset Now => App.Clock.GetUtcNow();

    public string UserKey => App.Services.GetRequiredService<PrivacyKeys>().Pseudonymize("line", UserId);

    public async Task<HttpResponseMessage> PostAsync(string body, string? signature = "sign")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/line/webhook");
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (signature is not null)
        {
            request.Headers.Add("X-Line-Signature", signature == "sign" ? Sign(body, Secret) : signature);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Posts events as LINE would; the body is first checked against LINE's webhook schema.</summary>
    public async Task<HttpResponseMessage> SendAsync(params JsonObject[] events)
    {
        var body = new JsonObject { ["destination"] = BotId, ["events"] = new JsonArray(events.Select(e => (JsonNode)e.DeepClone()).ToArray()) };
        Assert.Empty(OpenApiValidator.Webhook.Validate(body, "CallbackRequest"));
        var response = await PostAsync(body.ToJsonString());
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    public static string Sign(string body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public T Db<T>(Func<BotDbContext, T> use) => App.WithScope(sp => use(sp.GetRequiredService<BotDbContext>()));

    public List<InboxItem> Inbox() => Db(db => db.Set<InboxItem>().AsNoTracking().OrderBy(e => e.Id).ToList());

    /// <summary>Waits (real time, short polls) until the condition holds; optionally advancing the fake clock to wake timers.</summary>
    public async Task EventuallyAsync(Func<bool> condition, TimeSpan? advanceBy = null, string? because = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting: " + (because ?? "condition") + "\nCalls: " + string.Join(", ", Fake.Calls.Select(c => c.Path + " " + c.Status)));
            }

            if (advanceBy is { } step)
            {
                App.Clock.Advance(step);
            }

            await Task.Delay(20);
        }
    }

    public Task WhenSettledAsync(TimeSpan? advanceBy = null) =>
        EventuallyAsync(() => Inbox().All(e => e.Status != InboxStatus.Pending), advanceBy, "every stored event handled");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

/// <summary>Webhook events shaped as webhook.yml describes them.</summary>
public static class LineEvents
{
    private static int counter;

    /// <summary>A reply token of its own for the event, as LINE gives each event (the default).</summary>
    public const string NewToken = "(new)";

    public static string NewId() => "01J" + Interlocked.Increment(ref counter).ToString("D23", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Base(string type, DateTimeOffset time, JsonObject? source = null, string? replyToken = NewToken, bool redelivery = false, string mode = "active", string? id = null)
    {
        var e = new JsonObject
        {
            ["type"] = type,
            ["mode"] = mode,
            ["timestamp"] = time.ToUnixTimeMilliseconds(),
            ["source"] = source ?? User(),
            ["webhookEventId"] = id ?? NewId(),
            ["deliveryContext"] = new JsonObject { ["isRedelivery"] = redelivery },
        };
        if (replyToken is not null)
        {
            e["replyToken"] = replyToken == NewToken ? "reply-" + Guid.NewGuid().ToString("N") : replyToken;
        }

        return e;
    }

    public static JsonObject User(string userId = LineTestHost.UserId) => new() { ["type"] = "user", ["userId"] = userId };

    public static JsonObject Text(string text, DateTimeOffset time, string? replyToken = NewToken, string? id = null, JsonObject? source = null)
    {
        var e = Base("message", time, source, replyToken, id: id);
        e["message"] = new JsonObject { ["type"] = "text", ["id"] = "4680" + Random.Shared.Next(100000, 999999), ["text"] = text, ["quoteToken"] = "qt" };
        return e;
    }

    public static JsonObject Sticker(DateTimeOffset time)
    {
        var e = Base("message", time);
        e["message"] = new JsonObject { ["type"] = "sticker", ["id"] = "1", ["packageId"] = "446", ["stickerId"] = "1988", ["stickerResourceType"] = "STATIC", ["quoteToken"] = "qt" };
        return e;
    }

    public static JsonObject Follow(DateTimeOffset time, bool unblocked = false)
    {
        var e = Base("follow", time);
        e["follow"] = new JsonObject { ["isUnblocked"] = unblocked };
        return e;
    }

    public static JsonObject Unfollow(DateTimeOffset time) => Base("unfollow", time, replyToken: null);
}
