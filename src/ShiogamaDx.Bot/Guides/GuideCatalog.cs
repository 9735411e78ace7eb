using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Language;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Guides;

/// <summary>The guides in use, with the time their file was written.</summary>
public sealed record GuideSet(IReadOnlyList<Guide> Guides, DateTime Written);

/// <summary>A guide or a procedure: the guides are searched beside the catalog, so a question goes to whichever fits best.</summary>
public sealed record GuideEntry(Guide? Guide, Procedure? Procedure, int Position);

/// <summary>
/// Content/guides.yaml, loaded at start (a broken file stops the start with its line) and read again a moment after it
/// changes: a checked new version replaces the old in one step; a broken one leaves the last good guides in use and
/// logs file, line and reason, as the other content files do.
/// </summary>
public sealed class GuideCatalog
{
    private const double TitleBoost = 3.0;
    private const double KeywordBoost = 3.0;
    private const double TextBoost = 0.7;
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(2);

    private readonly string path;
    private readonly JapaneseAnalysis analysis;
    private readonly TimeProvider clock;
    private readonly ILogger<GuideCatalog> logger;
    private readonly Lock gate = new();
    private GuideSet current;
    private DateTimeOffset checkedAt;
    private (GuideSet Guides, ProcedureIndex Procedures, FieldIndex<GuideEntry> Index)? joint;

    public GuideCatalog(IOptions<ContentOptions> options, JapaneseAnalysis analysis, TimeProvider clock, ILogger<GuideCatalog> logger)
    {
        path = Path.Combine(options.Value.FullPath, GuideFile.FileName);
        this.analysis = analysis;
        this.clock = clock;
        this.logger = logger;
        current = File.Exists(path) ? new GuideSet(GuideFile.Load(path), File.GetLastWriteTimeUtc(path)) : new GuideSet([], default);
        checkedAt = clock.GetUtcNow();
    }

    public GuideSet Current
    {
        get
        {
            var now = clock.GetUtcNow();
            if (now - checkedAt < RecheckEvery)
            {
                return Volatile.Read(ref current);
            }

            lock (gate)
            {
                checkedAt = now;
                var written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : default;
                if (written != current.Written)
                {
                    try
                    {
                        Volatile.Write(ref current, new GuideSet(written == default ? [] : GuideFile.Load(path), written));
                        logger.LogInformation("Guides reloaded: {Count}", current.Guides.Count);
                    }
                    catch (ContentFileException ex)
                    {
                        logger.LogWarning("Guides not reloaded, the last good guides stay in use: {File}:{Line}: {Reason}", ex.File, ex.Line, ex.Reason);
                        Volatile.Write(ref current, current with { Written = written }); // tried once; the next save tries again
                    }
                }

                return current;
            }
        }
    }

    /// <summary>The guides and the catalog in one index, built again when either changes.</summary>
    public FieldIndex<GuideEntry> Index(ProcedureIndex procedures)
    {
        var guides = Current;
        lock (gate)
        {
            if (joint is { } j && ReferenceEquals(j.Guides, guides) && ReferenceEquals(j.Procedures, procedures))
            {
                return j.Index;
            }

            var entries = guides.Guides.Select(g => new GuideEntry(g, null, g.Position))
                .Concat(procedures.Procedures.Select(p => new GuideEntry(null, p, guides.Guides.Count + p.Position)))
                .ToList();
            var index = new FieldIndex<GuideEntry>(entries, analysis, Fields, e => e.Position);
            joint = (guides, procedures, index);
            return index;
        }
    }

    private static IEnumerable<(string Text, double Boost)> Fields(GuideEntry entry) => entry switch
    {
        { Guide: { } g } => [(g.Title, TitleBoost), .. g.Keywords.Select(k => (k, KeywordBoost)), (g.Text, TextBoost)],
        { Procedure: { } p } => ProcedureIndex.Fields(p),
        _ => [],
    };
}
