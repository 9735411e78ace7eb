using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Tests.Infrastructure;

/// <summary>
/// The host's job rounds as its metric counts them (<c>shiogama.bot.jobs.runs</c>, this host's meter only). A test
/// that asserts something did NOT happen first waits for the job that would have done it to run again, instead of
/// sleeping and hoping the job had its turn.
/// </summary>
public sealed class JobRuns(IServiceProvider services) : IDisposable
{
    public const string LineOutbox = "line-outbox";
    public const string StaffOutbox = "staff-outbox";

    private readonly MetricCollector<long> collector = new(services.GetRequiredService<IMeterFactory>(), BotMetrics.MeterName, "shiogama.bot.jobs.runs");

    public int Of(string job) => collector.GetMeasurementSnapshot().Count(m => m.Tags.TryGetValue("job", out var tag) && (string?)tag == job);

    /// <summary>
    /// Waits until <paramref name="job"/> has ended <paramref name="rounds"/> more rounds than now (two by default: the
    /// first may have begun before the caller's change), calling <paramref name="tick"/> between looks (a fake clock's step).
    /// </summary>
    public async Task PassAsync(string job, Action? tick = null, int rounds = 2)
    {
        var target = Of(job) + rounds;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Of(job) < target)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{job} did not run {rounds} more times");
            tick?.Invoke();
            await Task.Delay(20);
        }
    }

    public void Dispose() => collector.Dispose();
}
