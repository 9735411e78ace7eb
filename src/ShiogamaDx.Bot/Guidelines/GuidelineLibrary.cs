using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// The current guideline index. Loaded at start (or on first use in the terminal chat) and again whenever a file of
/// the folder changes, after a quiet period; the new index replaces the old one in one step, so a question is
/// answered either wholly from the old documents or wholly from the new ones.
/// </summary>
internal sealed class GuidelineLibrary(IOptions<GuidelinesOptions> options, Language.JapaneseAnalysis analysis, TimeProvider clock, ILogger<GuidelineLibrary> logger) : IDisposable
{
    private readonly Lock gate = new();
    private GuidelineIndex? current;
    private GuidelineSynonyms? synonyms;
    private FileSystemWatcher? watcher;
    private ITimer? debounce;
    private int version;

    public GuidelineIndex Current
    {
        get
        {
            var index = Volatile.Read(ref current);
            if (index is not null)
            {
                return index;
            }

            lock (gate)
            {
                return current ?? Reload();
            }
        }
    }

    /// <summary>Increases with every completed load (tests wait on it).</summary>
    public int Version => Volatile.Read(ref version);

    /// <summary>Reads the whole folder into a new index and swaps it in. A broken file is skipped and named in the log.</summary>
    public GuidelineIndex Reload()
    {
        lock (gate)
        {
            var o = options.Value;
            synonyms ??= LoadSynonyms(o.SynonymsFullPath); // a broken synonyms file stops the start with file and line
            var sections = GlossaryTerms.Apart(GuidelineLoader.LoadFolder(o.FullPath, (file, ex) =>
                logger.LogWarning("Guideline file {File} skipped: {Reason}", file, ex.Message)));
            var own = GuidelineSynonyms.ForDocuments(o.FullPath, (file, ex) =>
                logger.LogWarning("Guideline synonyms file {File} skipped: {Reason}", file, ex.Message));
            var index = GuidelineIndex.Build(sections, synonyms, o, analysis, own);

            // The replaced index is left to the garbage collector: a question may still be searching it.
            Volatile.Write(ref current, index);
            Interlocked.Increment(ref version);
            logger.LogInformation("Guidelines loaded: {Sections} sections from {Documents} document(s) in {Folder}", index.Sections.Count, index.Documents.Count, o.FullPath);
            if (index.Sections.Count == 0)
            {
                logger.LogWarning("No guideline text found in {Folder}: every guideline question gets the refusal", o.FullPath);
            }

            return index;
        }
    }

    /// <summary>Reads the synonyms file now: a broken one is a <see cref="Conversations.ContentFileException"/> with its file and line.</summary>
    public void CheckSynonyms()
    {
        lock (gate)
        {
            synonyms ??= LoadSynonyms(options.Value.SynonymsFullPath);
        }
    }

    public void StartWatching()
    {
        var folder = options.Value.FullPath;
        if (watcher is not null || !Directory.Exists(folder))
        {
            return;
        }

        debounce = clock.CreateTimer(_ => ReloadQuietly(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += OnChange;
        watcher.Created += OnChange;
        watcher.Deleted += OnChange;
        watcher.Renamed += OnChange;
        watcher.Error += (_, e) => logger.LogWarning("Watching the guideline folder failed ({Error}); changes need a restart", e.GetException().Message);
        watcher.EnableRaisingEvents = true;
    }

    public void Dispose()
    {
        watcher?.Dispose();
        debounce?.Dispose();
    }

    /// <summary>Copying a document raises several events; only the last one, after a quiet period, reloads.</summary>
    private void OnChange(object sender, FileSystemEventArgs e) =>
        debounce?.Change(TimeSpan.FromMilliseconds(options.Value.ReloadDebounceMilliseconds), Timeout.InfiniteTimeSpan);

    private void ReloadQuietly()
    {
        try
        {
            Reload();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Reloading the guidelines failed; the previous documents keep answering");
        }
    }

    private static GuidelineSynonyms LoadSynonyms(string file) =>
        File.Exists(file) ? GuidelineSynonyms.Parse(File.ReadAllText(file), file) : GuidelineSynonyms.Empty;
}

/// <summary>
/// Checks the synonyms file at start (server and terminal chat alike), so a broken one stops the start with its
/// file and line, and builds the index in the background once the host has started: the host is ready without
/// waiting for it (nor sharing two cores with it), and a guideline question that comes first waits for the build.
/// </summary>
internal sealed class GuidelineContentLoader(GuidelineLibrary library, IHostApplicationLifetime lifetime, ILogger<GuidelineContentLoader> logger) : Data.IContentSeeder
{
    public Task SeedAsync(CancellationToken cancellationToken)
    {
        library.CheckSynonyms();
        lifetime.ApplicationStarted.Register(() => Task.Run(() =>
        {
            try
            {
                _ = library.Current;
            }
            catch (Exception ex) when (ex is not ObjectDisposedException)
            {
                logger.LogError(ex, "Reading the guidelines failed; it is tried again at the first guideline question");
            }
            catch (ObjectDisposedException)
            {
                // the host stopped while it was being built
            }
        }, CancellationToken.None));
        return Task.CompletedTask;
    }
}

/// <summary>Watches the guideline folder while the server runs.</summary>
internal sealed class GuidelineWatcher(GuidelineLibrary library) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        library.StartWatching();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
