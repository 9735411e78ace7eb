using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Classes;

public sealed record ClassJobResult(int Reminders, int Surveys, int Erased);

/// <summary>
/// The scheduled work of スマホ教室, on a timer of the host's <see cref="TimeProvider"/>: reminders the day
/// before, the survey after each class, and erasing the keys of people who left once their class is over.
/// Every message has a key derived from the registration (<c>class-reminder:{id}</c>), so however often
/// this runs, on however many replicas or restarts, each person gets each message once. Besides, the runs
/// themselves happen on one replica at a time: the one holding the job's lease row (<see cref="LeaseName"/>).
/// </summary>
public sealed class ClassJobs(IServiceScopeFactory scopes, WorkLeases leases, TimeProvider clock, IOptions<ClassesOptions> options, Messages.MessageCatalog messages, Localization.LanguageCatalog catalog, ILogger<ClassJobs> logger) : BackgroundService
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public const string LeaseName = "job:class-jobs";

    public static string ReminderKey(long registrationId) => string.Create(CultureInfo.InvariantCulture, $"class-reminder:{registrationId}");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundJobs)
        {
            logger.LogInformation("Class reminders and surveys are not sent by this process (Classes:BackgroundJobs is false)");
            return;
        }

        // The first run waits one interval: at start the host is still migrating and seeding.
        var interval = TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds);
        await leases.RunPeriodicallyAsync(LeaseName, interval, interval, TickAsync, logger, stoppingToken);
    }

    /// <summary>One run; safe to call at any time and any number of times (tests call it directly).</summary>
    public async Task<ClassJobResult> TickAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<BotDbContext>();
            var reminders = await RemindAsync(db, services.GetRequiredService<Outbox>(), services.GetRequiredService<Localization.ResidentLanguages>(), ct);
            var surveys = await SendSurveysAsync(db, services.GetRequiredService<ClassSurveys>(), ct);
            var erased = await EraseLeaversAsync(db, ct);
            if (reminders + surveys + erased > 0)
            {
                logger.LogInformation("Class jobs: {Reminders} reminder(s), {Surveys} survey(s) queued, {Erased} registration(s) erased", reminders, surveys, erased);
            }

            return new ClassJobResult(reminders, surveys, erased);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>From the reminder time on the day before a class until that day begins (Japan time); none in the disaster mode.</summary>
    private async Task<int> RemindAsync(BotDbContext db, Outbox outbox, Localization.ResidentLanguages languages, CancellationToken ct)
    {
        if (await Announcements.DisasterModeService.CurrentAsync(db, ct) is not null)
        {
            return 0; // paused in a disaster; still due afterwards if the class is not over (sent once, by key)
        }

        var now = clock.GetUtcNow();
        var horizon = now.AddDays(2);
        var soon = await db.Set<SmartphoneClass>().AsNoTracking()
            .Where(c => c.Status == ClassStatus.Scheduled && c.StartsAt > now && c.StartsAt < horizon)
            .ToListAsync(ct);
        var count = 0;
        foreach (var c in soon)
        {
            var day = ClassTime.Date(c.StartsAt);
            var from = ClassTime.At(day.AddDays(-1), TimeOnly.FromTimeSpan(options.Value.ReminderTime));
            var until = ClassTime.At(day, TimeOnly.MinValue);
            if (now < from || now >= until)
            {
                continue;
            }

            var participants = await db.Set<ClassRegistration>().AsNoTracking()
                .Where(r => r.ClassId == c.Id && r.Status == RegistrationStatus.Confirmed && !r.EraseAfterClass)
                .OrderBy(r => r.Id)
                .ToListAsync(ct);
            foreach (var r in participants)
            {
                // In the language kept for the resident where their pack has the reminder, else Japanese said to be so.
                var reminder = await Localization.ClassPushes.ReminderAsync(languages, catalog, messages.Current, c, r, ct);
                if (await ClassSurveys.EnqueueOnceAsync(db, outbox, r.Channel, r.UserKey, reminder, ReminderKey(r.Id), ct))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>The survey of each class, once it ended <see cref="ClassesOptions.SurveyDelayMinutes"/> ago and is still open.</summary>
    private async Task<int> SendSurveysAsync(BotDbContext db, ClassSurveys surveys, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var endedBefore = now.AddMinutes(-options.Value.SurveyDelayMinutes);
        var endedAfter = now.AddDays(-options.Value.SurveyCloseDays);
        var ended = await db.Set<SmartphoneClass>().AsNoTracking()
            .Where(c => c.Status == ClassStatus.Scheduled && c.EndsAt <= endedBefore && c.EndsAt > endedAfter)
            .ToListAsync(ct);
        var count = 0;
        foreach (var c in ended)
        {
            count += await surveys.PushAsync(c, ct);
        }

        return count;
    }

    private async Task<int> EraseLeaversAsync(BotDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var over = await db.Set<ClassRegistration>()
            .Where(r => r.EraseAfterClass && r.Class!.EndsAt <= now)
            .ToListAsync(ct);
        foreach (var r in over)
        {
            ClassesDataEraser.Pseudonymise(r);
        }

        await db.SaveChangesAsync(ct);
        return over.Count;
    }

    public override void Dispose()
    {
        gate.Dispose();
        base.Dispose();
    }
}
