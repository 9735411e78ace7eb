using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Staff;

/// <summary>
/// The bot's own access token for the connector (OAuth 2.0 client credentials), cached until shortly
/// before it expires. Without an app id (emulator with AllowUnauthenticated) there is no token.
/// </summary>
internal sealed class ConnectorTokenProvider(IHttpClientFactory http, IOptions<StaffOptions> options, TimeProvider clock, ILogger<ConnectorTokenProvider> logger) : IDisposable
{
    public const string HttpClientName = "staff-token";

    /// <summary>Renew this long before expiry, so a token never expires in flight.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim gate = new(1, 1);
    private string? token;
    private DateTimeOffset renewAt;

    public bool HasCredentials => options.Value.HasAppId;

    public void Dispose() => gate.Dispose();

    public async Task<string?> GetTokenAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!o.HasAppId)
        {
            return null;
        }

        if (token is not null && clock.GetUtcNow() < renewAt)
        {
            return token;
        }

        await gate.WaitAsync(ct);
        try
        {
            if (token is not null && clock.GetUtcNow() < renewAt)
            {
                return token;
            }

            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = o.MicrosoftAppId!,
                ["client_secret"] = o.MicrosoftAppPassword ?? "",
                ["scope"] = o.Scope,
            });
            using var response = await http.CreateClient(HttpClientName).PostAsync(new Uri(o.ResolvedTokenEndpoint), form, ct);
            if (!response.IsSuccessStatusCode)
            {
                // The body may echo the client id; the status says enough to act on (wrong password, tenant).
                logger.LogError("The bot's token request was refused with {StatusCode}; check Staff:MicrosoftAppId, password and tenant", (int)response.StatusCode);
                throw new ConnectorException("token request refused", response.StatusCode);
            }

            var body = await response.Content.ReadFromJsonAsync(ActivityJson.Default.TokenResponse, ct);
            if (body?.AccessToken is not { Length: > 0 } accessToken)
            {
                throw new ConnectorException("token response without access_token", response.StatusCode);
            }

            var lifetime = TimeSpan.FromSeconds(Math.Max(60, body.ExpiresIn ?? 3600));
            token = accessToken;
            renewAt = clock.GetUtcNow() + (lifetime > RenewBefore * 2 ? lifetime - RenewBefore : lifetime / 2);
            return token;
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>The connector REST API (botframework-channel.json): send to a conversation or reply to an activity.</summary>
internal sealed class ConnectorClient(IHttpClientFactory http, ConnectorTokenProvider tokens, ServiceUrlPolicy policy, ILogger<ConnectorClient> logger)
{
    public const string HttpClientName = "staff-connector";

    /// <summary>POST {serviceUrl}v3/conversations/{conversationId}/activities[/{replyToId}].</summary>
    public Task<string?> SendAsync(string serviceUrl, string conversationId, Activity activity, string? replyToId, CancellationToken ct) =>
        CallAsync(HttpMethod.Post, ActivitiesUrl(serviceUrl, conversationId, replyToId), activity, ct);

    /// <summary>PUT {serviceUrl}v3/conversations/{conversationId}/activities/{activityId}: the sent activity replaced (a card updated for everyone).</summary>
    public Task<string?> UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken ct) =>
        CallAsync(HttpMethod.Put, ActivitiesUrl(serviceUrl, conversationId, activityId), activity with { Id = activityId }, ct);

    private async Task<string?> CallAsync(HttpMethod method, Uri url, Activity activity, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url)
        {
            Content = JsonContent.Create(activity, ActivityJson.Default.Activity),
        };

        if (policy.MayReceiveToken(url))
        {
            if (await tokens.GetTokenAsync(ct) is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }
        else if (tokens.HasCredentials)
        {
            logger.LogWarning("Sending to {Host} without the bot's token: the host is not an allowed connector host (Staff:AllowedServiceUrlHosts)", url.Host);
        }

        using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ConnectorException($"connector answered {(int)response.StatusCode}", response.StatusCode);
        }

        try
        {
            return (await response.Content.ReadFromJsonAsync(ActivityJson.Default.ResourceResponse, ct))?.Id;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // some channels answer an empty body; the send itself succeeded
        }
    }

    public static Uri ActivitiesUrl(string serviceUrl, string conversationId, string? replyToId)
    {
        var root = serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/";
        var path = "v3/conversations/" + Uri.EscapeDataString(conversationId) + "/activities";
        if (!string.IsNullOrEmpty(replyToId))
        {
            path += "/" + Uri.EscapeDataString(replyToId);
        }

        return new Uri(new Uri(root, UriKind.Absolute), path);
    }
}

/// <summary>
/// The bot's token goes only to the Bot Framework's connector hosts and those configured: a forged or
/// unexpected serviceUrl must never receive a credential that speaks for the bot.
/// </summary>
internal sealed class ServiceUrlPolicy(IOptions<StaffOptions> options)
{
    private static readonly string[] BuiltIn = ["*.botframework.com", "smba.trafficmanager.net", "*.teams.microsoft.com"];

    public bool MayReceiveToken(Uri url)
    {
        // Plain http only to this machine (a local test connector); a token in clear text elsewhere is exposed.
        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        {
            return false;
        }

        var host = url.IdnHost;
        return BuiltIn.Concat(options.Value.AllowedServiceUrlHosts).Any(pattern => Matches(host, pattern.Trim()));
    }

    private static bool Matches(string host, string pattern) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);
}

internal sealed class ConnectorException(string message, HttpStatusCode status) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>A failure of the network or of the far side, after the resilience pipeline's retries.</summary>
    public static bool IsDeliveryFailure(Exception ex, CancellationToken ct) =>
        ex is ConnectorException or HttpRequestException or Polly.ExecutionRejectedException
        || (ex is OperationCanceledException && !ct.IsCancellationRequested);

    /// <summary>The conversation is gone or the bot was removed: retrying cannot help.</summary>
    public bool IsPermanent => Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.BadRequest;
}
