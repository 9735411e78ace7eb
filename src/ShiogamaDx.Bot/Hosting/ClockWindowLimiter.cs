using System.Threading.RateLimiting;

namespace ShiogamaDx.Bot.Hosting;

/// <summary>
/// A fixed-window limiter on the host's <see cref="TimeProvider"/>: the window starts with the first request and
/// holds <c>permits</c> until it ends. System.Threading.RateLimiting's own limiters read the Stopwatch, so tests
/// could only wait out their window (dotnet/runtime#106447). A refused lease carries RetryAfter (to the window's
/// end) and <see cref="FirstRefusal"/>, true for the first refused lease asked about it in a window, so a burst is
/// logged once: asked, not made, because the rate limiting middleware acquires twice per refused request
/// (AttemptAcquire, then AcquireAsync) and reads only the second.
/// </summary>
internal sealed class ClockWindowLimiter(TimeProvider clock, int permits, TimeSpan window) : RateLimiter
{
    public static readonly MetadataName<bool> FirstRefusal = MetadataName.Create<bool>("FIRST_REFUSAL");

    private static readonly RateLimitLease Granted = new Lease(null, null, default);

    private readonly Lock gate = new();
    private DateTimeOffset windowEnd = DateTimeOffset.MinValue;
    private int used;
    private DateTimeOffset reportedWindowEnd = DateTimeOffset.MinValue;

    /// <summary>Idle once its window has ended: the partitioned limiter then drops it, so addresses seen once do not pile up.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (gate)
            {
                var now = clock.GetUtcNow();
                return now >= windowEnd ? now - windowEnd : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (gate)
        {
            return new RateLimiterStatistics { CurrentAvailablePermits = clock.GetUtcNow() >= windowEnd ? permits : permits - used };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (now >= windowEnd)
            {
                windowEnd = now + window;
                used = 0;
            }

            if (used + permitCount <= permits)
            {
                used += permitCount;
                return Granted;
            }

            return new Lease(this, windowEnd - now, windowEnd);
        }
    }

    // No queue: a refused attempt is answered at once.
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) => new(AttemptAcquireCore(permitCount));

    /// <summary>True once per window: for the first refused lease of that window whose metadata is read.</summary>
    private bool ClaimReport(DateTimeOffset leaseWindowEnd)
    {
        lock (gate)
        {
            if (reportedWindowEnd == leaseWindowEnd)
            {
                return false;
            }

            reportedWindowEnd = leaseWindowEnd;
            return true;
        }
    }

    /// <param name="refusedBy">Null for a granted lease.</param>
    private sealed class Lease(ClockWindowLimiter? refusedBy, TimeSpan? retryAfter, DateTimeOffset windowEnd) : RateLimitLease
    {
        public override bool IsAcquired => refusedBy is null;

        public override IEnumerable<string> MetadataNames => refusedBy is null ? [] : [MetadataName.RetryAfter.Name, FirstRefusal.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = refusedBy is null ? null
                : metadataName == MetadataName.RetryAfter.Name ? retryAfter
                : metadataName == FirstRefusal.Name ? refusedBy.ClaimReport(windowEnd)
                : null;
            return metadata is not null;
        }
    }
}
