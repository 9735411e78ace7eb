using System.Collections.Concurrent;

namespace ShiogamaDx.Bot.Line;

/// <summary>
/// The LINE friends whose id this process has stored recently, so a person's every message does not read (and
/// maybe write) their row again. Entries are short-lived: another replica may erase a person meanwhile (unfollow,
/// an erasure request), and then their next message must store them again.
/// </summary>
internal sealed class KnownLineUsers(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>A burst of 18,000 friends fits; beyond this the memory is simply started again.</summary>
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<string, (string LineUserId, DateTimeOffset Until)> stored = new(StringComparer.Ordinal);

    public bool IsStored(string userKey, string lineUserId) =>
        stored.TryGetValue(userKey, out var entry) && entry.LineUserId == lineUserId && entry.Until > clock.GetUtcNow();

    public void Stored(string userKey, string lineUserId)
    {
        if (stored.Count >= MaxEntries)
        {
            stored.Clear();
        }

        stored[userKey] = (lineUserId, clock.GetUtcNow() + Lifetime);
    }

    public void Forget(string userKey) => stored.TryRemove(userKey, out _);
}
