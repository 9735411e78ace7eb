using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Benchmarks;

/// <summary>Cost of one resident turn through the real engine and SQLite, and of the text normaliser alone.</summary>
[MemoryDiagnoser]
public class ConversationBenchmarks
{
    private WebApplicationFactory<Program> factory = null!;
    private string folder = null!;
    private int user;

    [Params("こんにちは", "じゅうみんひょうをとりたい", "スマホ教室")]
    public string Question { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "shiogama-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Benchmark")
            .UseSetting("ConnectionStrings:Bot", $"Data Source={Path.Combine(folder, "bench.db")}")
            .UseSetting("Privacy:Key", "bench")
            .UseSetting("Serilog:MinimumLevel:Default", "Warning"));
        using var scope = factory.Services.CreateScope();
        Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.Migrate(scope.ServiceProvider.GetRequiredService<Data.BotDbContext>().Database);
        Data.ContentSeedingExtensions.SeedContentAsync(factory.Services).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark]
    public string Normalize() => TextNormalizer.Normalize(Question);

    [Benchmark]
    public async Task<int> EngineTurn()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<ConversationEngine>();
        var key = "bench-" + (user++ % 1000);
        var replies = await engine.HandleAsync(IncomingMessage.FromText("bench", Audience.Resident, key, Question, DateTimeOffset.UtcNow), CancellationToken.None);
        return replies.Count;
    }
}
