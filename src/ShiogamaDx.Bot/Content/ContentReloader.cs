using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Messages;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Content;

/// <summary>
/// Edit, check, reload: while the server runs, a change under the dialogs or content folder is followed (after a quiet
/// period) by the same checks as at start. When every file passes, the dialogs, menus, messages and the KPIs' plan
/// (kpis.yaml) are replaced in one step each and the catalog, class schedule and KPI values are seeded again; when one
/// does not, the last good content stays in
/// use and the log says which file, which line and why, and so does the staff chat of each of <see cref="ContentOptions.Editors"/>
/// (once per set of problems, and once when they are fixed). (The guideline folder reloads itself: GuidelineLibrary.)
/// </summary>
public sealed class ContentReloader(
    IServiceProvider services,
    DialogCatalog dialogs,
    MessageCatalog messages,
    IOptions<ContentOptions> contentOptions,
    IOptions<DialogOptions> dialogOptions,
    IOptions<ClassesOptions> classesOptions,
    KpiPlan kpiPlan,
    IOptions<Surveys.StaffSurveyOptions> trainingOptions,
    TimeProvider clock,
    ILogger<ContentReloader> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly List<FileSystemWatcher> watchers = [];
    private ITimer? debounce;
    private int changes;
    private int attempts;
    private string? toldProblems;

    /// <summary>At most this many problems in one staff chat message; the log has them all.</summary>
    private const int ProblemsTold = 8;

    /// <summary>The staff channel's outbox name (Content/ never uses the channel itself: DESIGN.md's one rule).</summary>
    private const string StaffChannel = "staff";

    /// <summary>File changes seen so far (tests wait on it before ending the quiet period).</summary>
    public int Changes => Volatile.Read(ref changes);

    /// <summary>Reloads tried so far, successful or not.</summary>
    public int Attempts => Volatile.Read(ref attempts);

    /// <summary>The problems of the last attempt; empty when it was loaded.</summary>
    public IReadOnlyList<ContentFileException> LastProblems { get; private set; } = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!contentOptions.Value.Watch)
        {
            return Task.CompletedTask;
        }

        debounce = clock.CreateTimer(_ => _ = ReloadQuietlyAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var folder in new[] { dialogOptions.Value.FullPath, contentOptions.Value.FullPath, Path.GetDirectoryName(classesOptions.Value.ScheduleFile) }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = folder == dialogOptions.Value.FullPath,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Changed += OnChange;
            watcher.Created += OnChange;
            watcher.Deleted += OnChange;
            watcher.Renamed += OnChange;
            watcher.Error += (_, e) => logger.LogWarning("Watching {Folder} failed ({Error}); content changes need a restart", folder, e.GetException().Message);
            watchers.Add(watcher);
            try
            {
                watcher.EnableRaisingEvents = true;
            }
            catch (IOException ex)
            {
                // E.g. the system's limit of inotify instances: the bot serves on, edits then need a restart.
                logger.LogWarning("Cannot watch {Folder} ({Error}); content changes need a restart", folder, ex.Message);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var watcher in watchers)
        {
            watcher.EnableRaisingEvents = false;
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var watcher in watchers)
        {
            watcher.Dispose();
        }

        debounce?.Dispose();
        gate.Dispose();
    }

    /// <summary>Checks everything and swaps it in when it all passes; returns the problems otherwise.</summary>
    public async Task<IReadOnlyList<ContentFileException>> ReloadAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            var problems = new List<ContentFileException>();
            DialogCatalog? newDialogs;
            using (var scope = services.CreateScope())
            {
                var actions = scope.ServiceProvider.GetServices<IDialogAction>().ToList();
                var handlers = scope.ServiceProvider.GetServices<IIntentHandler>().Select(h => h.Name).ToList();
                newDialogs = DialogCatalog.TryLoad(dialogOptions.Value.FullPath, actions, handlers, out var dialogProblems);
                problems.AddRange(dialogProblems);
            }

            problems.AddRange(MessageSet.Check(MessageCatalog.FileOf(contentOptions.Value), MessageKey.All, out var newMessages));
            problems.AddRange(Loads(Path.Combine(contentOptions.Value.FullPath, ProcedureFile.FileName), p => ProcedureFile.Load(p)));
            problems.AddRange(Loads(classesOptions.Value.ScheduleFile!, p => ClassSchedule.Load(p)));
            problems.AddRange(Loads(Path.Combine(contentOptions.Value.FullPath, Guides.GuideFile.FileName), p => Guides.GuideFile.Load(p))); // GuideCatalog reads it again itself
            problems.AddRange(Loads(Surveys.TrainingFile.PathOf(trainingOptions.Value, contentOptions.Value), p => Surveys.TrainingFile.Load(p))); // seeded below
            KpiCatalog? newKpis = null;
            problems.AddRange(Loads(Path.Combine(contentOptions.Value.FullPath, KpiCatalogLoader.FileName), p => newKpis = KpiCatalogLoader.Load(p)));

            LastProblems = problems;
            if (problems.Count > 0)
            {
                foreach (var p in problems)
                {
                    logger.LogWarning("Content not reloaded, the last good content stays in use: {File}:{Line}: {Reason}", p.File, p.Line, p.Reason);
                }

                await TellEditorsAsync(problems, ct);
                return problems;
            }

            dialogs.Replace(newDialogs!);
            messages.Replace(newMessages!);
            if (newKpis is not null)
            {
                kpiPlan.Replace(newKpis);
            }

            await services.SeedContentAsync(ct); // the catalog (when procedures.yaml changed), the class schedule, the KPIs' plan values
            logger.LogInformation("Content reloaded: {Dialogs} dialogs, menus, messages, procedures, classes and KPIs", dialogs.Dialogs.Count);
            await TellEditorsAsync([], ct);
            return [];
        }
        finally
        {
            Interlocked.Increment(ref attempts); // after the swap and the seeding: a waiter then sees the new content
            gate.Release();
        }
    }

    /// <summary>
    /// The office hears of a refused edit in the staff chat (through the outbox, like every message the bot starts):
    /// a new set of problems once, and that they are fixed once. Problems name the file inside the content folder.
    /// </summary>
    private async Task TellEditorsAsync(IReadOnlyList<ContentFileException> problems, CancellationToken ct)
    {
        var editors = contentOptions.Value.Editors.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var said = string.Join("\n", problems.Select(p => $"{p.File}:{p.Line}:{p.Reason}"));
        if (editors.Count == 0 || said == (toldProblems ?? string.Empty))
        {
            return; // nothing new: every save of the same broken file is not another message
        }

        var texts = messages.Current; // the last good wording, also when messages.yaml is the broken file
        string text;
        if (problems.Count == 0)
        {
            text = texts[ContentTexts.ReloadFixed];
        }
        else
        {
            var lines = problems.Take(ProblemsTold).Select(p => texts.Format(ContentTexts.ReloadProblem, Shown(p.File), p.Line, p.Reason)).ToList();
            if (problems.Count > ProblemsTold)
            {
                lines.Add(texts.Format(ContentTexts.ReloadMore, problems.Count - ProblemsTold));
            }

            text = texts.Format(ContentTexts.ReloadRefused, problems.Count, string.Join("\n", lines));
        }

        try
        {
            await using var scope = services.CreateAsyncScope();
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            var keys = scope.ServiceProvider.GetRequiredService<PrivacyKeys>();
            var stamp = clock.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var editor in editors)
            {
                var key = keys.Pseudonymize(StaffChannel, editor);
                await outbox.AddAsync(StaffChannel, key, [new TextReply(text)], $"content-reload:{stamp}:{key}", ct);
            }

            await scope.ServiceProvider.GetRequiredService<BotDbContext>().SaveChangesAsync(ct);
            toldProblems = said;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Telling the content editors in the staff chat failed; the log above has the problems");
        }
    }

    private string Shown(string file)
    {
        foreach (var root in new[] { contentOptions.Value.FullPath, dialogOptions.Value.FullPath })
        {
            var parent = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? root;
            if (file.StartsWith(parent, StringComparison.Ordinal))
            {
                return Path.GetRelativePath(parent, file);
            }
        }

        return Path.GetFileName(file);
    }

    private static IEnumerable<ContentFileException> Loads(string file, Action<string> load)
    {
        if (!File.Exists(file))
        {
            return []; // an optional file; a required one missing is reported by its seeder at start
        }

        try
        {
            load(file);
            return [];
        }
        catch (ContentFileException ex)
        {
            return [ex];
        }
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        // The schedule may be a workbook (Classes:ScheduleFile = classes.xlsx): its saves count, other workbooks' do not.
        var schedule = string.Equals(e.FullPath, classesOptions.Value.ScheduleFile, StringComparison.Ordinal);
        if (e.FullPath.Contains($"{Path.DirectorySeparatorChar}guidelines", StringComparison.Ordinal) || !(IsContent(e.FullPath) || schedule))
        {
            return;
        }

        debounce?.Change(TimeSpan.FromMilliseconds(contentOptions.Value.ReloadDebounceMilliseconds), Timeout.InfiniteTimeSpan);
        Interlocked.Increment(ref changes);
    }

    private static bool IsContent(string path) => Path.GetExtension(path) is ".yaml" or ".yml";

    private async Task ReloadQuietlyAsync()
    {
        try
        {
            await ReloadAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Reloading the content failed; the last good content stays in use");
        }
    }
}

public static class ContentExtensions
{
    /// <summary>The wording (Content/messages.yaml) and the reload of every content file while the server runs.</summary>
    public static IHostApplicationBuilder AddContent(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new MessageCatalog(MessageSet.Load(MessageCatalog.FileOf(sp.GetRequiredService<IOptions<ContentOptions>>().Value), MessageKey.All)));
        builder.Services.AddSingleton<ContentReloader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ContentReloader>());
        return builder;
    }
}
