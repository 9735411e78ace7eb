using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// Forwarding of LINE webhooks to another system on the same account (施設予約 or another extension), keys under
/// <c>Line:</c> beside the channel's own.
/// </summary>
public sealed class LineForwardOptions : IValidatableObject
{
    public const string SectionName = "Line";

    /// <summary>Where webhooks are forwarded; empty: no forwarding.</summary>
    public Uri? ForwardWebhookUrl { get; set; }

    /// <summary>
    /// The events that belong to the other system: an event type (<c>postback</c>, <c>message</c>, <c>follow</c> …), or
    /// <c>postback:PREFIX</c> for postbacks whose data starts with PREFIX. A body holding one of them is forwarded whole.
    /// </summary>
    public List<string> ForwardEvents { get; set; } = [];

    /// <summary>Attempts after the first before a forward is given up and logged.</summary>
    [Range(0, 10)]
    public int ForwardRetries { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ForwardRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => ForwardWebhookUrl is not null && ForwardEvents.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ForwardWebhookUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))))
        {
            yield return new ValidationResult("Line:ForwardWebhookUrl must be an https:// address (http only to this machine)", [nameof(ForwardWebhookUrl)]);
        }

        if (ForwardWebhookUrl is not null && ForwardEvents.Count == 0)
        {
            yield return new ValidationResult("Line:ForwardEvents must name the events to forward (e.g. postback:facility=)", [nameof(ForwardEvents)]);
        }

        foreach (var rule in ForwardEvents.Where(r => string.IsNullOrWhiteSpace(r) || r.StartsWith(':')))
        {
            yield return new ValidationResult($"Line:ForwardEvents entry '{rule}' must be an event type or postback:PREFIX", [nameof(ForwardEvents)]);
        }
    }

    /// <summary>Whether an event (as LINE sent it) is one the other system wants.</summary>
    public bool Wants(JsonElement ev)
    {
        if (ev.ValueKind != JsonValueKind.Object || !ev.TryGetProperty("type", out var t) || t.GetString() is not { } type)
        {
            return false;
        }

        foreach (var rule in ForwardEvents)
        {
            var colon = rule.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 ? rule == type : rule[..colon] == type && type == "postback" && PostbackData(ev)?.StartsWith(rule[(colon + 1)..], StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    private static string? PostbackData(JsonElement ev) =>
        ev.TryGetProperty("postback", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
}

/// <summary>
/// Sends a webhook body, unchanged and with LINE's own X-Line-Signature, to the other system once the bot has stored
/// its events. The webhook answers LINE without waiting: forwarding runs behind a bounded queue, each body is tried a
/// few times and then given up with a log line, so a slow or broken receiver never delays or loses the bot's answers.
/// Kept in memory: a body still queued when the host stops is not forwarded (the log says how many).
/// </summary>
public sealed class LineWebhookForwarder(IHttpClientFactory clients, IOptions<LineForwardOptions> options, TimeProvider clock, ILogger<LineWebhookForwarder> logger) : BackgroundService
{
    public const string HttpClientName = "line-forward";

    private readonly Channel<(byte[] Body, string Signature)> queue = Channel.CreateBounded<(byte[], string)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    private int forwarded;
    private int givenUp;

    /// <summary>Bodies delivered to the receiver (a 2xx), and bodies given up after the retries.</summary>
    public (int Forwarded, int GivenUp) Counts => (Volatile.Read(ref forwarded), Volatile.Read(ref givenUp));

    /// <summary>Whether the event is the other system's to answer (the bot stores it and leaves it).</summary>
    public bool Claims(JsonElement ev) => options.Value.Enabled && options.Value.Wants(ev);

    /// <summary>Queues the body when one of its events is the other system's; never waits, never throws.</summary>
    public void Offer(byte[] body, string signature, IReadOnlyList<JsonElement> events)
    {
        var o = options.Value;
        if (!o.Enabled || !events.Any(o.Wants))
        {
            return;
        }

        if (!queue.Writer.TryWrite((body, signature)))
        {
            logger.LogWarning("LINE webhook not forwarded: {Count} bodies are already waiting for {Url}", 1000, o.ForwardWebhookUrl);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (body, signature) in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await ForwardAsync(body, signature, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (queue.Reader.Count > 0)
            {
                logger.LogWarning("Host stopping: {Count} LINE webhooks were not forwarded", queue.Reader.Count);
            }
        }
    }

    private async Task ForwardAsync(byte[] body, string signature, CancellationToken ct)
    {
        var o = options.Value;
        string? last = null;
        for (var attempt = 0; attempt <= o.ForwardRetries; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(o.ForwardRetryDelay * Math.Pow(2, attempt - 1), clock, ct);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, o.ForwardWebhookUrl) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation(LineWebhookEndpoint.SignatureHeader, signature);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(o.ForwardTimeout);
            try
            {
                using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref forwarded);
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                last = ex is OperationCanceledException ? "timed out" : ex.Message;
            }
        }

        Interlocked.Increment(ref givenUp);
        logger.LogWarning("LINE webhook not forwarded to {Url} after {Attempts} attempts: {Reason}", o.ForwardWebhookUrl, o.ForwardRetries + 1, last);
    }
}
