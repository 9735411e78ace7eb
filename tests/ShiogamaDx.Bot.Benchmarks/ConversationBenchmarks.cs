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
    private BenchmarkHost host = null!;
    private int user;

    [Params("r:こんにちは", "r:じゅうみんひょうをとりたい", "r:スマホ教室", "s:電子申請が可能な手続数の令和8年度の目標は？", "s:生成AIに個人情報を入力してもいいですか")]
    public string Question { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        host = BenchmarkHost.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        host.Dispose();
    }

    [Benchmark]
    public string Normalize() => TextNormalizer.Normalize(Question[2..]);

    [Benchmark]
    public async Task<int> EngineTurn()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<ConversationEngine>();
        var key = "bench-" + (user++ % 1000);
        var audience = Question.StartsWith("s:", StringComparison.Ordinal) ? Audience.Staff : Audience.Resident;
        var replies = await engine.HandleAsync(IncomingMessage.FromText("bench", audience, key, Question[2..], DateTimeOffset.UtcNow), CancellationToken.None);
        return replies.Count;
    }
}
