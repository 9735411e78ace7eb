using System.Net;
using System.Web;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Staff;

namespace ShiogamaDx.Bot.Tests.Kpis;

public sealed class DashboardSignInTests
{
    [Fact]
    public async Task Dashboard_WhenNotSignedIn_RedirectsToEntraId_WithCodeFlowAndPkce()
    {
        await using var h = await DashboardHarness.StartAsync();
        var (client, _) = DashboardHarness.Browser(h.BaseUrl, followRedirects: false);

        var response = await client.GetAsync(new Uri("dashboard?fiscalYear=2026", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(h.Identity.BaseUrl + DashboardHarness.TenantId + "/oauth2/v2.0/authorize", location.ToString(), StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.Equal(DashboardHarness.ClientId, query["client_id"]);
        Assert.Equal(h.BaseUrl + "dashboard/signin-oidc", query["redirect_uri"]);
        Assert.Contains("openid", query["scope"]!.Split(' '));
        Assert.DoesNotContain("id=\"rpa-processes\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectUri_BehindAProxy_IsThePublicOneFromDashboardUrl()
    {
        await using var h = await DashboardHarness.StartAsync(new() { ["Kpis:DashboardUrl"] = "https://bot.city.example/dashboard" });
        var (client, _) = DashboardHarness.Browser(h.BaseUrl, followRedirects: false);

        var response = await client.GetAsync(new Uri("dashboard", UriKind.Relative));

        Assert.Equal("https://bot.city.example/dashboard/signin-oidc", HttpUtility.ParseQueryString(response.Headers.Location!.Query)["redirect_uri"]);
    }

    [Fact]
    public async Task Dashboard_SignedInAsStaffWithTheRole_ShowsEveryKpi_AndExportsCsv()
    {
        await using var h = await DashboardHarness.StartAsync();
        var (client, _) = DashboardHarness.Browser(h.BaseUrl);

        var response = await client.GetAsync(new Uri("dashboard?fiscalYear=2026", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/dashboard", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("?fiscalYear=2026", response.RequestMessage.RequestUri.Query);
        Assert.Equal(1, h.Identity.CodeRedemptions);
        foreach (var kpi in KpiCatalogLoader.Load(KpiTestData.ContentFile).Kpis)
        {
            Assert.Contains($"id=\"{kpi.Id}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("塩竈 花子 さん", html, StringComparison.Ordinal);

        var csv = await client.GetAsync(new Uri("dashboard/export.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("rpa-processes", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Signed in: the next visit does not go to Entra ID again.
        await client.GetStringAsync(new Uri("dashboard", UriKind.Relative));
        Assert.Single(h.Identity.AuthorizeRequests);
    }

    [Fact]
    public async Task Dashboard_SignedInFromAnotherTenant_Is403_AndGetsNoCookie()
    {
        await using var h = await DashboardHarness.StartAsync();
        h.Identity.SignedInUser = DashboardHarness.Staff with { TenantId = "0f0f0f0f-1e1e-4d4d-8c8c-7b7b7b7b7b7b" };
        var (client, cookies) = DashboardHarness.Browser(h.BaseUrl);

        var response = await client.GetAsync(new Uri("dashboard", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("権限がありません", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name == "shiogama-dashboard");
        var csv = await DashboardHarness.Browser(h.BaseUrl, followRedirects: false).Client.GetAsync(new Uri("dashboard/export.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, csv.StatusCode);
    }

    [Fact]
    public async Task Dashboard_SignedInWithoutTheRole_Is403()
    {
        await using var h = await DashboardHarness.StartAsync();
        h.Identity.SignedInUser = DashboardHarness.Staff with { Roles = ["Something.Else"] };
        var (client, _) = DashboardHarness.Browser(h.BaseUrl);

        var response = await client.GetAsync(new Uri("dashboard", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("id=\"rpa-processes\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WithAnAllowedGroupInsteadOfARole_GetsIn()
    {
        const string group = "3a3a3a3a-4b4b-4c4c-8d8d-9e9e9e9e9e9e";
        await using var h = await DashboardHarness.StartAsync(new() { ["Dashboard:EntraId:AllowedGroups:0"] = group });
        h.Identity.SignedInUser = DashboardHarness.Staff with { Roles = [], Groups = ["other", group] };
        var (client, _) = DashboardHarness.Browser(h.BaseUrl);

        var response = await client.GetAsync(new Uri("dashboard", UriKind.Relative));

        Assert.True(HttpStatusCode.OK == response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task KeySignIn_IsOff_WhenEntraIdIsConfigured()
    {
        await using var h = await DashboardHarness.StartAsync();
        var (client, _) = DashboardHarness.Browser(h.BaseUrl, followRedirects: false);

        var response = await client.PostAsync(new Uri("dashboard/login", UriKind.Relative), new FormUrlEncodedContent([new("key", DashboardHarness.ApiKey)]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SignInCallback_Replayed_SaysSoWithoutAnError500()
    {
        await using var h = await DashboardHarness.StartAsync();
        var (client, _) = DashboardHarness.Browser(h.BaseUrl);

        var response = await client.GetAsync(new Uri("dashboard/signin-oidc?code=made-up&state=made-up", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("もう一度サインインする", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, h.Identity.CodeRedemptions);
    }

    [Theory]
    [InlineData("Dashboard:EntraId:TenantId", "", "TenantId is required")]
    [InlineData("Dashboard:EntraId:TenantId", "common", "not 'common'")]
    [InlineData("Dashboard:EntraId:ClientId", "", "ClientId is required")]
    [InlineData("Dashboard:EntraId:Instance", "http://login.example.jp/", "absolute https URL")]
    public void Start_WithAnIncompleteEntraIdConfiguration_IsRefused(string key, string value, string message)
    {
        using var app = new BotApplication(new Dictionary<string, string?>
        {
            ["Dashboard:EntraId:Instance"] = "https://login.microsoftonline.com/",
            ["Dashboard:EntraId:TenantId"] = DashboardHarness.TenantId,
            ["Dashboard:EntraId:ClientId"] = DashboardHarness.ClientId,
            [key] = value,
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("bot.city.example/dashboard")]
    [InlineData("https://bot.city.example/dashboard#kpi")]
    public void Start_WithADashboardUrlStaffCannotOpen_IsRefused(string url)
    {
        using var app = new BotApplication(new Dictionary<string, string?> { ["Kpis:DashboardUrl"] = url });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Kpis:DashboardUrl must be the absolute http(s) address", error.ToString(), StringComparison.Ordinal);
    }
}
