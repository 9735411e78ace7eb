using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Classes;

public enum BookingResult
{
    Confirmed,
    Waiting,
    AlreadyRegistered,
    NotFound,
    Closed,
    TooManyPeople,
}

public sealed record BookingOutcome(BookingResult Result, SmartphoneClass? Class = null, ClassRegistration? Registration = null, int WaitingPosition = 0);

public enum CancelResult
{
    Cancelled,
    NotFound,
    AlreadyCancelled,
    TooLate,
}

public sealed record CancelOutcome(CancelResult Result, SmartphoneClass? Class = null, int Promoted = 0);

/// <summary>
/// Seats, waiting list and cancellations. Seats are taken with one conditional update
/// (<c>SeatsTaken + n &lt;= Capacity</c>) inside a transaction, so two people pressing for the last seat at the
/// same moment cannot both get it, on SQLite or PostgreSQL, on one replica or several.
/// </summary>
public sealed class ClassBooking(BotDbContext db, Outbox outbox, TimeProvider clock, MessageCatalog messages, Localization.ResidentLanguages languages, Localization.LanguageCatalog catalog, ILogger<ClassBooking> logger)
{
    public Task<List<SmartphoneClass>> UpcomingAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Set<SmartphoneClass>().AsNoTracking()
            .Where(c => c.Status == ClassStatus.Scheduled && c.StartsAt > now)
            .OrderBy(c => c.StartsAt).ThenBy(c => c.Id)
            .ToListAsync(ct);
    }

    public Task<SmartphoneClass?> FindAsync(string classId, CancellationToken ct) =>
        db.Set<SmartphoneClass>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == classId, ct);

    public bool IsOpen(SmartphoneClass c) => c.Status == ClassStatus.Scheduled && c.StartsAt > clock.GetUtcNow();

    public Task<ClassRegistration?> ActiveAsync(string classId, string userKey, CancellationToken ct) =>
        db.Set<ClassRegistration>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.ClassId == classId && r.UserKey == userKey && r.Status != RegistrationStatus.Cancelled, ct);

    /// <summary>The person's registrations (confirmed or waiting) for classes that have not ended.</summary>
    public Task<List<ClassRegistration>> MineAsync(string userKey, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Set<ClassRegistration>().AsNoTracking().Include(r => r.Class)
            .Where(r => r.UserKey == userKey && r.Status != RegistrationStatus.Cancelled && r.Class!.EndsAt > now)
            .OrderBy(r => r.Class!.StartsAt)
            .ToListAsync(ct);
    }

    public Task<ClassRegistration?> FindRegistrationAsync(long registrationId, string userKey, CancellationToken ct) =>
        db.Set<ClassRegistration>().AsNoTracking().Include(r => r.Class)
            .FirstOrDefaultAsync(r => r.Id == registrationId && r.UserKey == userKey, ct);

    public Task<int> WaitingPositionAsync(ClassRegistration registration, CancellationToken ct) =>
        registration.Status != RegistrationStatus.Waiting
            ? Task.FromResult(0)
            : db.Set<ClassRegistration>().CountAsync(r => r.ClassId == registration.ClassId && r.Status == RegistrationStatus.Waiting && r.Id <= registration.Id, ct);

    public async Task<BookingOutcome> RegisterAsync(string classId, string userKey, string channel, int companions, CancellationToken ct)
    {
        var seats = 1 + companions;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var c = await FindAsync(classId, ct);
        if (c is null)
        {
            return new BookingOutcome(BookingResult.NotFound);
        }

        if (!IsOpen(c))
        {
            return new BookingOutcome(BookingResult.Closed, c);
        }

        if (seats > c.Capacity)
        {
            return new BookingOutcome(BookingResult.TooManyPeople, c);
        }

        if (await ActiveAsync(classId, userKey, ct) is { } existing)
        {
            return new BookingOutcome(BookingResult.AlreadyRegistered, c, existing, await WaitingPositionAsync(existing, ct));
        }

        var got = await TakeSeatsAsync(classId, seats, ct);
        var registration = new ClassRegistration
        {
            ClassId = classId,
            UserKey = userKey,
            Channel = channel,
            Companions = companions,
            Status = got ? RegistrationStatus.Confirmed : RegistrationStatus.Waiting,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Add(registration);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            // A double tap that slipped past the check on another replica: the first one stands. Only this insert
            // is let go: the context may hold others' staged work (a LINE batch answers several people in one
            // context and commits their answers together), which clearing the tracker would lose.
            await tx.RollbackAsync(ct);
            db.Entry(registration).State = EntityState.Detached;
            var first = await ActiveAsync(classId, userKey, ct);
            return new BookingOutcome(BookingResult.AlreadyRegistered, c, first);
        }

        await tx.CommitAsync(ct);
        var position = await WaitingPositionAsync(registration, ct);
        logger.LogInformation("Class {ClassId}: registration {RegistrationId} {Status} for {Seats} seat(s)", classId, registration.Id, registration.Status, seats);
        c = await FindAsync(classId, ct);
        return new BookingOutcome(got ? BookingResult.Confirmed : BookingResult.Waiting, c, registration, position);
    }

    /// <summary>Cancels one of the person's own registrations and moves people up from the waiting list.</summary>
    public async Task<CancelOutcome> CancelAsync(long registrationId, string userKey, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var registration = await db.Set<ClassRegistration>().Include(r => r.Class)
            .FirstOrDefaultAsync(r => r.Id == registrationId && r.UserKey == userKey, ct);
        if (registration?.Class is null)
        {
            return new CancelOutcome(CancelResult.NotFound);
        }

        var c = registration.Class;
        if (registration.Status == RegistrationStatus.Cancelled)
        {
            return new CancelOutcome(CancelResult.AlreadyCancelled, c);
        }

        if (c.StartsAt <= clock.GetUtcNow())
        {
            return new CancelOutcome(CancelResult.TooLate, c);
        }

        var freed = registration.Status == RegistrationStatus.Confirmed ? registration.Seats : 0;
        registration.Status = RegistrationStatus.Cancelled;
        registration.CancelledAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        var promoted = 0;
        if (freed > 0)
        {
            await db.Set<SmartphoneClass>().Where(x => x.Id == c.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.SeatsTaken, x => x.SeatsTaken - freed), ct);
            promoted = await PromoteAsync(c, ct);
        }

        await tx.CommitAsync(ct);
        logger.LogInformation("Class {ClassId}: registration {RegistrationId} cancelled, {Promoted} promoted from the waiting list", c.Id, registrationId, promoted);
        return new CancelOutcome(CancelResult.Cancelled, c, promoted);
    }

    /// <summary>
    /// Moves waiting people up in the order they asked, each when their party fits in the free seats (a party
    /// too large for what is free keeps its place and a smaller one behind it may go first). Each is told by a push.
    /// </summary>
    internal async Task<int> PromoteAsync(SmartphoneClass c, CancellationToken ct)
    {
        var waiting = await db.Set<ClassRegistration>()
            .Where(r => r.ClassId == c.Id && r.Status == RegistrationStatus.Waiting && !r.EraseAfterClass)
            .OrderBy(r => r.Id)
            .ToListAsync(ct);
        var promoted = 0;
        foreach (var registration in waiting)
        {
            if (!await TakeSeatsAsync(c.Id, registration.Seats, ct))
            {
                continue;
            }

            registration.Status = RegistrationStatus.Confirmed;
            registration.PromotedAt = clock.GetUtcNow();
            // In the language kept for the resident where their pack has the class texts, else Japanese said to be so.
            var said = await Localization.ClassPushes.ForResidentAsync(languages, catalog, messages.Current, registration.UserKey, ClassMessages.Promoted(messages.Current, c, registration), ct);
            await outbox.AddAsync(registration.Channel, registration.UserKey, said, $"class-promoted:{registration.Id}", ct);
            promoted++;
        }

        await db.SaveChangesAsync(ct);
        return promoted;
    }

    private async Task<bool> TakeSeatsAsync(string classId, int seats, CancellationToken ct) =>
        await db.Set<SmartphoneClass>()
            .Where(x => x.Id == classId && x.SeatsTaken + seats <= x.Capacity)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.SeatsTaken, x => x.SeatsTaken + seats), ct) == 1;

    /// <summary>SQLite's unique-constraint codes; PostgreSQL (SQLSTATE 23505) is recognised by its message, as Npgsql is not referenced.</summary>
    internal static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        { } other => other.Message.Contains("23505", StringComparison.Ordinal),
        null => false,
    };
}
