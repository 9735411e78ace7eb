using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ShiogamaDx.Bot.Staff;

/// <summary>
/// The part of the Bot Framework Activity schema (botframework-activity.md) this bot reads and writes.
/// Unknown fields are ignored and unknown types tolerated: channels add both freely.
/// </summary>
internal sealed record Activity
{
    public string? Type { get; init; }

    public string? Id { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public string? ServiceUrl { get; init; }

    public string? ChannelId { get; init; }

    public ChannelAccount? From { get; init; }

    public ConversationAccount? Conversation { get; init; }

    public ChannelAccount? Recipient { get; init; }

    public string? TextFormat { get; init; }

    public string? AttachmentLayout { get; init; }

    public string? Text { get; init; }

    public string? Summary { get; init; }

    public string? Locale { get; init; }

    public string? Name { get; init; }

    public string? ReplyToId { get; init; }

    public JsonNode? Value { get; init; }

    public JsonNode? ChannelData { get; init; }

    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }

    public IReadOnlyList<Attachment>? Attachments { get; init; }

    public SuggestedActions? SuggestedActions { get; init; }
}

internal sealed record ChannelAccount(string? Id, string? Name = null)
{
    public string? AadObjectId { get; init; }

    public string? Role { get; init; }
}

internal sealed record ConversationAccount(string? Id, string? Name = null)
{
    public bool? IsGroup { get; init; }

    public string? ConversationType { get; init; }

    public string? TenantId { get; init; }
}

internal sealed record Attachment(string ContentType, JsonNode? Content = null, string? ContentUrl = null, string? Name = null);

internal sealed record SuggestedActions(IReadOnlyList<CardActionDto> Actions);

/// <summary>A Bot Framework card action (suggested actions); "imBack" sends the value as if typed.</summary>
internal sealed record CardActionDto(string Type, string Title, string Value);

/// <summary>The body of an invoke response (Universal Actions: statusCode, type, value).</summary>
internal sealed record InvokeResponse(int StatusCode, string Type, JsonNode? Value);

internal sealed record ResourceResponse(string? Id);

internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn,
    [property: JsonPropertyName("token_type")] string? TokenType);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(InvokeResponse))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class ActivityJson : JsonSerializerContext;
