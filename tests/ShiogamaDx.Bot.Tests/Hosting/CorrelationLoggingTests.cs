using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;

namespace ShiogamaDx.Bot.Tests.Hosting;

public sealed class CorrelationLoggingTests
{
    [Fact]
    public async Task HandlingALineEvent_LogsWithItsWebhookEventIdAsCorrelationId_AndNeverTheResidentsWords()
    {
        var sink = new CapturingSink();
        await using var fake = await FakeLineApi.StartAsync();
        await using var app = new BotApplication(
            new Dictionary<string, string?>
            {
                ["Line:ChannelSecret"] = LineTestHost.Secret,
                ["Line:ChannelAccessToken"] = "test-access-token",
                ["Line:ApiBaseUrl"] = fake.Url,
                ["Line:RequestTimeout"] = "00:02:00",
                ["Serilog:MinimumLevel:Default"] = "Debug", // a successful webhook is logged at Debug (bursts)
            },
            configureServices: services => services.AddSingleton<ILogEventSink>(sink));
        using var client = app.CreateClient();
        const string words = "ぬぬぬぬ秘密の相談";
        var ev = LineEvents.Text(words, app.Clock.GetUtcNow());
        var body = new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray(ev) }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/line/webhook") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Line-Signature", LineTestHost.Sign(body, LineTestHost.Secret));
        request.Headers.Add("X-Request-Id", "proxy-req-42");

        var response = await client.SendAsync(request);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!sink.Events.Any(e => e.MessageTemplate.Text.StartsWith("Unanswered question", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal("proxy-req-42", response.Headers.GetValues("X-Request-Id").Single());
        var unanswered = Assert.Single(sink.Events, e => e.MessageTemplate.Text.StartsWith("Unanswered question", StringComparison.Ordinal));
        Assert.Equal($"line:{ev["webhookEventId"]}", ((ScalarValue)unanswered.Properties["CorrelationId"]).Value);
        var request200 = Assert.Single(sink.Events, e => e.Properties.TryGetValue("SourceContext", out var source) && source.ToString().Contains("RequestLoggingMiddleware", StringComparison.Ordinal) && e.RenderMessage().Contains("/api/line/webhook", StringComparison.Ordinal));
        Assert.Equal("proxy-req-42", ((ScalarValue)request200.Properties["CorrelationId"]).Value);
        Assert.DoesNotContain(sink.Events, e => e.RenderMessage().Contains("秘密", StringComparison.Ordinal)
                                                || e.Properties.Values.Any(v => v.ToString().Contains("秘密", StringComparison.Ordinal))
                                                || e.Properties.Values.Any(v => v.ToString().Contains(LineTestHost.UserId, StringComparison.Ordinal)));
    }

    private sealed class CapturingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> events = new();

        public IReadOnlyList<LogEvent> Events => events.ToList();

        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}
