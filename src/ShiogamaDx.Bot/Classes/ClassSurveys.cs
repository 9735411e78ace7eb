using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Classes;

/// <summary>
/// The comprehension survey after a class: who may answer (confirmed participants, from the start of the
/// class until <see cref="ClassesOptions.SurveyCloseDays"/> after its end), pushing it once per registration,
/// and storing one answer per registration (answering again replaces it).
/// </summary>
public sealed class ClassSurveys(BotDbContext db, Outbox outbox, TimeProvider clock, IOptions<ClassesOptions> options, MessageCatalog messages, Localization.ResidentLanguages languages, Localization.LanguageCatalog catalog, ILogger<ClassSurveys> logger)
{
    public static string PushKey(long registrationId) => string.Create(CultureInfo.InvariantCulture, $"class-survey:{registrationId}");

    public DateTimeOffset ClosesAt(SmartphoneClass c) => c.EndsAt.AddDays(options.Value.SurveyCloseDays);

    /// <summary>The person's most recent class whose survey they can answer now, if any.</summary>
    public async Task<ClassRegistration?> OpenForAsync(string userKey, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var earliestEnd = now.AddDays(-options.Value.SurveyCloseDays);
        return await db.Set<ClassRegistration>().AsNoTracking().Include(r => r.Class)
            .Where(r => r.UserKey == userKey && r.Status == RegistrationStatus.Confirmed && r.Class!.StartsAt <= now && r.Class.EndsAt > earliestEnd)
            .OrderByDescending(r => r.Class!.StartsAt)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The registration whose survey this person is answering, or why they cannot.</summary>
    public async Task<(ClassRegistration? Registration, string? Refusal)> CheckAsync(string? registrationId, string userKey, CancellationToken ct)
    {
        var notParticipant = messages.Current[ClassTexts.SurveyNotParticipant];
        if (!long.TryParse(registrationId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return (null, notParticipant);
        }

        var r = await db.Set<ClassRegistration>().AsNoTracking().Include(x => x.Class)
            .FirstOrDefaultAsync(x => x.Id == id && x.UserKey == userKey, ct);
        if (r?.Class is not { } c || r.Status != RegistrationStatus.Confirmed)
        {
            return (null, notParticipant);
        }

        var now = clock.GetUtcNow();
        if (c.StartsAt > now)
        {
            return (null, messages.Current[ClassTexts.SurveyTooEarly]);
        }

        if (ClosesAt(c) <= now)
        {
            return (null, messages.Current.Format(ClassTexts.SurveyClosed, c.Title));
        }

        return (r, null);
    }

    /// <summary>Stores the answer (or replaces the earlier one). Returns true when it replaced one.</summary>
    public Task<bool> SaveAsync(ClassRegistration registration, SurveyResponse response, CancellationToken ct) =>
        SaveAsync(registration, response, retried: false, ct);

    private async Task<bool> SaveAsync(ClassRegistration registration, SurveyResponse response, bool retried, CancellationToken ct)
    {
        var existing = await db.Set<ClassSurveyAnswer>().FirstOrDefaultAsync(a => a.RegistrationId == registration.Id, ct);
        var answer = existing ?? new ClassSurveyAnswer
        {
            ClassId = registration.ClassId,
            RegistrationId = registration.Id,
            UserKey = registration.UserKey,
            ComprehensionLabel = string.Empty,
            AnswersJson = "{}",
        };
        answer.FiscalYear = ClassTime.FiscalYear(registration.Class!.StartsAt);
        answer.Comprehension = response.Comprehension;
        answer.ComprehensionLabel = response.ComprehensionLabel;
        answer.Satisfaction = response.Satisfaction;
        answer.Difficulty = response.Difficulty;
        answer.Comment = string.IsNullOrWhiteSpace(response.Comment) ? null : TextNormalizer.Clip(response.Comment.Trim(), 500);
        answer.AnswersJson = JsonSerializer.Serialize(response.All);
        answer.AnsweredAt = clock.GetUtcNow();
        if (existing is null)
        {
            db.Add(answer);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ClassBooking.IsUniqueViolation(ex) && existing is null && !retried)
        {
            // The same answer sent twice at once (double tap): the other one was stored; store this one over it.
            // Only the failed insert is let go: others' staged work in this context (a LINE batch) stays. Once:
            // a violation that was not this answer's would fail the same way again.
            db.Entry(answer).State = EntityState.Detached;
            return await SaveAsync(registration, response, retried: true, ct);
        }

        logger.LogInformation("Class {ClassId}: survey answer for registration {RegistrationId} {Action}", registration.ClassId, registration.Id, existing is null ? "stored" : "replaced");
        return existing is not null;
    }

    /// <summary>Queues the survey for every confirmed participant of the class; returns how many were newly queued.</summary>
    public async Task<int> PushAsync(SmartphoneClass c, CancellationToken ct)
    {
        var participants = await db.Set<ClassRegistration>().AsNoTracking()
            .Where(r => r.ClassId == c.Id && r.Status == RegistrationStatus.Confirmed && !r.EraseAfterClass)
            .OrderBy(r => r.Id)
            .ToListAsync(ct);
        var sent = 0;
        foreach (var r in participants)
        {
            // In the language kept for the resident where their pack has the class texts, else Japanese said to be so.
            var invitation = await Localization.ClassPushes.ForResidentAsync(languages, catalog, messages.Current, r.UserKey, ClassMessages.SurveyInvitation(messages.Current, c, r), ct);
            if (await EnqueueOnceAsync(db, outbox, r.Channel, r.UserKey, invitation, PushKey(r.Id), ct))
            {
                sent++;
            }
        }

        if (sent > 0)
        {
            logger.LogInformation("Class {ClassId}: survey queued for {Count} participant(s)", c.Id, sent);
        }

        return sent;
    }

    /// <summary>
    /// Adds one outbox message and saves it at once, so that a key already queued by another replica or an
    /// earlier run (unique index) is a quiet no-op rather than a failure of the whole batch.
    /// </summary>
    internal static async Task<bool> EnqueueOnceAsync(BotDbContext db, Outbox outbox, string channel, string userKey, IReadOnlyList<Reply> replies, string key, CancellationToken ct)
    {
        if (!await outbox.AddAsync(channel, userKey, replies, key, ct))
        {
            return false;
        }

        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (ClassBooking.IsUniqueViolation(ex))
        {
            foreach (var entry in db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.Entity.IdempotencyKey == key).ToList())
            {
                entry.State = EntityState.Detached;
            }

            return false;
        }
    }
}

/// <param name="Comprehension">4 (よく理解できた) … 1 (理解できなかった).</param>
/// <param name="All">Every answer of the survey by step id, as the person saw it.</param>
public sealed record SurveyResponse(int Comprehension, string ComprehensionLabel, string? Satisfaction, string? Difficulty, string? Comment, IReadOnlyDictionary<string, string> All);

/// <summary>
/// The survey file (dialogs/class-survey.yaml) is the city's to edit, but the KPI reads its comprehension question:
/// <see cref="SaveSurveyAction.Needs"/> declares it, and the dialog check refuses a file without it, with its line.
/// </summary>
public static class ClassSurveyDefinition
{
    public const string ComprehensionStep = "comprehension";

    public static void Validate(DialogCatalog catalog)
    {
        if (!catalog.Contains(ClassesHandler.SurveyDialog))
        {
            throw new InvalidOperationException($"dialogs/ has no '{ClassesHandler.SurveyDialog}' dialog (the スマホ教室 survey).");
        }
    }
}
