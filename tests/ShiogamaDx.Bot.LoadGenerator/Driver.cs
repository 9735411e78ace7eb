using System.Diagnostics;
using System.Net;

namespace ShiogamaDx.Bot.LoadGenerator;

/// <summary>The client side: one HttpClient over many keep-alive connections, driven open-loop (fixed rate) or closed-loop (max).</summary>
internal sealed class Driver : IDisposable
{
    private readonly HttpClient http;
    private readonly Webhooks webhooks;
    private readonly EventLog log;

    public Driver(Uri baseAddress, int connections, Webhooks webhooks, EventLog log)
    {
        this.webhooks = webhooks;
        this.log = log;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// Open loop: event n is due at start + n/rate whether or not earlier ones were answered, and its latency counts
    /// from when it was due, so a stalled server shows as latency instead of fewer requests (no coordinated omission).
    /// </summary>
    /// <returns>The index range sent and how long the sending took.</returns>
    public async Task<(int From, int To, TimeSpan Window)> FixedRateAsync(int rate, TimeSpan duration)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var ticksPerEvent = (double)Stopwatch.Frequency / rate;
        var inflight = new List<Task>((int)Math.Min(total, 1_000_000));
        var from = log.Count;
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        await Task.Run(() =>
        {
            // A dedicated loop wakes about every millisecond and sends what is due by then.
            while (sent < total)
            {
                var dueNow = Math.Min(total, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1);
                while (sent < dueNow)
                {
                    var dueAt = start + (long)(sent * ticksPerEvent);
                    inflight.Add(SendAsync(dueAt));
                    sent++;
                }

                Thread.Sleep(1);
            }
        });
        var window = Stopwatch.GetElapsedTime(start);
        await Task.WhenAll(inflight);
        return (from, log.Count, window);
    }

    /// <summary>Closed loop: <paramref name="concurrency"/> senders, each sends the next webhook when the previous one got its answer.</summary>
    public async Task<(int From, int To, TimeSpan Window)> AsFastAsPossibleAsync(int concurrency, TimeSpan duration)
    {
        var from = log.Count;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                if (!await SendAsync(Stopwatch.GetTimestamp()))
                {
                    return;
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        return (from, log.Count, Stopwatch.GetElapsedTime(start));
    }

    private async Task<bool> SendAsync(long dueAt)
    {
        var i = log.Reserve(dueAt);
        if (i < 0)
        {
            return false;
        }

        log.SetKind(i, webhooks.Kind(i));
        try
        {
            using var request = webhooks.Create(i);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            log.Ack(i, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            log.Ack(i, -1);
        }

        return true;
    }

    public void Dispose() => http.Dispose();
}
