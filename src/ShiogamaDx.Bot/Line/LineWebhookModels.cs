using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShiogamaDx.Bot.Line;

// Webhook event records after specs/line-openapi/webhook.yml. One flat record per event rather than a class per
// type: LINE adds event types and fields, and an unknown one must be stored and skipped, never fail the request.
// Nested objects whose shape varies by sub-type (membership, module, delivery) stay JSON.

internal sealed record LineWebhookBody(string? Destination, List<JsonElement>? Events);

internal sealed record LineEvent(
    string? Type,
    LineSource? Source,
    long Timestamp,
    string? Mode,
    string? WebhookEventId,
    LineDeliveryContext? DeliveryContext,
    string? ReplyToken,
    LineMessageContent? Message,
    LinePostbackContent? Postback,
    LineFollowDetail? Follow,
    LineUnsendDetail? Unsend,
    LineVideoPlayComplete? VideoPlayComplete,
    LineBeaconContent? Beacon,
    LineLinkContent? Link,
    LineMembers? Joined,
    LineMembers? Left,
    JsonElement? Membership,
    JsonElement? Module,
    LineChatControl? ChatControl,
    JsonElement? Delivery)
{
    public bool IsStandby => string.Equals(Mode, "standby", StringComparison.Ordinal);

    public bool IsRedelivery => DeliveryContext?.IsRedelivery ?? false;

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Timestamp);
}

internal sealed record LineSource(string? Type, string? UserId, string? GroupId, string? RoomId)
{
    public bool IsUser => string.Equals(Type, "user", StringComparison.Ordinal);
}

internal sealed record LineDeliveryContext(bool IsRedelivery);

internal sealed record LineMessageContent(
    string? Type,
    string? Id,
    string? Text,
    string? QuoteToken,
    string? QuotedMessageId,
    string? PackageId,
    string? StickerId,
    string? StickerResourceType,
    List<string>? Keywords,
    string? Title,
    string? Address,
    double? Latitude,
    double? Longitude,
    string? FileName,
    long? FileSize,
    long? Duration,
    LineContentProvider? ContentProvider,
    JsonElement? Emojis,
    JsonElement? Mention,
    JsonElement? ImageSet,
    string? MarkAsReadToken);

internal sealed record LineContentProvider(string? Type, string? OriginalContentUrl, string? PreviewImageUrl);

/// <param name="Params">Date/time picker results: <c>date</c>, <c>time</c> or <c>datetime</c> (rich menu switch: <c>newRichMenuAliasId</c>, <c>status</c>).</param>
internal sealed record LinePostbackContent(string? Data, Dictionary<string, string>? Params);

internal sealed record LineFollowDetail(bool IsUnblocked);

internal sealed record LineUnsendDetail(string? MessageId);

internal sealed record LineVideoPlayComplete(string? TrackingId);

internal sealed record LineBeaconContent(string? Hwid, string? Type, string? Dm);

internal sealed record LineLinkContent(string? Result, string? Nonce);

internal sealed record LineMembers(List<LineSource>? Members);

internal sealed record LineChatControl(long? ExpireAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LineWebhookBody))]
[JsonSerializable(typeof(LineEvent))]
internal sealed partial class LineWebhookJson : JsonSerializerContext;
