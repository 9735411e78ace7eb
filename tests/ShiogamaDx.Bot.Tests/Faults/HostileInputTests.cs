using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Staff;
using ShiogamaDx.Bot.Tests.Line;
using ShiogamaDx.Bot.Tests.Staff;

namespace ShiogamaDx.Bot.Tests.Faults;

/// <summary>
/// Property-based: thousands of malformed, truncated, oversized, deeply nested, wrongly typed and unicode-abusive
/// bodies at both endpoints. Never a 5xx, never a crash, nothing stored without a valid signature or token.
/// A fixed seed keeps CI reproducible and fast; for a longer hunt set SHIOGAMA_FUZZ_ITERATIONS (e.g. 100000) and
/// SHIOGAMA_FUZZ_SEED (any CsCheck seed, printed on a failure) before `dotnet test --filter HostileInput`.
/// </summary>
public sealed class HostileInputTests
{
    private const string UnsignedPrefix = "UNSIGNED";

    private static readonly string Seed = Environment.GetEnvironmentVariable("SHIOGAMA_FUZZ_SEED") ?? new PCG(7, 20261125).ToString();

    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("SHIOGAMA_FUZZ_ITERATIONS"), out var n) ? n : 1000;

    /// <summary>Lone surrogates, bidi overrides, NULs, zero-width and 10,000 emoji (declared before Cases, which reads it).</summary>
    private static readonly string Abuse =
        "\ud800" + "あ\u202eけ\u202d" + "\u0000" + "\u200b\u2066\ufeff" + "\udfff" + string.Concat(Enumerable.Repeat("😀", 10_000));

    /// <summary>What the generator combines: a shape, random text, a size, signed or not, and a salt for ids.</summary>
    private static readonly Gen<(int Kind, string Text, int Size, bool Signed, int Salt)> Cases =
        Gen.Select(
            Gen.Frequency((60, Gen.Int[0, 8]), (1, Gen.Const(9))), // oversized (9) is rare: each one is a megabyte
            Gen.Frequency((9, Gen.String), (1, Gen.Const(Abuse))),
            Gen.Int[0, 20_000],
            Gen.Bool,
            Gen.Int[0, int.MaxValue]);

    [Fact]
    public async Task LineWebhook_UnderHostileBodies_NeverFails_AndStoresNothingUnsigned()
    {
        await using var host = await LineTestHost.StartAsync();
        var statuses = new Dictionary<int, int>();

        await Cases.SampleAsync(
            async c =>
            {
                var body = LineBody(c.Kind, c.Text, c.Size, c.Salt, c.Signed ? "FUZZ" : UnsignedPrefix);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/line/webhook") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (c.Signed)
                {
                    request.Headers.Add("X-Line-Signature", Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(LineTestHost.Secret), body)));
                }
                else if (c.Salt % 2 == 0)
                {
                    request.Headers.Add("X-Line-Signature", c.Text.Length > 0 && c.Text.All(ch => ch < 128) ? c.Text : "bm90IGEgc2lnbmF0dXJl");
                }

                using var response = await host.Client.SendAsync(request);
                var status = (int)response.StatusCode;
                lock (statuses)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                }

                Assert.True(status is 200 or 400 or 401 or 413, $"kind {c.Kind}, signed {c.Signed}: {status}");
                if (!c.Signed)
                {
                    Assert.True(status is 401 or 413, $"unsigned kind {c.Kind} answered {status}");
                }
            },
            seed: Seed,
            iter: Iterations,
            threads: 1);

        Assert.DoesNotContain(host.Inbox(), e => e.EventId.StartsWith(UnsignedPrefix, StringComparison.Ordinal));
        Assert.True(statuses.GetValueOrDefault(200) > 0 && statuses.GetValueOrDefault(401) > 0 && statuses.GetValueOrDefault(400) > 0 && statuses.GetValueOrDefault(413) > 0, string.Join(", ", statuses));

        // The worker survived what was stored: every hostile event is handled, and a real message is still answered.
        await host.SendAsync(LineEvents.Text("メニュー", host.Now.AddMinutes(1), replyToken: "after-the-storm", source: LineEvents.User("U" + new string('f', 32))));
        await host.WhenSettledAsync(advanceBy: TimeSpan.FromSeconds(30));
        Assert.Contains(host.Fake.Replies, r => (string?)r.Body!["replyToken"] == "after-the-storm" && r.Status == 200);
        Assert.Empty(host.Fake.SpecErrors); // whatever came in, what went out is a valid LINE request
        using var health = await host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>Values at the edges of a number as JSON writes it: of long, of what DateTimeOffset holds in Unix ms, and beyond.</summary>
    private static readonly JsonNode?[] NumericEdges =
    [
        long.MinValue, -62135596800001, -62135596800000, -1, 0, 1, 253402300799999, 253402300800000, long.MaxValue,
        JsonNode.Parse("9223372036854775808"), JsonNode.Parse("-9223372036854775809"), JsonNode.Parse("1e308"), JsonNode.Parse("-1e308"),
        JsonNode.Parse("-0"), 1.5, JsonNode.Parse("4.9e-324"), null,
    ];

    /// <summary>Dates and times at and past their edges, as the date/time pickers' params carry them.</summary>
    private static readonly string[] DateEdges =
    [
        "", "0001-01-01", "9999-12-31", "10000-01-01", "-0001-01-01", "2026-02-30", "2026-13-01", "00:00", "23:59", "24:00", "99:99",
        "0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T25:61", "２０２６-１２-０１", "2026-12-01T10:00:00.0000000+14:00",
    ];

    /// <summary>Every numeric and date field of the webhook events this host reads (webhook.yml).</summary>
    private static readonly string[] EdgeFields =
    [
        "timestamp", "message.fileSize", "message.duration", "message.latitude", "message.longitude", "message.emojis.index",
        "chatControl.expireAt", "postback.params.date", "postback.params.time", "postback.params.datetime",
    ];

    [Fact]
    public async Task LineWebhook_WithAnEdgeValueInANumericOrDateField_StoresEachEventOnItsOwn_AndAnswersTheOthers()
    {
        await using var host = await LineTestHost.StartAsync();
        var valid = new List<string>();
        await Gen.Select(Gen.Int[0, EdgeFields.Length - 1], Gen.Int[0, NumericEdges.Length - 1], Gen.Int[0, DateEdges.Length - 1], Gen.Int[0, int.MaxValue]).SampleAsync(
            async c =>
            {
                var (field, salt) = (EdgeFields[c.Item1], c.Item4.ToString(CultureInfo.InvariantCulture));
                var edge = EdgeEvent(field, NumericEdges[c.Item2], DateEdges[c.Item3], host.Now, "EDGE" + salt, "U" + c.Item4.ToString("x32", CultureInfo.InvariantCulture));
                var other = LineEvents.Text("メニュー", host.Now, replyToken: "valid-" + salt, id: "VALID" + salt, source: LineEvents.User("U" + (~c.Item4).ToString("x32", CultureInfo.InvariantCulture)));
                var body = new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = c.Item4 % 2 == 0 ? new JsonArray(edge, other) : new JsonArray(other, edge) }.ToJsonString();

                using var response = await host.PostAsync(body);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var stored = host.Inbox().Where(e => e.EventId == "EDGE" + salt || e.EventId == "VALID" + salt).ToList();
                Assert.Equal(2, stored.Count); // each event stored on its own, whatever the other holds
                Assert.All(stored.Where(e => e.Type == "unreadable"), e => Assert.StartsWith("unreadable: ", e.LastError, StringComparison.Ordinal));
                valid.Add("valid-" + salt);
            },
            seed: Seed,
            iter: Math.Max(100, Iterations / 5),
            threads: 1);

        await host.WhenSettledAsync(advanceBy: TimeSpan.FromSeconds(1));
        Assert.All(host.Inbox(), e => Assert.NotEqual(InboxStatus.Failed, e.Status));
        var replied = host.Fake.Replies.Where(r => r.Status == 200).Select(r => (string?)r.Body!["replyToken"] ?? "").ToHashSet();
        Assert.Subset(replied, valid.ToHashSet()); // every valid event of those bodies answered
        Assert.Empty(host.Fake.SpecErrors);
    }

    /// <summary>An event of the type that carries the field, with the field set to the edge value.</summary>
    private static JsonObject EdgeEvent(string field, JsonNode? number, string date, DateTimeOffset now, string id, string userId)
    {
        var user = LineEvents.User(userId);
        JsonObject Message(JsonObject message)
        {
            var e = LineEvents.Base("message", now, user, id: id);
            e["message"] = message;
            return e;
        }

        JsonObject Postback(string key)
        {
            var e = LineEvents.Base("postback", now, user, id: id);
            e["postback"] = new JsonObject { ["data"] = "menu", ["params"] = new JsonObject { [key] = date } };
            return e;
        }

        var edge = number?.DeepClone();
        return field switch
        {
            "timestamp" => Set(LineEvents.Text("メニュー", now, id: id, source: user), "timestamp", edge),
            "message.fileSize" => Message(new JsonObject { ["type"] = "file", ["id"] = "1", ["fileName"] = "a.pdf", ["fileSize"] = edge }),
            "message.duration" => Message(new JsonObject { ["type"] = "audio", ["id"] = "1", ["duration"] = edge, ["contentProvider"] = new JsonObject { ["type"] = "line" } }),
            "message.latitude" => Message(new JsonObject { ["type"] = "location", ["id"] = "1", ["latitude"] = edge, ["longitude"] = 141.0 }),
            "message.longitude" => Message(new JsonObject { ["type"] = "location", ["id"] = "1", ["latitude"] = 38.3, ["longitude"] = edge }),
            "message.emojis.index" => Message(new JsonObject
            {
                ["type"] = "text", ["id"] = "1", ["text"] = "$", ["quoteToken"] = "q",
                ["emojis"] = new JsonArray(new JsonObject { ["index"] = edge, ["length"] = edge?.DeepClone(), ["productId"] = "p", ["emojiId"] = "e" }),
            }),
            "chatControl.expireAt" => Set(LineEvents.Base("activated", now, user, replyToken: null, id: id), "chatControl", new JsonObject { ["expireAt"] = edge }),
            "postback.params.date" => Postback("date"),
            "postback.params.time" => Postback("time"),
            _ => Postback("datetime"),
        };
    }

    private static JsonObject Set(JsonObject e, string key, JsonNode? value)
    {
        e[key] = value;
        return e;
    }

    [Fact]
    public async Task StaffEndpoint_UnderHostileActivities_NeverFails_AndStoresNothingWithoutAValidToken()
    {
        await using var staff = await StaffHarness.StartAsync();
        var unauthenticated = Cases.Where(c => !c.Signed);
        var authenticated = Cases.Where(c => c.Signed);

        await unauthenticated.SampleAsync(
            async c =>
            {
                var status = await PostStaffAsync(staff, c, token: c.Salt % 2 == 0 ? null : staff.Token(serviceUrl: "https://evil.example/"));
                Assert.True(status is 401 or 400 or 413, $"kind {c.Kind} without a valid token answered {status}");
            },
            seed: Seed,
            iter: Iterations * 3 / 10,
            threads: 1);

        Assert.Equal(0, Db(staff, db => db.Set<StaffConversationReference>().Count()));
        Assert.Empty(staff.Connector.All);

        await authenticated.SampleAsync(
            async c =>
            {
                var status = await PostStaffAsync(staff, c, token: staff.Token());
                Assert.True(status is 200 or 400 or 401 or 413 or 501, $"kind {c.Kind} with a valid token answered {status}");
            },
            seed: Seed,
            iter: Iterations * 3 / 10,
            threads: 1);

        using var health = await staff.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var ok = await staff.PostAsync(staff.Message("メニュー", id: "after-the-storm"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    private static T Db<T>(StaffHarness staff, Func<ShiogamaDx.Bot.Data.BotDbContext, T> use) =>
        staff.App.WithScope(sp => use(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ShiogamaDx.Bot.Data.BotDbContext>(sp)));

    private static async Task<int> PostStaffAsync(StaffHarness staff, (int Kind, string Text, int Size, bool Signed, int Salt) c, string? token)
    {
        var body = StaffBody(staff, c.Kind, c.Text, c.Size, c.Salt);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await staff.Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    private static byte[] LineBody(int kind, string text, int size, int salt, string idPrefix)
    {
        var id = idPrefix + salt.ToString(CultureInfo.InvariantCulture);
        var time = DateTimeOffset.Parse("2026-11-25T01:00:00Z", CultureInfo.InvariantCulture);
        JsonObject Event(JsonObject e) => new() { ["destination"] = LineTestHost.BotId, ["events"] = new JsonArray(e) };
        JsonObject Message(JsonNode? textValue)
        {
            var e = LineEvents.Text("x", time, replyToken: "fuzz-" + salt, id: id, source: LineEvents.User("U" + (salt % 7).ToString("D32", CultureInfo.InvariantCulture)));
            e["message"]!["text"] = textValue;
            return e;
        }

        switch (kind)
        {
            case 0: // anything at all
                return Encoding.UTF8.GetBytes(text);
            case 1: // a valid webhook, cut anywhere
                {
                    var full = Encoding.UTF8.GetBytes(Event(Message(text)).ToJsonString());
                    return full[..(size % (full.Length + 1))];
                }

            case 2: // deeply nested, as arrays or objects, inside a webhook
                {
                    var depth = 65 + (size % 5000);
                    var nested = salt % 2 == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                    return Encoding.UTF8.GetBytes($"{{\"destination\":\"x\",\"events\":[{{\"type\":\"message\",\"webhookEventId\":\"{id}\",\"message\":{nested}}}]}}");
                }

            case 3: // wrongly typed fields
                {
                    JsonNode?[] odd = [null, 0, -1, 1e308, true, "", text, new JsonArray(1, "2"), new JsonObject { ["x"] = text }];
                    var pick = odd[size % odd.Length];
                    var e = Message("hello");
                    var field = (salt % 8) switch
                    {
                        0 => "type",
                        1 => "timestamp",
                        2 => "source",
                        3 => "replyToken",
                        4 => "message",
                        5 => "mode",
                        6 => "deliveryContext",
                        _ => "webhookEventId",
                    };
                    e[field] = pick?.DeepClone();
                    if (field == "webhookEventId" && pick is JsonValue v && v.TryGetValue<string>(out _))
                    {
                        e[field] = id + text; // a string id still carries the prefix
                    }

                    var body = salt % 5 == 0
                        ? new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = pick?.DeepClone() }
                        : Event(e);
                    return Encoding.UTF8.GetBytes(body.ToJsonString());
                }

            case 4: // unicode abuse as JSON escapes (lone surrogates survive as \uD800)
                return Encoding.UTF8.GetBytes(Event(Message(text + Abuse[..Math.Min(Abuse.Length, size)])).ToJsonString());
            case 5: // invalid UTF-8 bytes inside a text: an encoded surrogate, a stray continuation, 0xFF, a NUL
                {
                    var head = Encoding.UTF8.GetBytes(Event(Message("@@")).ToJsonString());
                    var at = Array.IndexOf(head, (byte)'@');
                    byte[] bad = [0xED, 0xA0, 0x80, 0x80, 0xFF, 0x00, 0xC0, 0xAF];
                    return [.. head[..at], .. bad, .. head[(at + 2)..]];
                }

            case 6: // a postback whose data is tampered, huge or not a string; date params of the wrong type
                {
                    var e = LineEvents.Base("postback", time, LineEvents.User("U" + (salt % 7).ToString("D32", CultureInfo.InvariantCulture)), "fuzz-" + salt, id: id);
                    JsonNode? data = (salt % 5) switch
                    {
                        0 => "procedures|show|id=1|sig=AAAA",
                        1 => new string('a', 300 + size),
                        2 => 12345,
                        3 => new JsonObject { ["handler"] = "procedures" },
                        _ => text,
                    };
                    e["postback"] = new JsonObject { ["data"] = data, ["params"] = salt % 3 == 0 ? new JsonObject { ["date"] = text, ["datetime"] = 1 } : new JsonArray() };
                    return Encoding.UTF8.GetBytes(Event(e).ToJsonString());
                }

            case 7: // a well-formed event of a random type, mode and source
                {
                    var e = LineEvents.Base(text.Length > 40 ? text[..40] : text, time, new JsonObject { ["type"] = text, ["userId"] = text, ["groupId"] = "C" + text }, "fuzz-" + salt, mode: salt % 2 == 0 ? "active" : text, id: id);
                    return Encoding.UTF8.GetBytes(Event(e).ToJsonString());
                }

            case 8: // many events in one body, duplicates included
                {
                    var events = new JsonArray();
                    for (var i = 0; i < 1 + (size % 60); i++)
                    {
                        var e = LineEvents.Text(text, time, replyToken: "fuzz-" + salt + "-" + i, id: id + "-" + (i % 7), source: LineEvents.User("U" + (i % 3).ToString("D32", CultureInfo.InvariantCulture)));
                        events.Add(e);
                    }

                    return Encoding.UTF8.GetBytes(new JsonObject { ["destination"] = LineTestHost.BotId, ["events"] = events }.ToJsonString());
                }

            default: // oversized: past the 1 MB limit
                return Encoding.UTF8.GetBytes(Event(Message(new string('あ', LineWebhookEndpoint.MaxBodyBytes / 3 + 10 + size))).ToJsonString());
        }
    }

    private static byte[] StaffBody(StaffHarness staff, int kind, string text, int size, int salt)
    {
        JsonObject Message() => staff.Message("メニュー", id: "fuzz-" + salt);
        switch (kind)
        {
            case 0:
                return Encoding.UTF8.GetBytes(text);
            case 1:
                {
                    var full = Encoding.UTF8.GetBytes(staff.Message(text).ToJsonString());
                    return full[..(size % (full.Length + 1))];
                }

            case 2:
                {
                    var depth = 65 + (size % 5000);
                    var a = Message();
                    a["value"] = JsonNode.Parse("1");
                    var json = a.ToJsonString().Replace("\"value\":1", "\"value\":" + new string('[', depth) + new string(']', depth), StringComparison.Ordinal);
                    return Encoding.UTF8.GetBytes(json);
                }

            case 3: // wrongly typed fields
                {
                    JsonNode?[] odd = [null, 0, 1e308, true, "", text, new JsonArray(1, "2"), new JsonObject { ["x"] = text }];
                    var a = Message();
                    var field = (salt % 9) switch
                    {
                        0 => "type",
                        1 => "from",
                        2 => "conversation",
                        3 => "recipient",
                        4 => "channelData",
                        5 => "entities",
                        6 => "text",
                        7 => "timestamp",
                        _ => "value",
                    };
                    a[field] = odd[size % odd.Length]?.DeepClone();
                    return Encoding.UTF8.GetBytes(a.ToJsonString());
                }

            case 4:
            case 5: // unicode abuse in the text and in the name
                {
                    var a = Message();
                    a["text"] = text + Abuse[..Math.Min(Abuse.Length, size)];
                    a["from"]!["name"] = Abuse[..Math.Min(Abuse.Length, 40)];
                    return Encoding.UTF8.GetBytes(a.ToJsonString());
                }

            case 6: // Adaptive Card values: tampered, huge, wrong types, as Action.Submit and as Action.Execute
                {
                    JsonNode? data = (salt % 5) switch
                    {
                        0 => new JsonObject { ["postback"] = "kpis|show|id=1|sig=AAAA" },
                        1 => new JsonObject { ["postback"] = new string('b', 10_000 + size) },
                        2 => new JsonObject { ["postback"] = 42, ["answer"] = new JsonArray() },
                        3 => new JsonArray(text),
                        _ => new JsonObject { [text.Length == 0 ? "k" : text] = text },
                    };
                    JsonObject a;
                    if (salt % 2 == 0)
                    {
                        a = Message();
                        a["value"] = data;
                    }
                    else
                    {
                        a = staff.Base("invoke", "fuzz-" + salt);
                        a["name"] = salt % 3 == 0 ? text : StaffEndpoint.AdaptiveCardAction;
                        a["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = text, ["data"] = data } };
                    }

                    return Encoding.UTF8.GetBytes(a.ToJsonString());
                }

            case 7: // other activity types and conversation updates with odd members
                {
                    var a = staff.Base(text.Length > 30 ? text[..30] : text, "fuzz-" + salt);
                    a["membersAdded"] = new JsonArray(new JsonObject { ["id"] = text }, new JsonObject { ["id"] = StaffHarness.BotId });
                    if (salt % 2 == 0)
                    {
                        a["type"] = "conversationUpdate";
                    }

                    return Encoding.UTF8.GetBytes(a.ToJsonString());
                }

            case 8: // invalid UTF-8 inside the text
                {
                    var head = Encoding.UTF8.GetBytes(staff.Message("@@").ToJsonString());
                    var at = Array.IndexOf(head, (byte)'@');
                    byte[] bad = [0xED, 0xA0, 0x80, 0xFF, 0x00];
                    return [.. head[..at], .. bad, .. head[(at + 2)..]];
                }

            default: // oversized
                {
                    var a = Message();
                    a["text"] = new string('あ', 100_000 + size);
                    return Encoding.UTF8.GetBytes(a.ToJsonString());
                }
        }
    }
}
