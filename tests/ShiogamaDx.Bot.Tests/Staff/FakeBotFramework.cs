using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ShiogamaDx.Bot.Tests.Staff;

/// <summary>What the fake connector received: the raw request target, the bearer token and the activity (POST: sent; PUT: an update).</summary>
public sealed record ReceivedActivity(string RawTarget, string? Authorization, JsonObject Activity, string Method = "POST")
{
    public string? Type => (string?)Activity["type"];
}

/// <summary>The Bot Framework connector as a real HTTP server on loopback; it records every activity sent to it.</summary>
public sealed class FakeConnector : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Channel<ReceivedActivity> received = Channel.CreateUnbounded<ReceivedActivity>();
    private readonly ConcurrentQueue<ReceivedActivity> all = new();

    private FakeConnector(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The status the connector answers with (403: the bot was removed from the conversation).</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;

    public IReadOnlyCollection<ReceivedActivity> All => all;

    private int held;

    /// <summary>While set, each call waits for it before the connector takes the activity (none is taken if the caller goes away).</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Calls that arrived while <see cref="Hold"/> was set.</summary>
    public int Held => Volatile.Read(ref held);

    public static async Task<FakeConnector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var fake = new FakeConnector(app);
        app.MapMethods("/{**path}", ["POST", "PUT"], async (HttpContext http) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
            if (fake.Hold is { } hold)
            {
                // Held before the connector takes it: a bot that dies meanwhile has delivered nothing.
                Interlocked.Increment(ref fake.held);
                await hold.Task.WaitAsync(http.RequestAborted);
            }

            var target = http.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var item = new ReceivedActivity(target, http.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, body, http.Request.Method);
            fake.all.Enqueue(item);

            // Reported once the answer is on the wire: a test that then advances the fake clock must not time
            // out a request still in flight.
            http.Response.OnCompleted(() => fake.received.Writer.WriteAsync(item).AsTask());
            return fake.Status == 200 ? Results.Json(new { id = "sent-" + fake.all.Count }) : Results.StatusCode(fake.Status);
        });
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return fake;
    }

    /// <summary>The next activity the bot sends (real time: answers are asynchronous).</summary>
    public async Task<ReceivedActivity> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        return await received.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Activities up to and including the first one of the given type (e.g. all replies before a marker).</summary>
    public async Task<List<ReceivedActivity>> NextUntilAsync(Func<ReceivedActivity, bool> last)
    {
        var list = new List<ReceivedActivity>();
        while (true)
        {
            var next = await NextAsync();
            list.Add(next);
            if (last(next))
            {
                return list;
            }
        }
    }

    public bool TryTakeNext(out ReceivedActivity? activity) => received.Reader.TryRead(out activity);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

/// <summary>A signing key of the fake Bot Framework, published in its JWKS with the channels it endorses.</summary>
public sealed class TestSigningKey(string kid, params string[] endorsements) : IDisposable
{
    private readonly RSA rsa = RSA.Create(2048);

    public string Kid { get; } = kid;

    public IReadOnlyList<string> Endorsements { get; } = endorsements;

    public JsonObject Jwk()
    {
        var p = rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["endorsements"] = new JsonArray(Endorsements.Select(e => (JsonNode)e).ToArray()),
        };
    }

    public string CreateToken(string issuer, string audience, string? serviceUrl, DateTimeOffset now, TimeSpan? validFor = null, DateTimeOffset? notBefore = null)
    {
        var claims = new Dictionary<string, object>();
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = (notBefore ?? now.AddMinutes(-1)).UtcDateTime,
            NotBefore = (notBefore ?? now.AddMinutes(-1)).UtcDateTime,
            Expires = (now + (validFor ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = Kid }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>An OpenID Connect id_token (real clock: the host validates token lifetimes with the system clock).</summary>
    public string CreateIdToken(string issuer, string audience, IDictionary<string, object> claims, DateTimeOffset now) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now.AddMinutes(-1).UtcDateTime,
            NotBefore = now.AddMinutes(-1).UtcDateTime,
            Expires = now.AddHours(1).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = Kid }, SecurityAlgorithms.RsaSha256),
        });

    public void Dispose() => rsa.Dispose();
}

/// <summary>The person the fake Entra ID signs in, without asking, at its authorize endpoint.</summary>
public sealed record FakeEntraUser(string TenantId, string ObjectId, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Groups);

/// <summary>
/// login.botframework.com (OpenID metadata and JWKS) and login.microsoftonline.com (the token endpoint) as a
/// real HTTP server on loopback. Keys can be rotated while the bot runs. For the dashboard's sign-in it is also
/// Entra ID's OpenID Connect provider: its authorize endpoint approves <see cref="SignedInUser"/> at once and
/// redirects back with a code; its token endpoint redeems the code (checking the PKCE verifier, client and
/// redirect URI) for an id_token signed with the first published key.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> tokenRequests = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> authorizeRequests = new();
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> codes = new();
    private int codeRedemptions;
    private int metadataRequests;
    private int keysRequests;
    private int entraMetadataRequests;

    private FakeIdentityProvider(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public List<TestSigningKey> Published { get; } = [];

    public string MetadataUrl => BaseUrl + "v1/.well-known/openidconfiguration";

    public string TokenEndpoint => BaseUrl + "botframework.com/oauth2/v2.0/token";

    public int MetadataRequests => metadataRequests;

    public int KeysRequests => keysRequests;

    public int EntraMetadataRequests => entraMetadataRequests;

    public string EntraMetadataUrl => BaseUrl + "{tenant}/v2.0/.well-known/openid-configuration";

    public IReadOnlyCollection<IReadOnlyDictionary<string, string>> TokenRequests => tokenRequests;

    /// <summary>Query strings the authorize endpoint received (client_id, redirect_uri, code_challenge, ...).</summary>
    public IReadOnlyCollection<IReadOnlyDictionary<string, string>> AuthorizeRequests => authorizeRequests;

    public int CodeRedemptions => codeRedemptions;

    public FakeEntraUser SignedInUser { get; set; } = new("00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000001", "テスト 職員", [], []);

    public static string Issuer(string tenant) => $"https://login.microsoftonline.com/{tenant}/v2.0";

    public static async Task<FakeIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var fake = new FakeIdentityProvider(app);
        app.MapGet("/v1/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref fake.metadataRequests);
            return Results.Json(new
            {
                issuer = "https://api.botframework.com",
                authorization_endpoint = "https://invalid.botframework.com",
                jwks_uri = fake.BaseUrl + "v1/.well-known/keys",
                id_token_signing_alg_values_supported = new[] { "RS256" },
                token_endpoint_auth_methods_supported = new[] { "private_key_jwt" },
            });
        });
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) =>
        {
            Interlocked.Increment(ref fake.entraMetadataRequests);
            return Results.Json(new
            {
                issuer = Issuer(tenant),
                authorization_endpoint = fake.BaseUrl + tenant + "/oauth2/v2.0/authorize",
                token_endpoint = fake.BaseUrl + tenant + "/oauth2/v2.0/token",
                jwks_uri = fake.BaseUrl + "v1/.well-known/keys",
                response_types_supported = new[] { "code" },
                code_challenge_methods_supported = new[] { "S256" },
                id_token_signing_alg_values_supported = new[] { "RS256" },
            });
        });
        app.MapGet("/{tenant}/oauth2/v2.0/authorize", (HttpContext http, string tenant) =>
        {
            var query = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
            query["tenant"] = tenant;
            fake.authorizeRequests.Enqueue(query);
            if (query.GetValueOrDefault("response_type") != "code" || !query.TryGetValue("redirect_uri", out var redirect) || !query.ContainsKey("client_id"))
            {
                return Results.BadRequest("response_type=code, client_id and redirect_uri are required");
            }

            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
            fake.codes[code] = query;
            var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            return Results.Redirect($"{redirect}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(query.GetValueOrDefault("state") ?? string.Empty)}");
        });
        app.MapGet("/v1/.well-known/keys", () =>
        {
            Interlocked.Increment(ref fake.keysRequests);
            lock (fake.Published)
            {
                return Results.Text(new JsonObject { ["keys"] = new JsonArray(fake.Published.Select(k => (JsonNode)k.Jwk()).ToArray()) }.ToJsonString(), "application/json");
            }
        });
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext http, string tenant) =>
        {
            var form = await http.Request.ReadFormAsync();
            var request = form.ToDictionary(f => f.Key, f => f.Value.ToString());
            request["tenant"] = tenant;
            if (request.GetValueOrDefault("grant_type") == "authorization_code")
            {
                return fake.RedeemCode(request, tenant);
            }

            fake.tokenRequests.Enqueue(request);
            return Results.Json(new { token_type = "Bearer", expires_in = 3600, ext_expires_in = 3600, access_token = "access-token-" + fake.tokenRequests.Count });
        });
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return fake;
    }

    private IResult RedeemCode(Dictionary<string, string> request, string tenant)
    {
        Interlocked.Increment(ref codeRedemptions);
        if (!codes.TryRemove(request.GetValueOrDefault("code") ?? string.Empty, out var authorize))
        {
            return Results.Json(new { error = "invalid_grant", error_description = "unknown or used code" }, statusCode: 400);
        }

        // PKCE (RFC 7636): the verifier must hash to the challenge sent to the authorize endpoint.
        var verifier = request.GetValueOrDefault("code_verifier") ?? string.Empty;
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        if (authorize.GetValueOrDefault("code_challenge_method") != "S256" || authorize.GetValueOrDefault("code_challenge") != challenge
            || request.GetValueOrDefault("redirect_uri") != authorize["redirect_uri"] || request.GetValueOrDefault("client_id") != authorize["client_id"])
        {
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE verifier, redirect_uri or client_id do not match" }, statusCode: 400);
        }

        var user = SignedInUser;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = "sub-" + user.ObjectId,
            ["oid"] = user.ObjectId,
            ["tid"] = user.TenantId,
            ["name"] = user.Name,
            ["preferred_username"] = "staff@example.jp",
            ["ver"] = "2.0",
        };
        if (authorize.TryGetValue("nonce", out var nonce))
        {
            claims["nonce"] = nonce;
        }

        if (user.Roles.Count > 0)
        {
            claims["roles"] = user.Roles.ToArray();
        }

        if (user.Groups.Count > 0)
        {
            claims["groups"] = user.Groups.ToArray();
        }

        // A real access token would be for Microsoft Graph; the host never uses it, but validates its at_hash.
        var accessToken = "dashboard-access-" + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        claims["at_hash"] = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(accessToken))[..16]);

        TestSigningKey key;
        lock (Published)
        {
            key = Published[0];
        }

        var idToken = key.CreateIdToken(Issuer(tenant), authorize["client_id"], claims, DateTimeOffset.UtcNow);
        return Results.Json(new { token_type = "Bearer", expires_in = 3600, access_token = accessToken, id_token = idToken, scope = authorize.GetValueOrDefault("scope") });
    }

    public void Publish(TestSigningKey key)
    {
        lock (Published)
        {
            Published.Add(key);
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
