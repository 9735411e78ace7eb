using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ShiogamaDx.Bot.Staff;

/// <summary>
/// Verifies the bearer token the Bot Framework sends with each activity (bot-docs "Authentication with
/// the Bot Connector API", connector → bot): signed by a key of the OpenID metadata, issuer, audience =
/// our app id, lifetime with 5 minutes of skew, the serviceurl claim equal to the activity's serviceUrl,
/// and the signing key endorsed for the activity's channel.
/// </summary>
internal sealed class BotFrameworkAuthenticator : IDisposable
{
    public const string HttpClientName = "staff-openid";
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly StaffOptions options;
    private readonly TimeProvider clock;
    private readonly IReadOnlyList<OpenIdKeySource> sources;
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    public BotFrameworkAuthenticator(IOptions<StaffOptions> options, IHttpClientFactory http, TimeProvider clock, ILogger<BotFrameworkAuthenticator> logger)
    {
        this.options = options.Value;
        this.clock = clock;
        var list = new List<OpenIdKeySource>
        {
            new(this.options.OpenIdMetadataUrl, [BotFrameworkIssuer], requireEndorsement: true, http, clock, logger),
        };
        if (!string.IsNullOrWhiteSpace(this.options.MicrosoftAppTenantId))
        {
            // Single-tenant apps: the Bot Framework may present tokens issued by the app's own Entra ID tenant.
            var tenant = this.options.MicrosoftAppTenantId;
            list.Add(new(
                this.options.EntraOpenIdMetadataUrl.Replace("{tenant}", Uri.EscapeDataString(tenant), StringComparison.Ordinal),
                [$"https://login.microsoftonline.com/{tenant}/v2.0", $"https://sts.windows.net/{tenant}/"],
                requireEndorsement: false,
                http,
                clock,
                logger));
        }

        sources = list;
    }

    /// <summary>
    /// The token on its own, before the body is read: signature, issuer, audience, lifetime. The claims that must
    /// match the activity (serviceurl, the key's endorsement for the channel) are checked after, by
    /// <see cref="VerifiedToken.Admits"/>.
    /// </summary>
    /// <returns>The verified token, or the reason it is not (for a Debug log only).</returns>
    public async Task<(VerifiedToken? Token, string? Failure)> AuthenticateAsync(string? authorization, CancellationToken ct)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "no bearer token");
        }

        if (!options.HasAppId)
        {
            return (null, "no app id configured to verify against");
        }

        var raw = authorization["Bearer ".Length..].Trim();
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return (null, "malformed token"); // SecurityTokenMalformedException is one too
        }

        var source = sources.FirstOrDefault(s => s.Issuers.Contains(jwt.Issuer, StringComparer.Ordinal));
        if (source is null)
        {
            return (null, "issuer not accepted");
        }

        var key = await source.FindKeyAsync(jwt.Kid, ct);
        if (key is null)
        {
            return (null, "signing key unknown");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuers = source.Issuers,
            ValidAudience = options.MicrosoftAppId,
            IssuerSigningKey = key.Key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                // The host's clock (TimeProvider), not DateTime.UtcNow, so tests and the host agree on "now".
                var now = clock.GetUtcNow().UtcDateTime;
                return expires is { } exp && now <= exp.ToUniversalTime() + ClockSkew
                    && (notBefore is not { } nbf || now >= nbf.ToUniversalTime() - ClockSkew);
            },
        };
        var result = await handler.ValidateTokenAsync(raw, parameters);
        if (!result.IsValid)
        {
            return (null, "token invalid: " + result.Exception?.GetType().Name);
        }

        var serviceUrl = result.Claims.TryGetValue("serviceurl", out var claim) ? claim as string : null;
        return (new VerifiedToken(serviceUrl, source.RequireEndorsement ? key.Endorsements : null), null);
    }

    public void Dispose()
    {
        foreach (var source in sources)
        {
            source.Dispose();
        }
    }

}

/// <summary>A token whose signature, issuer, audience and lifetime were verified.</summary>
/// <param name="Endorsements">The channels its signing key may sign for; null when the issuer does not endorse keys (Entra ID).</param>
internal sealed record VerifiedToken(string? ServiceUrl, IReadOnlyList<string>? Endorsements)
{
    /// <summary>Null when the token speaks for this activity, else the reason (for a Debug log only).</summary>
    public string? Admits(Activity activity)
    {
        if (ServiceUrl is null || activity.ServiceUrl is null || !string.Equals(ServiceUrl.TrimEnd('/'), activity.ServiceUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            return "serviceurl claim does not match the activity";
        }

        if (Endorsements is not null && (string.IsNullOrEmpty(activity.ChannelId) || !Endorsements.Contains(activity.ChannelId, StringComparer.Ordinal)))
        {
            return "signing key not endorsed for the channel";
        }

        return null;
    }
}

internal sealed record EndorsedKey(SecurityKey Key, IReadOnlyList<string> Endorsements);

/// <summary>
/// Signing keys of one OpenID metadata document, cached: reloaded when older than <see cref="MaxAge"/>
/// (keys rotate; the Bot Framework asks for at least daily) and when a token names a key not yet seen
/// (a rotation in between), at most once per <see cref="MinRefreshInterval"/> so unknown kids cannot be
/// used to hammer the metadata endpoint.
/// </summary>
internal sealed class OpenIdKeySource(string metadataUrl, IReadOnlyList<string> issuers, bool requireEndorsement, IHttpClientFactory http, TimeProvider clock, ILogger logger) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(12);
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim gate = new(1, 1);
    private IReadOnlyDictionary<string, EndorsedKey> keys = new Dictionary<string, EndorsedKey>();
    private DateTimeOffset loadedAt = DateTimeOffset.MinValue;
    private DateTimeOffset lastAttempt = DateTimeOffset.MinValue;

    public IReadOnlyList<string> Issuers => issuers;

    public void Dispose() => gate.Dispose();

    public bool RequireEndorsement => requireEndorsement;

    public async Task<EndorsedKey?> FindKeyAsync(string? kid, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(kid))
        {
            return null;
        }

        var stale = clock.GetUtcNow() - loadedAt > MaxAge;
        if (!stale && keys.TryGetValue(kid, out var known))
        {
            return known;
        }

        await gate.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            stale = now - loadedAt > MaxAge;
            if ((stale || !keys.ContainsKey(kid)) && now - lastAttempt >= MinRefreshInterval)
            {
                lastAttempt = now;
                await LoadAsync(ct);
            }

            return keys.TryGetValue(kid, out var key) ? key : null;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        try
        {
            var client = http.CreateClient(BotFrameworkAuthenticator.HttpClientName);
            var metadata = OpenIdConnectConfiguration.Create(await client.GetStringAsync(Checked(metadataUrl), ct));
            keys = new JsonWebKeySet(await client.GetStringAsync(Checked(metadata.JwksUri), ct)).Keys
                .Where(k => !string.IsNullOrEmpty(k.Kid) && (k.Use is null || k.Use == "sig"))
                .GroupBy(k => k.Kid, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new EndorsedKey(g.First(), Endorsements(g.First())), StringComparer.Ordinal);
            loadedAt = clock.GetUtcNow();
            logger.LogInformation("Loaded {Count} signing keys from {MetadataUrl}", keys.Count, metadataUrl);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException || ConnectorException.IsDeliveryFailure(ex, ct))
        {
            // Keep the keys we have: a brief outage of the metadata endpoint must not reject every activity.
            logger.LogWarning("Could not load signing keys from {MetadataUrl}: {Error}", metadataUrl, ex.Message);
        }
    }

    /// <summary>The Bot Framework's JWKS adds "endorsements" (the channels a key may sign for) to each key, which the key keeps as additional data.</summary>
    private static IReadOnlyList<string> Endorsements(JsonWebKey key) => key.AdditionalData.TryGetValue("endorsements", out var value) ? value switch
    {
        JsonElement { ValueKind: JsonValueKind.Array } list => list.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList(),
        IEnumerable<object> list => list.OfType<string>().ToList(),
        _ => [],
    } : [];

    /// <summary>Keys over plain http only from this machine (a test server); anywhere else they could be swapped in transit.</summary>
    private static Uri Checked(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            throw new InvalidOperationException($"OpenID metadata must be fetched over https ({uri.Host}).");
        }

        return uri;
    }
}
