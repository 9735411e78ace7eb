using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Classes;

public sealed class ClassSurveyTests : IDisposable
{
    private static readonly DateTimeOffset AfterSmall = new(2026, 12, 5, 12, 30, 0, TimeSpan.FromHours(9));

    private readonly ClassesTestApp app = new(new Dictionary<string, string?> { ["Classes:KpiMinimumResponses"] = "2" });

    public void Dispose() => app.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task AdminEndpoints_WithoutTheKey_Return401(string? key)
    {
        using var http = Client(key);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/admin/classes")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/admin/classes/small/surveys", null)).StatusCode);
        Assert.Empty(app.Outbox("class-survey:"));
    }

    [Fact]
    public async Task AdminClasses_ListsEveryClassWithItsRegisteredCount()
    {
        await app.RegisterAsync("r1", "はじめてのスマホ教室", companions: 2);
        using var http = Client(ClassesTestApp.ApiKey);

        using var json = JsonDocument.Parse(await http.GetStringAsync("/api/admin/classes"));

        var classes = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["small", "big", "gone"], classes.Select(c => c.GetProperty("id").GetString()));
        var big = classes[1];
        Assert.Equal("はじめてのスマホ教室", big.GetProperty("title").GetString());
        Assert.Equal(new DateTimeOffset(2026, 12, 12, 13, 30, 0, TimeSpan.FromHours(9)), big.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal("壱番館", big.GetProperty("venue").GetString());
        Assert.Equal(10, big.GetProperty("capacity").GetInt32());
        Assert.Equal(3, big.GetProperty("registeredCount").GetInt32());
    }

    [Fact]
    public async Task SurveyPush_SendsToEveryConfirmedParticipantOnce()
    {
        await app.RegisterAsync("r1", "少人数のLINE教室");
        await app.RegisterAsync("r2", "少人数のLINE教室");
        await app.RegisterAsync("r3", "少人数のLINE教室"); // waiting list: not a participant
        using var http = Client(ClassesTestApp.ApiKey);

        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync("/api/admin/classes/small/surveys", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/admin/classes/nope/surveys", null)).StatusCode);

        app.App.Clock.SetUtcNow(AfterSmall);
        var first = await http.PostAsync("/api/admin/classes/small/surveys", null);
        var second = await http.PostAsync("/api/admin/classes/small/surveys", null);

        Assert.Equal(2, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sent").GetInt32());
        Assert.Equal(0, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sent").GetInt32());
        Assert.Equal(["r1", "r2"], app.Outbox("class-survey:").Select(m => m.UserKey));
        Assert.Equal(0, (await app.TickAsync()).Surveys); // the automatic send knows it went already
    }

    [Fact]
    public async Task Survey_AnsweredByButtonsAndTypedLabels_IsStored_AndFeedsTheKpi()
    {
        await app.RegisterAsync("r1", "少人数のLINE教室");
        await app.RegisterAsync("r2", "少人数のLINE教室");
        app.App.Clock.SetUtcNow(AfterSmall);
        await PushAsync("small");

        var first = await app.PressAsync("r1", Pushed("r1"), "アンケートに答える");
        Assert.Contains("12月5日(土)「少人数のLINE教室」のアンケートです", ReplyText.Of(first));
        Assert.Contains("講座の内容は理解できましたか", ReplyText.Of(first));
        var next = await app.PressAsync("r1", first, "だいたい理解できた");
        Assert.Contains("満足度", ReplyText.Of(next));
        next = await app.SayAsync("r1", "1");                    // typed number: 満足
        next = await app.SayAsync("r1", "ちょうど");             // typed part of a label: ちょうどよかった
        Assert.Contains("ご意見やご感想", ReplyText.Of(next));
        Assert.Contains("ありがとうございました", ReplyText.Of(await app.SayAsync("r1", "ゆっくり教えてもらえてよかったです")));

        var answer = Answers().Single();
        Assert.Equal((3, "だいたい理解できた", "満足", "ちょうどよかった", "ゆっくり教えてもらえてよかったです", 2026),
            (answer.Comprehension, answer.ComprehensionLabel, answer.Satisfaction, answer.Difficulty, answer.Comment, answer.FiscalYear));
        Assert.Empty(await KpiAsync()); // one answer: below the minimum of 2

        await app.SayAsync("r2", "アンケート");                  // typed instead of the button
        await app.SayAsync("r2", "理解できなかった");
        await app.SayAsync("r2", "不満");
        await app.SayAsync("r2", "3");
        await app.SayAsync("r2", "なし");

        var kpi = Assert.Single(await KpiAsync());
        Assert.Equal((KpiIds.ClassComprehension, 2026, 50.0m), (kpi.KpiId, kpi.FiscalYear, kpi.Value));
        Assert.Contains("回答2件", kpi.Note);
        Assert.Null(Answers().Single(a => a.UserKey == "r2").Comment);
    }

    [Fact]
    public async Task Survey_AnsweredAgain_ReplacesTheEarlierAnswer()
    {
        await app.RegisterAsync("r1", "少人数のLINE教室");
        app.App.Clock.SetUtcNow(AfterSmall);
        await AnswerAsync("r1", "理解できなかった");

        app.App.Clock.Advance(TimeSpan.FromDays(3)); // answers can come days later
        var replies = await AnswerAsync("r1", "よく理解できた");

        Assert.Contains("置きかえました", ReplyText.Of(replies));
        var answer = Answers().Single();
        Assert.Equal(4, answer.Comprehension);
    }

    [Fact]
    public async Task Survey_ForAClassThePersonDidNotAttend_IsRefused()
    {
        await app.RegisterAsync("r1", "少人数のLINE教室", companions: 1);
        await app.RegisterAsync("r2", "少人数のLINE教室"); // waiting list only
        app.App.Clock.SetUtcNow(AfterSmall);
        await PushAsync("small");

        // r2 types アンケート: nothing open for them.
        Assert.Contains("いま回答できるスマホ教室のアンケートはありません", ReplyText.Of(await app.SayAsync("r2", "アンケート")));

        // r2 presses r1's button (e.g. forwarded screenshot replayed): refused.
        var replies = await app.PressAsync("r2", Pushed("r1"), "アンケートに答える");
        Assert.Contains("教室に参加された方だけ", ReplyText.Of(replies));

        // A correctly signed button for r2's own waiting-list registration: refused too.
        var waitingId = app.Registrations("small").Single(r => r.UserKey == "r2").Id;
        var signed = Postback.Sign(ClassMessages.Survey(waitingId), app.App.Services.GetRequiredService<PrivacyKeys>().PostbackKey);
        Assert.Contains("教室に参加された方だけ", ReplyText.Of(await app.App.SayAsync(Audience.Resident, "r2", null, signed)));
        Assert.Empty(Answers());
    }

    [Fact]
    public async Task Survey_BeforeTheClassOrAfterItCloses_IsRefused()
    {
        await app.RegisterAsync("r1", "少人数のLINE教室");
        var id = app.Registrations("small").Single().Id;
        var signed = Postback.Sign(ClassMessages.Survey(id), app.App.Services.GetRequiredService<PrivacyKeys>().PostbackKey);

        Assert.Contains("教室が終わってから", ReplyText.Of(await app.App.SayAsync(Audience.Resident, "r1", null, signed)));

        app.App.Clock.SetUtcNow(AfterSmall.AddDays(15));
        Assert.Contains("受付は終了しました", ReplyText.Of(await app.App.SayAsync(Audience.Resident, "r1", null, signed)));
        Assert.Empty(Answers());
    }

    [Fact]
    public async Task Erasing_ThePerson_KeepsTheirAnswerAnonymised_ForTheKpi()
    {
        await app.RegisterAsync("r1", "少人数のLINE教室");
        await app.RegisterAsync("r2", "少人数のLINE教室");
        app.App.Clock.SetUtcNow(AfterSmall);
        await AnswerAsync("r1", "よく理解できた");
        await AnswerAsync("r2", "あまり理解できなかった");

        await using (var scope = app.App.Services.CreateAsyncScope())
        {
            foreach (var eraser in scope.ServiceProvider.GetServices<IPersonalDataEraser>())
            {
                await eraser.EraseAsync("r1", CancellationToken.None);
            }
        }

        var anonymous = Answers().Single(a => a.Comprehension == 4);
        Assert.Null(anonymous.UserKey);
        Assert.Null(anonymous.RegistrationId);
        Assert.DoesNotContain(app.Registrations("small"), r => r.UserKey == "r1");
        Assert.Equal(50.0m, Assert.Single(await KpiAsync()).Value);
    }

    [Fact]
    public async Task Kpi_IsPerFiscalYearOfTheClassDate_TopTwoBoxesOverAllAnswers_FromTheMinimumOn()
    {
        app.Db(db =>
        {
            void Add(int fiscalYear, int comprehension) => db.Add(new ClassSurveyAnswer
            {
                ClassId = "small", FiscalYear = fiscalYear, Comprehension = comprehension, ComprehensionLabel = "x", AnswersJson = "{}",
            });
            Add(2026, 4);
            Add(2026, 3);
            Add(2026, 2);
            Add(2027, 1);
            Add(2027, 4);
            Add(2028, 4); // one answer: not published
            return db.SaveChanges();
        });

        var values = await KpiAsync();

        Assert.Equal([(2026, 66.7m), (2027, 50.0m)], values.Select(v => (v.FiscalYear, v.Value)));
        Assert.All(values, v => Assert.Equal(("survey", KpiIds.ClassComprehension), (v.Source, v.KpiId)));
    }

    [Theory]
    [InlineData("2027-03-31T23:00:00+09:00", 2026)]
    [InlineData("2027-04-01T00:30:00+09:00", 2027)]
    [InlineData("2027-03-31T15:30:00+00:00", 2027)] // 4月1日 0:30 in Japan
    public void FiscalYear_FollowsTheClassDateInJapan(string instant, int fiscalYear) =>
        Assert.Equal(fiscalYear, ClassTime.FiscalYear(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task StaffResults_ShowRateAndComments_ResidentsCannotAsk()
    {
        await app.RegisterAsync("r1", "少人数のLINE教室");
        app.App.Clock.SetUtcNow(AfterSmall);
        await AnswerAsync("r1", "よく理解できた", comment: "また参加したいです");

        var table = await app.App.SayAsync(Audience.Staff, "s1", "スマホ教室のアンケート結果");
        Assert.Contains("100%", ReplyText.Of(table));
        var detail = await Buttons.PressAsync(app.App, Audience.Staff, "s1", table, "12月5日(土) 塩竈市公民館");
        Assert.Contains("また参加したいです", ReplyText.Of(detail));

        Assert.DoesNotContain("また参加したいです", ReplyText.Of(await app.SayAsync("r9", "スマホ教室のアンケート結果")));
    }

    private HttpClient Client(string? key)
    {
        var http = app.App.CreateClient();
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return http;
    }

    private async Task PushAsync(string classId)
    {
        using var http = Client(ClassesTestApp.ApiKey);
        (await http.PostAsync($"/api/admin/classes/{classId}/surveys", null)).EnsureSuccessStatusCode();
    }

    private IReadOnlyList<Reply> Pushed(string user) => app.Outbox("class-survey:").Single(m => m.UserKey == user).Replies;

    private async Task<IReadOnlyList<Reply>> AnswerAsync(string user, string comprehension, string comment = "なし")
    {
        await app.SayAsync(user, "アンケート");
        await app.SayAsync(user, comprehension);
        await app.SayAsync(user, "満足");
        await app.SayAsync(user, "ちょうどよかった");
        return await app.SayAsync(user, comment);
    }

    private List<ClassSurveyAnswer> Answers() => app.Db(db => db.Set<ClassSurveyAnswer>().AsNoTracking().OrderBy(a => a.Id).ToList());

    private async Task<IReadOnlyList<ComputedKpiValue>> KpiAsync()
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var source = scope.ServiceProvider.GetServices<IKpiValueSource>().OfType<ClassComprehensionKpi>().Single();
        return await source.ComputeAsync(CancellationToken.None);
    }
}
