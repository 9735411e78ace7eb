using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Benchmarks;

/// <summary>
/// Procedure answering and KPI lookup per question, without the engine: the procedure index search, and the KPI
/// question reader with its answer rendered from a snapshot read once (the per-turn snapshot read is in
/// <see cref="ConversationBenchmarks"/>).
/// </summary>
[MemoryDiagnoser]
public class LookupBenchmarks
{
    private BenchmarkHost host = null!;
    private ProcedureIndex procedures = null!;
    private KpiQuestionReader kpiReader = null!;
    private KpiAnswers kpiAnswers = null!;
    private KpiSnapshot snapshot = null!;

    // "p:" a resident's procedure question, "k:" a staff KPI question.
    [Params("p:じゅうみんひょうをとりたい", "p:引っ越しの手続き", "p:マイナンバーカードをなくした", "p:児童手当の申請",
        "k:電子申請が可能な手続数の令和8年度の目標は？", "k:スマホ教室の参加者数の実績")]
    public string Question { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        host = BenchmarkHost.Start();
        procedures = host.Procedures();
        using var scope = host.Services.CreateScope();
        kpiReader = scope.ServiceProvider.GetRequiredService<KpiQuestionReader>();
        snapshot = scope.ServiceProvider.GetRequiredService<KpiService>().SnapshotAsync(CancellationToken.None).GetAwaiter().GetResult();
        kpiAnswers = new KpiAnswers(snapshot, host.Services.GetRequiredService<Messages.MessageCatalog>().Current, TimeZoneInfo.Utc, null);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        host.Dispose();
    }

    [Benchmark]
    public int AnswerPerQuestion() =>
        Question.StartsWith("p:", StringComparison.Ordinal)
            ? procedures.Search(Question[2..]).Count
            : kpiAnswers.Answer(kpiReader.Read(Question[2..], 2026, snapshot.LatestActualYear)).Count;
}
