using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Line;

internal enum RateDecision
{
    Answer,

    /// <summary>The first event over the limit: answered with <c>line.slow-down</c>, once.</summary>
    SlowDown,

    /// <summary>Further events over the limit: stored and marked, not answered (no flood of "please wait").</summary>
    Drop,
}

/// <summary>
/// A token bucket per person, so one person flooding the account cannot take the engine and LINE's rate limit from
/// the others. It runs on the events' own timestamps (when the person sent them), not on when the worker gets to
/// them: a backlog after a restart is not mistaken for a flood, and the decision for an event is the same whenever
/// it is made. System.Threading.RateLimiting replenishes on the wall clock, which is why it is not used here.
/// </summary>
internal sealed class LineUserRateLimiter(IOptions<LineOptions> options)
{
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> buckets = new(StringComparer.Ordinal);

    public RateDecision Decide(string userKey, DateTimeOffset sentAt)
    {
        var o = options.Value;
        var perSecond = o.UserMessagesPerMinute / 60.0;
        if (buckets.Count > PruneAbove)
        {
            Prune(sentAt, o.UserBurst / perSecond);
        }

        var bucket = buckets.GetOrAdd(userKey, _ => new Bucket(o.UserBurst, sentAt));
        lock (bucket)
        {
            // Events of one person are handled in timestamp order; the max keeps a late straggler from refilling.
            if (sentAt > bucket.Last)
            {
                bucket.Tokens = Math.Min(o.UserBurst, bucket.Tokens + ((sentAt - bucket.Last).TotalSeconds * perSecond));
                bucket.Last = sentAt;
            }

            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                bucket.Told = false;
                return RateDecision.Answer;
            }

            if (bucket.Told)
            {
                return RateDecision.Drop;
            }

            bucket.Told = true;
            return RateDecision.SlowDown;
        }
    }

    private void Prune(DateTimeOffset now, double secondsToRefill)
    {
        foreach (var (key, bucket) in buckets)
        {
            if ((now - bucket.Last).TotalSeconds > secondsToRefill)
            {
                buckets.TryRemove(key, out _);
            }
        }
    }

    private sealed class Bucket(double tokens, DateTimeOffset last)
    {
        public double Tokens { get; set; } = tokens;

        public DateTimeOffset Last { get; set; } = last;

        public bool Told { get; set; }
    }
}
