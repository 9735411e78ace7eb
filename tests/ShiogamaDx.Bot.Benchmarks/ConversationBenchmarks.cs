using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Benchmarks;

/// <summary>
/// Cost of one turn through the real engine and SQLite, per kind of question (procedure, class, KPI, guideline),
/// and of the text normaliser alone.
/// </summary>
[MemoryDiagnoser]
public class ConversationBenchmarks
{
    private WebApplicationFactory<Program> factory = null!;
    private string folder = null!;
    private int user;

    [Params("r:こんにちは", "r:じゅうみんひょうをとりたい", "r:スマホ教室", "s:電子申請が可能な手続数の令和8年度の目標は？", "s:生成AIに個人情報を入力してもいいですか")]
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
    public string Normalize() => TextNormalizer.Normalize(Question[2..]);

    [Benchmark]
    public async Task<int> EngineTurn()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<ConversationEngine>();
        var key = "bench-" + (user++ % 1000);
        var audience = Question.StartsWith("s:", StringComparison.Ordinal) ? Audience.Staff : Audience.Resident;
        var replies = await engine.HandleAsync(IncomingMessage.FromText("bench", audience, key, Question[2..], DateTimeOffset.UtcNow), CancellationToken.None);
        return replies.Count;
    }
}
