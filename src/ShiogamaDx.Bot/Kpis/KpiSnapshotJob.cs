using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>
/// Hourly, on the replica holding the job's lease: records the figures computed from the catalog for the current
/// fiscal year (<see cref="KpiService.RecordComputedAsync"/>). When the fiscal year ends, its last record (at most an
/// hour old) is that year's figure, kept however the catalog changes afterwards.
/// </summary>
internal sealed class KpiSnapshotJob(IServiceScopeFactory scopes, WorkLeases leases, TimeProvider clock, ILogger<KpiSnapshotJob> logger) : BackgroundService
{
    public const string LeaseName = "job:kpi-snapshots";

    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A few minutes after start (not at once: a host restarted often still records, a starting host has other work).
        await Task.Delay(FirstRun, clock, stoppingToken);
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                if (!await leases.TryAcquireAsync(LeaseName, WorkLeases.JobLease(Interval), stoppingToken))
                {
                    continue;
                }

                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<KpiService>().RecordComputedAsync("hourly", stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Recording the computed KPIs failed; retrying next hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
