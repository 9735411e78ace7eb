namespace ShiogamaDx.Bot.Hosting;

/// <summary>
/// Wakes a background loop before its poll interval runs out. Notifications while nobody waits collapse into one:
/// a loop re-reads all due work when it wakes, so one wake-up covers any number of notifications.
/// </summary>
internal class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);
    private readonly Lock gate = new();

    public void Dispose()
    {
        signal.Dispose();
        GC.SuppressFinalize(this);
    }

    public void Notify()
    {
        lock (gate)
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
    }

    /// <summary>Returns when notified or when <paramref name="timeout"/> has passed on <paramref name="clock"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.WhenAny(signal.WaitAsync(cts.Token), Task.Delay(timeout, clock, cts.Token));
        await cts.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }
}
