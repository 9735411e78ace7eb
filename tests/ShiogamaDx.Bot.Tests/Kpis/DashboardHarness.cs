using System.Net;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Staff;

namespace ShiogamaDx.Bot.Tests.Kpis;

/// <summary>
/// The host on real Kestrel (loopback) with the dashboard's Entra ID sign-in pointed at the fake identity
/// provider, itself a real server on loopback. The signed-in user is of the city's tenant with the dashboard role
/// until a test changes <see cref="FakeIdentityProvider.SignedInUser"/>.
/// </summary>
public sealed class DashboardHarness : IAsyncDisposable
{
    public const string TenantId = "5c1d3e2a-7f40-4b8e-9a61-0d2f3c4b5a69";
    public const string ClientId = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4";
    public const string Role = "KpiDashboard.Read";
    public const string ApiKey = "dashboard-test-key";

    private readonly TestSigningKey key;

    private DashboardHarness(FakeIdentityProvider identity, TestSigningKey key, BotApplication app, Uri baseUrl)
    {
        Identity = identity;
        this.key = key;
        App = app;
        BaseUrl = baseUrl;
    }

    public FakeIdentityProvider Identity { get; }

    public BotApplication App { get; }

    public Uri BaseUrl { get; }

    public static FakeEntraUser Staff => new(TenantId, "0b7e2c1a-1111-4222-8333-944455556666", "塩竈 花子", [Role], []);

    public static async Task<DashboardHarness> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var identity = await FakeIdentityProvider.StartAsync();
        var key = new TestSigningKey("idp-key-1");
        identity.Publish(key);
        identity.SignedInUser = Staff;
        var all = new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = ApiKey,
            ["Dashboard:EntraId:Instance"] = identity.BaseUrl.ToString(),
            ["Dashboard:EntraId:TenantId"] = TenantId,
            ["Dashboard:EntraId:ClientId"] = ClientId,
            ["Dashboard:EntraId:ClientSecret"] = "test-client-secret",
            ["Dashboard:EntraId:AllowedRoles:0"] = Role,
        };
        foreach (var (k, v) in settings ?? [])
        {
            all[k] = v;
        }

        // The real clock: browsers and HttpClient drop cookies whose Expires (set from the host's clock) has passed.
        var app = new BotApplication(all, now: DateTimeOffset.UtcNow);
        var baseUrl = app.StartOnLoopback();
        return new DashboardHarness(identity, key, app, baseUrl);
    }

    /// <summary>Like a browser: keeps cookies per host and follows redirects across hosts (or not).</summary>
    public static (HttpClient Client, CookieContainer Cookies) Browser(Uri baseUrl, bool followRedirects = true)
    {
        var cookies = new CookieContainer();
        var handler = new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = followRedirects, MaxAutomaticRedirections = 10 };
        return (new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) }, cookies);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Identity.DisposeAsync();
        key.Dispose();
    }
}
