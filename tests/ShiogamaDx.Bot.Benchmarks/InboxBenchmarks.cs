using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Inbox;

namespace ShiogamaDx.Bot.Benchmarks;

/// <summary>
/// The webhook's store before its 200: one group commit of <see cref="Rows"/> LINE events into the real SQLite inbox.
/// Divide the mean by the rows for the cost of one event: it should not grow with the batch (a burst makes batches of
/// hundreds).
/// </summary>
[MemoryDiagnoser]
public class InboxBenchmarks
{
    private BenchmarkHost host = null!;
    private InboxWriter writer = null!;
    private long next;

    [Params(1, 16, 128, 512)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        host = BenchmarkHost.Start(seed: false, ("Line:ChannelSecret", "bench"), ("Inbox:PollInterval", "00:10:00"));

        writer = host.Services.GetRequiredService<InboxWriter>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        host.Dispose();
    }

    [Benchmark]
    public Task<int> Store()
    {
        var now = DateTimeOffset.UtcNow;
        var items = new InboxItem[Rows];
        for (var i = 0; i < Rows; i++)
        {
            var n = ++next;
            items[i] = new InboxItem
            {
                Channel = "bench", // no channel answers it: the worker leaves the rows alone
                EventId = "01JBENCH" + n.ToString("D18", System.Globalization.CultureInfo.InvariantCulture),
                Type = "message",
                PersonKey = "person-" + (n % 5000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                MessageId = n.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Timestamp = now,
                ReceivedAt = now,
                NextAttemptAt = now.AddDays(1),
                PayloadJson = "{\"type\":\"message\",\"message\":{\"type\":\"text\",\"text\":\"じゅうみんひょうをとりたいです\"}}",
                RetryKey = Guid.NewGuid(),
            };
        }

        return writer.StoreAsync(items, CancellationToken.None);
    }
}
