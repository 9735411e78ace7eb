using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Classes;

/// <summary>
/// When a person leaves (e.g. blocks the LINE account): survey answers stay for the KPI but lose every link to
/// the person; registrations of past or cancelled classes lose their key now; a confirmed seat in an upcoming
/// class is kept (the person may still come, and the venue needs the head count) with no more messages,
/// and loses its key once the class is over (<see cref="ClassJobs"/>); a place on a waiting list is given up,
/// since the person could not be told of a free seat.
/// </summary>
public sealed class ClassesDataEraser(BotDbContext db, TimeProvider clock) : IPersonalDataEraser
{
    public async Task EraseAsync(string userKey, CancellationToken cancellationToken)
    {
        await db.Set<ClassSurveyAnswer>().Where(a => a.UserKey == userKey)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.UserKey, (string?)null).SetProperty(a => a.RegistrationId, (long?)null), cancellationToken);

        var now = clock.GetUtcNow();
        var registrations = await db.Set<ClassRegistration>().Include(r => r.Class).Where(r => r.UserKey == userKey).ToListAsync(cancellationToken);
        foreach (var r in registrations)
        {
            var upcoming = r.Class is { } c && c.EndsAt > now && c.Status == ClassStatus.Scheduled;
            if (upcoming && r.Status == RegistrationStatus.Confirmed)
            {
                r.EraseAfterClass = true;
                continue;
            }

            if (r.Status == RegistrationStatus.Waiting)
            {
                r.Status = RegistrationStatus.Cancelled;
                r.CancelledAt = now;
            }

            Pseudonymise(r);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    internal static void Pseudonymise(ClassRegistration r)
    {
        r.UserKey = string.Create(CultureInfo.InvariantCulture, $"erased:{r.Id}");
        r.Channel = "erased";
        r.EraseAfterClass = false;
    }
}
