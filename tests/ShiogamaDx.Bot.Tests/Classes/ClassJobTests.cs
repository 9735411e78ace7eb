using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Classes;

public sealed class ClassJobTests
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    [Fact]
    public async Task Reminder_IsQueuedFromTheReminderTimeTheDayBefore_OnceOnly_ForConfirmedSeats()
    {
        using var app = new ClassesTestApp();
        await app.RegisterAsync("r1", "少人数のLINE教室", companions: 1);
        await app.RegisterAsync("r2", "少人数のLINE教室"); // waiting: no seat, no reminder

        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 9, 59, 0, Jst));
        Assert.Equal(0, (await app.TickAsync()).Reminders);

        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 10, 0, 0, Jst));
        Assert.Equal(1, (await app.TickAsync()).Reminders);
        Assert.Equal(0, (await app.TickAsync()).Reminders);

        var reminder = Assert.Single(app.Outbox("class-reminder:"));
        Assert.Equal($"class-reminder:{app.Registrations("small")[0].Id}", reminder.IdempotencyKey);
        Assert.Equal("r1", reminder.UserKey);
        Assert.Equal("test", reminder.Channel);
        var text = ReplyText.Of(reminder.Replies);
        Assert.Contains("明日はスマホ教室の日です", text);
        Assert.Contains("12月5日(土) 10:00〜12:00", text);
        Assert.Contains("キャンセルする", text);

        // On the day itself it is too late for a "tomorrow" message.
        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 8, 0, 0, Jst));
        await app.RegisterAsync("r3", "はじめてのスマホ教室");
        Assert.Single(app.Outbox("class-reminder:"));
    }

    [Fact]
    public async Task Reminder_CancelButton_AsksAndCancels()
    {
        using var app = new ClassesTestApp();
        await app.RegisterAsync("r1", "はじめてのスマホ教室");
        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 11, 18, 0, 0, Jst));
        await app.TickAsync();

        var ask = await app.PressAsync("r1", app.Outbox("class-reminder:").Single().Replies, "キャンセルする");
        Assert.Contains("取り消しますか", ReplyText.Of(ask));
        await app.PressAsync("r1", ask, "はい");

        Assert.Equal(0, app.Class("big").SeatsTaken);
    }

    [Fact]
    public async Task Reminder_IsNotQueuedTwice_AcrossARestartOnTheSameDatabase()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "bot.db");
        var dayBefore = new DateTimeOffset(2026, 12, 4, 12, 0, 0, Jst);
        try
        {
            using (var first = new ClassesTestApp(databaseFile: database))
            {
                await first.RegisterAsync("r1", "少人数のLINE教室");
                first.App.Clock.SetUtcNow(dayBefore);
                Assert.Equal(1, (await first.TickAsync()).Reminders);
            }

            using var second = new ClassesTestApp(databaseFile: database);
            second.App.Clock.SetUtcNow(dayBefore.AddHours(1));
            Assert.Equal(0, (await second.TickAsync()).Reminders);
            Assert.Single(second.Outbox("class-reminder:"));
            Assert.Equal(1, second.Class("small").SeatsTaken); // re-seeding the schedule keeps the seats
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Job_OnItsTimer_QueuesTheReminder()
    {
        using var app = new ClassesTestApp(new Dictionary<string, string?>
        {
            ["Classes:BackgroundJobs"] = "true",
            ["Classes:CheckIntervalSeconds"] = "60",
        });
        await app.RegisterAsync("r1", "少人数のLINE教室");
        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 10, 30, 0, Jst));

        // The timer is the fake clock's: each minute advanced is one run, no real waiting for the interval.
        // Polls for at most 10 s of real time (a loaded CI machine), well inside the reminder window of ~13 h.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (app.Outbox("class-reminder:").Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            app.App.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(50);
        }

        Assert.Single(app.Outbox("class-reminder:"));
    }

    [Fact]
    public async Task Survey_IsSentAutomaticallyAnHourAfterTheClass_Once()
    {
        using var app = new ClassesTestApp();
        await app.RegisterAsync("r1", "少人数のLINE教室");
        await app.RegisterAsync("r2", "少人数のLINE教室");
        await app.RegisterAsync("r3", "少人数のLINE教室"); // waiting: did not take part

        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 12, 59, 0, Jst));
        Assert.Equal(0, (await app.TickAsync()).Surveys);
        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 13, 0, 0, Jst));
        Assert.Equal(2, (await app.TickAsync()).Surveys);
        Assert.Equal(0, (await app.TickAsync()).Surveys);

        Assert.Equal(["r1", "r2"], app.Outbox("class-survey:").Select(m => m.UserKey));
        Assert.Contains("アンケートに答える", ReplyText.Of(app.Outbox("class-survey:")[0].Replies));
    }

    [Fact]
    public async Task Eraser_KeepsAnUpcomingSeatUntilTheClassIsOver_GivesUpAWaitingPlace_AndSendsNothingMore()
    {
        using var app = new ClassesTestApp();
        await app.RegisterAsync("r2", "少人数のLINE教室", companions: 1);
        await app.RegisterAsync("r1", "少人数のLINE教室"); // waiting
        await app.RegisterAsync("r1", "はじめてのスマホ教室");

        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            // All erasers, as the channel calls them when a person leaves.
            foreach (var eraser in scope.ServiceProvider.GetServices<IPersonalDataEraser>())
            {
                await eraser.EraseAsync("r1", CancellationToken.None);
            }
        }

        var waiting = app.Registrations("small").Single(r => r.Status == RegistrationStatus.Cancelled);
        Assert.StartsWith("erased:", waiting.UserKey, StringComparison.Ordinal);
        var seat = app.Registrations("big").Single();
        Assert.Equal(("r1", true, RegistrationStatus.Confirmed), (seat.UserKey, seat.EraseAfterClass, seat.Status));
        Assert.Equal(1, app.Class("big").SeatsTaken);

        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 11, 12, 0, 0, Jst));
        await app.TickAsync();
        Assert.Empty(app.Outbox("class-reminder:"));

        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 12, 16, 30, 0, Jst));
        Assert.Equal(1, (await app.TickAsync()).Erased);
        Assert.DoesNotContain(app.Outbox("class-"), m => m.UserKey == "r1");
        Assert.Equal($"erased:{seat.Id}", app.Registrations("big").Single().UserKey);
        Assert.DoesNotContain(app.Db(db => db.Set<ClassRegistration>().Select(r => r.UserKey).ToList()), k => k == "r1");
    }
}
