using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Surveys;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Surveys;

public sealed class StaffSurveyTests : IDisposable
{
    private const string OfficeId = "office-object-id";
    private readonly StaffDirectory directory = new();
    private readonly BotApplication app;

    public StaffSurveyTests()
    {
        app = new BotApplication(
            new Dictionary<string, string?> { ["StaffSurveys:OfficeMembers:0"] = OfficeId, ["Admin:ApiKey"] = "ops-key" },
            configureServices: s => s.AddSingleton<IRecipientDirectory>(directory));
    }

    public void Dispose() => app.Dispose();

    private string Key(string rawId) => app.Services.GetRequiredService<PrivacyKeys>().Pseudonymize("staff", rawId);

    /// <summary>Answers the survey of the first open training (the generative-AI sample) by typing, as in Teams without buttons.</summary>
    private async Task<string> AnswerAsync(string staff, string satisfaction, string difficulty, string tools, string genAi, string comment = "なし")
    {
        await app.SayAsync(Audience.Staff, staff, "研修アンケート");
        await app.SayAsync(Audience.Staff, staff, "1");
        await app.SayAsync(Audience.Staff, staff, satisfaction);
        await app.SayAsync(Audience.Staff, staff, difficulty);
        await app.SayAsync(Audience.Staff, staff, tools);
        await app.SayAsync(Audience.Staff, staff, genAi);
        return ReplyText.Of(await app.SayAsync(Audience.Staff, staff, comment));
    }

    private Task<List<StaffSurveyResponse>> ResponsesAsync() =>
        app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<StaffSurveyResponse>().AsNoTracking().ToListAsync());

    [Fact]
    public async Task AQuestionAboutTheSurvey_IsAnsweredFromTheGuideline_ARequestStillOpensTheSurvey()
    {
        // The sample guideline's 11.2 says how often the staff survey is held: a question about it is the documents'.
        var about = ReplyText.Of(await app.SayAsync(Audience.Staff, Key("a"), "職員アンケートは年に何回くらいありますか"));
        var request = ReplyText.Of(await app.SayAsync(Audience.Staff, Key("b"), "研修のアンケートに答えたい"));

        Assert.StartsWith("【11.2 利用状況の把握とアンケート】", about, StringComparison.Ordinal);
        Assert.Contains("どの研修のアンケートに答えますか", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_AnswersByTyping_AndTheAnswerIsStoredUnderThePseudonym()
    {
        var done = await AnswerAsync(Key("a"), "満足", "ちょうどよい", "ややそう思う", "そう思う", "もっと事例がほしい");

        Assert.Contains("ご回答ありがとうございました", done);
        var response = Assert.Single(await ResponsesAsync());
        Assert.Equal((5, "right", 3, 4, "もっと事例がほしい"), (response.Satisfaction, response.Difficulty, response.DigitalToolUse, response.GenAiEfficiency!.Value, response.Comment));
        Assert.Equal(Key("a"), response.RespondentKey);
    }

    [Fact]
    public async Task AnsweringAgain_ReplacesTheAnswer()
    {
        await AnswerAsync(Key("a"), "満足", "易しい", "そう思う", "そう思う");
        await AnswerAsync(Key("a"), "不満", "難しい", "そう思わない", "そう思わない");

        var response = Assert.Single(await ResponsesAsync());
        Assert.Equal((1, "hard", 1, 1), (response.Satisfaction, response.Difficulty, response.DigitalToolUse, response.GenAiEfficiency!.Value));
    }

    [Fact]
    public async Task Results_AreHiddenBelowFiveAnswers_AndAggregateFromFive()
    {
        for (var i = 0; i < 4; i++)
        {
            await AnswerAsync(Key($"s{i}"), "満足", "易しい", "そう思う", "そう思わない", $"感想{i}");
        }

        await app.SayAsync(Audience.Staff, Key("reader"), "研修アンケートの結果");
        var hidden = ReplyText.Of(await app.SayAsync(Audience.Staff, Key("reader"), "1"));
        Assert.Contains("回答は4件です", hidden);
        Assert.DoesNotContain("感想", hidden);

        await AnswerAsync(Key("s4"), "不満", "難しい", "あまりそう思わない", "ややそう思う", "なし");
        await app.SayAsync(Audience.Staff, Key("reader"), "研修アンケートの結果");
        var shown = ReplyText.Of(await app.SayAsync(Audience.Staff, Key("reader"), "1"));

        Assert.Contains("回答数 | 5件", shown);
        Assert.Contains("満足度（5段階平均） | 4.2", shown);
        Assert.Contains("易しい 4 / ちょうどよい 0 / 難しい 1", shown);
        Assert.Contains("デジタルツールを活用できている | 80.0%", shown);
        Assert.Contains("生成AIで業務効率化を実感 | 20.0%", shown);
        Assert.Contains("・感想0", shown);
    }

    [Fact]
    public async Task Kpis_AreTheTopTwoShareOfEachPersonsLatestAnswer_FromFiveRespondents()
    {
        var source = app.Services.CreateScope().ServiceProvider.GetServices<IKpiValueSource>().OfType<StaffSurveyKpiSource>().Single();
        await AnswerAsync(Key("s0"), "ふつう", "ちょうどよい", "そう思う", "ややそう思う");
        await AnswerAsync(Key("s1"), "ふつう", "ちょうどよい", "ややそう思う", "ややそう思う");
        await AnswerAsync(Key("s2"), "ふつう", "ちょうどよい", "そう思う", "ややそう思う");
        await AnswerAsync(Key("s3"), "ふつう", "ちょうどよい", "そう思う", "そう思う");

        Assert.Empty(await source.ComputeAsync(CancellationToken.None)); // four people: not published

        await AnswerAsync(Key("s4"), "ふつう", "ちょうどよい", "あまりそう思わない", "そう思う");
        await AnswerAsync(Key("s3"), "ふつう", "ちょうどよい", "そう思わない", "そう思わない"); // s3 changes their mind: only the latest counts
        var values = await source.ComputeAsync(CancellationToken.None);

        var tools = values.Single(v => v.KpiId == KpiIds.StaffDigitalToolUse);
        Assert.Equal((2026, 60.0m, "survey"), (tools.FiscalYear, tools.Value, tools.Source));
        Assert.Contains("5人", tools.Note, StringComparison.Ordinal);
        Assert.Equal(80.0m, values.Single(v => v.KpiId == KpiIds.StaffGenAiEfficiency).Value);
    }

    [Fact]
    public async Task ClosedSurvey_RefusesNewAnswers()
    {
        var training = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Training>().AsNoTracking().OrderByDescending(t => t.HeldOn).First());
        await app.SayAsync(Audience.Staff, Key("a"), "研修アンケート");
        await app.SayAsync(Audience.Staff, Key("a"), "1");
        await app.SayAsync(Audience.Staff, Key("a"), "1");
        await app.SayAsync(Audience.Staff, Key("a"), "1");
        await app.SayAsync(Audience.Staff, Key("a"), "1");
        await app.SayAsync(Audience.Staff, Key("a"), "1");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffSurveyService>().CloseAsync(training.Id, CancellationToken.None);
        }

        var refused = ReplyText.Of(await app.SayAsync(Audience.Staff, Key("a"), "なし"));

        Assert.Contains("締め切られた", refused);
        Assert.Empty(await ResponsesAsync());
    }

    [Fact]
    public async Task OnlyTheOffice_SendsSurveys_OncePerPerson_WithOneReminderForNonRespondents()
    {
        directory.Keys.AddRange([Key("a"), Key("b")]);

        var refused = ReplyText.Of(await app.SayAsync(Audience.Staff, Key("a"), "研修アンケートを送る"));
        Assert.Contains("DX推進担当", refused);

        await app.SayAsync(Audience.Staff, Key(OfficeId), "研修アンケートを送る");
        Assert.Contains("2人に送りました", ReplyText.Of(await app.SayAsync(Audience.Staff, Key(OfficeId), "1")));
        await app.SayAsync(Audience.Staff, Key(OfficeId), "研修アンケートを送る");
        Assert.Contains("0人に送りました", ReplyText.Of(await app.SayAsync(Audience.Staff, Key(OfficeId), "1")));

        await AnswerAsync(Key("a"), "満足", "易しい", "そう思う", "そう思う");
        // The hourly job (on the fake clock) sends the reminder; later ticks send nothing more.
        using var runs = new JobRuns(app.Services);
        app.Clock.Advance(TimeSpan.FromDays(2));
        var outbox = await OutboxEventuallyAsync(3);
        await runs.PassAsync(StaffSurveyReminderJob.LeaseName, () => app.Clock.Advance(TimeSpan.FromDays(1)));

        outbox = await OutboxEventuallyAsync(3);
        Assert.Single(outbox, m => m.UserKey == Key("b") && m.IdempotencyKey.StartsWith("staff-survey-reminder:", StringComparison.Ordinal));
        Assert.All(outbox, m => Assert.Equal("staff", m.Channel));
    }

    [Fact]
    public async Task InvitationButton_StartsTheSurvey()
    {
        directory.Keys.Add(Key("a"));
        await app.SayAsync(Audience.Staff, Key(OfficeId), "研修アンケートを送る");
        await app.SayAsync(Audience.Staff, Key(OfficeId), "1");
        var invitation = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<OutboxMessage>().AsNoTracking().Single());
        var button = Assert.IsType<CardsReply>(Assert.Single(invitation.Replies)).Cards[0].Actions[0];

        var replies = ReplyText.Of(await app.SayAsync(Audience.Staff, Key("a"), null, button.Value));

        Assert.Contains("1/5 研修の満足度", replies);
    }

    [Fact]
    public async Task Residents_NeverReachStaffSurveys()
    {
        var replies = ReplyText.Of(await app.SayAsync(Audience.Resident, "r1", "研修アンケートの結果"));

        Assert.DoesNotContain("研修", replies);
    }

    [Fact]
    public async Task AdminApi_CreatesTrainings_SendsToListedStaff_AndPublishesOnlyAggregates()
    {
        using var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/admin/trainings")).StatusCode);
        http.DefaultRequestHeaders.Add("X-Api-Key", "ops-key");

        var bad = await http.PostAsJsonAsync("/api/admin/trainings", new { title = "", kind = "生成AI" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var created = await http.PostAsJsonAsync("/api/admin/trainings", new { title = "RPA研修", kind = "digital-tools", heldOn = "2026-11-25" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var training = (await created.Content.ReadFromJsonAsync<StaffSurveysExtensions.TrainingDto>())!;

        var sent = await http.PostAsJsonAsync($"/api/admin/trainings/{training.Id}/surveys", new { userIds = new[] { "x", "y", "x" } });
        Assert.Equal(2, (await sent.Content.ReadFromJsonAsync<StaffSurveysExtensions.SentDto>())!.Sent);

        var results = await http.GetFromJsonAsync<StaffSurveysExtensions.ResultsDto>($"/api/admin/trainings/{training.Id}/results");
        Assert.False(results!.Published);
        Assert.Empty(results.Comments);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/admin/trainings/9999/close", null)).StatusCode);
    }

    private async Task<List<OutboxMessage>> OutboxEventuallyAsync(int count)
    {
        for (var i = 0; ; i++)
        {
            var messages = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<OutboxMessage>().AsNoTracking().ToList());
            if (messages.Count >= count || i == 100)
            {
                Assert.Equal(count, messages.Count);
                return messages;
            }

            await Task.Delay(50);
        }
    }

    private sealed class StaffDirectory : IRecipientDirectory
    {
        public List<string> Keys { get; } = [];

        public string Channel => "staff";

        public Task<IReadOnlyList<string>> UserKeysAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(Keys);
    }
}
