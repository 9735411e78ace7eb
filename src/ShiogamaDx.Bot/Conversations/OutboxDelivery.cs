using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>A channel's way of sending one outbox message: its protocol (LINE, the Bot Framework) behind one seam, as the inbox has.</summary>
internal interface IOutboxChannel
{
    /// <summary>
    /// Sends the message (in the scope's own DbContext), recording on it <see cref="OutboxMessage.SentAt"/>, or
    /// <see cref="OutboxMessage.FailedAt"/>, or a <see cref="OutboxMessage.NotBefore"/> for a retry. False when the
    /// round should stop: the channel is down or paused, and the rest waits for the next round.
    /// </summary>
    Task<bool> SendAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>
/// Delivers one channel's outbox (reminders, surveys, notices, announcements): claims what is due in batches, sends
/// each message through the channel, saves how it went. A committed message wakes it at once (<see cref="OutboxSignals"/>);
/// the poll finds what was due later or what another replica wrote. One instance per channel.
/// </summary>
internal sealed class OutboxDelivery(string channel, bool enabled, TimeSpan pollInterval, IServiceScopeFactory scopes, WorkLeases leases, OutboxSignals signals, BotMetrics metrics, TimeProvider clock, ILogger<OutboxDelivery> logger)
    : BackgroundService
{
    private const int BatchSize = 20;
    private const int MaxBatchesPerRound = 25;

    // One round at a time in this host: tests and the loop may both start one. Claims keep replicas apart.
    private readonly SemaphoreSlim round = new(1, 1);

    public string Channel => channel;


    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (enabled && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
                metrics.JobRan(channel + "-outbox");
                await signals.WaitAsync(channel, pollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Outbox delivery of {Channel} failed; trying again", channel);
                try
                {
                    await Task.Delay(pollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <returns>How many messages were sent.</returns>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        await round.WaitAsync(ct);
        try
        {
            var sent = 0;
            for (var i = 0; i < MaxBatchesPerRound; i++)
            {
                var (claimed, delivered, stop) = await DeliverBatchAsync(ct);
                sent += delivered;
                if (stop || claimed < BatchSize)
                {
                    break;
                }
            }

            return sent;
        }
        finally
        {
            round.Release();
        }
    }

    private async Task<(int Claimed, int Sent, bool Stop)> DeliverBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var sender = scope.ServiceProvider.GetRequiredKeyedService<IOutboxChannel>(channel);
        var claimed = await scope.ServiceProvider.GetRequiredService<Outbox>().ClaimDueAsync(channel, BatchSize, leases.Owner, leases.Duration, ct);
        var (sent, stop) = (0, false);
        try
        {
            foreach (var message in claimed)
            {
                var goOn = await sender.SendAsync(message, ct);
                Outbox.Release(message);
                await db.SaveChangesAsync(ct);
                sent += message.SentAt is null ? 0 : 1;
                if (!goOn)
                {
                    stop = true;
                    break;
                }
            }
        }
        finally
        {
            // What this round did not get to goes back at once, not after the claim expires.
            var left = claimed.Where(m => m.ClaimedBy is not null).ToList();
            if (left.Count > 0)
            {
                left.ForEach(Outbox.Release);
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }

        return (claimed.Count, sent, stop);
    }

    public override void Dispose()
    {
        round.Dispose();
        base.Dispose();
    }
}

internal static class OutboxDeliveryExtensions
{
    /// <summary>
    /// The channel's outbox loop, on and polling as the channel's options say. Registered as a plain
    /// <see cref="IHostedService"/>: AddHostedService keeps one instance of a type, and each channel has its own.
    /// </summary>
    public static IServiceCollection AddOutboxDelivery<TOptions>(this IServiceCollection services, string channel, Func<TOptions, (bool Enabled, TimeSpan PollInterval)> settings)
        where TOptions : class =>
        services.AddSingleton<IHostedService>(sp =>
        {
            var (enabled, pollInterval) = settings(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TOptions>>().Value);
            return ActivatorUtilities.CreateInstance<OutboxDelivery>(sp, channel, enabled, pollInterval);
        });
}
