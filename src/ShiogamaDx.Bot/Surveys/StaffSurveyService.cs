using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;

namespace ShiogamaDx.Bot.Surveys;

public sealed record StaffSurveyAnswers(int Satisfaction, string Difficulty, int DigitalToolUse, int? GenAiEfficiency, string? Comment);

/// <summary>Aggregate of one training's survey; only ever built from at least the minimum number of answers.</summary>
public sealed record TrainingResults(
    Training Training,
    int Responses,
    double SatisfactionAverage,
    IReadOnlyDictionary<int, int> Satisfaction,
    IReadOnlyDictionary<string, int> Difficulty,
    double DigitalToolShare,
    double? GenAiShare,
    IReadOnlyList<string> Comments);

/// <summary>Trainings, answers, sending and reminders of the staff surveys, and the KPIs they feed.</summary>
public sealed class StaffSurveyService(BotDbContext db, Outbox outbox, IEnumerable<IRecipientDirectory> directories, IOptions<StaffSurveyOptions> options, TimeProvider clock, MessageCatalog messages)
{
    public const string Channel = "staff";
    /// <summary>The values of the difficulty question (their labels: <see cref="SurveyTexts.Difficulty"/>).</summary>
    public static readonly IReadOnlyList<string> DifficultyValues = ["easy", "right", "hard"];

    private StaffSurveyOptions Options => options.Value;

    public Task<List<Training>> OpenTrainingsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Set<Training>().Where(t => t.ClosesAt > now).OrderByDescending(t => t.HeldOn).Take(10).ToListAsync(ct);
    }

    public Task<List<Training>> RecentTrainingsAsync(CancellationToken ct) =>
        db.Set<Training>().OrderByDescending(t => t.HeldOn).Take(10).ToListAsync(ct);

    public bool IsOpen(Training training) => training.ClosesAt > clock.GetUtcNow();

    public Task<Training?> FindAsync(int id, CancellationToken ct) => db.Set<Training>().FirstOrDefaultAsync(t => t.Id == id, ct);

    public bool IsOfficeMember(string userKey, PrivacyKeys keys) =>
        Options.OfficeMembers.Any(id => keys.Pseudonymize("staff", id) == userKey);

    /// <summary>Stores or replaces one person's answers while the survey is open. Returns false when it is closed.</summary>
    public async Task<bool> SaveAsync(int trainingId, string userKey, StaffSurveyAnswers answers, CancellationToken ct)
    {
        var training = await FindAsync(trainingId, ct);
        var now = clock.GetUtcNow();
        if (training is null || training.ClosesAt <= now)
        {
            return false;
        }

        var response = await db.Set<StaffSurveyResponse>().FirstOrDefaultAsync(r => r.TrainingId == trainingId && r.RespondentKey == userKey, ct);
        if (response is null)
        {
            response = new StaffSurveyResponse { TrainingId = trainingId, RespondentKey = userKey, Difficulty = answers.Difficulty };
            db.Add(response);
        }

        response.Satisfaction = answers.Satisfaction;
        response.Difficulty = answers.Difficulty;
        response.DigitalToolUse = answers.DigitalToolUse;
        response.GenAiEfficiency = answers.GenAiEfficiency;
        response.Comment = string.IsNullOrWhiteSpace(answers.Comment) ? null : answers.Comment.Trim();
        response.AnsweredAt = now;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Sends the survey card to the given people, or to everyone the staff channel can reach. Once per person.</summary>
    public async Task<int> SendAsync(Training training, IReadOnlyList<string>? userKeys, CancellationToken ct)
    {
        var recipients = userKeys ?? await AllStaffAsync(ct);
        var now = clock.GetUtcNow();
        var sent = 0;
        foreach (var userKey in recipients.Distinct())
        {
            if (await db.Set<StaffSurveyInvitation>().AnyAsync(i => i.TrainingId == training.Id && i.UserKey == userKey, ct))
            {
                continue;
            }

            db.Add(new StaffSurveyInvitation { TrainingId = training.Id, UserKey = userKey, SentAt = now });
            await outbox.AddAsync(Channel, userKey, [Invitation(messages.Current, training, reminder: false)], $"staff-survey:{training.Id}:{userKey}", ct);
            sent++;
        }

        await db.SaveChangesAsync(ct);
        return sent;
    }

    /// <summary>One reminder to each invited person who has not answered, <see cref="StaffSurveyOptions.RemindAfter"/> after sending.</summary>
    public async Task<int> SendDueRemindersAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = now - Options.RemindAfter;
        var pending = await db.Set<StaffSurveyInvitation>()
            .Where(i => i.RemindedAt == null && i.SentAt <= due)
            .Join(db.Set<Training>().Where(t => t.ClosesAt > now), i => i.TrainingId, t => t.Id, (i, t) => new { Invitation = i, Training = t })
            .Where(x => !db.Set<StaffSurveyResponse>().Any(r => r.TrainingId == x.Invitation.TrainingId && r.RespondentKey == x.Invitation.UserKey))
            .OrderBy(x => x.Invitation.Id) // oldest first, and the same 500 on every replica
            .Take(500)
            .ToListAsync(ct);
        foreach (var x in pending)
        {
            x.Invitation.RemindedAt = now;
            await outbox.AddAsync(Channel, x.Invitation.UserKey, [Invitation(messages.Current, x.Training, reminder: true)], $"staff-survey-reminder:{x.Invitation.Id}", ct);
        }

        await db.SaveChangesAsync(ct);
        return pending.Count;
    }

    public async Task<bool> CloseAsync(int trainingId, CancellationToken ct)
    {
        var training = await FindAsync(trainingId, ct);
        if (training is null)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        if (training.ClosesAt > now)
        {
            training.ClosesAt = now;
            await db.SaveChangesAsync(ct);
        }

        return true;
    }

    /// <summary>The aggregate, or null below the minimum number of answers (never individual answers).</summary>
    public async Task<TrainingResults?> ResultsAsync(Training training, CancellationToken ct)
    {
        var responses = await db.Set<StaffSurveyResponse>().AsNoTracking().Where(r => r.TrainingId == training.Id).ToListAsync(ct);
        if (responses.Count < Options.MinimumResponses)
        {
            return null;
        }

        var genAi = responses.Where(r => r.GenAiEfficiency is not null).ToList();
        return new TrainingResults(
            training,
            responses.Count,
            responses.Average(r => r.Satisfaction),
            Enumerable.Range(1, 5).ToDictionary(n => n, n => responses.Count(r => r.Satisfaction == n)),
            DifficultyValues.ToDictionary(k => k, k => responses.Count(r => r.Difficulty == k)),
            TopTwoShare(responses.Select(r => r.DigitalToolUse)),
            genAi.Count > 0 ? TopTwoShare(genAi.Select(r => r.GenAiEfficiency!.Value)) : null,
            // Sorted, not in answer order, so that a comment cannot be tied to a person by when they answered.
            responses.Select(r => r.Comment).OfType<string>().Order(StringComparer.Ordinal).ToList());
    }

    public Task<int> ResponseCountAsync(int trainingId, CancellationToken ct) =>
        db.Set<StaffSurveyResponse>().CountAsync(r => r.TrainingId == trainingId, ct);

    /// <summary>
    /// Per fiscal year: the share of そう思う + ややそう思う among everyone's latest answer that year, for the
    /// digital-tools question and the generative-AI question. Below the minimum count nothing is published.
    /// </summary>
    public async Task<IReadOnlyList<ComputedKpiValue>> KpiValuesAsync(CancellationToken ct)
    {
        var rows = await db.Set<StaffSurveyResponse>().AsNoTracking()
            .Join(db.Set<Training>(), r => r.TrainingId, t => t.Id, (r, t) => new { r.RespondentKey, r.DigitalToolUse, r.GenAiEfficiency, r.AnsweredAt, t.HeldOn })
            .ToListAsync(ct);
        var values = new List<ComputedKpiValue>();
        foreach (var year in rows.GroupBy(r => FiscalYearOf(r.HeldOn)))
        {
            var latest = year.GroupBy(r => r.RespondentKey).Select(g => g.MaxBy(r => r.AnsweredAt)!).ToList();
            Add(KpiIds.StaffDigitalToolUse, year.Key, latest.Select(r => r.DigitalToolUse).ToList(), messages.Current[SurveyTexts.KpiQuestionDigitalTools]);

            // Latest generative-AI answer per person, from whichever training asked it.
            var genAi = year.Where(r => r.GenAiEfficiency is not null).GroupBy(r => r.RespondentKey).Select(g => g.MaxBy(r => r.AnsweredAt)!.GenAiEfficiency!.Value).ToList();
            Add(KpiIds.StaffGenAiEfficiency, year.Key, genAi, messages.Current[SurveyTexts.KpiQuestionGenAi]);
        }

        return values;

        void Add(string kpiId, int fiscalYear, IReadOnlyList<int> answers, string question)
        {
            if (answers.Count >= Options.MinimumResponses)
            {
                values.Add(new ComputedKpiValue(kpiId, fiscalYear, Math.Round((decimal)TopTwoShare(answers) * 100, 1), "survey",
                    messages.Current.Format(SurveyTexts.KpiSource, question, answers.Count)));
            }
        }
    }

    public static int FiscalYearOf(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    private static double TopTwoShare(IEnumerable<int> answers)
    {
        var list = answers.ToList();
        return list.Count == 0 ? 0 : (double)list.Count(a => a >= 3) / list.Count;
    }

    private async Task<IReadOnlyList<string>> AllStaffAsync(CancellationToken ct)
    {
        var keys = new List<string>();
        foreach (var directory in directories.Where(d => d.Channel == Channel))
        {
            keys.AddRange(await directory.UserKeysAsync(ct));
        }

        return keys;
    }

    private static string Closes(MessageSet m, DateTimeOffset closesAt)
    {
        var local = closesAt.ToOffset(TimeSpan.FromHours(9));
        return m.Format(SurveyTexts.ClosesAt, local.Month, local.Day, local.ToString("HH:mm", CultureInfo.InvariantCulture));
    }

    public static CardsReply Invitation(MessageSet m, Training training, bool reminder) => new(
        m.Format(SurveyTexts.InvitationAlt, training.Title),
        [
            new Card(
                m.Format(reminder ? SurveyTexts.ReminderTitle : SurveyTexts.InvitationTitle, training.Title),
                m.Format(reminder ? SurveyTexts.ReminderBody : SurveyTexts.InvitationBody, training.HeldOn.Month, training.HeldOn.Day, Closes(m, training.ClosesAt)),
                [new CardAction(m[SurveyTexts.InvitationButton], CardActionKind.Postback, Postback.Create(StaffSurveyHandler.HandlerName, "start", ("t", training.Id.ToString(CultureInfo.InvariantCulture))))]),
        ]);
}
