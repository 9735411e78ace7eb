using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>The rich menu endpoints of the fake: create (validated against RichMenuRequest), image upload, default, delete.</summary>
public sealed partial class FakeLineApi
{
    private readonly List<RichMenuImageUpload> richMenuImages = [];
    private int richMenuCounter;

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
        return path == "/v2/bot/richmenu"
            ? Results.Json(new JsonObject { ["richMenuId"] = "richmenu-" + Interlocked.Increment(ref richMenuCounter).ToString("D32", System.Globalization.CultureInfo.InvariantCulture) })
            : Results.Json(new JsonObject());
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
