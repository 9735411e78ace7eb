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
        var own = GuidelineSynonyms.ForDocuments(Path.Combine(content, "guidelines"), (file, ex) => throw new InvalidOperationException(file, ex));
        index = GuidelineIndex.Build(sections, GuidelineSynonyms.Parse(File.ReadAllText(synonyms), synonyms), options, own: own);
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

    internal static string RepoRoot()
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

/// <summary>
/// A 100-page document: the evaluation PDF (13 pages: TOC, headers, footnotes) merged eight times (PdfPig's merger),
/// read into sections and indexed; and one question against the index, over the PDF's question set.
/// </summary>
[MemoryDiagnoser]
public class HundredPageDocumentBenchmarks
{
    private readonly GuidelinesOptions options = new();
    private byte[] pdf = [];
    private GuidelineIndex index = null!;
    private string[] questions = [];

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(GuidelineBenchmarks.RepoRoot(), "tests", "ShiogamaDx.Bot.Tests", "Evaluation", "Documents");
        var one = File.ReadAllBytes(Path.Combine(folder, "denshi-kessai-guideline.pdf"));
        pdf = UglyToad.PdfPig.Writer.PdfMerger.Merge(Enumerable.Repeat(one, 8).ToArray());
        using (var document = UglyToad.PdfPig.PdfDocument.Open(pdf))
        {
            if (document.NumberOfPages < 100)
            {
                throw new InvalidOperationException($"the merged PDF has {document.NumberOfPages} pages");
            }
        }

        index = Index();
        questions = File.ReadAllLines(Path.Combine(folder, "denshi-kessai-guideline.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t')[0])
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => index.Dispose();

    [Benchmark]
    public int IndexHundredPagePdf()
    {
        using var built = Index();
        return built.Sections.Count;
    }

    [Benchmark(OperationsPerInvoke = 50)]
    public int QuestionAgainstHundredPages()
    {
        var found = 0;
        for (var i = 0; i < 50; i++)
        {
            found += index.Search(questions[i % questions.Length]).Confident(options).Count;
        }

        return found;
    }

    private GuidelineIndex Index() =>
        GuidelineIndex.Build(GuidelineLoader.LoadFile("hundred-pages.pdf", pdf), GuidelineSynonyms.Empty, options);
}
