using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Benchmarks;

/// <summary>
/// A resident's turn as traffic brings them: every call a question the host has not just seen (the catalog's names,
/// in turn); the turn's one analysis (<c>Turn.Analyzed</c>) is shared only by the handlers of that turn, as in
/// production. <see cref="ConversationBenchmarks"/> and <see cref="LookupBenchmarks"/> repeat one question.
/// </summary>
[MemoryDiagnoser]
public class ResidentTurnBenchmarks
{
    // The catalog's first names: a new question each call for a while.
    private const int Questions = 48;

    private BenchmarkHost host = null!;
    private ProcedureIndex procedures = null!;
    private string[] questions = [];
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        host = BenchmarkHost.Start();
        procedures = host.Procedures();
        questions = [.. procedures.Procedures.Take(Questions).Select(p => p.Name + "をしたい")];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        host.Dispose();
    }

    /// <summary>One resident's turn through the real engine and SQLite, a fresh scope as the workers use.</summary>
    [Benchmark]
    public async Task<int> EngineTurn()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<ConversationEngine>();
        var n = next++;
        var text = questions[n % questions.Length];
        var replies = await engine.HandleAsync(IncomingMessage.FromText("bench", Audience.Resident, "bench-" + (n % 1000), text, DateTimeOffset.UtcNow), CancellationToken.None);
        return replies.Count;
    }

    /// <summary>The catalog's search alone, a new question each call.</summary>
    [Benchmark]
    public int ProcedureSearch() => procedures.Search(questions[next++ % questions.Length]).Count;
}
