using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShiogamaDx.Bot.Announcements;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Line;

namespace ShiogamaDx.Bot.Benchmarks;

/// <summary>
/// One announcement to 20,000 LINE friends, end to end: the recipients composed from the friends and their topic
/// choices (SQLite), the chunks released into the outbox, and the LINE worker's multicasts to a stand-in for api.line.me
/// on loopback that holds the host to LINE's documented limit for multicast (200 requests a second: beyond, 429 with
/// Retry-After, as LINE answers). Measured until the stand-in has accepted every recipient. Beside BenchmarkDotNet's
/// time and allocations, the host's working set is sampled during each send: its peak above the idle host is printed.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class AnnouncementBenchmarks
{
    /// <summary>LINE's rate limit for POST /v2/bot/message/multicast (Messaging API reference, "Rate limits").</summary>
    public const int MulticastPerSecond = 200;

    private WebApplicationFactory<Program> factory = null!;
    private WebApplication line = null!;
    private string folder = null!;
    private long accepted;
    private int rejected;
    private readonly Queue<long> window = new();
    private long baseline;

    [Params(20_000)]
    public int Residents { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "shiogama-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        line = StartLine();
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Benchmark")
            .UseSetting("ConnectionStrings:Bot", $"Data Source={Path.Combine(folder, "bench.db")}")
            .UseSetting("Privacy:Key", "bench")
            .UseSetting("Serilog:MinimumLevel:Default", "Warning")
            .UseSetting("Content:Watch", "false")
            .UseSetting("Line:ChannelSecret", "bench-secret")
            .UseSetting("Line:ChannelAccessToken", "bench-token")
            .UseSetting("Line:ApiBaseUrl", line.Urls.First())
            .UseSetting("Line:PollInterval", "00:00:00.100")
            .UseSetting("Announcements:Authors:0", "bench-author")
            .UseSetting("Announcements:Approvers:0", "bench-approver")
            .UseSetting("Announcements:Broadcast", "false")); // the multicast path (a broadcast to everyone is one call)
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.Migrate(db.Database);
            var keys = scope.ServiceProvider.GetRequiredService<PrivacyKeys>();
            var now = DateTimeOffset.UtcNow;
            db.AddRange(Enumerable.Range(0, Residents).Select(i =>
            {
                var id = "U" + i.ToString("x32", CultureInfo.InvariantCulture);
                return new LineUser { UserKey = keys.Pseudonymize("line", id), LineUserId = id, Following = true, FirstSeenAt = now, UpdatedAt = now };
            }));
            db.SaveChanges();
        }

        ContentSeedingExtensions.SeedContentAsync(factory.Services).GetAwaiter().GetResult();
        GC.Collect();
        baseline = Process.GetCurrentProcess().WorkingSet64;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        factory.Dispose();
        line.StopAsync().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        Console.WriteLine($"// LINE stand-in: {Interlocked.Read(ref accepted)} recipients accepted, {rejected} multicasts refused with 429 (over {MulticastPerSecond}/s)");
    }

    /// <summary>Compose, approve (the recipients fixed and the chunks written), and deliver: returns the recipients accepted by LINE.</summary>
    [Benchmark]
    public async Task<long> AnnounceToEveryone()
    {
        var before = Interlocked.Read(ref accepted);
        using var sampling = new CancellationTokenSource();
        var peak = Task.Run(async () =>
        {
            var max = 0L;
            using var self = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                self.Refresh();
                max = Math.Max(max, self.WorkingSet64);
                await Task.Delay(20, CancellationToken.None);
            }

            return max;
        });

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<AnnouncementService>();
            var draft = new AnnouncementDraft("disaster", "断水のお知らせです。本日14時から16時まで、市内の一部で断水します。");
            if (service.Check(draft, out var topic) is { Count: > 0 } problems)
            {
                throw new InvalidOperationException(string.Join("; ", problems));
            }

            var a = await service.CreateAsync(service.StaffKey("bench-author"), topic!, draft, CancellationToken.None);
            var (result, approved) = await service.ApproveAsync(a.Id, service.StaffKey("bench-approver"), CancellationToken.None);
            if (result != ApprovalResult.Approved || approved!.Recipients != Residents)
            {
                throw new InvalidOperationException($"approval: {result}, {approved?.Recipients} recipients");
            }
        }

        var deadline = Stopwatch.StartNew();
        while (Interlocked.Read(ref accepted) - before < Residents)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"LINE accepted {Interlocked.Read(ref accepted) - before} of {Residents}");
            }

            await Task.Delay(10);
        }

        await sampling.CancelAsync();
        Console.WriteLine($"// peak working set {(await peak - baseline) / (1024 * 1024)} MB above the idle host ({baseline / (1024 * 1024)} MB)");
        return Interlocked.Read(ref accepted) - before;
    }

    private WebApplication StartLine()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var web = builder.Build();
        web.MapPost("/v2/bot/message/multicast", async (HttpContext http) =>
        {
            var body = await JsonNode.ParseAsync(http.Request.Body);
            lock (window)
            {
                var now = Stopwatch.GetTimestamp();
                while (window.Count > 0 && Stopwatch.GetElapsedTime(window.Peek(), now) > TimeSpan.FromSeconds(1))
                {
                    window.Dequeue();
                }

                if (window.Count >= MulticastPerSecond)
                {
                    rejected++;
                    http.Response.Headers.RetryAfter = "1";
                    return Results.Json(new JsonObject { ["message"] = "The API rate limit has been exceeded. Try again later." }, statusCode: 429);
                }

                window.Enqueue(now);
            }

            Interlocked.Add(ref accepted, body!["to"]!.AsArray().Count);
            return Results.Json(new JsonObject());
        });
        web.MapGet("/v2/bot/message/quota", () => Results.Json(new JsonObject { ["type"] = "none" }));
        web.MapGet("/v2/bot/message/quota/consumption", () => Results.Json(new JsonObject { ["totalUsage"] = 0 }));
        web.StartAsync().GetAwaiter().GetResult();
        return web;
    }
}
