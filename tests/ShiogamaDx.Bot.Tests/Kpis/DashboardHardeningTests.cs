using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using ShiogamaDx.Bot.Hosting;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Kpis;

/// <summary>The dashboard's edges through the real host: where sign-in sends you back, its headers, its cookie.</summary>
public sealed partial class DashboardHardeningTests(DashboardHardeningTests.Host host) : IClassFixture<DashboardHardeningTests.Host>
{
    private const string Key = "dashboard-hardening-key";

    [Theory]
    [InlineData("/dashboard?fiscalYear=2025", "/dashboard?fiscalYear=2025")]
    [InlineData("/dashboard/export.csv", "/dashboard/export.csv")]
    [InlineData("/dashboard?a=%0D%0ASet-Cookie", "/dashboard?a=%0D%0ASet-Cookie")]
    [InlineData("/dashboard\r\nSet-Cookie: stolen=1", "/dashboard")]
    [InlineData("/dashboard?fiscalYear=2025\r\nLocation: https://evil.example/", "/dashboard")]
    [InlineData("/dashboard\n", "/dashboard")]
    [InlineData("/dashboard\u2028", "/dashboard")]
    [InlineData("//evil.example/dashboard", "/dashboard")]
    [InlineData("/\\evil.example/dashboard", "/dashboard")]
    [InlineData("/dashboard/\\evil.example", "/dashboard")]
    [InlineData("https://evil.example/dashboard", "/dashboard")]
    [InlineData("javascript:alert(1)", "/dashboard")]
    [InlineData("/dashboard/../api/admin/kpis", "/dashboard")]
    [InlineData("/dashboardx", "/dashboard")]
    [InlineData("/dashboard/login", "/dashboard")]
    [InlineData("/dashboard/signout", "/dashboard")]
    [InlineData("/dashboard?x=<script>", "/dashboard")]
    [InlineData("/dashboard?年度=8", "/dashboard")]
    [InlineData("/dashboard#top", "/dashboard")]
    [InlineData("", "/dashboard")]
    public async Task SignIn_ReturnsOnlyToSafeDashboardPaths(string returnUrl, string expected)
    {
        using var client = host.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.SendAsync(Login(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/signout")]
    [InlineData("/api/admin/kpis/dashboard")]
    [InlineData("/api/admin/kpis")]
    [InlineData("/healthz")]
    public async Task Answers_CarryTheSecurityHeaders_AndThePagesStylesAreAllowedByHash(string path)
    {
        using var client = host.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", path.StartsWith("/api/admin/kpis/dashboard", StringComparison.Ordinal) ? Key : "not-the-key");
        request.Headers.Add("X-Forwarded-For", NextAddress());

        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal); // default-src 'none': no script at all
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        foreach (Match style in StyleElement().Matches(body))
        {
            Assert.Contains(SecurityHeaders.StyleHash(style.Groups[1].Value), csp, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheDashboardPage_HasItsStyleSheet_AllowedByTheCsp()
    {
        using var client = host.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);

        var response = await client.GetAsync(new Uri("/api/admin/kpis/dashboard", UriKind.Relative));
        var style = Assert.Single(StyleElement().Matches(await response.Content.ReadAsStringAsync()));

        Assert.Contains(SecurityHeaders.StyleHash(style.Groups[1].Value), response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost", null, false)]
    [InlineData("https://localhost", null, true)]
    [InlineData("http://localhost", "https", true)]
    public async Task SignInCookie_IsSecure_WheneverTheRequestIsHttps(string baseAddress, string? forwardedProto, bool secure)
    {
        using var client = host.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(baseAddress) });
        using var request = Login("/dashboard");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        var response = await client.SendAsync(request);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("shiogama-dashboard=", cookie, StringComparison.Ordinal);
        Assert.Equal(secure, cookie.Split(';').Any(p => p.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task ForwardedProto_FromAnUntrustedClient_DoesNotChangeTheScheme()
    {
        await using var untrusted = new BotApplication(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key });
        using var client = untrusted.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = Login("/dashboard");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);

        Assert.DoesNotContain("secure", response.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }

    private static int address;

    /// <summary>Each sign-in from its own address (behind the trusted proxy), so the guessing limit stays out of these tests.</summary>
    private static string NextAddress()
    {
        var i = Interlocked.Increment(ref address);
        return string.Create(CultureInfo.InvariantCulture, $"198.19.{i / 250}.{(i % 250) + 1}");
    }

    private static HttpRequestMessage Login(string returnUrl)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login") { Content = new FormUrlEncodedContent([new("key", Key), new("returnUrl", returnUrl)]) };
        request.Headers.Add("X-Forwarded-For", NextAddress());
        return request;
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    /// <summary>One host for the class, its proxy trusted (loopback) so each request can come from its own address.</summary>
    public sealed class Host : IDisposable
    {
        public BotApplication App { get; } = new(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key, ["ReverseProxy:Enabled"] = "true" });

        public void Dispose() => App.Dispose();
    }
}
