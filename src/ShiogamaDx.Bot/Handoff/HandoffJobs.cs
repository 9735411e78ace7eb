using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Handoff;

/// <summary>
/// Unclaimed requests past <see cref="HandoffOptions.ClaimTimeout"/> of office time: the resident is told kindly and
/// given the phone number, once, and the request stays in the queue. Closed handoffs past the retention are erased,
/// and a request never finished (no question sent) is dropped after a day.
/// </summary>
public sealed class HandoffJobs(IServiceScopeFactory scopes, WorkLeases leases, TimeProvider clock, IOptions<HandoffOptions> options, ILogger<HandoffJobs> logger) : BackgroundService
{
    public const string LeaseName = "job:handoff";

    private readonly SemaphoreSlim gate = new(1, 1);

    public override void Dispose()
    {
        gate.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(LeaseName, options.Value.CheckInterval, options.Value.CheckInterval, TickAsync, logger, stoppingToken);

    /// <returns>Residents told of a timeout, and handoffs erased.</returns>
    public async Task<(int TimedOut, int Erased)> TickAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var desk = scope.ServiceProvider.GetRequiredService<HandoffDesk>();
            var now = clock.GetUtcNow();
            var due = await db.Set<HandoffCase>().Where(h => h.Status == HandoffStatus.Waiting && h.TimedOutAt == null && h.ClaimDueAt <= now).Take(100).ToListAsync(ct);
            foreach (var open in due)
            {
                await desk.TimeOutAsync(open, now, ct);
            }

            await db.SaveChangesAsync(ct);
            var kept = now - TimeSpan.FromDays(options.Value.RetentionDays);
            var erased = await db.Set<HandoffCase>().Where(h => h.Status == HandoffStatus.Closed && h.ClosedAt < kept).ExecuteDeleteAsync(ct);
            var abandoned = now - TimeSpan.FromDays(1);
            erased += await db.Set<HandoffCase>().Where(h => h.Status == HandoffStatus.Asking && h.CreatedAt < abandoned).ExecuteDeleteAsync(ct);
            await db.Set<HandoffStreak>().Where(s => s.At < abandoned).ExecuteDeleteAsync(ct);
            if (due.Count + erased > 0)
            {
                logger.LogInformation("Handoff: {TimedOut} resident(s) told nobody has claimed yet, {Erased} handoff(s) erased", due.Count, erased);
            }

            return (due.Count, erased);
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>A resident who leaves (blocks the account) takes their handoffs with them: messages, times, rating.</summary>
public sealed class HandoffDataEraser(BotDbContext db) : IPersonalDataEraser
{
    public async Task EraseAsync(string userKey, CancellationToken cancellationToken)
    {
        var ids = await db.Set<HandoffCase>().Where(h => h.UserKey == userKey).Select(h => h.Id).ToListAsync(cancellationToken);
        await db.Set<HandoffMessage>().Where(m => ids.Contains(m.HandoffId)).ExecuteDeleteAsync(cancellationToken);
        await db.Set<HandoffCase>().Where(h => h.UserKey == userKey).ExecuteDeleteAsync(cancellationToken);
        await db.Set<HandoffStreak>().Where(s => s.UserKey == userKey).ExecuteDeleteAsync(cancellationToken);
    }
}
