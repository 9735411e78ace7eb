using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Handoff;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Staff;
using ShiogamaDx.Bot.Tests.Infrastructure;
using ShiogamaDx.Bot.Tests.Line;
using ShiogamaDx.Bot.Tests.Staff;

namespace ShiogamaDx.Bot.Tests.Handoff;

/// <summary>
/// One host with both channels on: LINE pointed at the fake LINE API, the staff chat at the fake connector (both real
/// HTTP on loopback), two office conversations and two staff who may claim. Outboxes are delivered when a test says
/// (<see cref="DeliverAsync"/>), so nothing depends on the fake clock moving.
/// </summary>
public sealed class HandoffHarness : IAsyncDisposable
{
    public const string Office = "19:dx-office@thread.tacv2";
    public const string Welfare = "19:welfare@thread.tacv2";
    public const string TenantId = "72f988bf-0000-0000-0000-2d7cd011db47";

    public static readonly StaffMember Yamada = new("29:yamada", "aad-yamada", "山田 太郎", "a:personal-yamada");
    public static readonly StaffMember Sato = new("29:sato", "aad-sato", "佐藤 花子", "a:personal-sato");
    public static readonly StaffMember Stranger = new("29:other", "aad-other", "鈴木 一郎", "a:personal-other");

    private int activityCounter;

    private HandoffHarness(LineTestHost line, FakeConnector connector)
    {
        Line = line;
        Connector = connector;
    }

    public LineTestHost Line { get; }

    public FakeConnector Connector { get; }

    public BotApplication App => Line.App;

    public string ServiceUrl => Connector.BaseUrl + "amer/";

    public static async Task<HandoffHarness> StartAsync(Dictionary<string, string?>? extra = null, DateTimeOffset? now = null)
    {
        var connector = await FakeConnector.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Staff:AllowUnauthenticated"] = "true",
            ["Handoff:Conversations:0:Name"] = "DX推進係",
            ["Handoff:Conversations:0:ServiceUrl"] = connector.BaseUrl + "amer/",
            ["Handoff:Conversations:0:ConversationId"] = Office,
            ["Handoff:Conversations:0:TenantId"] = TenantId,
            ["Handoff:Conversations:1:Name"] = "福祉課",
            ["Handoff:Conversations:1:ServiceUrl"] = connector.BaseUrl + "amer/",
            ["Handoff:Conversations:1:ConversationId"] = Welfare,
            ["Handoff:Staff:0"] = Yamada.AadObjectId,
            ["Handoff:Staff:1"] = Sato.AadObjectId,
            ["Handoff:CheckInterval"] = "01:00:00", // tests run the timeout job themselves
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        var line = await LineTestHost.StartAsync(settings, now: now);
        return new HandoffHarness(line, connector);
    }

    /// <summary>A resident's text on LINE, answered before this returns.</summary>
    public async Task ResidentSaysAsync(string text)
    {
        await Line.SendAsync(LineEvents.Text(text, Line.Now));
        await SettledAsync();
    }

    /// <summary>A staff member's message in their personal chat with the bot.</summary>
    public Task<HttpResponseMessage> StaffSaysAsync(StaffMember who, string text) =>
        PostAsync(Activity(who, new JsonObject { ["conversationType"] = "personal", ["tenantId"] = TenantId, ["id"] = who.PersonalConversation }, text));

    /// <summary>A press of a card's Action.Submit in an office channel, as Teams sends it: a message whose value is the action's data.</summary>
    public Task<HttpResponseMessage> StaffPressesAsync(StaffMember who, string channel, JsonNode data, string? replyToId)
    {
        var activity = Activity(who, new JsonObject { ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = TenantId, ["id"] = channel + ";messageid=1764630000000" }, null);
        activity["value"] = data.DeepClone();
        if (replyToId is not null)
        {
            activity["replyToId"] = replyToId;
        }

        return PostAsync(activity);
    }

    private JsonObject Activity(StaffMember who, JsonObject conversation, string? text)
    {
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = "act-" + Interlocked.Increment(ref activityCounter),
            ["timestamp"] = Line.Now.ToString("O"),
            ["serviceUrl"] = ServiceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = who.Id, ["name"] = who.Name, ["aadObjectId"] = who.AadObjectId },
            ["conversation"] = conversation,
            ["recipient"] = new JsonObject { ["id"] = StaffHarness.BotId, ["name"] = "しおがまDX" },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
            ["locale"] = "ja-JP",
        };
        if (text is not null)
        {
            activity["text"] = text;
        }

        return activity;
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject activity)
    {
        var response = await Line.Client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await SettledAsync();
        return response;
    }

    public Task SettledAsync() => Line.WhenSettledAsync();

    /// <summary>Delivers what both outboxes hold (the workers' own rounds wait on the fake clock): the staff chat's, then LINE's.</summary>
    /// <summary>
    /// Delivers what is due on both channels and waits until none is left unsent: a committed message also wakes the
    /// host's own deliverers, which may hold a message this call then skips.
    /// </summary>
    public async Task DeliverAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            foreach (var delivery in App.Services.GetServices<IHostedService>().OfType<OutboxDelivery>())
            {
                await delivery.DeliverDueAsync(CancellationToken.None);
            }
            var now = App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            if (!Outbox().Any(m => m.SentAt == null && m.FailedAt == null && m.NotBefore <= now && m.Channel is "line" or "staff"))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the outbox delivered within 60 s");
            await Task.Delay(20);
        }
    }

    public List<ReceivedActivity> Drain()
    {
        var list = new List<ReceivedActivity>();
        while (Connector.TryTakeNext(out var next))
        {
            list.Add(next!);
        }

        return list;
    }

    /// <summary>Everything the connector was sent (it reports a call once its answer is on the wire: wait for that).</summary>
    public async Task<List<ReceivedActivity>> ReceivedAsync(int atLeast)
    {
        var list = Drain();
        while (list.Count < atLeast)
        {
            list.Add(await Connector.NextAsync());
        }

        return list;
    }

    public List<HandoffCase> Cases() => Line.Db(db => db.Set<HandoffCase>().AsNoTracking().OrderBy(h => h.Id).ToList());

    public List<OutboxMessage> Outbox() => Line.Db(db => db.Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToList());

    public async ValueTask DisposeAsync()
    {
        await Line.DisposeAsync();
        await Connector.DisposeAsync();
    }
}

public sealed record StaffMember(string Id, string AadObjectId, string Name, string PersonalConversation);

/// <summary>Reading what the fake connector received.</summary>
public static class Received
{
    /// <summary>Every string of the activity (text, card texts, summary), as a person would read them.</summary>
    public static string Text(this ReceivedActivity a) => string.Join("\n", Strings(a.Activity));

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Strings(kv.Value)),
        JsonArray arr => arr.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    /// <summary>The conversation id of the target, unescaped.</summary>
    public static string Conversation(this ReceivedActivity a) => Uri.UnescapeDataString(a.RawTarget.Split("/v3/conversations/")[1].Split("/activities")[0]);

    /// <summary>The submit data of the card action whose title contains <paramref name="title"/>.</summary>
    public static JsonNode? Action(this ReceivedActivity a, string title) =>
        a.Activity["attachments"]?.AsArray().SelectMany(x => x?["content"]?["actions"]?.AsArray() ?? [])
            .FirstOrDefault(x => ((string?)x?["title"])?.Contains(title, StringComparison.Ordinal) == true)?["data"];
}
