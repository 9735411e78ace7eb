using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Cli;
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
public sealed class CheckClassesCommand : IBotCommand
{
    public IReadOnlyList<string> Verb => ["check", "classes"];

    public string Usage => "check classes FILE    check a スマホ教室 schedule file (YAML, like Content/classes.yaml)";

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

            return 0;
        }
        catch (ContentFileException ex)
        {
            await output.WriteLineAsync("NG: " + ex.Message);
            return 1;
        }
    }
}
