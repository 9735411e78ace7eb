using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace ShiogamaDx.Bot.LoadGenerator;

/// <summary>
/// A minimal stand-in for api.line.me inside the load generator: accepts reply, push and loading calls with 200,
/// and tells the event log which event each reply answers (the reply token carries the event's index).
/// </summary>
internal sealed class FakeLineApi : IAsyncDisposable
{
    private static readonly byte[] SentMessages = "{\"sentMessages\":[]}"u8.ToArray();

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> pushKeys = new();
    private EventLog? log;
    private long replies;
    private long pushes;
    private long loadings;
    private long unknown;

    private FakeLineApi(WebApplication app) => this.app = app;

    public Uri Url => new(app.Urls.First());

    public long Replies => Interlocked.Read(ref replies);

    public long Pushes => Interlocked.Read(ref pushes);

    public long DuplicatedPushes => pushKeys.Values.Count(v => v > 1);

    public long Loadings => Interlocked.Read(ref loadings);

    public long Unknown => Interlocked.Read(ref unknown);

    public void Attach(EventLog events) => log = events;

    public static async Task<FakeLineApi> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var web = builder.Build();
        var fake = new FakeLineApi(web);
        web.MapPost("/v2/bot/message/reply", fake.ReplyAsync);
        web.MapPost("/v2/bot/message/push", fake.PushAsync);
        web.MapPost("/v2/bot/chat/loading/start", () =>
        {
            Interlocked.Increment(ref fake.loadings);
            return Results.Accepted();
        });
        await web.StartAsync();
        return fake;
    }

    private async Task ReplyAsync(HttpContext http)
    {
        var body = await ReadAsync(http);
        Interlocked.Increment(ref replies);
        var token = StringProperty(body, "replyToken"u8);
        if (token is not null && token.StartsWith(Webhooks.TokenPrefix, StringComparison.Ordinal)
            && int.TryParse(token.AsSpan(Webhooks.TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            log?.Answer(index);
        }
        else
        {
            Interlocked.Increment(ref unknown);
        }

        await RespondAsync(http);
    }

    private async Task PushAsync(HttpContext http)
    {
        _ = await ReadAsync(http);
        Interlocked.Increment(ref pushes);
        var key = http.Request.Headers["X-Line-Retry-Key"].ToString();
        pushKeys.AddOrUpdate(key, 1, (_, n) => n + 1);
        await RespondAsync(http);
    }

    private static Task RespondAsync(HttpContext http)
    {
        http.Response.ContentType = "application/json";
        return http.Response.Body.WriteAsync(SentMessages).AsTask();
    }

    private static async Task<byte[]> ReadAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static string? StringProperty(byte[] json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(name))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
