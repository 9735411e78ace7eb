using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>
/// A stand-in for api.line.me: a real Kestrel server on loopback that records every call, validates each body
/// against LINE's OpenAPI document, behaves like LINE on retry keys (409 once accepted; 400 on a reply), and
/// answers with injected faults (429 with Retry-After, 500, a hang) when a test asks for them.
/// </summary>
public sealed partial class FakeLineApi : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, string> acceptedRetryKeys = new();
    private readonly ConcurrentDictionary<string, byte> usedReplyTokens = new();
    private readonly ConcurrentQueue<(string Path, Fault Fault)> faults = new();
    private readonly object gate = new();
    private readonly List<LineCall> calls = [];

    private FakeLineApi(WebApplication app) => this.app = app;

    public string Url => app.Urls.First();

    /// <summary>The host's (fake) clock, so a test can see how long the host waited between calls.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    public IReadOnlyList<LineCall> Calls
    {
        get
        {
            lock (gate)
            {
                return calls.ToList();
            }
        }
    }

    public IEnumerable<LineCall> Replies => Calls.Where(c => c.Path == "/v2/bot/message/reply");

    public IEnumerable<LineCall> Pushes => Calls.Where(c => c.Path == "/v2/bot/message/push");

    public IEnumerable<LineCall> Multicasts => Calls.Where(c => c.Path == "/v2/bot/message/multicast");

    /// <summary>Calls to every friend of the account (POST /v2/bot/message/broadcast).</summary>
    public IEnumerable<LineCall> Broadcasts => Calls.Where(c => c.Path == "/v2/bot/message/broadcast");

    /// <summary>How many multicasts LINE accepted (answered 200) for each user.</summary>
    public Dictionary<string, int> MulticastsPerUser() => Multicasts
        .Where(c => c.Status == 200)
        .SelectMany(c => c.Body!["to"]!.AsArray().Select(t => (string)t!))
        .GroupBy(u => u)
        .ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The month's message limit (GET quota); null: no limit ("none").</summary>
    public long? QuotaLimit { get; set; }

    /// <summary>Messages counted this month so far (GET quota/consumption).</summary>
    public long QuotaUsed { get; set; }

    /// <summary>LINE's count of friends added and of blocks by day, yyyyMMdd (GET insight/followers); a day missing: "unready".</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (long Followers, long Blocks)> Followers { get; } = new();

    /// <summary>Each call waits this long after LINE took it, before answering (a slow network: a kill can fall in between).</summary>
    public TimeSpan AnswerDelay { get; set; }

    /// <summary>The language of each friend's LINE profile (GET /v2/bot/profile/{userId}); others get 404, as for a user who is no friend.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> ProfileLanguages { get; } = new();

    /// <summary>The user ids whose profile was asked for, in order.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> ProfileRequests { get; } = [];

    /// <summary>Every validation error of every body received: must stay empty.</summary>
    public IEnumerable<string> SpecErrors => Calls.SelectMany(c => c.SpecErrors.Select(e => $"{c.Path}: {e}"));

    public static async Task<FakeLineApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var web = builder.Build();
        var fake = new FakeLineApi(web);
        web.MapPost("/{**path}", (Delegate)fake.HandleAsync);
        web.MapDelete("/v2/bot/richmenu/{id}", (Delegate)fake.DeleteRichMenu);
        fake.MapRichMenuReads(web);
        web.MapGet("/v2/bot/richmenu/{id}", (string id) => fake.GetRichMenu(id));
        web.MapGet("/v2/bot/message/quota", () => fake.QuotaLimit is { } limit
            ? Results.Json(new JsonObject { ["type"] = "limited", ["value"] = limit })
            : Results.Json(new JsonObject { ["type"] = "none" }));
        web.MapGet("/v2/bot/insight/followers", (string date) => fake.Followers.TryGetValue(date, out var day)
            ? Results.Json(new JsonObject { ["status"] = "ready", ["followers"] = day.Followers, ["targetedReaches"] = day.Followers / 2, ["blocks"] = day.Blocks })
            : Results.Json(new JsonObject { ["status"] = "unready" }));
        web.MapGet("/v2/bot/message/quota/consumption", () => Results.Json(new JsonObject { ["totalUsage"] = fake.QuotaUsed }));
        web.MapGet("/v2/bot/profile/{userId}", (string userId) =>
        {
            fake.ProfileRequests.Add(userId);
            return fake.ProfileLanguages.TryGetValue(userId, out var language)
                ? Results.Json(new JsonObject { ["displayName"] = "テスト", ["userId"] = userId, ["language"] = language })
                : Results.Json(new JsonObject { ["message"] = "Not found" }, statusCode: 404);
        });
        await web.StartAsync();
        return fake;
    }

    /// <summary>The next <paramref name="times"/> calls to <paramref name="path"/> get this answer instead.</summary>
    /// <param name="arrived">LINE took the call (a reply's token is spent) and the answer was lost on its way back.</param>
    public void Fail(string path, int status, int times = 1, string? message = null, int? retryAfterSeconds = null, TimeSpan? hang = null, bool arrived = false)
    {
        for (var i = 0; i < times; i++)
        {
            faults.Enqueue((path, new Fault(status, message, retryAfterSeconds, hang, arrived)));
        }
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value!;
        if (IsRichMenu(path))
        {
            return await RichMenuAsync(http, path);
        }

        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var retryKey = http.Request.Headers["X-Line-Retry-Key"].FirstOrDefault();
        var json = JsonNode.Parse(body);
        var errors = path switch
        {
            "/v2/bot/message/reply" => OpenApiValidator.Messaging.Validate(json, "ReplyMessageRequest"),
            "/v2/bot/message/push" => OpenApiValidator.Messaging.Validate(json, "PushMessageRequest"),
            "/v2/bot/message/multicast" => OpenApiValidator.Messaging.Validate(json, "MulticastRequest"),
            "/v2/bot/message/broadcast" => OpenApiValidator.Messaging.Validate(json, "BroadcastRequest"),
            "/v2/bot/chat/loading/start" => OpenApiValidator.Messaging.Validate(json, "ShowLoadingAnimationRequest"),
            _ => ["unexpected endpoint"],
        };
        errors.AddRange(LineDocumentedLimits.Check(json));
        if (http.Request.Headers.Authorization.ToString() != "Bearer test-access-token")
        {
            errors.Add("missing or wrong Authorization");
        }

        if (retryKey is not null && path is not ("/v2/bot/message/push" or "/v2/bot/message/multicast" or "/v2/bot/message/broadcast"))
        {
            errors.Add("X-Line-Retry-Key is allowed on push, multicast and broadcast only (LINE answers 400)");
        }

        if (retryKey is not null && !Guid.TryParse(retryKey, out _))
        {
            errors.Add("X-Line-Retry-Key is not a UUID");
        }

        var call = new LineCall(path, json, retryKey, errors) { At = Clock() };
        lock (gate)
        {
            calls.Add(call);
        }

        if (errors.Count > 0)
        {
            return Error(400, "The request body has " + errors.Count + " error(s)");
        }

        if (faults.TryPeek(out var next) && next.Path == path && faults.TryDequeue(out var planned))
        {
            var fault = planned.Fault;
            call.Status = fault.Status;
            if (fault.Arrived && json?["replyToken"]?.GetValue<string>() is { } spent)
            {
                usedReplyTokens.TryAdd(spent, 0);
            }

            if (fault.Hang is { } hang)
            {
                await Task.Delay(hang, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            if (fault.RetryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Error(fault.Status, fault.Message ?? "Injected fault");
        }

        if (retryKey is not null && !acceptedRetryKeys.TryAdd(retryKey, Guid.NewGuid().ToString()))
        {
            call.Status = 409;
            http.Response.Headers["x-line-accepted-request-id"] = acceptedRetryKeys[retryKey];
            return Error(409, "The retry key is already accepted");
        }

        // A reply token is good for one reply: LINE answers a second use as it answers an expired token.
        if (path == "/v2/bot/message/reply" && json?["replyToken"]?.GetValue<string>() is { } token && !usedReplyTokens.TryAdd(token, 0))
        {
            call.Status = 400;
            return Error(400, "Invalid reply token");
        }

        call.Status = path == "/v2/bot/chat/loading/start" ? 202 : 200;
        if (AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(AnswerDelay, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return path == "/v2/bot/chat/loading/start" ? Results.Json(new JsonObject(), statusCode: 202)
            : path is "/v2/bot/message/multicast" or "/v2/bot/message/broadcast" ? Results.Json(new JsonObject())
            : Results.Json(new JsonObject { ["sentMessages"] = new JsonArray(new JsonObject { ["id"] = "1", ["quoteToken"] = "q" }) });
    }

    private static IResult Error(int status, string message) => Results.Json(new JsonObject { ["message"] = message }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private sealed record Fault(int Status, string? Message, int? RetryAfterSeconds, TimeSpan? Hang, bool Arrived);
}

public sealed class LineCall(string path, JsonNode? body, string? retryKey, List<string> specErrors)
{
    public string Path { get; } = path;

    public JsonNode? Body { get; } = body;

    public string? RetryKey { get; } = retryKey;

    public List<string> SpecErrors { get; } = specErrors;

    public int Status { get; set; }

    public DateTimeOffset At { get; init; }

    /// <summary>Every text of the messages, including flex texts, for fragment assertions.</summary>
    public string AllText => string.Join("\n", Texts(Body?["messages"]));

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => kv.Key is "text" or "altText" or "label" && kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? [s] : Texts(kv.Value)),
        JsonArray a => a.SelectMany(Texts),
        _ => [],
    };
}
