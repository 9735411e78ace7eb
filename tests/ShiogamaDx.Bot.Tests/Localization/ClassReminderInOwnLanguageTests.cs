using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Tests.Line;
using static ShiogamaDx.Bot.Tests.Localization.ResidentLanguageTests;

namespace ShiogamaDx.Bot.Tests.Localization;

/// <summary>
/// The スマホ教室 reminder pushed the day before, in the resident's own language: residents register through signed
/// webhooks, the class job runs at the reminder time of the fake clock, and the pushes are read back from the fake
/// LINE API on loopback (real SQLite underneath).
/// </summary>
public sealed class ClassReminderInOwnLanguageTests
{
    private const string JapaneseResident = "U00000000000000000000000000000c24";

    [Fact]
    public async Task Reminder_IsPushedInEnglishToAnEnglishResident_AndInJapaneseToAJapaneseOne()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Classes:BackgroundJobs"] = "false" });

        // The English resident registers from the English class list; the class's summary and the result, which
        // Classes/ code writes, come whole in English from the pack's class texts.
        var english = await SayAsync(host, LineTestHost.UserId, "When is the next smartphone class?");
        var flow = await PressAsync(host, LineTestHost.UserId, ButtonData(english, "Register (Japanese)"));
        var summary = await PressAsync(host, LineTestHost.UserId, ButtonData(flow, "No"));
        Assert.Contains("Smartphone basics for beginners\nDate: 12/5 10:00–12:00", summary.AllText, StringComparison.Ordinal);
        Assert.Contains("People: 1 (only you)", summary.AllText, StringComparison.Ordinal);
        Assert.Contains("Register for this class?", summary.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(summary.AllText), "Japanese in the English summary:\n" + summary.AllText);
        var done = await PressAsync(host, LineTestHost.UserId, ButtonData(summary, "Yes"));
        Assert.Contains("You are registered.", done.AllText, StringComparison.Ordinal);
        Assert.Contains("Bring: your smartphone (please charge it) and something to write with", done.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(done.AllText), "Japanese in the English result:\n" + done.AllText);

        // The Japanese resident registers for the same class from the Japanese list.
        var japanese = await SayAsync(host, JapaneseResident, "スマホ教室");
        var asked = await PressAsync(host, JapaneseResident, ButtonData(japanese, "申し込む"));
        var confirm = await PressAsync(host, JapaneseResident, ButtonData(asked, "いいえ"));
        await PressAsync(host, JapaneseResident, ButtonData(confirm, "はい"));

        var registrations = host.Db(db => db.Set<ClassRegistration>().AsNoTracking().Include(r => r.Class).OrderBy(r => r.Id).ToList());
        Assert.Equal(2, registrations.Count);
        Assert.All(registrations, r => Assert.Equal(RegistrationStatus.Confirmed, r.Status));
        Assert.Single(registrations.Select(r => r.ClassId).Distinct());
        Assert.Equal("en", host.Db(db => db.Set<ResidentLanguage>().Single(r => r.UserKey == host.UserKey).Language));
        Assert.Empty(host.Fake.Pushes);

        // The day before the class, at the reminder time.
        var day = ClassTime.Date(registrations[0].Class!.StartsAt);
        host.App.Clock.SetUtcNow(ClassTime.At(day.AddDays(-1), new TimeOnly(10, 0)));
        var run = await host.App.Services.GetRequiredService<ClassJobs>().TickAsync(CancellationToken.None);
        Assert.Equal(2, run.Reminders);
        await host.EventuallyAsync(() => host.Fake.Pushes.Count(p => p.Status == 200) == 2, advanceBy: TimeSpan.FromSeconds(1), because: "both reminders pushed");

        var toEnglish = host.Fake.Pushes.Single(p => (string?)p.Body!["to"] == LineTestHost.UserId);
        Assert.Contains("Tomorrow is your smartphone class", toEnglish.AllText, StringComparison.Ordinal);
        Assert.Contains("Smartphone basics for beginners", toEnglish.AllText, StringComparison.Ordinal); // the class title's term
        Assert.Contains("12/5 10:00–12:00", toEnglish.AllText, StringComparison.Ordinal);
        Assert.Contains("Cancel", toEnglish.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(toEnglish.AllText), "Japanese in the English reminder:\n" + toEnglish.AllText);

        var toJapanese = host.Fake.Pushes.Single(p => (string?)p.Body!["to"] == JapaneseResident);
        Assert.Contains("明日はスマホ教室の日です", toJapanese.AllText, StringComparison.Ordinal);
        Assert.Contains("キャンセルする", toJapanese.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("Tomorrow", toJapanese.AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);

        // The English reminder's button cancels like the Japanese one (the same signed postback).
        var cancel = await PressAsync(host, LineTestHost.UserId, ButtonData(toEnglish, "Cancel"));
        Assert.StartsWith("The following is only available in Japanese:", cancel.AllText, StringComparison.Ordinal);
        Assert.Contains("取り消しますか", cancel.AllText, StringComparison.Ordinal); // the Japanese cancel flow, labelled
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh")]
    [InlineData("ko")]
    [InlineData("vi")]
    [InlineData("pt")]
    [InlineData("tl")]
    public async Task ResidentWhoChoseTheirLanguage_RegistersAndIsRemindedWhollyInIt(string code)
    {
        var pack = LanguageCatalog.LoadFolder(Path.Combine(AppContext.BaseDirectory, "Content", LanguageCatalog.Folder), out _)[code];
        bool Mixed(string text) => code == "zh" ? HasKana(text) : HasJapanese(text); // Chinese is written in Han characters too
        await using var host = await LineTestHost.StartAsync(new() { ["Classes:BackgroundJobs"] = "false" });

        var languages = await SayAsync(host, LineTestHost.UserId, "language");
        var menu = await PressAsync(host, LineTestHost.UserId, ButtonData(languages, pack.Name));
        var classes = await PressAsync(host, LineTestHost.UserId, ButtonData(menu, pack["menu-classes"]));
        var flow = await PressAsync(host, LineTestHost.UserId, ButtonData(classes, pack["register-japanese"]));
        var summary = await PressAsync(host, LineTestHost.UserId, ButtonData(flow, pack["no"]));
        Assert.False(Mixed(summary.AllText), $"Japanese in the {code} summary:\n{summary.AllText}");
        Assert.DoesNotContain(pack["japanese-only"], summary.AllText, StringComparison.Ordinal);
        var done = await PressAsync(host, LineTestHost.UserId, ButtonData(summary, pack["yes"]));
        Assert.False(Mixed(done.AllText), $"Japanese in the {code} result:\n{done.AllText}");
        Assert.DoesNotContain(pack["japanese-only"], done.AllText, StringComparison.Ordinal);

        var registration = host.Db(db => db.Set<ClassRegistration>().AsNoTracking().Include(r => r.Class).Single());
        Assert.Equal(RegistrationStatus.Confirmed, registration.Status);
        host.App.Clock.SetUtcNow(ClassTime.At(ClassTime.Date(registration.Class!.StartsAt).AddDays(-1), new TimeOnly(10, 0)));
        Assert.Equal(1, (await host.App.Services.GetRequiredService<ClassJobs>().TickAsync(CancellationToken.None)).Reminders);
        await host.EventuallyAsync(() => host.Fake.Pushes.Any(p => p.Status == 200), advanceBy: TimeSpan.FromSeconds(1), because: "the reminder pushed");
        var push = Assert.Single(host.Fake.Pushes);
        Assert.Contains(pack[ClassPushes.CancelButton], push.AllText, StringComparison.Ordinal);
        Assert.False(Mixed(push.AllText), $"Japanese in the {code} reminder:\n{push.AllText}");

        // After the class, the survey's invitation, and the survey it opens, in the language too.
        host.App.Clock.SetUtcNow(registration.Class.EndsAt.AddHours(3));
        Assert.Equal(1, (await host.App.Services.GetRequiredService<ClassJobs>().TickAsync(CancellationToken.None)).Surveys);
        await host.EventuallyAsync(() => host.Fake.Pushes.Count(p => p.Status == 200) == 2, advanceBy: TimeSpan.FromSeconds(1), because: "the survey pushed");
        var invitation = host.Fake.Pushes.Last();
        Assert.False(Mixed(invitation.AllText), $"Japanese in the {code} invitation:\n{invitation.AllText}");
        var survey = await PressAsync(host, LineTestHost.UserId, ButtonData(invitation, pack[ClassPushes.SurveyButton]));
        Assert.False(Mixed(survey.AllText), $"Japanese in the {code} survey:\n{survey.AllText}");
        Assert.DoesNotContain(pack["japanese-only"], survey.AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task EnglishResident_OnTheWaitingList_IsToldInEnglish_AndTheFreedSeatIsPushedInEnglish()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Classes:BackgroundJobs"] = "false" });
        SmartphoneClass first;
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            // Another resident takes every seat of the first class (the booking service the flow itself uses).
            var booking = scope.ServiceProvider.GetRequiredService<ClassBooking>();
            first = (await booking.UpcomingAsync(CancellationToken.None))[0];
            await booking.RegisterAsync(first.Id, "filler", "line", first.Capacity - 1, CancellationToken.None);
        }

        var classes = await SayAsync(host, LineTestHost.UserId, "When is the next smartphone class?");
        var flow = await PressAsync(host, LineTestHost.UserId, ButtonData(classes, "Register (Japanese)"));
        Assert.Contains("This class is full.", flow.AllText, StringComparison.Ordinal);
        var summary = await PressAsync(host, LineTestHost.UserId, ButtonData(flow, "No"));
        Assert.Contains("The class is full. Join the waiting list?", summary.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(summary.AllText), summary.AllText);
        var waiting = await PressAsync(host, LineTestHost.UserId, ButtonData(summary, "Yes"));
        Assert.Contains("you are on the waiting list (number 1)", waiting.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(waiting.AllText), waiting.AllText);

        var filler = host.Db(db => db.Set<ClassRegistration>().AsNoTracking().Single(r => r.UserKey == "filler"));
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ClassBooking>().CancelAsync(filler.Id, "filler", CancellationToken.None);
        }

        await host.EventuallyAsync(() => host.Fake.Pushes.Any(p => p.Status == 200), advanceBy: TimeSpan.FromSeconds(1), because: "the freed seat pushed");
        var push = Assert.Single(host.Fake.Pushes);
        Assert.Contains("A seat has become free", push.AllText, StringComparison.Ordinal);
        Assert.Contains("Cancel", push.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(push.AllText), "Japanese in the English push:\n" + push.AllText);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task ClassCancelledByTheCity_IsPushedInEnglish_WithAButtonToTheEnglishSchedule()
    {
        await using var host = await LineTestHost.StartAsync(new() { ["Classes:BackgroundJobs"] = "false" });
        var classes = await SayAsync(host, LineTestHost.UserId, "When is the next smartphone class?");
        var flow = await PressAsync(host, LineTestHost.UserId, ButtonData(classes, "Register (Japanese)"));
        await PressAsync(host, LineTestHost.UserId, ButtonData(await PressAsync(host, LineTestHost.UserId, ButtonData(flow, "No")), "Yes"));
        var registration = host.Db(db => db.Set<ClassRegistration>().AsNoTracking().Single());

        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            // The office marks the class cancelled in the schedule (the import the schedule file and workbook use).
            var schedule = await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<SmartphoneClass>().AsNoTracking().ToListAsync();
            schedule.Single(c => c.Id == registration.ClassId).Status = ClassStatus.Cancelled;
            await scope.ServiceProvider.GetRequiredService<ClassScheduleSeeder>().ImportAsync(schedule, CancellationToken.None);
        }

        await host.EventuallyAsync(() => host.Fake.Pushes.Any(p => p.Status == 200), advanceBy: TimeSpan.FromSeconds(1), because: "the cancellation pushed");
        var push = Assert.Single(host.Fake.Pushes);
        Assert.Contains("has been cancelled", push.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(push.AllText), "Japanese in the English push:\n" + push.AllText);
        var schedulePage = await PressAsync(host, LineTestHost.UserId, ButtonData(push, "Smartphone classes"));
        Assert.Contains("Upcoming smartphone classes", schedulePage.AllText, StringComparison.Ordinal);
        Assert.False(HasJapanese(schedulePage.AllText), schedulePage.AllText);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public void PackWithoutTheReminder_SendsTheJapaneseOne_SaidToBeJapanese()
    {
        var packs = LanguageCatalog.LoadFolder(Path.Combine(AppContext.BaseDirectory, "Content", LanguageCatalog.Folder), out var problems);
        Assert.Empty(problems);
        var full = packs["vi"];
        var lacking = full with { Texts = full.Texts.Where(t => t.Key != ClassPushes.Reminder).ToDictionary() };
        var c = new SmartphoneClass
        {
            Id = "c", Title = "はじめてのスマホ教室", Topic = "基本", Venue = "塩竈市公民館", Address = "未登録の住所", WhatToBring = "スマートフォン",
            StartsAt = new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero), EndsAt = new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero),
        };
        var r = new ClassRegistration { Id = 7, ClassId = "c", UserKey = "k", Channel = "line" };
        IReadOnlyList<Reply> japanese = [new TextReply("明日はスマホ教室の日です。")];

        var said = ClassPushes.ReminderIn(lacking, japanese, c, r);
        IReadOnlyList<Reply> expected = [new TextReply(full["japanese-only"]), .. japanese];
        Assert.Equal(expected, said);

        // With the texts: whole, and a schedule word the pack lacks is said to be Japanese, never mixed in silently.
        var whole = ClassPushes.ReminderIn(full, japanese, c, r);
        var text = Assert.IsType<TextReply>(whole[0]).Text;
        Assert.Contains("未登録の住所 " + full["in-japanese"], text, StringComparison.Ordinal);
        Assert.Contains(full.Term("塩竈市公民館")!, text, StringComparison.Ordinal);
        Assert.Equal(full[ClassPushes.CancelButton], Assert.IsType<ChoicesReply>(whole[1]).Choices.Single().Label);

        // Plain Japanese and やさしい日本語 residents: the Japanese reminder as it is.
        Assert.Same(japanese, ClassPushes.ReminderIn(null, japanese, c, r));
        Assert.Same(japanese, ClassPushes.ReminderIn(packs[LanguagePack.Easy], japanese, c, r));
    }

    private static async Task<LineCall> SayAsync(LineTestHost host, string userId, string text)
    {
        await host.SendAsync(LineEvents.Text(text, host.Now, source: LineEvents.User(userId)));
        await host.WhenSettledAsync();
        return host.Fake.Replies.Last();
    }

    private static async Task<LineCall> PressAsync(LineTestHost host, string userId, string data)
    {
        var e = LineEvents.Base("postback", host.Now, source: LineEvents.User(userId));
        e["postback"] = new JsonObject { ["data"] = data };
        await host.SendAsync(e);
        await host.WhenSettledAsync();
        return host.Fake.Replies.Last();
    }
}
