using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;

namespace ShiogamaDx.Bot.Classes;

public static class ClassesExtensions
{
    public static IHostApplicationBuilder AddClasses(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var contentPath = builder.Configuration["Content:Path"];
        services.AddOptions<ClassesOptions>().BindConfiguration(ClassesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure(o => o.ScheduleFile = Path.GetFullPath(
                string.IsNullOrWhiteSpace(o.ScheduleFile)
                    ? Path.Combine(string.IsNullOrWhiteSpace(contentPath) ? Path.Combine(AppContext.BaseDirectory, "Content") : contentPath, "classes.yaml")
                    : o.ScheduleFile,
                AppContext.BaseDirectory));
        services.AddScoped<ClassBooking>();
        services.AddScoped<ClassSurveys>();
        services.AddScoped<ClassScheduleSeeder>();
        services.AddScoped<IContentSeeder>(sp => sp.GetRequiredService<ClassScheduleSeeder>());
        services.AddScoped<IIntentHandler, ClassesHandler>();
        services.AddScoped<IIntentHandler, ClassResultsHandler>();
        services.AddScoped<IDialogAction, UpcomingClassesAction>();
        services.AddScoped<IDialogAction, CheckClassAction>();
        services.AddScoped<IDialogAction, CompanionsAction>();
        services.AddScoped<IDialogAction, RegisterAction>();
        services.AddScoped<IDialogAction, OpenSurveyAction>();
        services.AddScoped<IDialogAction, SaveSurveyAction>();
        services.AddScoped<IPersonalDataEraser, ClassesDataEraser>();
        services.AddScoped<IKpiValueSource, ClassComprehensionKpi>();
        services.AddScoped<IBotCommand, CheckClassesCommand>();
        services.AddScoped<IBotCommand, ImportClassesCommand>();
        services.AddScoped<IBotCommand, ExportClassesCommand>();
        services.AddSingleton<ClassJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<ClassJobs>());
        return builder;
    }

    public static IEndpointRouteBuilder MapClasses(this IEndpointRouteBuilder app)
    {
        var admin = app.MapAdminGroup();
        admin.MapGet("/classes", ListAsync);
        admin.MapPost("/classes/{id}/surveys", PushSurveyAsync);
        admin.MapGet("/classes/{id}/survey-results", ResultsAsync);
        return app;
    }

    private static async Task<Ok<List<AdminClass>>> ListAsync(BotDbContext db, CancellationToken ct)
    {
        var classes = await db.Set<SmartphoneClass>().AsNoTracking().ToListAsync(ct);
        var registrations = await db.Set<ClassRegistration>().AsNoTracking()
            .Where(r => r.Status != RegistrationStatus.Cancelled)
            .GroupBy(r => new { r.ClassId, r.Status })
            .Select(g => new { g.Key.ClassId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        var answers = await db.Set<ClassSurveyAnswer>().AsNoTracking()
            .GroupBy(a => a.ClassId)
            .Select(g => new { ClassId = g.Key, All = g.Count(), Understood = g.Count(a => a.Comprehension >= ClassComprehensionKpi.Understood) })
            .ToListAsync(ct);
        return TypedResults.Ok(classes.OrderBy(c => c.StartsAt).ThenBy(c => c.Id).Select(c =>
        {
            var a = answers.FirstOrDefault(x => x.ClassId == c.Id);
            return new AdminClass(
                c.Id, c.Title, c.Topic, c.StartsAt, c.EndsAt, c.Venue, c.Address, c.Partner, c.Capacity, c.SeatsTaken,
                registrations.Where(r => r.ClassId == c.Id && r.Status == RegistrationStatus.Confirmed).Sum(r => r.Count),
                registrations.Where(r => r.ClassId == c.Id && r.Status == RegistrationStatus.Waiting).Sum(r => r.Count),
                c.Status.ToString().ToLowerInvariant(),
                a?.All ?? 0,
                a is { All: > 0 } ? Math.Round(100m * a.Understood / a.All, 1, MidpointRounding.AwayFromZero) : null);
        }).ToList());
    }

    private static async Task<Results<Ok<SurveyPushResult>, NotFound<string>, Conflict<string>>> PushSurveyAsync(string id, ClassBooking booking, ClassSurveys surveys, TimeProvider clock, CancellationToken ct)
    {
        var c = await booking.FindAsync(id, ct);
        if (c is null)
        {
            return TypedResults.NotFound($"no class '{id}'");
        }

        if (c.StartsAt > clock.GetUtcNow())
        {
            return TypedResults.Conflict($"class '{id}' has not taken place yet");
        }

        return TypedResults.Ok(new SurveyPushResult(await surveys.PushAsync(c, ct)));
    }

    private static async Task<Results<Ok<ClassSurveyResults>, NotFound<string>>> ResultsAsync(string id, BotDbContext db, CancellationToken ct)
    {
        var c = await db.Set<SmartphoneClass>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return TypedResults.NotFound($"no class '{id}'");
        }

        return TypedResults.Ok(await ClassResultsHandler.ResultsAsync(db, c, ct));
    }
}

/// <param name="RegisteredCount">People holding a seat, companions included.</param>
public sealed record AdminClass(
    string Id, string Title, string Topic, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Venue, string Address, string? Partner, int Capacity, int RegisteredCount,
    int Registrations, int WaitingCount, string Status, int SurveyAnswers, decimal? ComprehensionRate);

public sealed record SurveyPushResult(int Sent);

public sealed record ClassSurveyResults(
    string ClassId, string Title, DateTimeOffset StartsAt, int Answers, int Understood, decimal? ComprehensionRate,
    IReadOnlyDictionary<string, int> Comprehension, IReadOnlyDictionary<string, int> Satisfaction, IReadOnlyList<string> Comments);

/// <summary><c>check classes FILE</c>: checks a schedule file before it is deployed (point Classes:ScheduleFile at it to use it).</summary>
public sealed class CheckClassesCommand(TimeProvider clock) : IBotCommand
{
    public IReadOnlyList<string> Verb => ["check", "classes"];

    public string Usage => "check classes FILE    check a スマホ教室 schedule file (YAML like Content/classes.yaml, or .xlsx like 'export classes' writes)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Count != 1)
        {
            await output.WriteLineAsync("usage: " + Usage);
            return 2;
        }

        var file = Path.GetFullPath(args[0]); // `dotnet run` starts in the project folder: show where we looked
        if (!File.Exists(file))
        {
            await output.WriteLineAsync($"NG: no file {file}");
            return 1;
        }

        try
        {
            var classes = ClassSchedule.Load(file);
            await output.WriteLineAsync($"OK: {classes.Count} classes in {Path.GetFileName(args[0])}.");
            foreach (var c in classes)
            {
                await output.WriteLineAsync($"  {c.Id}  {ClassTime.Span(c)}  {c.Venue}  定員{c.Capacity}  {c.Title}");
            }

            if (!ClassSchedule.HasClassAhead(classes, clock.GetUtcNow()))
            {
                // Valid, but residents would be told there is no class: say so before it is deployed.
                await output.WriteLineAsync("注意: これから始まる教室がありません（住民には「いま申し込みできるスマホ教室はありません」と答えます）。 / warning: no class in this file starts after now");
            }

            return 0;
        }
        catch (ContentFileException ex)
        {
            await output.WriteLineAsync("NG: " + ex.Message);
            return 1;
        }
    }
}

/// <summary>
/// <c>import classes FILE</c>: checks the whole file, then makes it the schedule in use (Classes:ScheduleFile, which
/// the next start reads again) and applies it to the database in one transaction. One bad row and nothing changes.
/// </summary>
public sealed class ImportClassesCommand(ClassScheduleSeeder seeder, IOptions<ClassesOptions> options, ILogger<ImportClassesCommand> logger) : IBotCommand
{
    public IReadOnlyList<string> Verb { get; } = ["import", "classes"];

    public string Usage => "import classes FILE   replace the スマホ教室 schedule in use (Classes:ScheduleFile) with FILE, checked first (.xlsx like 'export classes' writes, or YAML)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Count != 1)
        {
            await output.WriteLineAsync("使い方 / usage: " + Usage);
            return 2;
        }

        var path = Path.GetFullPath(args[0]);
        var target = options.Value.ScheduleFile!;
        if (ContentWorkbook.IsWorkbook(path) != ContentWorkbook.IsWorkbook(target))
        {
            // The schedule in use is read again at every start: a file of the other kind cannot take its place.
            await output.WriteLineAsync($"取り込めませんでした。使っている予定は {target} です。Excelで管理するときは Classes:ScheduleFile を .xlsx のファイルにしてください。");
            await output.WriteLineAsync($"  not imported: the schedule in use is {target}; set Classes:ScheduleFile to a file of the same kind as {Path.GetFileName(path)}");
            return 1;
        }

        IReadOnlyList<SmartphoneClass> classes;
        try
        {
            classes = ClassSchedule.Load(path);
        }
        catch (Exception ex) when (ex is ContentFileException or FileNotFoundException)
        {
            await output.WriteLineAsync("取り込めませんでした。教室の予定は変更していません。 / not imported, the schedule is unchanged:");
            await output.WriteLineAsync("  " + ex.Message);
            return 1;
        }

        if (!string.Equals(path, target, StringComparison.Ordinal))
        {
            // Copied beside it and renamed over it: a running host that watches the file never reads half of it.
            var copy = target + ".importing";
            File.Copy(path, copy, overwrite: true);
            File.Move(copy, target, overwrite: true);
        }

        var count = await seeder.ImportAsync(classes, cancellationToken);
        logger.LogInformation("Class schedule imported from {Path} into {Target}: {Count} classes", path, target, count);
        await output.WriteLineAsync($"取り込みました / imported {count} classes from {path} (the schedule in use: {target})");
        foreach (var c in classes)
        {
            await output.WriteLineAsync($"  {c.Id}  {ClassTime.Span(c)}  {c.Venue}  定員{c.Capacity}  {c.Title}");
        }

        return 0;
    }
}

/// <summary><c>export classes FILE.xlsx</c>: the schedule in use as a workbook, to edit in Excel and import again (also the template).</summary>
public sealed class ExportClassesCommand(BotDbContext db) : IBotCommand
{
    public IReadOnlyList<string> Verb { get; } = ["export", "classes"];

    public string Usage => "export classes FILE.xlsx   write the スマホ教室 schedule in use as an Excel workbook (the template for import)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Count != 1 || !ContentWorkbook.IsWorkbook(args[0]))
        {
            await output.WriteLineAsync("使い方 / usage: " + Usage);
            return 2;
        }

        var classes = await db.Set<SmartphoneClass>().AsNoTracking().ToListAsync(cancellationToken);
        var path = Path.GetFullPath(args[0]);
        ClassSpreadsheet.Write(path, classes.OrderBy(c => c.StartsAt).ThenBy(c => c.Id, StringComparer.Ordinal));
        await output.WriteLineAsync($"書き出しました / exported {classes.Count} classes to {path}");
        return 0;
    }
}
