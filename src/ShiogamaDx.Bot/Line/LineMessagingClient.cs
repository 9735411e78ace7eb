using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Line;

internal enum LineApiOutcome
{
    Ok,

    /// <summary>409 on a push or multicast with a retry key: LINE accepted this request before; success.</summary>
    AlreadyAccepted,

    /// <summary>A 4xx that a retry will not heal (invalid reply token, blocked or unknown user, bad body).</summary>
    Rejected,

    /// <summary>429 that is a rate limit: try again later.</summary>
    RateLimited,

    /// <summary>429 "You have reached your monthly limit.": stop pushing, tell an operator.</summary>
    MonthlyLimit,

    /// <summary>5xx, timeout, network error or open circuit: try again later.</summary>
    Unavailable,
}

internal sealed record LineApiResult(LineApiOutcome Outcome, int? StatusCode = null, string? Error = null)
{
    public bool Delivered => Outcome is LineApiOutcome.Ok or LineApiOutcome.AlreadyAccepted;
}

/// <summary>
/// The few Messaging API calls the bot makes, over a typed HttpClient whose resilience pipeline (registered in
/// <see cref="LineExtensions"/>) retries 429/5xx/timeouts with backoff, jitter and Retry-After.
/// </summary>
internal sealed class LineMessagingClient(HttpClient http, BotMetrics metrics, ILogger<LineMessagingClient> logger)
{
    /// <summary>A reply token is used once: a failed reply is never retried with it (the caller pushes instead).</summary>
    internal static readonly HttpRequestOptionsKey<bool> NoRetry = new("line.noRetry");

    public const string RetryKeyHeader = "X-Line-Retry-Key";

    public Task<LineApiResult> ReplyAsync(string replyToken, IReadOnlyList<LineMessage> messages, CancellationToken ct) =>
        SendAsync("v2/bot/message/reply", JsonSerializer.SerializeToUtf8Bytes(new LineReplyRequest(replyToken, messages), LineMessageJson.Default.LineReplyRequest), null, retry: false, ct);

    public Task<LineApiResult> PushAsync(string to, IReadOnlyList<LineMessage> messages, Guid retryKey, CancellationToken ct) =>
        SendAsync("v2/bot/message/push", JsonSerializer.SerializeToUtf8Bytes(new LinePushRequest(to, messages), LineMessageJson.Default.LinePushRequest), retryKey, retry: true, ct);

    /// <param name="to">At most 500 LINE user ids (the Messaging API's limit per multicast).</param>
    public Task<LineApiResult> MulticastAsync(IReadOnlyList<string> to, IReadOnlyList<LineMessage> messages, Guid retryKey, CancellationToken ct) =>
        SendAsync("v2/bot/message/multicast", JsonSerializer.SerializeToUtf8Bytes(new LineMulticastRequest(to, messages), LineMessageJson.Default.LineMulticastRequest), retryKey, retry: true, ct);

    /// <summary>To every friend of the account (an announcement to everyone): one call, its own retry key.</summary>
    public Task<LineApiResult> BroadcastAsync(IReadOnlyList<LineMessage> messages, Guid retryKey, CancellationToken ct) =>
        SendAsync("v2/bot/message/broadcast", JsonSerializer.SerializeToUtf8Bytes(new LineBroadcastRequest(messages), LineMessageJson.Default.LineBroadcastRequest), retryKey, retry: true, ct);

    /// <summary>The month's limit less what was sent (GET quota and quota/consumption); null: no limit, or not readable now.</summary>
    public async Task<long?> RemainingQuotaAsync(CancellationToken ct)
    {
        var quota = await GetAsync("v2/bot/message/quota", LineMessageJson.Default.LineQuotaResponse, ct);
        if (quota?.Type != "limited" || quota.Value is not { } limit)
        {
            return null;
        }

        var used = await GetAsync("v2/bot/message/quota/consumption", LineMessageJson.Default.LineQuotaConsumptionResponse, ct);
        return used is null ? null : Math.Max(0, limit - used.TotalUsage);
    }

    /// <summary>
    /// The friends a broadcast reaches as LINE counted them on <paramref name="date"/> (Japan time): friends added less
    /// those blocking. Deleted LINE accounts stay in LINE's count, so it errs high, the safe side for a quota check.
    /// Null when the day is not counted yet ("unready") or the insight cannot be read.
    /// </summary>
    public async Task<long?> FriendsAsync(DateOnly date, CancellationToken ct)
    {
        var day = date.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var counted = await GetAsync($"v2/bot/insight/followers?date={day}", LineMessageJson.Default.LineFollowersResponse, ct);
        return counted is { Status: "ready", Followers: { } followers } ? Math.Max(0, followers - (counted.Blocks ?? 0)) : null;
    }

    /// <summary>A GET of the Messaging API; null when it cannot be read now (logged).</summary>
    private async Task<T?> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        try
        {
            return await http.GetFromJsonAsync(path, type, ct);
        }
        catch (Exception ex) when (ex is JsonException || IsUnavailable(ex, ct))
        {
            logger.LogWarning("LINE {Path} could not be read: {Error}", path, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>LINE unreachable, too slow, or its circuit open; a cancellation not of the caller's is a timeout.</summary>
    private static bool IsUnavailable(Exception ex, CancellationToken ct) =>
        ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException || (ex is TaskCanceledException && !ct.IsCancellationRequested);

    /// <param name="seconds">5 to 60, a multiple of 5 (the animation ends earlier when the answer arrives).</param>
    public Task<LineApiResult> StartLoadingAsync(string chatId, int seconds, CancellationToken ct) =>
        SendAsync("v2/bot/chat/loading/start", JsonSerializer.SerializeToUtf8Bytes(new LineLoadingRequest(chatId, Math.Clamp(seconds / 5 * 5, 5, 60)), LineMessageJson.Default.LineLoadingRequest), null, retry: false, ct);

    private async Task<LineApiResult> SendAsync(string path, byte[] body, Guid? retryKey, bool retry, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (retryKey is { } key)
        {
            request.Headers.Add(RetryKeyHeader, key.ToString("D"));
        }

        request.Options.Set(NoRetry, !retry);
        try
        {
            using var response = await http.SendAsync(request, ct);
            return await ToResultAsync(path, response, ct);
        }
        catch (Exception ex) when (IsUnavailable(ex, ct))
        {
            logger.LogWarning("LINE {Path} unavailable: {Error}", path, ex.GetType().Name);
            metrics.LineApiError(path, null);
            return new LineApiResult(LineApiOutcome.Unavailable, null, ex.GetType().Name);
        }
    }

    private async Task<LineApiResult> ToResultAsync(string path, HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return new LineApiResult(LineApiOutcome.Ok, status);
        }

        var error = await ReadErrorAsync(response, ct);
        var outcome = response.StatusCode switch
        {
            HttpStatusCode.Conflict => LineApiOutcome.AlreadyAccepted,
            HttpStatusCode.TooManyRequests when IsMonthlyLimit(error) => LineApiOutcome.MonthlyLimit,
            HttpStatusCode.TooManyRequests => LineApiOutcome.RateLimited,
            HttpStatusCode.RequestTimeout => LineApiOutcome.Unavailable,
            _ when status >= 500 => LineApiOutcome.Unavailable,
            _ => LineApiOutcome.Rejected,
        };

        if (outcome == LineApiOutcome.AlreadyAccepted)
        {
            logger.LogInformation("LINE {Path}: retry key already accepted (request {AcceptedRequestId})", path, Header(response, "x-line-accepted-request-id"));
        }
        else
        {
            metrics.LineApiError(path, status);

            // LINE's error text names the fault ("Invalid reply token"); it never echoes the body we sent.
            logger.LogWarning("LINE {Path} answered {Status} ({Outcome}): {LineError} (request {RequestId})", path, status, outcome, error, Header(response, "x-line-request-id"));
        }

        return new LineApiResult(outcome, status, error);
    }

    internal static bool IsMonthlyLimit(string? error) => error?.Contains("monthly limit", StringComparison.OrdinalIgnoreCase) == true;

    internal static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (text.Length == 0)
            {
                return null;
            }

            var parsed = JsonSerializer.Deserialize(text, LineMessageJson.Default.LineErrorResponse);
            var details = parsed?.Details is { Count: > 0 } d ? " [" + string.Join("; ", d.Select(x => $"{x.Property}: {x.Message}")) + "]" : string.Empty;
            return TextNormalizer.Clip((parsed?.Message ?? string.Empty) + details, 300);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
