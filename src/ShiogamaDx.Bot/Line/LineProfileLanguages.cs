using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// The language of each friend's LINE profile, read once a day per person and kept in memory, so the language of a
/// first answer (and of a new friend's greeting) follows the phone's setting without a call per message. Its own
/// short-timeout client, outside the delivery pipeline: a hint must neither wait on LINE nor count in the circuit
/// breaker that protects delivery. A profile read whose language has no pack (Japanese again) forgets the language kept
/// from an earlier profile; the turn keeps a pack's language (<see cref="Localization.LanguageDiversion"/>).
/// </summary>
internal sealed class LineProfileLanguages(IHttpClientFactory clients, IServiceScopeFactory scopes, Localization.LanguageCatalog catalog, TimeProvider clock, ILogger<LineProfileLanguages> logger)
{
    public const string HttpClientName = "line-profile";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<string, (string? Language, DateTimeOffset Until)> known = new(StringComparer.Ordinal);

    public static void Configure(IServiceProvider services, HttpClient http)
    {
        var o = services.GetRequiredService<IOptions<LineOptions>>().Value;
        http.BaseAddress = new Uri(o.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/");
        http.Timeout = TimeSpan.FromSeconds(3);
        if (!string.IsNullOrWhiteSpace(o.ChannelAccessToken))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.ChannelAccessToken);
        }
    }

    public async Task<string?> LanguageAsync(string userKey, string lineUserId, CancellationToken ct)
    {
        if (known.TryGetValue(userKey, out var entry) && entry.Until > clock.GetUtcNow())
        {
            return entry.Language;
        }

        var language = await ReadAsync(lineUserId, ct);
        if (known.Count >= MaxEntries)
        {
            known.Clear();
        }

        known[userKey] = (language, clock.GetUtcNow() + Lifetime);
        if (language is not null && Localization.LanguageDiversion.FromLocale(language, catalog.Packs) is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Localization.ResidentLanguages>().ForgetProfileAsync(userKey, ct);
        }

        return language;
    }

    /// <summary>GET /v2/bot/profile/{userId}: the language (en, zh-Hans, ko, pt-BR …); null when unknown or not readable now.</summary>
    private async Task<string?> ReadAsync(string lineUserId, CancellationToken ct)
    {
        try
        {
            using var response = await clients.CreateClient(HttpClientName).GetAsync("v2/bot/profile/" + Uri.EscapeDataString(lineUserId), ct);
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync(LineMessageJson.Default.LineProfileResponse, ct))?.Language
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogWarning("LINE profile could not be read: {Error}", ex.GetType().Name);
            return null;
        }
    }
}
