using BenchmarkDotNet.Attributes;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Benchmarks;

/// <summary>The Japanese analysis of one question (normalisation, ICU segmentation, the city's words, bigrams).</summary>
[MemoryDiagnoser]
public class LanguageBenchmarks
{
    private JapaneseAnalysis analysis = null!;

    [Params("じゅうみんひょうをとりたい", "マイナンバーカードを作りたいのですが、どうすればいいですか",
        "生成AIに個人情報を入力してもいいですか", "電子申請が可能な手続数の令和8年度の目標は？")]
    public string Question { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Content");
        analysis = new JapaneseAnalysis(CityWords.Load(Path.Combine(folder, CityWords.FileName)));
        analysis.Analyze(Question); // ICU loads its dictionary on first use
    }

    [GlobalCleanup]
    public void Cleanup() => analysis.Dispose();

    [Benchmark]
    public int Analyze()
    {
        var analyzed = analysis.Analyze(Question);
        return analyzed.Tokens.Count + analyzed.Bigrams().Count();
    }
}
