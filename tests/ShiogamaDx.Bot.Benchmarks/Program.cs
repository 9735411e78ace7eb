using BenchmarkDotNet.Running;

namespace ShiogamaDx.Bot.Benchmarks;

// dotnet run -c Release --project tests/ShiogamaDx.Bot.Benchmarks -- --filter '*'
internal static class BenchmarkMain
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkMain).Assembly).Run(args);
}
