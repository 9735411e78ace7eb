using System.Text.Json;
using System.Text.Json.Nodes;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Line;

public sealed class LineEventMappingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PostbackFromDatePicker_CarriesDataAndDate()
    {
        var e = LineEvents.Base("postback", Now);
        e["postback"] = new JsonObject { ["data"] = "h=classes&a=pick&sig=x", ["params"] = new JsonObject { ["date"] = "2026-12-01" } };

        var (message, prefix) = LineChannel.ToIncoming(Parse(e), "line-abc", Now, RepoPaths.Messages);

        Assert.Empty(prefix);
        Assert.Equal("h=classes&a=pick&sig=x", message.PostbackData);
        Assert.Equal("2026-12-01", message.Parameters!["date"]);
        Assert.Equal(("line", Audience.Resident, "line-abc", "line-abc"), (message.Channel, message.Audience, message.UserKey, message.ConversationKey));
        Assert.Equal(Now, message.Time);
    }

    [Theory]
    [InlineData("time", "10:30")]
    [InlineData("datetime", "2026-12-01T10:30")]
    public void PostbackFromTimePickers_CarriesTheirValue(string key, string value)
    {
        var e = LineEvents.Base("postback", Now);
        e["postback"] = new JsonObject { ["data"] = "h=x&a=y", ["params"] = new JsonObject { [key] = value } };

        var (message, _) = LineChannel.ToIncoming(Parse(e), "k", Now, RepoPaths.Messages);

        Assert.Equal(value, message.Parameters![key]);
    }

    [Fact]
    public void TextMessage_CarriesText()
    {
        var (message, prefix) = LineChannel.ToIncoming(Parse(LineEvents.Text("住民票 オンライン", Now)), "k", Now, RepoPaths.Messages);

        Assert.Equal("住民票 オンライン", message.Text);
        Assert.Null(message.PostbackData);
        Assert.Empty(prefix);
    }

    [Fact]
    public void Location_GetsAKindWordAndEmptyText()
    {
        var e = LineEvents.Base("message", Now);
        e["message"] = new JsonObject { ["type"] = "location", ["id"] = "9", ["latitude"] = 38.31, ["longitude"] = 141.02, ["address"] = "塩竈市" };

        var (message, prefix) = LineChannel.ToIncoming(Parse(e), "k", Now, RepoPaths.Messages);

        Assert.Equal(string.Empty, message.Text);
        Assert.Contains("位置情報", ReplyText.Of(prefix), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryEventTypeOfTheWebhookSpec_IsReadWithoutError()
    {
        string[] types = ["message", "unsend", "follow", "unfollow", "join", "leave", "memberJoined", "memberLeft", "postback", "videoPlayComplete", "beacon", "accountLink", "membership", "module", "activated", "deactivated", "botSuspended", "botResumed", "delivery"];
        foreach (var type in types)
        {
            var e = LineEvents.Base(type, Now);
            e["membership"] = new JsonObject { ["type"] = "joined", ["membershipId"] = 3 };
            e["module"] = new JsonObject { ["type"] = "attached", ["botId"] = "U1", ["scopes"] = new JsonArray("message:send") };
            e["delivery"] = new JsonObject { ["data"] = "x" };
            e["link"] = new JsonObject { ["result"] = "ok", ["nonce"] = "n" };
            e["joined"] = new JsonObject { ["members"] = new JsonArray(LineEvents.User()) };
            e["chatControl"] = new JsonObject { ["expireAt"] = 1 };

            var parsed = Parse(e);

            Assert.Equal(type, parsed.Type);
        }
    }

    private static LineEvent Parse(JsonObject e) => JsonSerializer.Deserialize(e.ToJsonString(), LineWebhookJson.Default.LineEvent)!;
}
