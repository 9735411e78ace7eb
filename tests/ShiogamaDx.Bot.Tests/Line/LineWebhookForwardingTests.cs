using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShiogamaDx.Bot.Line;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>
/// Line:ForwardWebhookUrl: another system on the same LINE account (施設予約) receives the webhook bodies that hold its
/// events, byte for byte with LINE's signature, after the bot stored them; the bot's own answers never wait for it.
/// The other system is a real Kestrel server on loopback.
/// </summary>
public sealed class LineWebhookForwardingTests
{
    [Fact]
    public async Task APostbackOfTheOtherSystem_IsForwardedWithItsSignature_AndTheBotStillAnswersItsOwn()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 0);
        await using var host = await LineTestHost.StartAsync(Settings(receiver));

        var theirs = Postback("facility=reserve&room=3", host.Now);
        var body = Body(theirs, LineEvents.Text("メニュー", host.Now, replyToken: "token-mine"));
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(body)).StatusCode);
        await host.WhenSettledAsync();
        await host.EventuallyAsync(() => receiver.Received.Count == 1, because: "the body forwarded");

        var forwarded = Assert.Single(receiver.Received);
        Assert.Equal(body, forwarded.Body);
        Assert.Equal(LineTestHost.Sign(body, LineTestHost.Secret), forwarded.Signature);
        Assert.Contains("塩竈市の公式LINE", Assert.Single(host.Fake.Replies).AllText, StringComparison.Ordinal); // the other system answers its own
        var inbox = host.Inbox();
        Assert.Equal(2, inbox.Count); // stored first: both events are the bot's record too
        Assert.Equal("forwarded", Assert.Single(inbox, e => e.Type == "postback").LastError);
    }

    [Fact]
    public async Task ABodyWithNothingOfTheOtherSystem_IsNotForwarded()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 0);
        await using var host = await LineTestHost.StartAsync(Settings(receiver));

        await host.SendAsync(Postback("h=contact", host.Now), LineEvents.Text("メニュー", host.Now));
        await host.WhenSettledAsync();
        await host.SendAsync(Postback("facility=cancel", host.Now));
        await host.EventuallyAsync(() => receiver.Received.Count == 1, because: "only the second body forwarded");

        Assert.Contains("facility=cancel", Assert.Single(receiver.Received).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingReceiver_IsRetried_ThenGivenUp_WithoutDelayingTheBotsAnswer()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 2);
        await using var host = await LineTestHost.StartAsync(Settings(receiver));
        var forwarder = host.App.Services.GetRequiredService<LineWebhookForwarder>();

        // Two failures, then a 200: delivered on the third attempt.
        await host.SendAsync(Postback("facility=reserve", host.Now));
        await host.EventuallyAsync(() => forwarder.Counts.Forwarded == 1, advanceBy: TimeSpan.FromSeconds(1), because: "retried until delivered");
        Assert.Equal(3, receiver.Attempts);

        // A receiver that never answers well: given up after 1 + 3 attempts, and the bot answers all along.
        receiver.FailFirst = int.MaxValue;
        await host.SendAsync(Postback("facility=reserve", host.Now), LineEvents.Text("メニュー", host.Now, replyToken: "token-during"));
        await host.WhenSettledAsync();
        Assert.Contains(host.Fake.Replies, r => (string?)r.Body!["replyToken"] == "token-during");
        await host.EventuallyAsync(() => forwarder.Counts.GivenUp == 1, advanceBy: TimeSpan.FromSeconds(1), because: "given up after the retries");
        Assert.Equal(3 + 4, receiver.Attempts);
        Assert.Equal(1, forwarder.Counts.Forwarded);
    }

    [Fact]
    public void Settings_AreChecked_AtStart()
    {
        var o = new LineForwardOptions { ForwardWebhookUrl = new Uri("http://example.jp/hook"), ForwardEvents = [] };

        var problems = o.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(o)).Select(r => r.ErrorMessage).ToList();

        Assert.Contains(problems, p => p!.Contains("must be an https:// address", StringComparison.Ordinal));
        Assert.Contains(problems, p => p!.Contains("must name the events to forward", StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> Settings(Receiver receiver) => new()
    {
        ["Line:ForwardWebhookUrl"] = receiver.Url + "callback",
        ["Line:ForwardEvents:0"] = "postback:facility=",
        ["Line:ForwardRetryDelay"] = "00:00:01",
    };

    private static JsonObject Postback(string data, DateTimeOffset time)
    {
        var ev = LineEvents.Base("postback", time);
        ev["postback"] = new JsonObject { ["data"] = data };
        return ev;
    }

    private static string Body(params JsonObject[] events) =>
        new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray(events.Select(e => (JsonNode)e.DeepClone()).ToArray()) }.ToJsonString();

    /// <summary>The other system: answers 500 to the first N bodies, then 200, and keeps what it was sent.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly List<(string Body, string Signature)> received = [];
        private int attempts;

        private Receiver(WebApplication app, int failFirst)
        {
            this.app = app;
            FailFirst = failFirst;
        }

        public int FailFirst { get; set; }

        public string Url { get; private set; } = string.Empty;

        public int Attempts => Volatile.Read(ref attempts);

        public List<(string Body, string Signature)> Received
        {
            get
            {
                lock (received)
                {
                    return received.ToList();
                }
            }
        }

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app, failFirst);
            app.MapPost("/callback", async (HttpContext http) =>
            {
                var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
                if (Interlocked.Increment(ref receiver.attempts) <= receiver.FailFirst)
                {
                    return Results.StatusCode(500);
                }

                lock (receiver.received)
                {
                    receiver.received.Add((body, http.Request.Headers["X-Line-Signature"].ToString()));
                }

                return Results.Ok();
            });
            await app.StartAsync();
            receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
            return receiver;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
