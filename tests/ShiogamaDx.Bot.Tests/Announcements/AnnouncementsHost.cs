using System.Net;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Announcements;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Staff;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;
using ShiogamaDx.Bot.Tests.Staff;

namespace ShiogamaDx.Bot.Tests.Announcements;

/// <summary>
/// One host with both channels on: residents at a fake LINE API, staff at a fake Bot Framework connector, both on
/// loopback; the operations API with a key. Staff members as the roles of Announcements:* name them.
/// </summary>
public sealed class AnnouncementsHost : IAsyncDisposable
{
    public const string ApiKey = "ops-key";
    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public StaffMember Author { get; } = new("author", "a0000000-0000-4000-8000-000000000001");

    public StaffMember Approver { get; } = new("approver", "a0000000-0000-4000-8000-000000000002");

    /// <summary>The emergency role.</summary>
    public StaffMember Duty { get; } = new("duty", "a0000000-0000-4000-8000-000000000003");

    /// <summary>No role at all.</summary>
    public StaffMember Other { get; } = new("other", "a0000000-0000-4000-8000-000000000004");

    private AnnouncementsHost(FakeLineApi line, StaffHarness staff)
    {
        Line = line;
        Staff = staff;
    }

    public FakeLineApi Line { get; }

    public StaffHarness Staff { get; }

    public BotApplication App => Staff.App;

    /// <summary>No broadcast: an announcement to every friend goes as multicasts of up to 500, as to a segment.</summary>
    public static Dictionary<string, string?> MulticastOnly() => new() { ["Announcements:Broadcast"] = "false" };

    public static async Task<AnnouncementsHost> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var line = await FakeLineApi.StartAsync();
        var ids = (Author: "a0000000-0000-4000-8000-000000000001", Approver: "a0000000-0000-4000-8000-000000000002", Duty: "a0000000-0000-4000-8000-000000000003");
        var settings = new Dictionary<string, string?>
        {
            ["Line:ChannelSecret"] = LineTestHost.Secret,
            ["Line:ChannelAccessToken"] = "test-access-token",
            ["Line:ApiBaseUrl"] = line.Url,
            ["Line:RequestTimeout"] = "00:02:00",
            ["Line:PollInterval"] = "00:00:01",
            ["Admin:ApiKey"] = ApiKey,
            ["Announcements:Authors:0"] = ids.Author,
            ["Announcements:Authors:1"] = ids.Approver,
            ["Announcements:Approvers:0"] = ids.Approver,
            ["Announcements:Approvers:1"] = ids.Author, // an approver too: still not of their own
            ["Announcements:Emergency:0"] = ids.Duty,
            ["Announcements:CheckInterval"] = "00:00:05",
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        var staff = await StaffHarness.StartAsync(settings);
        line.Clock = () => staff.App.Clock.GetUtcNow();
        return new AnnouncementsHost(line, staff);
    }

    public HttpClient Admin()
    {
        var client = Staff.Client;
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public T Db<T>(Func<BotDbContext, T> use) => App.WithScope(sp => use(sp.GetRequiredService<BotDbContext>()));

    public string ResidentKey(string lineUserId) => App.Services.GetRequiredService<PrivacyKeys>().Pseudonymize("line", lineUserId);

    public static string ResidentId(int n) => "U" + n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    // ---- residents, through the signed webhook ----

    public async Task<HttpResponseMessage> WebhookAsync(params JsonObject[] events)
    {
        var body = new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray([.. events.Select(e => (JsonNode)e.DeepClone())]) };
        Assert.Empty(OpenApiValidator.Webhook.Validate(body, "CallbackRequest"));
        var text = body.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/line/webhook") { Content = new StringContent(text, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Line-Signature", LineTestHost.Sign(text, LineTestHost.Secret));
        var response = await Staff.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    /// <summary>A resident follows (a new friend) and the answer is awaited; returns the reply's texts.</summary>
    public async Task<string> FollowAsync(string lineUserId)
    {
        var before = Line.Replies.Count();
        var follow = LineEvents.Follow(App.Clock.GetUtcNow());
        follow["source"] = LineEvents.User(lineUserId);
        await WebhookAsync(follow);
        await EventuallyAsync(() => Line.Replies.Count() > before, "the follow answered", advance: false);
        return Line.Replies.Last().AllText;
    }

    /// <summary>A resident writes; returns the texts of the reply.</summary>
    public async Task<LineCall> SayAsResidentAsync(string lineUserId, string text)
    {
        var before = Line.Replies.Count();
        await WebhookAsync(LineEvents.Text(text, App.Clock.GetUtcNow(), source: LineEvents.User(lineUserId)));
        await EventuallyAsync(() => Line.Replies.Count() > before, "the resident answered", advance: false);
        return Line.Replies.Last();
    }

    public async Task PressAsResidentAsync(string lineUserId, string data)
    {
        var before = Line.Replies.Count();
        var e = LineEvents.Base("postback", App.Clock.GetUtcNow(), LineEvents.User(lineUserId));
        e["postback"] = new JsonObject { ["data"] = data };
        await WebhookAsync(e);
        await EventuallyAsync(() => Line.Replies.Count() > before, "the button answered", advance: false);
    }

    public async Task UnfollowAsync(string lineUserId)
    {
        var e = LineEvents.Unfollow(App.Clock.GetUtcNow());
        e["source"] = LineEvents.User(lineUserId);
        await WebhookAsync(e);
    }

    // ---- staff, through the signed activity endpoint ----

    /// <summary>A member installs the bot: their conversation reference is stored, so the bot can write to them.</summary>
    public async Task JoinAsync(StaffMember s)
    {
        var update = Address(Staff.Base("conversationUpdate", id: $"f:{s.Name}-join"), s);
        update["membersAdded"] = new JsonArray(
            new JsonObject { ["id"] = StaffHarness.BotId },
            new JsonObject { ["id"] = s.UserId, ["aadObjectId"] = s.AadObjectId });
        Assert.Equal(HttpStatusCode.OK, (await Staff.PostAsync(update)).StatusCode);
        await Staff.WhenSettledAsync();
    }

    /// <summary>Says something in the staff chat and returns every reply to it (text and cards, as seen).</summary>
    public async Task<string> SayAsStaffAsync(StaffMember s, string? text, JsonNode? value = null)
    {
        var id = $"f:{s.Name}-{++s.Sent}";
        Assert.Equal(HttpStatusCode.OK, (await Staff.PostAsync(Address(Staff.Message(text, id, value), s))).StatusCode);
        await Staff.WhenSettledAsync();
        var replies = Staff.Connector.All.Where(a => (string?)a.Activity["replyToId"] == id).Select(a => a.Activity).ToList();
        await EventuallyAsync(() => Staff.Connector.All.Any(a => (string?)a.Activity["replyToId"] == id), "a staff reply to " + id);
        replies = Staff.Connector.All.Where(a => (string?)a.Activity["replyToId"] == id).Select(a => a.Activity).ToList();
        s.LastReply = replies[^1];
        return string.Join("\n", replies.Select(Visible));
    }

    /// <summary>What the bot wrote to this member on its own (not as a reply), as seen.</summary>
    public IEnumerable<JsonObject> Proactive(StaffMember s) => Staff.Connector.All
        .Where(a => a.Activity["replyToId"] is null && (string?)a.Activity["conversation"]?["id"] == s.ConversationId && a.Type == "message")
        .Select(a => a.Activity);

    public static string Visible(JsonObject activity) => (string?)activity["text"] + activity["attachments"]?.ToJsonString(ReadableJson);

    /// <summary>The submit data of the Action.Submit whose title contains the label.</summary>
    public static JsonNode FindAction(JsonNode activity, string label)
    {
        var found = Descendants(activity).OfType<JsonObject>()
            .Where(o => (string?)o["type"] == "Action.Submit" && o["data"] is JsonObject && ((string?)o["title"])?.Contains(label, StringComparison.Ordinal) == true)
            .ToList();
        var data = Assert.Single(found)["data"]!.DeepClone();
        Assert.NotNull(data[StaffActivities.PostbackField]);
        return data;
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode? node)
    {
        if (node is null)
        {
            yield break;
        }

        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
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

    private static JsonObject Address(JsonObject activity, StaffMember s)
    {
        activity["from"] = new JsonObject { ["id"] = s.UserId, ["name"] = s.DisplayName, ["aadObjectId"] = s.AadObjectId };
        activity["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = StaffHarness.TenantId, ["id"] = s.ConversationId };
        return activity;
    }

    // ---- the clock and the background work ----

    /// <summary>Waits (real time, short polls) while the fake clock moves a second at a time, waking pollers and retry delays.</summary>
    /// <param name="advance">False for an answer to a resident: it needs no timer, and a moving clock would age the reply token.</param>
    public async Task EventuallyAsync(Func<bool> condition, string because, bool advance = true)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60); // generous: five engineers share two cores
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting: " + because + "\nLINE calls: " + string.Join(", ", Line.Calls.Select(c => c.Path + " " + c.Status)));
            }

            if (advance)
            {
                App.Clock.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Every chunk of the announcement delivered or given up, and the author told.</summary>
    public async Task<Announcement> DeliveredAsync(long id)
    {
        var job = App.Services.GetRequiredService<AnnouncementJob>();
        await EventuallyAsync(() => Db(db => db.Set<OutboxMessage>().Where(o => o.UserKey == AnnouncementService.GroupKey(id)).All(o => o.SentAt != null || o.FailedAt != null)), "every chunk delivered");
        await job.TickAsync(CancellationToken.None);
        return Db(db => db.Set<Announcement>().AsNoTracking().Single(a => a.Id == id));
    }

    /// <summary>LINE friends put straight into the database (the arrangement of a large audience; the webhook makes the small ones).</summary>
    public void AddFriends(int from, int count)
    {
        var now = App.Clock.GetUtcNow();
        App.WithScope(sp =>
        {
            var db = sp.GetRequiredService<BotDbContext>();
            db.AddRange(Enumerable.Range(from, count).Select(i => new LineUser { UserKey = ResidentKey(ResidentId(i)), LineUserId = ResidentId(i), Following = true, FirstSeenAt = now, UpdatedAt = now }));
            db.SaveChanges();
            return 0;
        });
    }

    public async Task<JsonObject> PostAnnouncementAsync(object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Admin().PostAsJsonAsync("/api/admin/announcements", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<(HttpStatusCode Status, JsonObject? Body)> ApproveAsync(long id, string approver)
    {
        var response = await Admin().PostAsJsonAsync($"/api/admin/announcements/{id}/approve", new { approver });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : null);
    }

    public async ValueTask DisposeAsync()
    {
        await Staff.DisposeAsync();
        await Line.DisposeAsync();
    }
}

public sealed class StaffMember(string name, string aadObjectId)
{
    public string Name { get; } = name;

    public string AadObjectId { get; } = aadObjectId;

    public string DisplayName { get; } = "塩竈職員" + name;

    public string UserId { get; } = "29:user-" + name;

    public string ConversationId { get; } = "a:conv-" + name;

    public int Sent { get; set; }

    public JsonObject? LastReply { get; set; }
}
