using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// The language packs in use (Content/languages/*.yaml). Checked at start; afterwards a changed file is read again a
/// few seconds later, and a pack with problems leaves the last good packs in use (the log names file, line, reason).
/// </summary>
public sealed class LanguageCatalog
{
    public const string Folder = "languages";
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(3);

    private readonly string folder;
    private readonly TimeProvider clock;
    private readonly ILogger<LanguageCatalog> logger;
    private readonly Lock gate = new();
    private IReadOnlyDictionary<string, LanguagePack> packs;
    private string stamp;
    private DateTimeOffset nextCheck;

    public LanguageCatalog(IOptions<ContentOptions> options, TimeProvider clock, ILogger<LanguageCatalog> logger)
    {
        folder = Path.Combine(options.Value.FullPath, Folder);
        this.clock = clock;
        this.logger = logger;
        stamp = Stamp(folder);
        packs = LoadFolder(folder, out var problems);
        if (problems.Count > 0)
        {
            throw new ContentProblemsException(problems);
        }

        nextCheck = clock.GetUtcNow() + CheckEvery;
    }

    public IReadOnlyDictionary<string, LanguagePack> Packs
    {
        get
        {
            var now = clock.GetUtcNow();
            if (now >= nextCheck)
            {
                lock (gate)
                {
                    if (now >= nextCheck)
                    {
                        nextCheck = now + CheckEvery;
                        Reload();
                    }
                }
            }

            return Volatile.Read(ref packs);
        }
    }

    public LanguagePack? this[string code] => Packs.TryGetValue(code, out var pack) ? pack : null;

    /// <summary>Every pack of a folder; problems are returned, not thrown (the content check lists them all).</summary>
    public static IReadOnlyDictionary<string, LanguagePack> LoadFolder(string folder, out List<ContentFileException> problems)
    {
        problems = [];
        var result = new Dictionary<string, LanguagePack>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return result;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            try
            {
                var pack = LanguagePack.Load(file);
                result[pack.Code] = pack;
            }
            catch (ContentProblemsException ex)
            {
                problems.AddRange(ex.Problems);
            }
            catch (ContentFileException ex)
            {
                problems.Add(ex);
            }
        }

        return result;
    }

    private void Reload()
    {
        var now = Stamp(folder);
        if (now == stamp)
        {
            return;
        }

        stamp = now; // a bad file is reported once, and read again when it changes
        var loaded = LoadFolder(folder, out var problems);
        if (problems.Count > 0)
        {
            foreach (var p in problems)
            {
                logger.LogWarning("Language packs not reloaded, the last good ones stay in use: {File}:{Line}: {Reason}", p.File, p.Line, p.Reason);
            }

            return;
        }

        Volatile.Write(ref packs, loaded);
        logger.LogInformation("Language packs reloaded: {Languages}", string.Join(", ", loaded.Keys));
    }

    private static string Stamp(string folder) =>
        !Directory.Exists(folder)
            ? string.Empty
            : string.Join("|", Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal)
                .Select(f => $"{f}:{File.GetLastWriteTimeUtc(f).Ticks}:{new FileInfo(f).Length}"));
}
