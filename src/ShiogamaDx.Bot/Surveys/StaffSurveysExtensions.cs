using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Surveys;

public static class StaffSurveysExtensions
{
    public static IHostApplicationBuilder AddStaffSurveys(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StaffSurveyOptions>().BindConfiguration(StaffSurveyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<StaffSurveyService>();
        services.AddScoped<IIntentHandler, StaffSurveyHandler>();
        services.AddScoped<IDialogAction, StaffSurveySaveAction>();
        services.AddScoped<Kpis.IKpiValueSource, StaffSurveyKpiSource>();
        services.AddScoped<IContentSeeder, TrainingSeeder>();
        services.AddHostedService<StaffSurveyReminderJob>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStaffSurveys(this IEndpointRouteBuilder app)
    {
        var admin = app.MapAdminGroup().MapGroup("/trainings");
        admin.MapGet("/", async (BotDbContext db, StaffSurveyService surveys, CancellationToken ct) =>
        {
            var trainings = await db.Set<Training>().AsNoTracking().OrderByDescending(t => t.HeldOn).ToListAsync(ct);
            var counts = await db.Set<StaffSurveyResponse>().GroupBy(r => r.TrainingId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
            return TypedResults.Ok(trainings.Select(t => new TrainingDto(t.Id, t.Title, t.Kind, t.HeldOn, t.Audience, t.ClosesAt, counts.GetValueOrDefault(t.Id), surveys.IsOpen(t))));
        });
        admin.MapPost("/", async Task<Results<Created<TrainingDto>, ValidationProblem>> (NewTraining input, BotDbContext db, IOptions<StaffSurveyOptions> options, CancellationToken ct) =>
        {
            var errors = input.Validate();
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }

            var training = new Training
            {
                Title = input.Title!.Trim(),
                Kind = input.Kind!.Trim(),
                HeldOn = input.HeldOn!.Value,
                Audience = input.Audience,
                ClosesAt = input.ClosesAt ?? ClosingOf(input.HeldOn.Value, options.Value.OpenDays),
            };
            db.Add(training);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/admin/trainings/{training.Id}", new TrainingDto(training.Id, training.Title, training.Kind, training.HeldOn, training.Audience, training.ClosesAt, 0, true));
        });
        admin.MapPost("/{id:int}/surveys", async Task<Results<Ok<SentDto>, NotFound>> (int id, SendRequest? input, StaffSurveyService surveys, PrivacyKeys keys, CancellationToken ct) =>
        {
            var training = await surveys.FindAsync(id, ct);
            if (training is null)
            {
                return TypedResults.NotFound();
            }

            // Recipients by their staff chat id (Entra ID object id); none given: everyone who has the bot.
            var userKeys = input?.UserIds is { Count: > 0 } ids ? ids.Select(u => keys.Pseudonymize("staff", u)).ToList() : null;
            return TypedResults.Ok(new SentDto(await surveys.SendAsync(training, userKeys, ct)));
        });
        admin.MapPost("/{id:int}/close", async Task<Results<NoContent, NotFound>> (int id, StaffSurveyService surveys, CancellationToken ct) =>
            await surveys.CloseAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        admin.MapGet("/{id:int}/results", async Task<Results<Ok<ResultsDto>, NotFound>> (int id, StaffSurveyService surveys, IOptions<StaffSurveyOptions> options, CancellationToken ct) =>
        {
            var training = await surveys.FindAsync(id, ct);
            if (training is null)
            {
                return TypedResults.NotFound();
            }

            var results = await surveys.ResultsAsync(training, ct);
            return TypedResults.Ok(results is null
                ? new ResultsDto(id, await surveys.ResponseCountAsync(id, ct), false, null, null, null, null, null, [])
                : new ResultsDto(id, results.Responses, true, results.SatisfactionAverage, results.Satisfaction.ToDictionary(k => k.Key.ToString(CultureInfo.InvariantCulture), k => k.Value),
                    results.Difficulty, results.DigitalToolShare, results.GenAiShare, results.Comments));
        });
        return app;
    }

    internal static DateTimeOffset ClosingOf(DateOnly heldOn, int openDays) =>
        new DateTimeOffset(heldOn.AddDays(openDays).ToDateTime(new TimeOnly(23, 59)), TimeSpan.FromHours(9)).ToUniversalTime();

    public sealed record TrainingDto(int Id, string Title, string Kind, DateOnly HeldOn, string? Audience, DateTimeOffset ClosesAt, int Responses, bool Open);

    public sealed record NewTraining(string? Title, string? Kind, DateOnly? HeldOn, string? Audience, DateTimeOffset? ClosesAt)
    {
        public Dictionary<string, string[]> Validate()
        {
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(Title) || Title.Length > 200)
            {
                errors["title"] = ["required, at most 200 characters"];
            }

            if (string.IsNullOrWhiteSpace(Kind) || Kind.Length > 50 || !Kind.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                errors["kind"] = ["required: letters, digits and '-' (e.g. generative-ai)"];
            }

            if (HeldOn is null)
            {
                errors["heldOn"] = ["required (yyyy-MM-dd)"];
            }

            return errors;
        }
    }

    public sealed record SendRequest(List<string>? UserIds);

    public sealed record SentDto(int Sent);

    public sealed record ResultsDto(int TrainingId, int Responses, bool Published, double? SatisfactionAverage, IReadOnlyDictionary<string, int>? Satisfaction,
        IReadOnlyDictionary<string, int>? Difficulty, double? DigitalToolShare, double? GenAiShare, IReadOnlyList<string> Comments);
}

/// <summary>
/// Adds the trainings of the file that are not there yet (same title and day), at start and when the office saves the
/// file: a training added later in the file reaches the staff without a restart. Nothing is changed or removed (a
/// training's survey may have answers; trainings added through the operations API stay).
/// </summary>
internal sealed class TrainingSeeder(BotDbContext db, IOptions<StaffSurveyOptions> options, IOptions<Content.ContentOptions> content, ILogger<TrainingSeeder> logger) : IContentSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var file = TrainingFile.PathOf(options.Value, content.Value);
        if (!File.Exists(file))
        {
            return;
        }

        var known = (await db.Set<Training>().AsNoTracking().Select(t => new { t.Title, t.HeldOn }).ToListAsync(cancellationToken))
            .Select(t => (t.Title, t.HeldOn)).ToHashSet();
        var added = 0;
        foreach (var row in TrainingFile.Load(file).Where(r => !known.Contains((r.Title, r.HeldOn))))
        {
            db.Add(new Training
            {
                Title = row.Title,
                Kind = row.Kind,
                HeldOn = row.HeldOn,
                Audience = row.Audience,
                ClosesAt = StaffSurveysExtensions.ClosingOf(row.HeldOn, options.Value.OpenDays),
                IsSample = row.Title.Contains("サンプル", StringComparison.Ordinal),
            });
            known.Add((row.Title, row.HeldOn));
            added++;
        }

        if (added > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Trainings added from {File}: {Count}", Path.GetFileName(file), added);
        }
    }
}

/// <summary>Hourly: one reminder to those who were sent a survey and have not answered; on the replica holding the job's lease.</summary>
internal sealed class StaffSurveyReminderJob(IServiceScopeFactory scopes, WorkLeases leases, ILogger<StaffSurveyReminderJob> logger) : BackgroundService
{
    public const string LeaseName = "job:staff-survey-reminders";

    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(LeaseName, Interval, TimeSpan.Zero, SendAsync, logger, stoppingToken);

    private async Task SendAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sent = await scope.ServiceProvider.GetRequiredService<StaffSurveyService>().SendDueRemindersAsync(ct);
        if (sent > 0)
        {
            logger.LogInformation("Queued {Count} staff survey reminders", sent);
        }
    }
}
