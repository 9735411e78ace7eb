using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;
using ShiogamaDx.Bot.Inbox;

namespace ShiogamaDx.Bot.Line;

internal static class LineWebhookEndpoint
{
    /// <summary>LINE's webhook bodies are small; anything this big is not LINE.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public const string SignatureHeader = "X-Line-Signature";

    /// <summary>The last instant DateTimeOffset holds, in Unix milliseconds: a later timestamp cannot be read.</summary>
    private static readonly long MaxTimestamp = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static async Task<IResult> HandleAsync(HttpContext http, IOptions<LineOptions> options, InboxWriter inbox, PrivacyKeys keys, TimeProvider clock, BotMetrics metrics, LineWebhookForwarder forwarder, ILoggerFactory loggers, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return TypedResults.NotFound();
        }

        var logger = loggers.CreateLogger("ShiogamaDx.Bot.Line.Webhook");
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        // The signature covers the exact bytes LINE sent, so read them before any parsing. A pooled chunk: at a
        // thousand webhooks a second a fresh 16 KB array each was a good part of the garbage.
        using var buffer = new MemoryStream(http.Request.ContentLength is > 0 and <= MaxBodyBytes and var length ? (int)length : 4096);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk, clearArray: true); // residents' words do not linger in the pool
        }

        var body = buffer.ToArray();
        if (!LineSignature.IsValid(http.Request.Headers[SignatureHeader].ToString(), body, o.ChannelSecret, o.PreviousChannelSecret))
        {
            logger.LogWarning("LINE webhook refused: missing or invalid X-Line-Signature");
            return TypedResults.Unauthorized();
        }

        LineWebhookBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, LineWebhookJson.Default.LineWebhookBody);
        }
        catch (JsonException)
        {
            logger.LogWarning("LINE webhook refused: signed body is not the webhook JSON");
            return TypedResults.BadRequest();
        }

        if (parsed?.Events is not { Count: > 0 } events)
        {
            return TypedResults.Ok(); // the console's "Verify" sends no events
        }

        if (!string.IsNullOrEmpty(o.Destination) && !string.Equals(parsed.Destination, o.Destination, StringComparison.Ordinal))
        {
            logger.LogWarning("LINE webhook for another destination ignored ({Count} events)", events.Count);
            return TypedResults.Ok();
        }

        int stored;
        try
        {
            var now = clock.GetUtcNow();
            stored = await inbox.StoreAsync([.. events.Select(e => Forwarded(ToItem(e, keys, now, logger), e, forwarder, now)).OfType<InboxItem>()], ct); // an id twice: the inbox keeps the first
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never a 200 for what was not stored: LINE redelivers after a 5xx (webhook redelivery on), nothing is lost.
            logger.LogError(ex, "LINE webhook could not store {Count} events (disk full, database locked or down); answered 503 so LINE redelivers", events.Count);
            return TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        if (stored > 0)
        {
            metrics.Received(LineChannel.Channel, stored); // the worker was woken by the inbox writer
            forwarder.Offer(body, http.Request.Headers[SignatureHeader].ToString(), events); // after storing: never before, never instead
        }

        return TypedResults.Ok();
    }

    /// <summary>
    /// One event on its own: whatever is wrong with it (a shape this version cannot read, a number out of range),
    /// it is stored as skipped with the reason, and the body's other events are stored and answered.
    /// </summary>
    private static InboxItem? ToItem(JsonElement element, PrivacyKeys keys, DateTimeOffset now, ILogger logger)
    {
        var id = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("webhookEventId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (string.IsNullOrEmpty(id) || id.Length > 64)
        {
            logger.LogWarning("LINE event without a usable webhookEventId skipped");
            return null;
        }

        try
        {
            var ev = element.Deserialize(LineWebhookJson.Default.LineEvent) ?? throw new JsonException("null event");
            if (ev.Timestamp < 0 || ev.Timestamp > MaxTimestamp)
            {
                return Unreadable(id, "timestamp out of range", now, logger);
            }

            var userId = ev.Source?.UserId;
            return new InboxItem
            {
                Channel = LineChannel.Channel,
                EventId = id,
                Type = TextNormalizer.Clip(ev.Type ?? "unknown", 40),
                PersonKey = ev.Source?.IsUser == true && !string.IsNullOrEmpty(userId) ? keys.Pseudonymize("line", userId) : null,
                MessageId = ev.Message?.Id is { Length: <= 64 } messageId ? messageId : null,
                Timestamp = ev.Timestamp > 0 ? ev.Time : now,
                ReceivedAt = now,
                IsRedelivery = ev.IsRedelivery,
                PayloadJson = ev.IsStandby ? null : element.GetRawText(), // not ours to answer: its text is not kept
                Status = ev.IsStandby ? InboxStatus.Skipped : InboxStatus.Pending, // another module answers in standby
                ProcessedAt = ev.IsStandby ? now : null,
                NextAttemptAt = now,
                RetryKey = Guid.NewGuid(),
            };
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            return Unreadable(id, ex.GetType().Name, now, logger);
        }
    }

    /// <summary>An event of the other system on the account (Line:ForwardEvents): stored for the record, answered by it, not by the bot.</summary>
    private static InboxItem? Forwarded(InboxItem? item, JsonElement ev, LineWebhookForwarder forwarder, DateTimeOffset now)
    {
        if (item is { Status: InboxStatus.Pending } && forwarder.Claims(ev))
        {
            (item.Status, item.ProcessedAt, item.PayloadJson, item.LastError) = (InboxStatus.Skipped, now, null, "forwarded");
        }

        return item;
    }

    /// <summary>Signed by LINE but not readable by this version: kept for the record (and against redelivery), not answered.</summary>
    private static InboxItem Unreadable(string id, string reason, DateTimeOffset now, ILogger logger)
    {
        logger.LogWarning("LINE event {WebhookEventId} could not be read ({Reason}); stored as skipped", id, reason);
        return new InboxItem
        {
            Channel = LineChannel.Channel, EventId = id, Type = "unreadable", Timestamp = now, ReceivedAt = now, NextAttemptAt = now,
            Status = InboxStatus.Skipped, ProcessedAt = now, LastError = "unreadable: " + reason,
        };
    }
}

/// <summary>Set when LINE says the month's message limit is reached: pushes pause instead of spinning.</summary>
internal sealed class LinePushGate(TimeProvider clock, IOptions<LineOptions> options, ILogger<LinePushGate> logger)
{
    private long pausedUntilTicks;

    public bool IsPaused => clock.GetUtcNow().UtcTicks < Interlocked.Read(ref pausedUntilTicks);

    public DateTimeOffset PausedUntil => new(Interlocked.Read(ref pausedUntilTicks), TimeSpan.Zero);

    public void PauseForMonthlyLimit()
    {
        var until = clock.GetUtcNow() + options.Value.MonthlyLimitPause;
        Interlocked.Exchange(ref pausedUntilTicks, until.UtcTicks);
        logger.LogError("ALERT: LINE monthly message limit reached. Pushes (reminders, surveys, late answers) are paused until {Until:u}; raise the plan's limit in LINE Official Account Manager", until);
    }
}
