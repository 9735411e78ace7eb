using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShiogamaDx.Bot.Line;

// Outgoing Messaging API bodies after specs/line-openapi/messaging-api.yml (only what this bot sends).
// Properties are typed as the polymorphic base so that System.Text.Json writes the "type" discriminator.

internal sealed record LineReplyRequest(string ReplyToken, IReadOnlyList<LineMessage> Messages);

internal sealed record LinePushRequest(string To, IReadOnlyList<LineMessage> Messages);

internal sealed record LineQuotaResponse(string? Type, long? Value);

internal sealed record LineQuotaConsumptionResponse(long TotalUsage);

/// <summary>GET /v2/bot/insight/followers: friends added (never decreasing) and blocks, as of a day; status "ready" when counted.</summary>
internal sealed record LineFollowersResponse(string? Status, long? Followers, long? TargetedReaches, long? Blocks);

/// <summary>GET /v2/bot/profile/{userId}: only the language is read (the name and picture are not needed).</summary>
internal sealed record LineProfileResponse(string? Language);

internal sealed record LineMulticastRequest(IReadOnlyList<string> To, IReadOnlyList<LineMessage> Messages);

internal sealed record LineBroadcastRequest(IReadOnlyList<LineMessage> Messages);

internal sealed record LineLoadingRequest(string ChatId, int LoadingSeconds);

internal sealed record LineErrorResponse(string? Message, List<LineErrorDetail>? Details);

internal sealed record LineErrorDetail(string? Message, string? Property);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(LineTextMessage), "text")]
[JsonDerivedType(typeof(LineFlexMessage), "flex")]
[JsonDerivedType(typeof(LineImageMessage), "image")]
internal abstract record LineMessage
{
    public LineQuickReply? QuickReply { get; init; }
}

internal sealed record LineTextMessage(string Text) : LineMessage;

internal sealed record LineFlexMessage(string AltText, FlexContainer Contents) : LineMessage;

internal sealed record LineImageMessage(string OriginalContentUrl, string PreviewImageUrl) : LineMessage;

internal sealed record LineQuickReply(IReadOnlyList<LineQuickReplyItem> Items);

internal sealed record LineQuickReplyItem(LineAction Action)
{
    public string Type => "action";
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(LinePostbackAction), "postback")]
[JsonDerivedType(typeof(LineUriAction), "uri")]
[JsonDerivedType(typeof(LineMessageAction), "message")]
internal abstract record LineAction(string Label);

internal sealed record LinePostbackAction(string Label, string Data, string? DisplayText) : LineAction(Label);

internal sealed record LineUriAction(string Label, string Uri) : LineAction(Label);

internal sealed record LineMessageAction(string Label, string Text) : LineAction(Label);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(FlexBubble), "bubble")]
[JsonDerivedType(typeof(FlexCarousel), "carousel")]
internal abstract record FlexContainer;

internal sealed record FlexBubble(FlexComponent? Header, FlexComponent? Hero, FlexComponent? Body, FlexComponent? Footer, string? Size = null) : FlexContainer;

internal sealed record FlexCarousel(IReadOnlyList<FlexContainer> Contents) : FlexContainer;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(FlexBox), "box")]
[JsonDerivedType(typeof(FlexText), "text")]
[JsonDerivedType(typeof(FlexButton), "button")]
[JsonDerivedType(typeof(FlexImage), "image")]
[JsonDerivedType(typeof(FlexSeparator), "separator")]
internal abstract record FlexComponent;

internal sealed record FlexBox(string Layout, IReadOnlyList<FlexComponent> Contents) : FlexComponent
{
    public string? Spacing { get; init; }

    public string? Margin { get; init; }

    public int? Flex { get; init; }
}

internal sealed record FlexText(string Text) : FlexComponent
{
    public string? Size { get; init; }

    public string? Weight { get; init; }

    public string? Color { get; init; }

    public bool? Wrap { get; init; }

    public string? Margin { get; init; }

    public int? Flex { get; init; }
}

internal sealed record FlexButton(LineAction Action) : FlexComponent
{
    public string? Style { get; init; }

    public string? Height { get; init; }

    public string? Margin { get; init; }
}

internal sealed record FlexImage(string Url) : FlexComponent
{
    public string? Size { get; init; }

    public string? AspectRatio { get; init; }

    public string? AspectMode { get; init; }
}

internal sealed record FlexSeparator : FlexComponent
{
    public string? Margin { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LineReplyRequest))]
[JsonSerializable(typeof(LinePushRequest))]
[JsonSerializable(typeof(LineMulticastRequest))]
[JsonSerializable(typeof(LineBroadcastRequest))]
[JsonSerializable(typeof(LineQuotaResponse))]
[JsonSerializable(typeof(LineQuotaConsumptionResponse))]
[JsonSerializable(typeof(LineFollowersResponse))]
[JsonSerializable(typeof(LineProfileResponse))]
[JsonSerializable(typeof(LineLoadingRequest))]
[JsonSerializable(typeof(LineErrorResponse))]
[JsonSerializable(typeof(List<LineMessage>))]
internal sealed partial class LineMessageJson : JsonSerializerContext;
