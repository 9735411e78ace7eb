using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Tests.Line;

namespace ShiogamaDx.Bot.Tests.Classes;

/// <summary>
/// スマホ教室 as a resident meets it: signed webhooks into the real host, answers read back from the fake LINE API
/// (which checks every body against LINE's OpenAPI document), buttons pressed with the data LINE would send back.
/// </summary>
public sealed class ClassesLineEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    private const string Other = "U00000000000000000000000000000b02";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "classes-line-" + Guid.NewGuid().ToString("N"));
    private LineTestHost host = null!;
    private int tokens;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        var schedule = Path.Combine(folder, "classes.yaml");
        await File.WriteAllTextAsync(schedule, ClassesTestApp.Schedule);
        host = await LineTestHost.StartAsync(new()
        {
            ["Classes:ScheduleFile"] = schedule,
            ["Classes:BackgroundJobs"] = "false", // runs are triggered below, at chosen instants of the fake clock
            ["Admin:ApiKey"] = ClassesTestApp.ApiKey,
            ["Classes:KpiMinimumResponses"] = "2", // the default of 5 would need five residents per test
        });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // left to the OS temp cleaner
        }
    }

    [Fact]
    public async Task TypedSmartphoneClass_RepliesWithAFlexCarousel_AndButtonsRegister()
    {
        var list = await SayAsync("スマホ教室");

        var carousel = list.Body!["messages"]!.AsArray().Select(m => m!).Single(m => (string?)m["type"] == "flex");
        Assert.Equal("carousel", (string?)carousel["contents"]!["type"]);
        var apply = Actions(carousel).Where(a => (string?)a["label"] == "申し込む").ToList();
        Assert.NotEmpty(apply);
        Assert.All(apply, a => Assert.Equal("postback", (string?)a["type"]));
        Assert.Contains("少人数のLINE教室", list.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("中止の教室", list.AllText, StringComparison.Ordinal);

        var done = await RegisterAsync(list, "少人数のLINE教室");

        Assert.Contains("申し込みを受け付けました", done.AllText, StringComparison.Ordinal);
        Assert.Contains("12月5日", done.AllText, StringComparison.Ordinal);
        Assert.Contains("塩竈市公民館", done.AllText, StringComparison.Ordinal);
        var registration = Assert.Single(Registrations("small"));
        Assert.Equal((host.UserKey, RegistrationStatus.Confirmed, 0), (registration.UserKey, registration.Status, registration.Companions));
        Assert.Empty(host.Fake.Pushes); // every answer went back on its reply token
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task TamperedApplyPostback_IsRefused_WhileTheGenuineButtonStillWorks()
    {
        var list = await SayAsync("スマホ教室");
        var data = (string)ButtonIn(list, "申し込む", "少人数のLINE教室")["data"]!;
        Assert.Contains("small", data, StringComparison.Ordinal);

        var refused = await PressDataAsync(data.Replace("small", "big", StringComparison.Ordinal));

        Assert.Contains("このボタンは使えなくなりました", refused.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("一緒に参加される方", refused.AllText, StringComparison.Ordinal);
        Assert.Empty(Registrations("big"));

        await RegisterAsync(list, "少人数のLINE教室");
        Assert.Single(Registrations("small"));
        Assert.Empty(Registrations("big"));
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task Reminder_IsPushedTheDayBeforeThroughTheOutbox_OnceWithARetryKey()
    {
        await RegisterAsync(await SayAsync("スマホ教室"), "少人数のLINE教室");
        var registration = Registrations("small").Single();

        host.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 9, 59, 0, Jst));
        Assert.Equal(0, (await TickAsync()).Reminders);
        host.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 10, 0, 0, Jst));
        Assert.Equal(1, (await TickAsync()).Reminders);

        await host.EventuallyAsync(() => host.Fake.Pushes.Any(p => p.Status == 200), advanceBy: TimeSpan.FromSeconds(1), because: "the reminder pushed");
        var push = Assert.Single(host.Fake.Pushes);
        Assert.Equal(LineTestHost.UserId, (string?)push.Body!["to"]);
        Assert.Equal(LineRenderer.DeriveKey("outbox:" + ClassJobs.ReminderKey(registration.Id)).ToString("D"), push.RetryKey);
        Assert.Contains("明日はスマホ教室の日です", push.AllText, StringComparison.Ordinal);
        Assert.Contains("キャンセルする", push.AllText, StringComparison.Ordinal);
        await host.EventuallyAsync(() => Outbox(ClassJobs.ReminderKey(registration.Id)).SentAt is not null, because: "the outbox row marked sent");

        // Later runs, and the delivery worker waking again, send nothing more.
        host.App.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await TickAsync()).Reminders);
        using (var runs = new JobRuns(host.App.Services))
        {
            await runs.PassAsync(JobRuns.LineOutbox, () => host.App.Clock.Advance(TimeSpan.FromSeconds(10)), rounds: 3);
        }

        Assert.Single(host.Fake.Pushes);

        // The reminder's button can also be answered by typing its number, as every offered choice can.
        var typed = await SayAsync("1");
        Assert.Contains("取り消しますか", typed.AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task SurveyPushedByTheAdminApi_ArrivesAsAPush_AndAnswersByPostbackAreStored()
    {
        await RegisterAsync(await SayAsync("スマホ教室"), "少人数のLINE教室");
        host.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 12, 30, 0, Jst));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/classes/small/surveys");
        request.Headers.Add("X-Api-Key", ClassesTestApp.ApiKey);
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sent").GetInt32());

        await host.EventuallyAsync(() => host.Fake.Pushes.Any(p => p.Status == 200), advanceBy: TimeSpan.FromSeconds(1), because: "the survey pushed");
        var push = Assert.Single(host.Fake.Pushes);
        Assert.NotNull(push.RetryKey);

        var step = await PressAsync(push, "アンケートに答える");
        Assert.Contains("講座の内容は理解できましたか", step.AllText, StringComparison.Ordinal);
        Assert.Equal("postback", (string?)ButtonIn(step, "よく理解できた")["type"]);
        step = await PressAsync(step, "よく理解できた");
        step = await PressAsync(step, "やや満足");
        step = await PressAsync(step, "ちょうどよかった");
        Assert.Contains("ご意見やご感想", step.AllText, StringComparison.Ordinal);
        step = await SayAsync("また参加したいです");
        Assert.Contains("ご回答ありがとうございました", step.AllText, StringComparison.Ordinal);

        var answer = host.Db(db => db.Set<ClassSurveyAnswer>().AsNoTracking().Single());
        Assert.Equal(("small", host.UserKey, 4, "やや満足", "ちょうどよかった", "また参加したいです"),
            (answer.ClassId, answer.UserKey, answer.Comprehension, answer.Satisfaction, answer.Difficulty, answer.Comment));
        Assert.Single(host.Fake.Pushes);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task FullClass_OffersTheWaitingList_AndACancellationByTypingMovesTheWaitingPersonUpWithAPush()
    {
        // The first resident takes both seats (themself and one companion).
        var step = await PressAsync(await SayAsync("スマホ教室"), "申し込む", "少人数のLINE教室");
        step = await PressAsync(step, "はい");
        step = await SayAsync("1");
        Assert.Contains("2人（ご本人と同伴1人）", step.AllText, StringComparison.Ordinal);
        Assert.Contains("申し込みを受け付けました", (await PressAsync(step, "はい")).AllText, StringComparison.Ordinal);

        var full = await SayAsync("スマホ教室", Other);
        Assert.Contains("満席", full.AllText, StringComparison.Ordinal);
        var waiting = await RegisterAsync(full, "少人数のLINE教室", Other, button: "キャンセル待ち");
        Assert.Contains("キャンセル待ちに登録しました（1番目）", waiting.AllText, StringComparison.Ordinal);
        Assert.Equal(RegistrationStatus.Waiting, Registrations("small").Single(r => r.UserKey == UserKeyOf(Other)).Status);

        var ask = await SayAsync("キャンセル");
        Assert.Contains("取り消しますか", ask.AllText, StringComparison.Ordinal);
        Assert.Contains("取り消しました", (await PressAsync(ask, "はい")).AllText, StringComparison.Ordinal);

        await host.EventuallyAsync(() => host.Fake.Pushes.Any(p => p.Status == 200), advanceBy: TimeSpan.FromSeconds(1), because: "the move-up pushed");
        var push = Assert.Single(host.Fake.Pushes);
        Assert.Equal(Other, (string?)push.Body!["to"]);
        Assert.Contains("参加が決まりました", push.AllText, StringComparison.Ordinal);
        Assert.NotNull(push.RetryKey);
        var registrations = Registrations("small");
        Assert.Equal(RegistrationStatus.Cancelled, registrations.Single(r => r.UserKey == host.UserKey).Status);
        Assert.Equal(RegistrationStatus.Confirmed, registrations.Single(r => r.UserKey == UserKeyOf(Other)).Status);
        Assert.Contains("申し込み済み", (await SayAsync("申し込みの確認", Other)).AllText, StringComparison.Ordinal);
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task SurveyAnsweredByTypedLabelsAndNumbers_IsStored_AndTheKpiApiReflectsItOnceThereAreEnough()
    {
        await RegisterAsync(await SayAsync("スマホ教室"), "少人数のLINE教室");
        await RegisterAsync(await SayAsync("スマホ教室", Other), "少人数のLINE教室", Other);
        await PushSurveyAsync(expected: 2);
        Assert.Equal(JsonValueKind.Null, (await KpiAsync()).GetProperty("actual").ValueKind); // no answer yet

        // First resident: typed labels only, no button pressed.
        Assert.Contains("講座の内容は理解できましたか", (await SayAsync("アンケート")).AllText, StringComparison.Ordinal);
        await SayAsync("よく理解できた");
        await SayAsync("やや不満");
        Assert.Contains("ご意見やご感想", (await SayAsync("難しかった")).AllText, StringComparison.Ordinal);
        Assert.Contains("ご回答ありがとうございました", (await SayAsync("なし")).AllText, StringComparison.Ordinal);

        var first = host.Db(db => db.Set<ClassSurveyAnswer>().AsNoTracking().Single());
        Assert.Equal((host.UserKey, 4, "よく理解できた", "やや不満", "難しかった", (string?)null),
            (first.UserKey, first.Comprehension, first.ComprehensionLabel, first.Satisfaction, first.Difficulty, first.Comment));
        Assert.Equal(JsonValueKind.Null, (await KpiAsync()).GetProperty("actual").ValueKind); // 1 answer < minimum of 2

        // Second resident: typed numbers (the position in the list of choices).
        Assert.Contains("講座の内容は理解できましたか", (await SayAsync("アンケート", Other)).AllText, StringComparison.Ordinal);
        await SayAsync("4", Other);
        await SayAsync("1", Other);
        await SayAsync("2", Other);
        Assert.Contains("ご回答ありがとうございました", (await SayAsync("ありがとうございました", Other)).AllText, StringComparison.Ordinal);

        var second = host.Db(db => db.Set<ClassSurveyAnswer>().AsNoTracking().Single(a => a.UserKey == UserKeyOf(Other)));
        Assert.Equal((1, "理解できなかった", "満足", "ちょうどよかった"), (second.Comprehension, second.ComprehensionLabel, second.Satisfaction, second.Difficulty));

        var kpi = await KpiAsync();
        var actual = kpi.GetProperty("actual");
        Assert.Equal(50.0m, actual.GetProperty("value").GetDecimal());
        Assert.Equal("survey", actual.GetProperty("source").GetString());
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task ApplyButtonOfAClassRemovedFromTheSchedule_GetsAKindReply_AndRegistersNothing()
    {
        var list = await SayAsync("スマホ教室");
        var data = (string)ButtonIn(list, "申し込む", "はじめてのスマホ教室")["data"]!;

        // The city removes the class (nobody had registered) after the carousel was sent.
        var edited = ClassSchedule.Parse(ClassesTestApp.Schedule, "classes.yaml").Where(c => c.Id != "big").ToList();
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ClassScheduleSeeder>().ImportAsync(edited, CancellationToken.None);
        }

        Assert.False(host.Db(db => db.Set<SmartphoneClass>().Any(c => c.Id == "big")));

        var reply = await PressDataAsync(data);

        Assert.Contains("この教室は見つかりませんでした", reply.AllText, StringComparison.Ordinal);
        Assert.Contains("スマホ教室", reply.AllText, StringComparison.Ordinal);
        Assert.Empty(host.Db(db => db.Set<ClassRegistration>().AsNoTracking().ToList()));
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task SurveyButtonOfAClassTheUserDidNotAttend_IsRefused_AndStoresNothing()
    {
        // The first resident takes both seats; the other is only on the waiting list.
        var step = await PressAsync(await SayAsync("スマホ教室"), "申し込む", "少人数のLINE教室");
        step = await PressAsync(step, "はい");
        await PressAsync(await SayAsync("1"), "はい");
        await RegisterAsync(await SayAsync("スマホ教室", Other), "少人数のLINE教室", Other, button: "キャンセル待ち");
        await PushSurveyAsync(expected: 1);
        var push = Assert.Single(host.Fake.Pushes);
        Assert.Equal(LineTestHost.UserId, (string?)push.Body!["to"]);

        // The other resident replays the first one's survey button (e.g. a forwarded message).
        var replayed = await PressDataAsync((string)ButtonIn(push, "アンケートに答える")["data"]!, Other);
        Assert.Contains("教室に参加された方だけ", replayed.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("講座の内容は理解できましたか", replayed.AllText, StringComparison.Ordinal);

        // A genuinely signed survey button for their own waiting-list registration: refused too.
        var waitingId = Registrations("small").Single(r => r.UserKey == UserKeyOf(Other)).Id;
        var signed = Postback.Sign(ClassMessages.Survey(waitingId), host.App.Services.GetRequiredService<PrivacyKeys>().PostbackKey);
        Assert.Contains("教室に参加された方だけ", (await PressDataAsync(signed, Other)).AllText, StringComparison.Ordinal);

        // Typing an answer afterwards does not slip into anyone's survey.
        await SayAsync("よく理解できた", Other);
        Assert.Empty(host.Db(db => db.Set<ClassSurveyAnswer>().AsNoTracking().ToList()));
        Assert.Empty(host.Fake.SpecErrors);
    }

    [Fact]
    public async Task DoubleTapOnTheFinalYes_TheSamePostbackDeliveredTwice_RegistersOnce()
    {
        var step = await PressAsync(await SayAsync("スマホ教室"), "申し込む", "少人数のLINE教室");
        step = await PressAsync(step, "いいえ");
        var yes = ButtonIn(step, "はい");
        Assert.Equal("postback", (string?)yes["type"]);
        var data = (string)yes["data"]!;

        // Two taps: two events with the same data, each with its own webhookEventId and reply token, in one delivery.
        var (first, second) = (NextToken(), NextToken());
        await host.SendAsync(PostbackEvent(data, first), PostbackEvent(data, second));
        await host.EventuallyAsync(() => host.Fake.Replies.Any(r => (string?)r.Body!["replyToken"] == first), because: "the reply to the first tap");
        await host.WhenSettledAsync();

        var registration = Assert.Single(Registrations("small"));
        Assert.Equal(RegistrationStatus.Confirmed, registration.Status);
        Assert.Equal(1, host.Db(db => db.Set<SmartphoneClass>().AsNoTracking().Single(c => c.Id == "small").SeatsTaken));
        var texts = host.Fake.Replies.Where(r => (string?)r.Body!["replyToken"] is { } t && (t == first || t == second)).Select(r => r.AllText).ToList();
        Assert.Equal(2, texts.Count); // both taps answered: one confirmation, one kind "already done"
        Assert.Single(texts, t => t.Contains("申し込みを受け付けました", StringComparison.Ordinal));
        Assert.Single(texts, t => t.Contains("そのボタンのやりとりは終わっています", StringComparison.Ordinal));

        // Delivered again in a separate webhook call (another tap a moment later): still one registration.
        var third = NextToken();
        await host.SendAsync(PostbackEvent(data, third));
        await host.EventuallyAsync(() => host.Fake.Replies.Any(r => (string?)r.Body!["replyToken"] == third), because: "the reply to the third tap");
        await host.WhenSettledAsync();
        Assert.Contains("そのボタンのやりとりは終わっています", host.Fake.Replies.Single(r => (string?)r.Body!["replyToken"] == third).AllText, StringComparison.Ordinal);
        Assert.Single(Registrations("small"));
        Assert.Empty(host.Fake.SpecErrors);
    }

    /// <summary>The survey of 少人数のLINE教室 pushed by the admin API (after the class), waiting until LINE has it.</summary>
    private async Task PushSurveyAsync(int expected)
    {
        host.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 12, 30, 0, Jst));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/classes/small/surveys");
        request.Headers.Add("X-Api-Key", ClassesTestApp.ApiKey);
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sent").GetInt32());
        await host.EventuallyAsync(() => host.Fake.Pushes.Count(p => p.Status == 200) >= expected, advanceBy: TimeSpan.FromSeconds(1), because: "the survey pushed");
        await host.WhenSettledAsync();
    }

    /// <summary>This host's KPI row for the comprehension rate of fiscal 2026, read as an operator does.</summary>
    private async Task<JsonElement> KpiAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/kpis?fiscalYear=2026");
        request.Headers.Add("X-Api-Key", ClassesTestApp.ApiKey);
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var all = await response.Content.ReadFromJsonAsync<JsonElement>();
        return all.EnumerateArray().Single(k => k.GetProperty("id").GetString() == KpiIds.ClassComprehension);
    }

    private string UserKeyOf(string userId) => host.App.Services.GetRequiredService<PrivacyKeys>().Pseudonymize("line", userId);

    /// <summary>The list → 申し込む on the class's bubble → いいえ (no companions) → はい; returns the last reply.</summary>
    private async Task<LineCall> RegisterAsync(LineCall list, string classTitle, string userId = LineTestHost.UserId, string button = "申し込む")
    {
        var step = await PressAsync(list, button, classTitle, userId);
        step = await PressAsync(step, "いいえ", userId: userId);
        return await PressAsync(step, "はい", userId: userId);
    }

    private Task<LineCall> SayAsync(string text, string userId = LineTestHost.UserId)
    {
        var token = NextToken();
        return SendAndWaitAsync(LineEvents.Text(text, host.Now, replyToken: token, source: LineEvents.User(userId)), token);
    }

    /// <summary>Presses a button of an answer as the LINE app does: a postback event with its data, or its text sent as a message.</summary>
    private Task<LineCall> PressAsync(LineCall answer, string label, string? near = null, string userId = LineTestHost.UserId)
    {
        var action = ButtonIn(answer, label, near);
        return (string?)action["type"] switch
        {
            "postback" => PressDataAsync((string)action["data"]!, userId),
            "message" => SayAsync((string)action["text"]!, userId),
            var other => throw new Xunit.Sdk.XunitException($"Button '{label}' has an unexpected action type {other}"),
        };
    }

    private Task<LineCall> PressDataAsync(string data, string userId = LineTestHost.UserId)
    {
        var token = NextToken();
        return SendAndWaitAsync(PostbackEvent(data, token, userId), token);
    }

    private JsonObject PostbackEvent(string data, string token, string userId = LineTestHost.UserId)
    {
        var e = LineEvents.Base("postback", host.Now, source: LineEvents.User(userId), replyToken: token);
        e["postback"] = new JsonObject { ["data"] = data };
        return e;
    }

    private async Task<LineCall> SendAndWaitAsync(JsonObject e, string token)
    {
        await host.SendAsync(e);
        await host.EventuallyAsync(() => host.Fake.Replies.Any(r => (string?)r.Body!["replyToken"] == token), because: "the reply to " + token);

        // The event must be finished before a test moves the clock: a jump while the reply is in flight would
        // time the call out on the fake clock and send the answer again as a push.
        await host.WhenSettledAsync();
        return host.Fake.Replies.Single(r => (string?)r.Body!["replyToken"] == token);
    }

    private string NextToken() => "reply-token-" + Interlocked.Increment(ref tokens);

    /// <summary>The action of the button labelled <paramref name="label"/> (flex button or quick reply), in the bubble mentioning <paramref name="near"/> if given.</summary>
    private static JsonNode ButtonIn(LineCall call, string label, string? near = null)
    {
        IEnumerable<JsonNode> scopes = call.Body!["messages"]!.AsArray().Select(m => m!);
        if (near is not null)
        {
            scopes = scopes
                .SelectMany(m => (string?)m["type"] == "flex" && (string?)m["contents"]!["type"] == "carousel" ? m["contents"]!["contents"]!.AsArray().Select(b => b!) : [m])
                .Where(b => b.ToJsonString().Contains(JsonEncoded(near), StringComparison.Ordinal));
        }

        return scopes.SelectMany(Actions).FirstOrDefault(a => (string?)a["label"] == label)
            ?? throw new Xunit.Sdk.XunitException($"No button '{label}'{(near is null ? "" : $" near '{near}'")} in: {call.Body.ToJsonString()}");
    }

    private static string JsonEncoded(string text) => JsonSerializer.Serialize(text)[1..^1];

    private static IEnumerable<JsonNode> Actions(JsonNode? node) => node switch
    {
        JsonObject o => (o["action"] is JsonObject a ? [a] : Enumerable.Empty<JsonNode>()).Concat(o.Where(kv => kv.Key != "action").SelectMany(kv => Actions(kv.Value))),
        JsonArray items => items.SelectMany(Actions),
        _ => [],
    };

    private List<ClassRegistration> Registrations(string classId) =>
        host.Db(db => db.Set<ClassRegistration>().AsNoTracking().Where(r => r.ClassId == classId).ToList());

    private OutboxMessage Outbox(string key) => host.Db(db => db.Set<OutboxMessage>().AsNoTracking().Single(m => m.IdempotencyKey == key));

    private Task<ClassJobResult> TickAsync() => host.App.Services.GetRequiredService<ClassJobs>().TickAsync(CancellationToken.None);
}
