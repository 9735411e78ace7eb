using System.Net;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Staff;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Staff;

namespace ShiogamaDx.Bot.Tests.Surveys;

/// <summary>
/// The staff surveys through the real staff channel: signed activities to POST /api/messages, answers at the
/// fake connector, proactive invitations through the outbox worker, and the KPIs through the operations API.
/// </summary>
public sealed class StaffSurveyEndToEndTests
{
    private const string ApiKey = "ops-key";
    private const string GenAiTraining = "生成AI活用研修";
    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly StaffMember Office = new("office", "0ff1ce00-0000-4000-8000-000000000001");

    private static Task<StaffHarness> StartAsync() => StaffHarness.StartAsync(new()
    {
        ["StaffSurveys:OfficeMembers:0"] = Office.AadObjectId,
        ["Admin:ApiKey"] = ApiKey,
    });

    private static StaffMember Staff(int n) => new($"s{n}", $"5a5a5a5a-0000-4000-8000-00000000000{n}");

    [Fact]
    public async Task FiveStaff_AnswerByTypingAndCards_KpisReadTheTopTwoShare_OnlyFromFive_AndFollowAReplacedAnswer()
    {
        await using var h = await StartAsync();
        var staff = Enumerable.Range(0, 5).Select(Staff).ToList();
        foreach (var s in staff)
        {
            await JoinAsync(h, s);
        }

        // (digital tools, generative AI): top two are そう思う / ややそう思う.
        await AnswerAsync(h, staff[0], cards: false, "満足", "ちょうどよい", "そう思う", "ややそう思う", "事例がもっと欲しい");
        await AnswerAsync(h, staff[1], cards: true, "やや満足", "難しい", "ややそう思う", "そう思わない", "なし");
        await AnswerAsync(h, staff[2], cards: false, "ふつう", "易しい", "あまりそう思わない", "そう思う", "なし");
        await AnswerAsync(h, staff[3], cards: true, "満足", "ちょうどよい", "そう思う", "あまりそう思わない", "時間が短い");

        // Four people: neither KPI is published, and the results stay hidden.
        Assert.Null(await SurveyActualAsync(h, KpiIds.StaffDigitalToolUse));
        Assert.Null(await SurveyActualAsync(h, KpiIds.StaffGenAiEfficiency));
        var hidden = await ResultsTextAsync(h, staff[4]);
        Assert.Contains("回答は4件です", hidden, StringComparison.Ordinal);
        Assert.DoesNotContain("事例がもっと欲しい", hidden, StringComparison.Ordinal);

        await AnswerAsync(h, staff[4], cards: false, "不満", "難しい", "そう思わない", "そう思わない", "なし");

        var tools = await SurveyActualAsync(h, KpiIds.StaffDigitalToolUse);
        var genAi = await SurveyActualAsync(h, KpiIds.StaffGenAiEfficiency);
        Assert.Equal(60.0m, tools?.Value); // s0, s1, s3 of 5
        Assert.Contains("5人", tools!.SourceDetail, StringComparison.Ordinal);
        Assert.Equal(40.0m, genAi?.Value); // s0, s2 of 5
        Assert.Contains("5人", genAi!.SourceDetail, StringComparison.Ordinal);

        // s2 replaces their answer (same person, still one answer each).
        await AnswerAsync(h, staff[2], cards: true, "ふつう", "易しい", "そう思う", "あまりそう思わない", "なし");

        tools = await SurveyActualAsync(h, KpiIds.StaffDigitalToolUse);
        genAi = await SurveyActualAsync(h, KpiIds.StaffGenAiEfficiency);
        Assert.Equal(80.0m, tools?.Value);
        Assert.Contains("5人", tools!.SourceDetail, StringComparison.Ordinal);
        Assert.Equal(20.0m, genAi?.Value);

        // Anyone sees the aggregate, never a person: no names, ids or per-person rows; comments without names.
        var shown = await ResultsTextAsync(h, staff[1]);
        var visible = Visible(staff[1].LastReply!);
        Assert.Contains("5件", shown, StringComparison.Ordinal);
        Assert.Contains("80.0%", shown, StringComparison.Ordinal);
        Assert.Contains("20.0%", shown, StringComparison.Ordinal);
        Assert.Contains("事例がもっと欲しい", shown, StringComparison.Ordinal);
        foreach (var s in staff)
        {
            Assert.DoesNotContain(s.DisplayName, visible, StringComparison.Ordinal);
            Assert.DoesNotContain(s.AadObjectId, visible, StringComparison.Ordinal);
            Assert.DoesNotContain(s.UserId, visible, StringComparison.Ordinal);
        }

        // The operations API publishes the same aggregate and nothing per person.
        using var api = AdminClient(h);
        var trainingId = (await api.GetFromJsonAsync<JsonArray>("/api/admin/trainings"))!.Single(t => ((string?)t!["title"])!.Contains(GenAiTraining, StringComparison.Ordinal))!["id"]!.GetValue<int>();
        var results = (await api.GetFromJsonAsync<JsonObject>($"/api/admin/trainings/{trainingId}/results"))!;
        Assert.Equal(5, (int?)results["responses"]);
        Assert.Equal(0.8, (double?)results["digitalToolShare"]);
        var json = results.ToJsonString(ReadableJson);
        Assert.All(staff, s => Assert.DoesNotContain(s.AadObjectId, json, StringComparison.Ordinal));
        Assert.DoesNotContain("respondent", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ClosingTheSurvey_ThroughTheApi_RefusesAnswersInProgressAndLater()
    {
        await using var h = await StartAsync();
        var s = Staff(0);
        await JoinAsync(h, s);

        // Half-way through when the office closes the survey.
        await SayAsync(h, s, "研修アンケート", "どの研修のアンケートに答えますか");
        await PressAsync(h, s, GenAiTraining, "1/5");
        foreach (var (answer, next) in new[] { ("満足", "2/5"), ("易しい", "3/5"), ("そう思う", "4/5"), ("そう思う", "5/5") })
        {
            await SayAsync(h, s, answer, next);
        }

        using var api = AdminClient(h);
        var trainingId = (await api.GetFromJsonAsync<JsonArray>("/api/admin/trainings"))!.Single(t => ((string?)t!["title"])!.Contains(GenAiTraining, StringComparison.Ordinal))!["id"]!.GetValue<int>();
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/admin/trainings/{trainingId}/close", null)).StatusCode);

        Assert.Contains("締め切られた", await SayAsync(h, s, "なし", "締め切られた"), StringComparison.Ordinal);
        var results = (await api.GetFromJsonAsync<JsonObject>($"/api/admin/trainings/{trainingId}/results"))!;
        Assert.Equal(0, (int?)results["responses"]);
        var listed = (await api.GetFromJsonAsync<JsonArray>("/api/admin/trainings"))!.Single(t => (int?)t!["id"] == trainingId)!;
        Assert.False((bool?)listed["open"]);

        // Starting again no longer offers it.
        var again = await SayAsync(h, s, "研修アンケート", "アンケート");
        Assert.DoesNotContain(GenAiTraining, again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheOffice_SendsTheSurveyToEveryone_AsProactiveMessagesThatStartIt()
    {
        await using var h = await StartAsync();
        var staff = Enumerable.Range(0, 3).Select(Staff).ToList();
        foreach (var s in staff.Append(Office))
        {
            await JoinAsync(h, s);
        }

        var refused = await SayAsync(h, staff[0], "研修アンケートを送る", "DX推進担当");
        Assert.DoesNotContain("送りました", refused, StringComparison.Ordinal);

        Assert.DoesNotContain("締め切りました", await SayAsync(h, staff[0], "研修アンケートを締め切る", "DX推進担当"), StringComparison.Ordinal);

        await SayAsync(h, Office, "研修アンケートを送る", "全職員に送りますか");

        // The office's own (signed) send button, replayed by someone else, is refused too.
        var officeButton = FindAction(Office.LastReply!, GenAiTraining);
        Assert.DoesNotContain("送りました", await PostAndExpectAsync(h, staff[0], text: null, value: officeButton, expect: "DX推進担当"), StringComparison.Ordinal);
        using var runs = new JobRuns(h.App.Services);
        Assert.Contains("4人に送りました", await PressAsync(h, Office, GenAiTraining, "人に送りました"), StringComparison.Ordinal);

        // The outbox worker, woken by the send, delivers one invitation to each stored personal conversation. The
        // connector calls' timeouts and retry delays run on the host's clock, which stands still unless the test moves
        // it: so it moves a second per quiet second, as it would (a retry waiting on it goes on), and five minutes after
        // each round (past a failed message's back-off and the next poll). A jump can time out a call the worker has
        // just begun (its next round starts at once when woken during the last); the retry may then deliver that
        // invitation twice, which at-least-once delivery allows.
        var invitations = new Dictionary<string, ReceivedActivity>();
        var rounds = runs.Of(JobRuns.StaffOutbox);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (invitations.Count < 4 && DateTime.UtcNow < deadline)
        {
            var arrived = false;
            try
            {
                while (true)
                {
                    var next = await h.Connector.NextAsync(TimeSpan.FromMilliseconds(1000));
                    arrived |= IsInvitation(next);
                }
            }
            catch (OperationCanceledException)
            {
                // nothing more yet
            }

            // From everything the connector received: an invitation the worker delivered before the office's "送りました"
            // reply was read, and skipped while waiting for it, counts too.
            foreach (var received in h.Connector.All.Where(IsInvitation))
            {
                invitations[(string)received.Activity["recipient"]!["id"]!] = received;
            }

            if (invitations.Count < 4 && runs.Of(JobRuns.StaffOutbox) > rounds)
            {
                rounds = runs.Of(JobRuns.StaffOutbox);
                h.App.Clock.Advance(TimeSpan.FromMinutes(5));
            }
            else if (!arrived)
            {
                h.App.Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var undelivered = h.App.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<OutboxMessage>()
            .Where(m => m.Channel == StaffActivities.Channel && m.SentAt == null)
            .Select(m => $"{m.LastError ?? "(no error)"}, {m.Attempts} attempts, {(m.ClaimedBy == null ? "unclaimed" : "claimed")}").ToList());
        Assert.True(invitations.Count == 4, $"{invitations.Count} of 4 invitations arrived; undelivered: {string.Join(" | ", undelivered)}");
        Assert.Equal(staff.Append(Office).Select(s => s.UserId).Order(), invitations.Keys.Order());
        foreach (var s in staff.Append(Office))
        {
            Assert.Equal($"/amer/v3/conversations/{Uri.EscapeDataString(s.ConversationId)}/activities", invitations[s.UserId].RawTarget);
        }

        // Pressing 回答する in the invitation starts the survey.
        var button = FindAction(invitations[staff[1].UserId].Activity, "回答する");
        var started = await PostAndExpectAsync(h, staff[1], text: null, value: button, expect: "1/5");
        Assert.Contains("1/5 研修の満足度", started, StringComparison.Ordinal);
    }

    private static bool IsInvitation(ReceivedActivity received) =>
        received.Activity["replyToId"] is null && Readable(received).Contains("回答する", StringComparison.Ordinal);

    private static HttpClient AdminClient(StaffHarness h)
    {
        var client = h.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    private static async Task<KpiCellJson?> SurveyActualAsync(StaffHarness h, string kpiId)
    {
        using var api = AdminClient(h);
        var kpis = await api.GetFromJsonAsync<List<KpiJson>>("/api/admin/kpis?fiscalYear=2026");
        var kpi = Assert.Single(kpis!, k => k.Id == kpiId);
        var cells = kpi.OtherValues.Prepend(kpi.Actual).OfType<KpiCellJson>().Where(c => c.Source == "survey").ToList();
        return cells.Count == 0 ? null : Assert.Single(cells);
    }

    /// <summary>A member installs the bot: the conversationUpdate stores their conversation reference.</summary>
    private static async Task JoinAsync(StaffHarness h, StaffMember s)
    {
        var update = Address(h.Base("conversationUpdate", id: $"f:{s.Name}-join"), s);
        update["membersAdded"] = new JsonArray(
            new JsonObject { ["id"] = StaffHarness.BotId },
            new JsonObject { ["id"] = s.UserId, ["aadObjectId"] = s.AadObjectId });
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(update)).StatusCode);
        while (true)
        {
            var next = await h.Connector.NextAsync();
            if ((string?)next.Activity["recipient"]?["id"] == s.UserId && Readable(next).Contains("DX推進プラン", StringComparison.Ordinal))
            {
                return;
            }
        }
    }

    private static async Task AnswerAsync(StaffHarness h, StaffMember s, bool cards, string satisfaction, string difficulty, string tools, string genAi, string comment)
    {
        await SayAsync(h, s, "研修アンケート", "どの研修のアンケートに答えますか");
        if (cards)
        {
            await PressAsync(h, s, GenAiTraining, "1/5");
            await PressAsync(h, s, satisfaction, "2/5");
            await PressAsync(h, s, difficulty, "3/5");
            await PressAsync(h, s, tools, "4/5");
            await PressAsync(h, s, genAi, "5/5");
        }
        else
        {
            await SayAsync(h, s, "1", "1/5");
            await SayAsync(h, s, satisfaction, "2/5");
            await SayAsync(h, s, difficulty, "3/5");
            await SayAsync(h, s, tools, "4/5");
            await SayAsync(h, s, genAi, "5/5");
        }

        Assert.Contains("ご回答ありがとうございました", await SayAsync(h, s, comment, "ご回答"), StringComparison.Ordinal);
    }

    private static async Task<string> ResultsTextAsync(StaffHarness h, StaffMember s)
    {
        await SayAsync(h, s, "研修アンケートの結果", "どの研修の結果を見ますか");
        return await PressAsync(h, s, GenAiTraining, "件");
    }

    private static Task<string> SayAsync(StaffHarness h, StaffMember s, string text, string expect) =>
        PostAndExpectAsync(h, s, text, value: null, expect);

    /// <summary>Presses the button of the last card this person got whose title contains the label (Action.Submit).</summary>
    private static Task<string> PressAsync(StaffHarness h, StaffMember s, string label, string expect) =>
        PostAndExpectAsync(h, s, text: null, value: FindAction(s.LastReply!, label), expect);

    private static async Task<string> PostAndExpectAsync(StaffHarness h, StaffMember s, string? text, JsonNode? value, string expect)
    {
        var id = $"f:{s.Name}-{++s.Sent}";
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(Address(h.Message(text, id, value), s))).StatusCode);

        // Replies to one activity may be several (intro, question); wait for the one that carries the expected text.
        // The host's clock stands still unless the test moves it, and an answer may legitimately wait on it (a
        // connector call retried after a timeout that the earlier clock jumps fired): while waiting, the clock
        // moves a second per second, as it would.
        var seen = new List<string>();
        var waited = 0;
        while (true)
        {
            ReceivedActivity next;
            try
            {
                next = await h.Connector.NextAsync(TimeSpan.FromSeconds(1));
            }
            catch (OperationCanceledException)
            {
                if (++waited >= 60) // generous: the whole suite shares 2 cores
                {
                    Assert.Fail($"No reply to {id} containing '{expect}' within {waited} s. Seen meanwhile:\n" + string.Join("\n", seen));
                }

                h.App.Clock.Advance(TimeSpan.FromSeconds(1));
                continue;
            }

            seen.Add($"[{next.Activity["replyToId"]}] {Readable(next)}");
            if ((string?)next.Activity["replyToId"] != id)
            {
                continue;
            }

            var readable = Readable(next);
            if (readable.Contains(expect, StringComparison.Ordinal))
            {

                s.LastReply = next.Activity;
                return readable;
            }
        }
    }

    private static JsonObject Address(JsonObject activity, StaffMember s)
    {
        activity["from"] = new JsonObject { ["id"] = s.UserId, ["name"] = s.DisplayName, ["aadObjectId"] = s.AadObjectId };
        activity["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = StaffHarness.TenantId, ["id"] = s.ConversationId };
        return activity;
    }

    /// <summary>The submit data of the Action.Submit titled with the label, as Teams posts it back in the activity's value.</summary>
    private static JsonNode FindAction(JsonNode activity, string label)
    {
        var found = Descendants(activity).OfType<JsonObject>()
            .Where(o => (string?)o["type"] == "Action.Submit" && o["data"] is JsonObject && ((string?)o["title"])?.Contains(label, StringComparison.Ordinal) == true)
            .ToList();
        var exact = found.Where(o => (string?)o["title"] == label).ToList();
        var action = exact.Count > 0 ? exact[0] : Assert.Single(found);
        var data = action["data"]!.DeepClone();
        Assert.NotNull(data[StaffActivities.PostbackField]); // a signed postback, not a label sent as text
        return data;
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode? node)
    {
        if (node is null)
        {
            yield break;
        }

        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var d in Descendants(child))
            {
                yield return d;
            }
        }
    }

    private static string Readable(ReceivedActivity activity) => activity.Activity.ToJsonString(ReadableJson);

    /// <summary>What the person sees: the text and the cards, not the addressing.</summary>
    private static string Visible(JsonObject activity) => (string?)activity["text"] + activity["attachments"]?.ToJsonString(ReadableJson);

    private sealed class StaffMember(string name, string aadObjectId)
    {
        public string Name { get; } = name;

        public string AadObjectId { get; } = aadObjectId;

        public string DisplayName { get; } = "塩竈職員" + name;

        public string UserId { get; } = "29:user-" + name;

        public string ConversationId { get; } = "a:conv-" + name;

        public int Sent { get; set; }

        public JsonObject? LastReply { get; set; }
    }
}
