using System.Collections.Concurrent;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// The language of each friend's LINE profile, read once a day per person and kept in memory, so the language of a
/// first answer (and of a new friend's greeting) follows the phone's setting without a call per message.
/// </summary>
internal sealed class LineProfileLanguages(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<string, (string? Language, DateTimeOffset Until)> known = new(StringComparer.Ordinal);

    public async Task<string?> LanguageAsync(LineMessagingClient client, string userKey, string lineUserId, CancellationToken ct)
    {
        if (known.TryGetValue(userKey, out var entry) && entry.Until > clock.GetUtcNow())
        {
            return entry.Language;
        }

        var language = await client.ProfileLanguageAsync(lineUserId, ct);
        if (known.Count >= MaxEntries)
        {
            known.Clear();
        }

        known[userKey] = (language, clock.GetUtcNow() + Lifetime);
        return language;
    }
}
