using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>The rich menu endpoints of the fake: create (validated against RichMenuRequest), image upload, default, delete.</summary>
public sealed partial class FakeLineApi
{
    private readonly List<RichMenuImageUpload> richMenuImages = [];
    private readonly Dictionary<string, string> richMenuNames = [];
    private int richMenuCounter;

    /// <summary>The account's default rich menu (set by the bot's command, or by another system: <see cref="SetForeignDefaultRichMenu"/>).</summary>
    public string? DefaultRichMenuId { get; private set; }

    /// <summary>A default menu some other system on the account made.</summary>
    public void SetForeignDefaultRichMenu(string id, string name)
    {
        lock (gate)
        {
            richMenuNames[id] = name;
            DefaultRichMenuId = id;
        }
    }

    private IResult GetDefaultRichMenu() =>
        DefaultRichMenuId is { } id ? Results.Json(new JsonObject { ["richMenuId"] = id }) : Error(404, "no default rich menu");

    private IResult GetRichMenu(string id)
    {
        lock (gate)
        {
            return richMenuNames.TryGetValue(id, out var name) ? Results.Json(new JsonObject { ["richMenuId"] = id, ["name"] = name }) : Error(404, "Not found");
        }
    }

    public IReadOnlyList<RichMenuImageUpload> RichMenuImages
    {
        get
        {
            lock (gate)
            {
                return richMenuImages.ToList();
            }
        }
    }

    private static bool IsRichMenu(string path) => path.StartsWith("/v2/bot/richmenu", StringComparison.Ordinal) || path.StartsWith("/v2/bot/user/all/richmenu/", StringComparison.Ordinal);

    private async Task<IResult> RichMenuAsync(HttpContext http, string path)
    {
        var errors = new List<string>();
        if (http.Request.Headers.Authorization.ToString() != "Bearer test-access-token")
        {
            errors.Add("missing or wrong Authorization");
        }

        JsonNode? json = null;
        string? id = null;
        if (path == "/v2/bot/richmenu")
        {
            json = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync());
            errors.AddRange(OpenApiValidator.Messaging.Validate(json, "RichMenuRequest"));
        }
        else if (path.StartsWith("/v2/bot/richmenu/", StringComparison.Ordinal) && path.EndsWith("/content", StringComparison.Ordinal))
        {
            id = path["/v2/bot/richmenu/".Length..^"/content".Length];
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var type = http.Request.ContentType;
            if (type is not ("image/png" or "image/jpeg"))
            {
                errors.Add("image must be image/png or image/jpeg, was " + type);
            }

            if (buffer.Length > 1024 * 1024)
            {
                errors.Add("image over 1 MB");
            }

            lock (gate)
            {
                richMenuImages.Add(new RichMenuImageUpload(id, type, buffer.ToArray(), http.Request.Host.ToString()));
            }
        }
        else if (path.StartsWith("/v2/bot/user/all/richmenu/", StringComparison.Ordinal))
        {
            id = path["/v2/bot/user/all/richmenu/".Length..];
        }
        else
        {
            errors.Add("unexpected endpoint");
        }

        var call = new LineCall(path, json, null, errors) { At = Clock() };
        lock (gate)
        {
            calls.Add(call);
        }

        if (errors.Count > 0)
        {
            call.Status = 400;
            return Error(400, "The request has " + errors.Count + " error(s)");
        }

        if (faults.TryPeek(out var next) && path.StartsWith(next.Path, StringComparison.Ordinal) && faults.TryDequeue(out var planned))
        {
            call.Status = planned.Fault.Status;
            return Error(planned.Fault.Status, planned.Fault.Message ?? "Injected fault");
        }

        call.Status = 200;
        if (path == "/v2/bot/richmenu")
        {
            var created = "richmenu-" + Interlocked.Increment(ref richMenuCounter).ToString("D32", System.Globalization.CultureInfo.InvariantCulture);
            lock (gate)
            {
                richMenuNames[created] = (string?)json?["name"] ?? string.Empty;
            }

            return Results.Json(new JsonObject { ["richMenuId"] = created });
        }

        if (path.StartsWith("/v2/bot/user/all/richmenu/", StringComparison.Ordinal))
        {
            DefaultRichMenuId = id;
        }

        return Results.Json(new JsonObject());
    }

    private IResult DeleteRichMenu(HttpContext http, string id)
    {
        var call = new LineCall("DELETE /v2/bot/richmenu/" + id, null, null, []) { At = Clock(), Status = 200 };
        lock (gate)
        {
            calls.Add(call);
        }

        return Results.Json(new JsonObject());
    }
}

public sealed record RichMenuImageUpload(string Id, string? ContentType, byte[] Bytes, string Host);
