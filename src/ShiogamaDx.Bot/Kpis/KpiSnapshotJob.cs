using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>
/// Hourly, on the replica holding the job's lease: records the figures computed from the catalog for the current
/// fiscal year (<see cref="KpiService.RecordComputedAsync"/>). When the fiscal year ends, its last record (at most an
/// hour old) is that year's figure, kept however the catalog changes afterwards.
/// </summary>
internal sealed class KpiSnapshotJob(IServiceScopeFactory scopes, WorkLeases leases, ILogger<KpiSnapshotJob> logger) : BackgroundService
{
    public const string LeaseName = "job:kpi-snapshots";

    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(5);

    // A few minutes after start (not at once: a host restarted often still records, a starting host has other work).
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(LeaseName, Interval, FirstRun, RecordAsync, logger, stoppingToken);

    private async Task RecordAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KpiService>().RecordComputedAsync("hourly", ct);
    }
}
