using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Plan;

/// <summary>
/// The plan's documents (Content/plan: the 塩竈市DX推進プラン as published) read by the same Documents/ ingestion and
/// retrieval as the guideline, into an index of their own: a plan question is never answered from the guideline, nor
/// the reverse. Read once, at start; a changed plan is read at the next start.
/// </summary>
internal sealed class PlanLibrary(IOptions<PlanOptions> options, JapaneseAnalysis analysis, ILogger<PlanLibrary> logger) : IDisposable
{
    private readonly Lazy<GuidelineIndex> index = new(() => Load(options.Value, analysis, logger));

    public GuidelineIndex Index => index.Value;

    /// <summary>What retrieval needs of the guideline's options: the plan's folder and coverage.</summary>
    public GuidelinesOptions SearchOptions { get; } = new() { Path = options.Value.FullPath, MinCoverage = options.Value.MinCoverage, TopicWords = [] };

    public void Dispose()
    {
        if (index.IsValueCreated)
        {
            index.Value.Dispose();
        }
    }

    private static GuidelineIndex Load(PlanOptions o, JapaneseAnalysis analysis, ILogger logger)
    {
        var read = GuidelineLoader.LoadFolder(o.FullPath, (file, ex) => logger.LogWarning("Plan file {File} skipped: {Reason}", file, ex.Message));
        var sections = PlanSections.Refine(read);
        var index = GuidelineIndex.Build(sections, GuidelineSynonyms.Empty, new GuidelinesOptions { Path = o.FullPath, MinCoverage = o.MinCoverage, TopicWords = [] }, analysis);
        logger.LogInformation("Plan loaded: {Sections} sections from {Documents} document(s) in {Folder}", index.Sections.Count, index.Documents.Count, o.FullPath);
        return index;
    }
}

/// <summary>Reads the plan with the other content at start, so the first plan question does not wait for it.</summary>
internal sealed class PlanContentLoader(PlanLibrary library) : Data.IContentSeeder
{
    public Task SeedAsync(CancellationToken cancellationToken)
    {
        _ = library.Index;
        return Task.CompletedTask;
    }
}
