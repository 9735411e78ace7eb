using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Plan;

/// <summary>
/// The plan's documents (Content/plan: the 塩竈市DX推進プラン as published) read by the same Documents/ ingestion and
/// retrieval as the guideline, into an index of their own: a plan question is never answered from the guideline, nor
/// the reverse. Read once, at start, with the plan's own synonym file; a changed plan or file is read at the next start.
/// </summary>
/// <remarks>
/// The plan is read with the dictionary segmentation alone, not with the residents' word list (Content/procedure-words.yaml):
/// that list's fillers are words that tell no procedure from another (オンライン, 電子申請, 手続き) and its concepts replace
/// the words they hold (オンライン決済), both of which are the plan's content. Measured on the plan's development sets
/// (docs/evaluation.md, #22 seventh pass).
/// </remarks>
internal sealed class PlanLibrary(IOptions<PlanOptions> options, IOptions<GuidelinesOptions> guidelines, ILogger<PlanLibrary> logger) : IDisposable
{
    private readonly Lazy<GuidelineIndex> index = new(() => Load(options.Value, guidelines.Value.Weights, JapaneseAnalysis.Plain, logger));

    public GuidelineIndex Index => index.Value;

    public PlanWeights Weights => options.Value.Weights;

    /// <summary>What retrieval needs of the guideline's options: the plan's folder and coverage, the guideline's retrieval weights (one retrieval, calibrated once).</summary>
    public GuidelinesOptions SearchOptions { get; } = new() { Path = options.Value.FullPath, MinCoverage = options.Value.MinCoverage, TopicWords = [], Weights = guidelines.Value.Weights };

    public void Dispose()
    {
        if (index.IsValueCreated)
        {
            index.Value.Dispose();
        }
    }

    private static GuidelineIndex Load(PlanOptions o, GuidelineWeights weights, JapaneseAnalysis analysis, ILogger logger)
    {
        var read = GuidelineLoader.LoadFolder(o.FullPath, (file, ex) => logger.LogWarning("Plan file {File} skipped: {Reason}", file, ex.Message));
        var sections = GlossaryTerms.Apart(PlanSections.Refine(read));
        // The plan's own synonym file (「shiogama-dx-plan-r8.synonyms.txt」 beside it, the DX office's staff words for the
        // plan's terms) applies to the plan alone; the general list (Content/guideline-synonyms.txt) is not read: its
        // groups were written for other documents (健康診断 found the plan's 特定健診).
        // Read only for words the plan does not write: a question in the plan's own terms is read as without the file.
        var own = GuidelineSynonyms.ForDocuments(o.FullPath, (file, ex) => logger.LogWarning("Plan synonyms file {File} skipped: {Reason}", file, ex.Message))
            .ToDictionary(d => d.Key, d => new GuidelineSynonyms(d.Value.Groups) { OnlyForUnwrittenWords = true, Written = d.Value.Written }, StringComparer.Ordinal);
        var index = GuidelineIndex.Build(sections, GuidelineSynonyms.Empty, new GuidelinesOptions { Path = o.FullPath, MinCoverage = o.MinCoverage, TopicWords = [], Feedback = false, Weights = weights }, analysis, own);
        logger.LogInformation("Plan loaded: {Sections} sections from {Documents} document(s) in {Folder}, {Groups} synonym group(s) of its own", index.Sections.Count, index.Documents.Count, o.FullPath, own.Values.Select(g => g.Groups).Distinct().Sum(g => g.Count));
        return index;
    }
}

/// <summary>
/// Builds the plan's index in the background once the host has started: the host is ready without waiting for it
/// (the analysis of ~50 sections takes a second or more, and on two cores it would slow the start it runs beside),
/// and a plan question that comes first waits for the build.
/// </summary>
internal sealed class PlanContentLoader(PlanLibrary library, IHostApplicationLifetime lifetime, ILogger<PlanContentLoader> logger) : Data.IContentSeeder
{
    public Task SeedAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => Task.Run(() =>
        {
            try
            {
                _ = library.Index;
            }
            catch (Exception ex) when (ex is not ObjectDisposedException)
            {
                logger.LogError(ex, "Reading the plan failed; plan questions will say so");
            }
            catch (ObjectDisposedException)
            {
                // the host stopped while it was being built
            }
        }, CancellationToken.None));
        return Task.CompletedTask;
    }
}
