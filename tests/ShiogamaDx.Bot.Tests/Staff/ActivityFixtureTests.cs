using System.Net;
using System.Text.Json.Nodes;

namespace ShiogamaDx.Bot.Tests.Staff;

/// <summary>
/// Activities in the shapes Teams, Web Chat and the Emulator send (every field they carry, including the ones
/// the bot does not read), replayed against the endpoint with the serviceUrl pointed at the fake connector.
/// </summary>
public sealed class ActivityFixtureTests
{
    private const string TeamsMessage = """
        {
          "text": "お問い合わせ",
          "textFormat": "plain",
          "attachments": [{ "contentType": "text/html", "content": "<p>お問い合わせ</p>" }],
          "type": "message",
          "timestamp": "2026-11-25T01:23:45.678Z",
          "localTimestamp": "2026-11-25T10:23:45.678+09:00",
          "id": "1764033825678",
          "channelId": "msteams",
          "serviceUrl": "{serviceUrl}jp/",
          "from": { "id": "29:1q2w3e4r5t6y7u8i9o0p-aSdFgHjKl_ZxCvBnM", "name": "塩竈 花子", "aadObjectId": "0d1c2b3a-4e5f-6071-8293-a4b5c6d7e8f9" },
          "conversation": { "conversationType": "personal", "tenantId": "72f988bf-0000-0000-0000-2d7cd011db47", "id": "a:1Hq0Zb8xVwK3-mN7pLrT9sYc2uE_fJ4gD6hA5iB" },
          "recipient": { "id": "28:11111111-2222-3333-4444-555555555555", "name": "しおがまDX" },
          "entities": [{ "locale": "ja-JP", "country": "JP", "platform": "Windows", "timezone": "Asia/Tokyo", "type": "clientInfo" }],
          "channelData": { "tenant": { "id": "72f988bf-0000-0000-0000-2d7cd011db47" } },
          "locale": "ja-JP",
          "localTimezone": "Asia/Tokyo"
        }
        """;

    private const string TeamsCardSubmit = """
        {
          "type": "message",
          "timestamp": "2026-11-25T01:24:02.101Z",
          "localTimestamp": "2026-11-25T10:24:02.101+09:00",
          "id": "1764033842101",
          "channelId": "msteams",
          "serviceUrl": "{serviceUrl}jp/",
          "from": { "id": "29:1q2w3e4r5t6y7u8i9o0p-aSdFgHjKl_ZxCvBnM", "name": "塩竈 花子", "aadObjectId": "0d1c2b3a-4e5f-6071-8293-a4b5c6d7e8f9" },
          "conversation": { "conversationType": "personal", "tenantId": "72f988bf-0000-0000-0000-2d7cd011db47", "id": "a:1Hq0Zb8xVwK3-mN7pLrT9sYc2uE_fJ4gD6hA5iB" },
          "recipient": { "id": "28:11111111-2222-3333-4444-555555555555", "name": "しおがまDX" },
          "entities": [{ "locale": "ja-JP", "country": "JP", "platform": "Windows", "timezone": "Asia/Tokyo", "type": "clientInfo" }],
          "channelData": { "tenant": { "id": "72f988bf-0000-0000-0000-2d7cd011db47" }, "source": { "name": "message" }, "legacy": { "replyToId": "1:1AbCdEf" } },
          "replyToId": "1764033825999",
          "value": { "text": "お問い合わせ", "msteams": { "type": "imBack", "value": "お問い合わせ" } },
          "locale": "ja-JP",
          "localTimezone": "Asia/Tokyo"
        }
        """;

    private const string TeamsInstall = """
        {
          "membersAdded": [{ "id": "28:11111111-2222-3333-4444-555555555555" }],
          "type": "conversationUpdate",
          "timestamp": "2026-11-25T01:20:00.000Z",
          "id": "f:5b6c7d8e-0000-1111-2222-333344445555",
          "channelId": "msteams",
          "serviceUrl": "{serviceUrl}jp/",
          "from": { "id": "29:1q2w3e4r5t6y7u8i9o0p-aSdFgHjKl_ZxCvBnM", "aadObjectId": "0d1c2b3a-4e5f-6071-8293-a4b5c6d7e8f9" },
          "conversation": { "conversationType": "personal", "tenantId": "72f988bf-0000-0000-0000-2d7cd011db47", "id": "a:1Hq0Zb8xVwK3-mN7pLrT9sYc2uE_fJ4gD6hA5iB" },
          "recipient": { "id": "28:11111111-2222-3333-4444-555555555555", "name": "しおがまDX" },
          "channelData": { "tenant": { "id": "72f988bf-0000-0000-0000-2d7cd011db47" } }
        }
        """;

    private const string WebChatMessage = """
        {
          "type": "message",
          "id": "Kx7Yz2Ab3Cd4Ef5Gh6-jp|0000003",
          "timestamp": "2026-11-25T01:30:00.1234567Z",
          "localTimestamp": "2026-11-25T10:30:00+09:00",
          "localTimezone": "Asia/Tokyo",
          "serviceUrl": "{serviceUrl}",
          "channelId": "webchat",
          "from": { "id": "dl_5f1e2d3c4b5a", "name": "", "role": "user" },
          "conversation": { "id": "Kx7Yz2Ab3Cd4Ef5Gh6-jp" },
          "recipient": { "id": "shiogama-dx-bot@AbCdEf", "name": "しおがまDX" },
          "textFormat": "plain",
          "locale": "ja-JP",
          "text": "お問い合わせ",
          "entities": [{ "requiresBotState": true, "supportsListening": true, "supportsTts": true, "type": "ClientCapabilities" }],
          "channelData": { "clientActivityID": "1764034200123abcde", "clientTimestamp": "2026-11-25T01:30:00.100Z" }
        }
        """;

    private const string EmulatorConversationUpdate = """
        {
          "type": "conversationUpdate",
          "membersAdded": [{ "id": "7d3c2b1a-0000-4000-8000-000000000001", "name": "Bot" }, { "id": "e1f2a3b4-0000-4000-8000-000000000002", "name": "User" }],
          "channelId": "emulator",
          "conversation": { "id": "c5d6e7f8-0000-4000-8000-000000000003|livechat" },
          "id": "a1b2c3d4-0000-4000-8000-000000000004",
          "localTimestamp": "2026-11-25T10:40:00+09:00",
          "recipient": { "id": "7d3c2b1a-0000-4000-8000-000000000001", "name": "Bot", "role": "bot" },
          "timestamp": "2026-11-25T01:40:00.000Z",
          "from": { "id": "e1f2a3b4-0000-4000-8000-000000000002", "name": "User", "role": "user" },
          "locale": "ja-JP",
          "serviceUrl": "{serviceUrlNoSlash}"
        }
        """;

    private const string EmulatorMessage = """
        {
          "channelData": { "clientActivityID": "17640348001230.x1y2z3", "clientTimestamp": "2026-11-25T01:40:01.230Z" },
          "text": "お問い合わせ",
          "textFormat": "plain",
          "type": "message",
          "channelId": "emulator",
          "from": { "id": "e1f2a3b4-0000-4000-8000-000000000002", "name": "User", "role": "user" },
          "locale": "ja-JP",
          "localTimestamp": "2026-11-25T10:40:01+09:00",
          "localTimezone": "Asia/Tokyo",
          "timestamp": "2026-11-25T01:40:01.300Z",
          "conversation": { "id": "c5d6e7f8-0000-4000-8000-000000000003|livechat" },
          "id": "f0e1d2c3-0000-4000-8000-000000000005",
          "recipient": { "id": "7d3c2b1a-0000-4000-8000-000000000001", "name": "Bot", "role": "bot" },
          "serviceUrl": "{serviceUrlNoSlash}"
        }
        """;

    public static TheoryData<string, string, bool, string> Fixtures => new()
    {
        { nameof(TeamsMessage), TeamsMessage, true, "022-355-5284" },
        { nameof(TeamsCardSubmit), TeamsCardSubmit, true, "022-355-5284" },
        { nameof(TeamsInstall), TeamsInstall, true, "DX推進プラン" },
        { nameof(WebChatMessage), WebChatMessage, true, "022-355-5284" },
        { nameof(EmulatorConversationUpdate), EmulatorConversationUpdate, false, "DX推進プラン" },
        { nameof(EmulatorMessage), EmulatorMessage, false, "022-355-5284" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Fixture_IsAnsweredInItsConversation(string name, string json, bool authenticated, string expected)
    {
        await using var h = await StaffHarness.StartAsync(
            authenticated ? null : new() { ["Staff:AllowUnauthenticated"] = "true" },
            authenticated);
        var activity = JsonNode.Parse(json
            .Replace("{serviceUrlNoSlash}", h.Connector.BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("{serviceUrl}", h.Connector.BaseUrl.ToString(), StringComparison.Ordinal))!.AsObject();

        var response = await h.PostAsync(activity, authenticated ? "" : null);

        Assert.True(response.StatusCode == HttpStatusCode.OK, name);
        var reply = await h.Connector.NextAsync();
        var conversation = (string)activity["conversation"]!["id"]!;
        Assert.StartsWith(new Uri((string)activity["serviceUrl"]!).AbsolutePath.TrimEnd('/') + "/v3/conversations/" + Uri.EscapeDataString(conversation) + "/activities", reply.RawTarget, StringComparison.Ordinal);
        Assert.Equal((string?)activity["from"]!["id"], (string?)reply.Activity["recipient"]!["id"]);
        Assert.Equal((string?)activity["recipient"]!["id"], (string?)reply.Activity["from"]!["id"]);
        Assert.Contains(expected, (string?)reply.Activity["text"], StringComparison.Ordinal);
        Assert.Equal(authenticated, reply.Authorization is not null);
    }
}
