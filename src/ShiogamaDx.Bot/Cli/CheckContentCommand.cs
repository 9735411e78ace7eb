using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Plan;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Language;
using ShiogamaDx.Bot.Line.RichMenu;
using ShiogamaDx.Bot.Messages;
using ShiogamaDx.Bot.Guides;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Cli;

/// <summary>
/// <c>check content [FOLDER]</c>: runs every content file through the loader the host itself uses and prints each
/// problem as <c>file:line: reason</c> (exit 1), so the office can check an edit before the host reads it.
/// Without FOLDER it checks the configured places; with one, the files found there (FOLDER/dialogs or FOLDER itself
/// when it holds menus.yaml, FOLDER/procedures.yaml, classes.yaml, kpis.yaml, …).
/// </summary>
public static class CheckContentCommand
{
    public const string Usage = "check content [FOLDER]   check every content file (dialogs, menus, messages, catalog (.yaml or .xlsx), classes, KPIs, rich menu, guidelines, the plan)";

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output)
    {
        if (args.Count > 1)
        {
            await output.WriteLineAsync("使い方 / usage: " + Usage);
            return 2;
        }

        var sources = args.Count == 1 ? ContentSources.InFolder(Path.GetFullPath(args[0])) : ContentSources.Configured(services);
        if (sources is null)
        {
            await output.WriteLineAsync($"NG: フォルダーがありません / no folder {Path.GetFullPath(args[0])}");
            return 1;
        }

        var checks = Checks(services, sources);
        var problems = new List<ContentFileException>();
        foreach (var (what, check) in checks)
        {
            var found = Run(what, check);
            problems.AddRange(found);
            await output.WriteLineAsync($"{(found.Count == 0 ? "OK" : "NG")}  {what}");
        }

        foreach (var p in problems)
        {
            var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), p.File);
            await output.WriteLineAsync($"{(relative.StartsWith("..", StringComparison.Ordinal) ? p.File : relative)}:{p.Line}: {p.Reason}");
        }

        await output.WriteLineAsync(problems.Count == 0
            ? $"問題はありません / no problems ({checks.Count} checks)"
            : $"{problems.Count} 件の問題があります / {problems.Count} problem(s): the host keeps its last good content until they are fixed");
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>Each check with what it reads; a check returns the problems its loader reported (file and line).</summary>
    internal static List<(string What, Func<IEnumerable<ContentFileException>> Check)> Checks(IServiceProvider services, ContentSources sources)
    {
        using var scope = services.CreateScope();
        var actions = scope.ServiceProvider.GetServices<IDialogAction>().ToList();
        var handlers = HandlerNames(scope.ServiceProvider);
        var checks = new List<(string, Func<IEnumerable<ContentFileException>>)>();
        if (sources.Dialogs is { } dialogs)
        {
            checks.Add(($"dialogs, menus: {dialogs}", () => DialogCatalog.Check(dialogs, actions, handlers)));
        }

        void File(string? path, string what, Action<string> load)
        {
            if (path is not null)
            {
                checks.Add(($"{what}: {path}", () => Loads(path, load)));
            }
        }

        if (sources.File(MessageSet.FileName) is { } messages)
        {
            checks.Add(($"messages: {messages}", () => MessageSet.Check(messages, MessageKey.All, out _)));
        }

        File(sources.File(ProcedureFile.FileName), "procedures", p => ProcedureFile.Load(p));
        File(sources.File("procedures.xlsx"), "procedures (Excel)", p => ProcedureSpreadsheet.Load(p));
        File(sources.File(GuideFile.FileName), "guides", p => GuideFile.Load(p));
        File(sources.File(CityWords.FileName), "procedure words", p => CityWords.Load(p));
        File(sources.ClassSchedule, "classes", p => ClassSchedule.Load(p));
        File(sources.File(KpiCatalogLoader.FileName), "KPIs", p => KpiCatalogLoader.Load(p));
        File(sources.File(Surveys.TrainingFile.FileName), "trainings", p => Surveys.TrainingFile.Load(p));
        File(sources.File(RichMenuFile.FileName), "rich menu", p => RichMenuFile.Load(p));
        File(sources.GuidelineSynonyms, "guideline synonyms", p => GuidelineSynonyms.Parse(System.IO.File.ReadAllText(p), p));
        if (sources.Guidelines is { } guidelines)
        {
            checks.Add(($"guidelines: {guidelines}", () => DocumentProblems(guidelines, "the guideline folder is missing")));
        }

        if (sources.Plan is { } plan)
        {
            checks.Add(($"plan: {plan}", () => DocumentProblems(plan, "the plan folder is missing")));
        }

        if (sources.ContentFolder is { } content && Path.Combine(content, Localization.LanguageCatalog.Folder) is var languages && Directory.Exists(languages))
        {
            checks.Add(($"languages: {languages}", () => Localization.LanguageCheck.Problems(languages, sources.File(ProcedureFile.FileName), sources.Dialogs)));
        }

        return checks;
    }

    private static List<ContentFileException> Run(string what, Func<IEnumerable<ContentFileException>> check)
    {
        try
        {
            return check().ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [new ContentFileException(what, 0, ex.Message)];
        }
    }

    private static IEnumerable<ContentFileException> Loads(string path, Action<string> load)
    {
        if (!System.IO.File.Exists(path))
        {
            return [new ContentFileException(path, 0, "the file is missing")];
        }

        try
        {
            load(path);
            return [];
        }
        catch (ContentFileException ex)
        {
            return [ex];
        }
    }

    /// <summary>A folder of documents (the guideline's, the plan's): every document read, and the synonym file beside each.</summary>
    private static List<ContentFileException> DocumentProblems(string folder, string missing)
    {
        var problems = new List<ContentFileException>();
        if (!Directory.Exists(folder))
        {
            return [new ContentFileException(folder, 0, missing)];
        }

        void Skipped(string file, Exception ex) =>
            problems.Add(ex as ContentFileException ?? new ContentFileException(Path.Combine(folder, file), 0, ex.Message));

        GuidelineLoader.LoadFolder(folder, Skipped);
        GuidelineSynonyms.ForDocuments(folder, Skipped);
        return problems;
    }

    /// <summary>The features' names for the menu topics; null when the configured dialogs are themselves broken (then they are what is reported).</summary>
    private static List<string>? HandlerNames(IServiceProvider services)
    {
        try
        {
            return services.GetServices<IIntentHandler>().Select(h => h.Name).ToList();
        }
        catch (ContentFileException)
        {
            return null;
        }
    }
}

/// <summary>Where the content to check is; null entries are not checked.</summary>
public sealed record ContentSources(string? Dialogs, string? ContentFolder, string? ClassSchedule, string? Guidelines, string? GuidelineSynonyms, string? Plan = null)
{
    /// <summary>A file of the content folder, or null when it is not there (in a folder given to the check, not everything need be).</summary>
    public string? File(string name) =>
        ContentFolder is null ? null : Path.Combine(ContentFolder, name) is var path && System.IO.File.Exists(path) ? path : null;

    public static ContentSources Configured(IServiceProvider services)
    {
        var content = services.GetRequiredService<IOptions<ContentOptions>>().Value.FullPath;
        var guidelines = services.GetRequiredService<IOptions<GuidelinesOptions>>().Value;
        return new ContentSources(
            services.GetRequiredService<IOptions<DialogOptions>>().Value.FullPath,
            content,
            services.GetRequiredService<IOptions<ClassesOptions>>().Value.ScheduleFile,
            guidelines.FullPath,
            System.IO.File.Exists(guidelines.SynonymsFullPath) ? guidelines.SynonymsFullPath : null,
            services.GetRequiredService<IOptions<PlanOptions>>().Value.FullPath);
    }

    public static ContentSources? InFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        string? Existing(string path) => System.IO.File.Exists(path) || Directory.Exists(path) ? path : null;
        var dialogs = System.IO.File.Exists(Path.Combine(folder, "menus.yaml")) ? folder : Existing(Path.Combine(folder, "dialogs"));
        // The class schedule may be kept in Excel (Classes:ScheduleFile = classes.xlsx): checked like the YAML one.
        var schedule = Existing(Path.Combine(folder, "classes.yaml")) ?? Existing(Path.Combine(folder, "classes.xlsx"));
        return new ContentSources(dialogs, dialogs == folder ? null : folder, schedule,
            Existing(Path.Combine(folder, "guidelines")), Existing(Path.Combine(folder, "guideline-synonyms.txt")), Existing(Path.Combine(folder, "plan")));
    }
}
