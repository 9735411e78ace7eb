using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Staff;

namespace ShiogamaDx.Bot.Tests.Staff;

public sealed class StaffRenderingTests
{
    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", "a:1 b/c", "f:1|2", "https://smba.trafficmanager.net/amer/v3/conversations/a%3A1%20b%2Fc/activities/f%3A1%7C2")]
    [InlineData("https://smba.trafficmanager.net/amer", "19:x@thread.tacv2", null, "https://smba.trafficmanager.net/amer/v3/conversations/19%3Ax%40thread.tacv2/activities")]
    [InlineData("https://webchat.botframework.com/", "Ab12-cd", "Ab12-cd|0000001", "https://webchat.botframework.com/v3/conversations/Ab12-cd/activities/Ab12-cd%7C0000001")]
    public void ActivitiesUrl_KeepsTheServicePath_AndEscapesIds(string serviceUrl, string conversation, string? replyTo, string expected)
    {
        var url = ConnectorClient.ActivitiesUrl(serviceUrl, conversation, replyTo);

        Assert.Equal(expected, url.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", true)]
    [InlineData("https://webchat.botframework.com/", true)]
    [InlineData("https://europe.token.botframework.com/", true)]
    [InlineData("https://canary.teams.microsoft.com/", true)]
    [InlineData("https://bots.example.jp/", true)]
    [InlineData("https://botframework.com.evil.example/", false)]
    [InlineData("https://evilbotframework.com/", false)]
    [InlineData("https://attacker.example/", false)]
    [InlineData("http://smba.trafficmanager.net/amer/", false)]
    [InlineData("http://127.0.0.1:3978/", false)]
    public void Token_IsOnlyForAllowedConnectorHosts(string url, bool allowed)
    {
        var policy = new ServiceUrlPolicy(Options.Create(new StaffOptions { AllowedServiceUrlHosts = ["bots.example.jp"] }));

        Assert.Equal(allowed, policy.MayReceiveToken(new Uri(url)));
    }

    [Fact]
    public void Choices_BecomeAnAdaptiveCard_WithSubmitButtons_AndATypedFallback_ButNoSuggestedActions()
    {
        var activity = AdaptiveCardRenderer.Render(new ChoicesReply("どれにしますか", [new Choice("はい", "h=survey&a=yes&sig=x"), new Choice("KPI一覧")]));

        var card = Card(activity);
        Assert.Equal("1.5", (string?)card["version"]);
        Assert.Equal("どれにしますか\n1. はい\n2. KPI一覧", (string?)card["fallbackText"]);
        var actions = card["actions"]!.AsArray();
        Assert.Equal("Action.Submit", (string?)actions[0]!["type"]);
        Assert.Equal("h=survey&a=yes&sig=x", (string?)actions[0]!["data"]!["postback"]);
        Assert.Equal("KPI一覧", (string?)actions[1]!["data"]!["text"]);
        Assert.Equal("imBack", (string?)actions[1]!["data"]!["msteams"]!["type"]);
        Assert.Null(activity.SuggestedActions);
    }

    [Fact]
    public void Cards_HaveOpenUrlForLinks_AndSubmitForPostbacks_InACarousel()
    {
        var reply = new CardsReply("手続き", [
            new Card("住民票の写し", "マイナンバーカードで申請できます", [new CardAction("申請する", CardActionKind.Link, "https://example.jp/apply"), new CardAction("詳しく", CardActionKind.Postback, "h=procedures&a=show&sig=y")], "https://example.jp/a.png", "市民課"),
            new Card("印鑑登録証明書", "コンビニで取れます", []),
        ]);

        var activity = AdaptiveCardRenderer.Render(reply);

        Assert.Equal("carousel", activity.AttachmentLayout);
        Assert.Equal(2, activity.Attachments!.Count);
        var card = Card(activity);
        Assert.Equal("Image", (string?)card["body"]![0]!["type"]);
        Assert.Equal("住民票の写し", (string?)card["body"]![1]!["text"]);
        Assert.Equal("Action.OpenUrl", (string?)card["actions"]![0]!["type"]);
        Assert.Equal("https://example.jp/apply", (string?)card["actions"]![0]!["url"]);
        Assert.Equal("h=procedures&a=show&sig=y", (string?)card["actions"]![1]!["data"]!["postback"]);
        Assert.Contains("申請する: https://example.jp/apply", (string?)card["fallbackText"], StringComparison.Ordinal);
    }

    [Fact]
    public void Table_BecomesAnAdaptiveCardTable_WithHeaderRow()
    {
        var activity = AdaptiveCardRenderer.Render(new TableReply("KPI 令和8年度", ["指標", "目標", "実績"], [["電子申請が可能な手続数", "120", "98"]], "実績は12月末時点"));

        var card = Card(activity);
        var table = card["body"]![1]!;
        Assert.Equal("Table", (string?)table["type"]);
        Assert.True((bool)table["firstRowAsHeaders"]!);
        Assert.Equal(3, table["columns"]!.AsArray().Count);
        Assert.Equal(2, table["rows"]!.AsArray().Count);
        Assert.Equal("98", (string?)table["rows"]![1]!["cells"]![2]!["items"]![0]!["text"]);
        Assert.Contains("電子申請が可能な手続数 | 120 | 98", (string?)card["fallbackText"], StringComparison.Ordinal);
    }

    [Fact]
    public void Text_IsMarkdown_AndImageAnAttachment()
    {
        var text = AdaptiveCardRenderer.Render(new TextReply("**KPI**"));
        Assert.Equal("**KPI**", text.Text);
        Assert.Equal("markdown", text.TextFormat);

        var image = AdaptiveCardRenderer.Render(new ImageReply(new Uri("https://example.jp/map.jpg"), new Uri("https://example.jp/map-s.jpg"), "会場の地図"));
        var attachment = Assert.Single(image.Attachments!);
        Assert.Equal("image/jpeg", attachment.ContentType);
        Assert.Equal("https://example.jp/map.jpg", attachment.ContentUrl);
    }

    [Fact]
    public void Activity_Json_TakesUnknownFields_AndWritesNoNulls()
    {
        const string json = """{"type":"message","id":"1","serviceUrl":"https://x/","channelId":"msteams","from":{"id":"29:a","aadObjectId":"o","extra":1},"conversation":{"id":"c","tenantId":"t"},"recipient":{"id":"28:b"},"text":"<at>しおがまDX</at> KPI","entities":[{"type":"mention"}],"value":{"postback":"h=x","n":3}}""";

        var activity = JsonSerializer.Deserialize(json, ActivityJson.Default.Activity)!;
        var written = JsonSerializer.Serialize(AdaptiveCardRenderer.Render(new TextReply("はい")), ActivityJson.Default.Activity);

        Assert.Equal("KPI", StaffActivities.StripMentions(activity.Text));
        Assert.Equal("o", activity.From!.AadObjectId);
        Assert.Equal("t", StaffActivities.TenantOf(activity));
        Assert.DoesNotContain("null", written, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"message\"", written, StringComparison.Ordinal);
    }

    private static JsonNode Card(Activity activity) => activity.Attachments![0].Content!;
}
