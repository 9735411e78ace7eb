using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Staff;

/// <summary>Translates activities into channel-neutral turns.</summary>
internal static partial class StaffActivities
{
    public const string Channel = "staff";

    /// <summary>Field of a card's submit data that carries our (signed) postback.</summary>
    public const string PostbackField = "postback";

    /// <summary>Field of a card's submit data that carries a label to be read as typed text.</summary>
    public const string TextField = "text";

    public static string? TenantOf(Activity activity) =>
        activity.Conversation?.TenantId is { Length: > 0 } tenant
            ? tenant
            : activity.ChannelData?["tenant"]?["id"]?.GetValueKind() == JsonValueKind.String ? activity.ChannelData["tenant"]!["id"]!.GetValue<string>() : null;

    /// <summary>Entra object id where the channel gives one (Teams): stable across the person's chats and devices.</summary>
    public static string? RawUserId(ChannelAccount? account) =>
        account?.AadObjectId is { Length: > 0 } aad ? aad : account?.Id is { Length: > 0 } id ? id : null;

    public static string UserKey(PrivacyKeys keys, ChannelAccount account) => keys.Pseudonymize(Channel, RawUserId(account)!);

    public static string ConversationKey(PrivacyKeys keys, Activity activity) => keys.Pseudonymize("staff-conv", activity.Conversation!.Id!);

    /// <summary>A message or a card action's data as a turn; null when there is nothing to answer.</summary>
    public static IncomingMessage? ToIncoming(Activity activity, JsonNode? data, PrivacyKeys keys, DateTimeOffset now)
    {
        if (RawUserId(activity.From) is null || activity.Conversation?.Id is not { Length: > 0 })
        {
            return null;
        }

        var text = StripMentions(activity.Text);
        string? postback = null;
        Dictionary<string, string>? parameters = null;
        if (data is JsonObject fields)
        {
            foreach (var (name, node) in fields)
            {
                if (node is not JsonValue value || ScalarText(value) is not { } scalar)
                {
                    continue; // msteams hints and nested objects are presentation, not answers
                }

                if (name == PostbackField)
                {
                    postback = scalar;
                }
                else if (name == TextField)
                {
                    text = string.IsNullOrWhiteSpace(text) ? scalar : text;
                }
                else
                {
                    (parameters ??= new(StringComparer.Ordinal))[name] = scalar;
                }
            }
        }

        if (string.IsNullOrWhiteSpace(text) && postback is null && parameters is null)
        {
            return null;
        }

        return new IncomingMessage(
            Channel,
            Audience.Staff,
            UserKey(keys, activity.From!),
            ConversationKey(keys, activity),
            string.IsNullOrWhiteSpace(text) ? null : text,
            postback,
            now,
            activity.Locale is { Length: > 0 } locale ? locale : "ja-JP",
            parameters,
            activity.From?.Name,
            activity.Conversation?.IsGroup == true || activity.Conversation?.ConversationType is "groupChat" or "channel");
    }

    /// <summary>Teams puts "&lt;at&gt;Bot&lt;/at&gt;" into the text when the bot is mentioned in a group chat.</summary>
    public static string? StripMentions(string? text) =>
        text is null ? null : MentionTag().Replace(text, " ").Trim();

    private static string? ScalarText(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    [GeneratedRegex("<at[^>]*>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex MentionTag();
}
