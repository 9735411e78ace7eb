using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Staff;

namespace ShiogamaDx.Bot.Tests.Staff;

/// <summary>One host for every rejected token: each case leaves no trace, so they can share it.</summary>
public sealed class SharedStaffHarness : IAsyncLifetime
{
    public StaffHarness Harness { get; private set; } = null!;

    /// <summary>A published key that the Bot Framework endorses for Web Chat only.</summary>
    public TestSigningKey WebchatOnly { get; } = new("key-webchat", "webchat");

    public async Task InitializeAsync()
    {
        Harness = await StaffHarness.StartAsync();
        Harness.Identity.Publish(WebchatOnly);
    }

    public async Task DisposeAsync()
    {
        await Harness.DisposeAsync();
        WebchatOnly.Dispose();
    }
}

public sealed class StaffAuthenticationTests(SharedStaffHarness fixture) : IClassFixture<SharedStaffHarness>
{
    public enum BadToken
    {
        None,
        WrongIssuer,
        WrongAudience,
        Expired,
        NotYetValid,
        BadSignature,
        ServiceUrlMismatch,
        NoServiceUrlClaim,
        MissingEndorsement,
        UnknownKid,
        Garbage,
    }

    [Theory]
    [InlineData(BadToken.None)]
    [InlineData(BadToken.WrongIssuer)]
    [InlineData(BadToken.WrongAudience)]
    [InlineData(BadToken.Expired)]
    [InlineData(BadToken.NotYetValid)]
    [InlineData(BadToken.BadSignature)]
    [InlineData(BadToken.ServiceUrlMismatch)]
    [InlineData(BadToken.NoServiceUrlClaim)]
    [InlineData(BadToken.MissingEndorsement)]
    [InlineData(BadToken.UnknownKid)]
    [InlineData(BadToken.Garbage)]
    public async Task Message_WithBadToken_Returns401_AndNothingIsProcessed(BadToken bad)
    {
        var h = fixture.Harness;
        var now = h.App.Clock.GetUtcNow();
        using var impostor = new TestSigningKey("key-1", "msteams"); // same kid, other private key
        using var unpublished = new TestSigningKey("key-9", "msteams");
        var webchatOnly = fixture.WebchatOnly;
        var token = bad switch
        {
            BadToken.None => null,
            BadToken.WrongIssuer => h.Key.CreateToken("https://sts.windows.net/evil/", StaffHarness.AppId, h.ServiceUrl, now),
            BadToken.WrongAudience => h.Key.CreateToken("https://api.botframework.com", "another-bot", h.ServiceUrl, now),
            BadToken.Expired => h.Key.CreateToken("https://api.botframework.com", StaffHarness.AppId, h.ServiceUrl, now.AddHours(-2), TimeSpan.FromMinutes(50)),
            BadToken.NotYetValid => h.Key.CreateToken("https://api.botframework.com", StaffHarness.AppId, h.ServiceUrl, now, notBefore: now.AddMinutes(10)),
            BadToken.BadSignature => impostor.CreateToken("https://api.botframework.com", StaffHarness.AppId, h.ServiceUrl, now),
            BadToken.ServiceUrlMismatch => h.Key.CreateToken("https://api.botframework.com", StaffHarness.AppId, "https://smba.trafficmanager.net/emea/", now),
            BadToken.NoServiceUrlClaim => h.Key.CreateToken("https://api.botframework.com", StaffHarness.AppId, null, now),
            BadToken.MissingEndorsement => webchatOnly.CreateToken("https://api.botframework.com", StaffHarness.AppId, h.ServiceUrl, now),
            BadToken.UnknownKid => unpublished.CreateToken("https://api.botframework.com", StaffHarness.AppId, h.ServiceUrl, now),
            _ => "not-a-jwt",
        };

        var intruder = h.Message("お問い合わせ", id: "rejected-" + bad);
        intruder["from"] = new JsonObject { ["id"] = "29:intruder-" + bad, ["aadObjectId"] = "intruder-" + bad };

        var response = await h.PostAsync(intruder, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        // A valid activity sent afterwards is answered; the rejected one left no trace (reference, reply).
        var probeId = "probe-" + bad;
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(h.Message("お問い合わせ", id: probeId))).StatusCode);
        var received = await h.Connector.NextUntilAsync(a => (string?)a.Activity["replyToId"] == probeId);
        Assert.DoesNotContain(received, a => ((string?)a.Activity["recipient"]?["id"])?.Contains("intruder", StringComparison.Ordinal) == true);
        var userKey = h.Services.GetRequiredService<PrivacyKeys>().Pseudonymize("staff", "intruder-" + bad);
        using var scope = h.Services.CreateScope();
        Assert.False(scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<StaffConversationReference>().Any(r => r.UserKey == userKey));
    }

    [Fact]
    public async Task Message_WithinClockSkew_IsAccepted()
    {
        var h = fixture.Harness;
        var now = h.App.Clock.GetUtcNow();
        var justExpired = h.Key.CreateToken("https://api.botframework.com", StaffHarness.AppId, h.ServiceUrl, now.AddMinutes(-30), TimeSpan.FromMinutes(27));

        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(h.Message("お問い合わせ", id: "skew"), justExpired)).StatusCode);
        var reply = (await h.Connector.NextUntilAsync(a => (string?)a.Activity["replyToId"] == "skew")).Last();
        Assert.Contains("022-355-5284", (string?)reply.Activity["text"], StringComparison.Ordinal);
    }
}
