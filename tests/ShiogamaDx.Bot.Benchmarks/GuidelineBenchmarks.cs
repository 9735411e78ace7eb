using BenchmarkDotNet.Attributes;
using ShiogamaDx.Bot.Guidelines;

namespace ShiogamaDx.Bot.Benchmarks;

/// <summary>
/// Guideline retrieval per question (Lucene search, coverage and ranking; no engine, no database), over the
/// first 50 questions of each evaluation set, so the figure is the mean time of one question.
/// </summary>
[MemoryDiagnoser]
public class GuidelineBenchmarks
{
    private const int QuestionsPerSet = 50;

    private readonly GuidelinesOptions options = new();
    private GuidelineIndex index = null!;
    private string[] questions = [];

    [Params("guideline-questions.tsv", "guideline-heldout.tsv")]
    public string Set { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var content = Path.Combine(AppContext.BaseDirectory, "Content");
        var sections = GuidelineLoader.LoadFolder(Path.Combine(content, "guidelines"), (file, ex) => throw new InvalidOperationException(file, ex));
        var synonyms = Path.Combine(content, "guideline-synonyms.txt");
        index = GuidelineIndex.Build(sections, GuidelineSynonyms.Parse(File.ReadAllText(synonyms), synonyms), options);
        questions = File.ReadAllLines(Path.Combine(RepoRoot(), "tests", "ShiogamaDx.Bot.Tests", "Guidelines", Set))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t')[0])
            .Take(QuestionsPerSet)
            .ToArray();
        if (questions.Length != QuestionsPerSet)
        {
            throw new InvalidOperationException($"{Set} has fewer than {QuestionsPerSet} questions");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => index.Dispose();

    [Benchmark(OperationsPerInvoke = QuestionsPerSet)]
    public int RetrievePerQuestion()
    {
        var found = 0;
        foreach (var question in questions)
        {
            found += index.Search(question).Confident(options).Count;
        }

        return found;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ShiogamaDx.Bot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ShiogamaDx.Bot.sln not found above " + AppContext.BaseDirectory);
    }
}
