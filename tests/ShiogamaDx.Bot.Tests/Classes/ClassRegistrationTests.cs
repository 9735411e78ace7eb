using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Classes;

public sealed class ClassRegistrationTests : IDisposable
{
    private readonly ClassesTestApp app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task List_ShowsUpcomingClassesAsCards_WithWeekdaySeatsAndButton_HidingCancelled()
    {
        var replies = await app.SayAsync("r1", "スマホ教室");

        var cards = Assert.IsType<CardsReply>(replies.Single(r => r is CardsReply));
        Assert.Equal(["少人数のLINE教室", "はじめてのスマホ教室"], cards.Cards.Select(c => c.Title));
        Assert.Contains("12月5日(土) 10:00〜12:00", cards.Cards[0].Body);
        Assert.Contains("塩竈市公民館", cards.Cards[0].Body);
        Assert.Contains("残り2席", cards.Cards[0].Body);
        Assert.Equal("申し込む", cards.Cards[0].Actions.Single().Label);
        Assert.DoesNotContain("中止の教室", ReplyText.Of(replies));
    }

    [Fact]
    public async Task Register_ByButtons_ConfirmsWithDatePlaceAndWhatToBring_AndTakesTheSeat()
    {
        var replies = await app.RegisterAsync("r1", "はじめてのスマホ教室");

        var text = ReplyText.Of(replies);
        Assert.Contains("申し込みを受け付けました", text);
        Assert.Contains("12月12日(土) 13:30〜15:00", text);
        Assert.Contains("壱番館（宮城県塩竈市本町1-1）", text);
        Assert.Contains("持ち物: スマートフォン、筆記用具", text);
        Assert.Equal(1, app.Class("big").SeatsTaken);
        var registration = Assert.Single(app.Registrations("big"));
        Assert.Equal(RegistrationStatus.Confirmed, registration.Status);
        Assert.Equal("test", registration.Channel);
    }

    [Fact]
    public async Task Register_ByTypedNumbersAndWords_Works()
    {
        await app.SayAsync("r1", "スマホ教室");
        Assert.Contains("一緒に参加される方", ReplyText.Of(await app.SayAsync("r1", "2")));
        Assert.Contains("何人", ReplyText.Of(await app.SayAsync("r1", "はい")));
        Assert.Contains("3人（ご本人と同伴2人）", ReplyText.Of(await app.SayAsync("r1", "2人")));
        Assert.Contains("申し込みを受け付けました", ReplyText.Of(await app.SayAsync("r1", "はい")));

        Assert.Equal(3, app.Class("big").SeatsTaken);
    }

    [Fact]
    public async Task Register_Twice_IsRefusedPolitely_AndTakesNoSecondSeat()
    {
        await app.RegisterAsync("r1", "はじめてのスマホ教室");

        var list = await app.SayAsync("r1", "スマホ教室");
        var again = await app.PressAsync("r1", list, "申し込む", "はじめてのスマホ教室");

        Assert.Contains("すでにお申し込みいただいています", ReplyText.Of(again));
        Assert.Single(app.Registrations("big"));
        Assert.Equal(1, app.Class("big").SeatsTaken);
    }

    [Fact]
    public async Task Register_DoubleTapOnConfirm_RegistersOnce()
    {
        var list = await app.SayAsync("r1", "スマホ教室");
        var step = await app.PressAsync("r1", list, "申し込む", "はじめてのスマホ教室");
        step = await app.PressAsync("r1", step, "いいえ");
        var yes = Buttons.Find(step, "はい");

        await Task.WhenAll(
            app.App.SayAsync(Audience.Resident, "r1", null, yes),
            app.App.SayAsync(Audience.Resident, "r1", null, yes));

        Assert.Single(app.Registrations("big"));
        Assert.Equal(1, app.Class("big").SeatsTaken);
    }

    [Fact]
    public async Task Companions_BeyondTheSeatsLeft_AreRefused_AndTheQuestionIsAskedAgain()
    {
        var list = await app.SayAsync("r1", "スマホ教室");
        var step = await app.PressAsync("r1", list, "申し込む", "少人数のLINE教室");
        step = await app.PressAsync("r1", step, "はい");

        var refused = ReplyText.Of(await app.SayAsync("r1", "2"));
        Assert.Contains("残りは2席です", refused);
        Assert.Contains("何人", refused);

        Assert.Contains("2人（ご本人と同伴1人）", ReplyText.Of(await app.SayAsync("r1", "1")));
        Assert.Contains("申し込みを受け付けました", ReplyText.Of(await app.SayAsync("r1", "はい")));
        Assert.Equal(2, app.Class("small").SeatsTaken);
    }

    [Fact]
    public async Task FullClass_OffersTheWaitingList_AndACancellationMovesTheFirstWaitingPersonUp()
    {
        await app.RegisterAsync("r1", "少人数のLINE教室", companions: 1);
        Assert.Contains("満席", ReplyText.Of(await app.SayAsync("r9", "スマホ教室")));

        var waiting = ReplyText.Of(await app.RegisterAsync("r2", "少人数のLINE教室"));
        Assert.Contains("キャンセル待ちに登録しました（1番目）", waiting);
        Assert.Contains("キャンセル待ちに登録しました（2番目）", ReplyText.Of(await app.RegisterAsync("r3", "少人数のLINE教室")));

        var mine = await app.SayAsync("r1", "申し込みの確認");
        var ask = await app.PressAsync("r1", mine, "キャンセルする");
        Assert.Contains("取り消しますか", ReplyText.Of(ask));
        Assert.Contains("取り消しました", ReplyText.Of(await app.PressAsync("r1", ask, "はい")));

        var registrations = app.Registrations("small");
        Assert.Equal([RegistrationStatus.Cancelled, RegistrationStatus.Confirmed, RegistrationStatus.Confirmed], registrations.Select(r => r.Status));
        Assert.Equal(2, app.Class("small").SeatsTaken);
        var pushes = app.Outbox("class-promoted:");
        Assert.Equal(["r2", "r3"], pushes.Select(p => p.UserKey));
        Assert.All(pushes, p => Assert.Equal("test", p.Channel));
        var pushed = ReplyText.Of(pushes[0].Replies);
        Assert.Contains("参加が決まりました", pushed);
        Assert.Contains("キャンセルする", pushed);
        Assert.Contains("申し込み済み", ReplyText.Of(await app.SayAsync("r2", "申し込みの確認")));
    }

    [Fact]
    public async Task PromotedPerson_CanCancelFromThePushedButton()
    {
        await app.RegisterAsync("r1", "少人数のLINE教室", companions: 1);
        await app.RegisterAsync("r2", "少人数のLINE教室");
        var mine = await app.SayAsync("r1", "キャンセル");
        await app.PressAsync("r1", mine, "はい");

        var pushed = app.Outbox("class-promoted:").Single().Replies;
        var ask = await app.PressAsync("r2", pushed, "キャンセルする");
        Assert.Contains("取り消しました", ReplyText.Of(await app.PressAsync("r2", ask, "はい")));
        Assert.Equal(0, app.Class("small").SeatsTaken);
    }

    [Fact]
    public async Task LastSeat_TakenByManyAtOnce_GoesToExactlyOne_OthersWait()
    {
        await app.RegisterAsync("r0", "少人数のLINE教室");

        var users = Enumerable.Range(1, 6).Select(i => $"u{i}").ToList();
        var outcomes = await Task.WhenAll(users.Select(u => Task.Run(async () =>
        {
            await using var scope = app.App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ClassBooking>().RegisterAsync("small", u, "test", 0, CancellationToken.None);
        })));

        Assert.Equal(1, outcomes.Count(o => o.Result == BookingResult.Confirmed));
        Assert.Equal(5, outcomes.Count(o => o.Result == BookingResult.Waiting));
        Assert.Equal(2, app.Class("small").SeatsTaken);
        Assert.Equal(2, app.Registrations("small").Count(r => r.Status == RegistrationStatus.Confirmed));
    }

    [Fact]
    public async Task LastSeat_TwoPeopleConfirmingAtOnce_OneGetsItTheOtherTheWaitingList()
    {
        await app.RegisterAsync("r0", "少人数のLINE教室");
        var confirmSteps = new List<IReadOnlyList<Reply>>();
        foreach (var user in new[] { "a", "b" })
        {
            var list = await app.SayAsync(user, "スマホ教室");
            var step = await app.PressAsync(user, list, "申し込む", "少人数のLINE教室");
            confirmSteps.Add(await app.PressAsync(user, step, "いいえ"));
        }

        var results = await Task.WhenAll(
            app.PressAsync("a", confirmSteps[0], "はい"),
            app.PressAsync("b", confirmSteps[1], "はい"));

        var texts = results.Select(ReplyText.Of).ToList();
        Assert.Single(texts, t => t.Contains("申し込みを受け付けました", StringComparison.Ordinal));
        Assert.Single(texts, t => t.Contains("キャンセル待ちに登録しました", StringComparison.Ordinal));
        Assert.Equal(2, app.Class("small").SeatsTaken);
    }

    [Fact]
    public async Task SamePersonRegisteringOnSeveralReplicasAtOnce_GetsOneRegistration()
    {
        _ = app.App.Services; // start the host once, before the parallel part
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var scope = app.App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ClassBooking>().RegisterAsync("big", "r1", "test", 0, CancellationToken.None);
        })));

        Assert.Single(outcomes, o => o.Result == BookingResult.Confirmed);
        Assert.Equal(3, outcomes.Count(o => o.Result == BookingResult.AlreadyRegistered));
        Assert.Equal(1, app.Class("big").SeatsTaken);
    }

    [Fact]
    public void Database_RefusesASecondActiveRegistration_ButAllowsOneAfterACancellation()
    {
        var ex = Assert.Throws<Microsoft.EntityFrameworkCore.DbUpdateException>(() => app.Db(db =>
        {
            db.Add(Registration(RegistrationStatus.Confirmed));
            db.Add(Registration(RegistrationStatus.Waiting));
            return db.SaveChanges();
        }));
        Assert.True(ClassBooking.IsUniqueViolation(ex));

        Assert.Equal(2, app.Db(db =>
        {
            db.Add(Registration(RegistrationStatus.Cancelled));
            db.Add(Registration(RegistrationStatus.Confirmed));
            return db.SaveChanges();
        }));

        static ClassRegistration Registration(RegistrationStatus status) =>
            new() { ClassId = "big", UserKey = "r1", Channel = "test", Status = status };
    }

    [Fact]
    public async Task ClassCancelledInTheSchedule_TellsEveryRegistrantOnce_AndShowsItInTheirList()
    {
        await app.RegisterAsync("r1", "はじめてのスマホ教室");
        await app.RegisterAsync("r2", "はじめてのスマホ教室");
        var edited = ClassSchedule.Parse(ClassesTestApp.Schedule.Replace("capacity: 10\n    bring: スマートフォン、筆記用具", "capacity: 10\n    bring: スマートフォン、筆記用具\n    status: cancelled", StringComparison.Ordinal), "classes.yaml");
        Assert.Equal(ClassStatus.Cancelled, edited.Single(c => c.Id == "big").Status);

        for (var i = 0; i < 2; i++)
        {
            await using var scope = app.App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ClassScheduleSeeder>().ImportAsync(edited, CancellationToken.None);
        }

        var notices = app.Outbox("class-cancelled:");
        Assert.Equal(["r1", "r2"], notices.Select(n => n.UserKey));
        Assert.Contains("中止になりました", ReplyText.Of(notices[0].Replies));
        var mine = ReplyText.Of(await app.SayAsync("r1", "申し込みの確認"));
        Assert.Contains("状況: 中止になりました", mine);
        Assert.DoesNotContain("キャンセルする", mine);
        Assert.DoesNotContain("はじめてのスマホ教室", ReplyText.Of(await app.SayAsync("r1", "スマホ教室")));
    }

    [Fact]
    public async Task Cancel_DoubleTapOnYes_CancelsOnce_AndSaysSo()
    {
        await app.RegisterAsync("r1", "はじめてのスマホ教室");
        var ask = await app.SayAsync("r1", "キャンセル");
        var yes = Buttons.Find(ask, "はい");

        var first = ReplyText.Of(await app.App.SayAsync(Audience.Resident, "r1", null, yes));
        var second = ReplyText.Of(await app.App.SayAsync(Audience.Resident, "r1", null, yes));

        Assert.Contains("取り消しました", first);
        Assert.Contains("すでに取り消されています", second);
        Assert.Equal(0, app.Class("big").SeatsTaken);
    }

    [Fact]
    public async Task Cancel_AnsweringNo_KeepsTheRegistration()
    {
        await app.RegisterAsync("r1", "はじめてのスマホ教室");
        var ask = await app.SayAsync("r1", "キャンセル");

        Assert.Contains("取り消しはしていません", ReplyText.Of(await app.SayAsync("r1", "いいえ")));
        Assert.Equal(1, app.Class("big").SeatsTaken);
    }

    [Fact]
    public async Task CancelButtonOfSomeoneElse_DoesNothing()
    {
        await app.RegisterAsync("r1", "はじめてのスマホ教室");
        var ask = await app.SayAsync("r1", "キャンセル");

        var replies = await app.App.SayAsync(Audience.Resident, "intruder", null, Buttons.Find(ask, "はい"));

        Assert.Contains("見つかりませんでした", ReplyText.Of(replies));
        Assert.Equal(1, app.Class("big").SeatsTaken);
    }

    [Fact]
    public async Task Mine_WithNothing_SaysSoAndOffersTheSchedule()
    {
        var replies = await app.SayAsync("r1", "申し込みの確認");

        Assert.Contains("お申し込みはありません", ReplyText.Of(replies));
        Assert.Contains("スマホ教室", Assert.IsType<ChoicesReply>(replies[^1]).Choices[0].Label);
    }

    [Fact]
    public async Task PostbackForAClassThatNoLongerExists_IsRefusedKindly()
    {
        var data = Signed(ClassMessages.Reg("no-such-class"));

        var replies = await app.App.SayAsync(Audience.Resident, "r1", null, data);

        Assert.Contains("この教室は見つかりませんでした", ReplyText.Of(replies));
        Assert.Empty(app.Registrations("small"));
    }

    [Fact]
    public async Task PostbackForACancelledClass_SaysItWasCancelled()
    {
        var replies = await app.App.SayAsync(Audience.Resident, "r1", null, Signed(ClassMessages.Reg("gone")));

        Assert.Contains("中止になりました", ReplyText.Of(replies));
    }

    [Fact]
    public async Task TamperedRegistrationPostback_NeverReachesTheHandler()
    {
        var list = await app.SayAsync("r1", "スマホ教室");
        var data = Buttons.Find(list, "申し込む", "少人数のLINE教室")!.Replace("id=small", "id=big", StringComparison.Ordinal);

        var replies = await app.App.SayAsync(Audience.Resident, "r1", null, data);

        Assert.Contains("このボタンは使えなくなりました", ReplyText.Of(replies));
    }

    [Fact]
    public async Task ClassStarted_RegistrationIsClosed()
    {
        var list = await app.SayAsync("r1", "スマホ教室");
        app.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 10, 5, 0, TimeSpan.FromHours(9)));

        var replies = await app.PressAsync("r1", list, "申し込む", "少人数のLINE教室");

        Assert.Contains("受付を終了しました", ReplyText.Of(replies));
    }

    [Theory]
    [InlineData("スマホ教室")]
    [InlineData("スマホの使い方を習いたい")]
    [InlineData("らいんのつかいかたおしえて")]
    [InlineData("携帯教室ある？")]
    [InlineData("LINEの使い方を教えてほしい")]
    [InlineData("スマートフォン講座")]
    public async Task NaturalQuestions_AboutLearningSmartphones_ShowTheSchedule(string text)
    {
        var replies = await app.SayAsync("r1", text);

        Assert.Contains(replies, r => r is CardsReply);
    }

    /// <summary>A postback as this host would sign it (through a reply of the engine's own).</summary>
    private string Signed(string data) => Postback.Sign(data, app.App.Services.GetRequiredService<PrivacyKeys>().PostbackKey);
}
