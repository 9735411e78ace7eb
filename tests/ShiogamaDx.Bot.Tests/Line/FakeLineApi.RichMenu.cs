using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>
/// The rich menu endpoints of the fake: create (validated against RichMenuRequest), image upload, default (set, get,
/// cancel), delete, and aliases (create, update, list), keeping the state LINE keeps: which menus exist, which is
/// everyone's default, where each alias points.
/// </summary>
public sealed partial class FakeLineApi
{
    private readonly List<RichMenuImageUpload> richMenuImages = [];
    private readonly Dictionary<string, string> richMenuNames = [];
    private int richMenuCounter;
    private readonly HashSet<string> richMenus = [];
    private readonly Dictionary<string, string> richMenuAliases = [];
    private readonly Dictionary<string, string> userRichMenus = [];

    /// <summary>The rich menu linked to each user (by LINE user id), as LINE keeps it; a user without one sees the default.</summary>
    public IReadOnlyDictionary<string, string> UserRichMenus
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<string, string>(userRichMenus);
            }
        }
    }

    /// <summary>The name a menu was created with.</summary>
    public string RichMenuName(string id)
    {
        lock (gate)
        {
            return richMenuNames.GetValueOrDefault(id, string.Empty);
        }
    }

    /// <summary>Everyone's default rich menu now; null when none is set.</summary>
    public string? DefaultRichMenu { get; private set; }

    public IReadOnlyDictionary<string, string> RichMenuAliases
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<string, string>(richMenuAliases);
            }
        }
    }

    /// <summary>Calls that set a rich menu for one user or a list of users: the disaster mode must make none.</summary>
    public IEnumerable<LineCall> PerUserRichMenuCalls => Calls.Where(c => c.Path.StartsWith("/v2/bot/user/", StringComparison.Ordinal) && !c.Path.Contains("/user/all/", StringComparison.Ordinal)
                                                                         || c.Path.StartsWith("/v2/bot/richmenu/bulk", StringComparison.Ordinal));

    private IResult GetRichMenu(string id)
    {
        lock (gate)
        {
            return richMenus.Contains(id) ? Results.Json(new JsonObject { ["richMenuId"] = id, ["name"] = richMenuNames.GetValueOrDefault(id, string.Empty) }) : Error(404, "Not found");
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

    private static bool IsRichMenu(string path) => path.StartsWith("/v2/bot/richmenu", StringComparison.Ordinal) || path.StartsWith("/v2/bot/user/", StringComparison.Ordinal);

    private void MapRichMenuReads(WebApplication web)
    {
        web.MapGet("/v2/bot/richmenu/alias/list", () =>
        {
            lock (gate)
            {
                calls.Add(new LineCall("GET /v2/bot/richmenu/alias/list", null, null, []) { At = Clock(), Status = 200 });
                return Results.Json(new JsonObject { ["aliases"] = new JsonArray([.. richMenuAliases.Select(a => (JsonNode)new JsonObject { ["richMenuAliasId"] = a.Key, ["richMenuId"] = a.Value })]) });
            }
        });
        web.MapGet("/v2/bot/user/all/richmenu", () =>
        {
            lock (gate)
            {
                calls.Add(new LineCall("GET /v2/bot/user/all/richmenu", null, null, []) { At = Clock(), Status = DefaultRichMenu is null ? 404 : 200 });
                return DefaultRichMenu is null ? Error(404, "no default rich menu") : Results.Json(new JsonObject { ["richMenuId"] = DefaultRichMenu });
            }
        });
        web.MapDelete("/v2/bot/user/{userId}/richmenu", (string userId) =>
        {
            // The literal route of "all" (everyone's default) below takes precedence over this one.
            var path = $"/v2/bot/user/{userId}/richmenu";
            var call = new LineCall("DELETE " + path, null, null, []) { At = Clock() };
            lock (gate)
            {
                calls.Add(call);
                if (faults.TryPeek(out var next) && ("DELETE " + path).StartsWith(next.Path, StringComparison.Ordinal) && faults.TryDequeue(out var planned))
                {
                    call.Status = planned.Fault.Status;
                    return Error(planned.Fault.Status, planned.Fault.Message ?? "Injected fault");
                }

                call.Status = 200;
                userRichMenus.Remove(userId);
                return Results.Json(new JsonObject());
            }
        });
        web.MapDelete("/v2/bot/user/all/richmenu", () =>
        {
            lock (gate)
            {
                calls.Add(new LineCall("DELETE /v2/bot/user/all/richmenu", null, null, []) { At = Clock(), Status = 200 });
                DefaultRichMenu = null;
                return Results.Json(new JsonObject());
            }
        });
    }

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
            if (!KnownRichMenu(id))
            {
                errors.Add("no rich menu " + id);
            }
        }
        else if (path == "/v2/bot/richmenu/alias")
        {
            json = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync());
            errors.AddRange(OpenApiValidator.Messaging.Validate(json, "CreateRichMenuAliasRequest"));
            if ((string?)json?["richMenuAliasId"] is { } alias && RichMenuAliases.ContainsKey(alias))
            {
                errors.Add("conflict: the alias exists");
            }

            if (!KnownRichMenu((string?)json?["richMenuId"]))
            {
                errors.Add("no such rich menu");
            }
        }
        else if (path.StartsWith("/v2/bot/richmenu/alias/", StringComparison.Ordinal))
        {
            json = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync());
            errors.AddRange(OpenApiValidator.Messaging.Validate(json, "UpdateRichMenuAliasRequest"));
            if (!RichMenuAliases.ContainsKey(path["/v2/bot/richmenu/alias/".Length..]))
            {
                errors.Add("no such alias");
            }

            if (!KnownRichMenu((string?)json?["richMenuId"]))
            {
                errors.Add("no such rich menu");
            }
        }
        else if (path.StartsWith("/v2/bot/user/", StringComparison.Ordinal) && path.Split('/') is [_, "v2", "bot", "user", _, "richmenu", var linked])
        {
            id = linked;
            if (!KnownRichMenu(id))
            {
                errors.Add("no rich menu " + id);
            }
        }
        else if (path == "/v2/bot/richmenu/batch")
        {
            json = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync());
            errors.AddRange(OpenApiValidator.Messaging.Validate(json, "RichMenuBatchRequest"));
        }
        else if (path == "/v2/bot/richmenu/bulk/link")
        {
            json = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync());
            errors.AddRange(OpenApiValidator.Messaging.Validate(json, "RichMenuBulkLinkRequest"));
            if (!KnownRichMenu((string?)json?["richMenuId"]))
            {
                errors.Add("no such rich menu");
            }
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
        lock (gate)
        {
            if (path == "/v2/bot/richmenu")
            {
                var created = "richmenu-" + Interlocked.Increment(ref richMenuCounter).ToString("D32", System.Globalization.CultureInfo.InvariantCulture);
                richMenus.Add(created);
                richMenuNames[created] = (string?)json?["name"] ?? string.Empty;
                return Results.Json(new JsonObject { ["richMenuId"] = created });
            }

            if (path.StartsWith("/v2/bot/user/all/richmenu/", StringComparison.Ordinal))
            {
                DefaultRichMenu = id;
            }
            else if (path.StartsWith("/v2/bot/user/", StringComparison.Ordinal))
            {
                userRichMenus[path.Split('/')[4]] = id!;
            }
            else if (path == "/v2/bot/richmenu/batch")
            {
                // Done at once here; LINE answers 202 and works in the background.
                foreach (var op in json!["operations"]!.AsArray())
                {
                    foreach (var user in userRichMenus.Where(u => u.Value == (string?)op!["from"]).Select(u => u.Key).ToList())
                    {
                        if ((string?)op!["type"] == "link")
                        {
                            userRichMenus[user] = (string)op["to"]!;
                        }
                        else if ((string?)op["type"] == "unlink")
                        {
                            userRichMenus.Remove(user);
                        }
                    }
                }

                return Results.Json(new JsonObject(), statusCode: 202);
            }
            else if (path == "/v2/bot/richmenu/bulk/link")
            {
                foreach (var user in json!["userIds"]!.AsArray())
                {
                    userRichMenus[(string)user!] = (string)json["richMenuId"]!;
                }

                return Results.Json(new JsonObject(), statusCode: 202);
            }
            else if (path == "/v2/bot/richmenu/alias")
            {
                richMenuAliases[(string)json!["richMenuAliasId"]!] = (string)json["richMenuId"]!;
            }
            else if (path.StartsWith("/v2/bot/richmenu/alias/", StringComparison.Ordinal))
            {
                richMenuAliases[path["/v2/bot/richmenu/alias/".Length..]] = (string)json!["richMenuId"]!;
            }
        }

        return Results.Json(new JsonObject());
    }

    /// <summary>A menu this fake created, or one a test registered as made elsewhere (the LINE Official Account Manager).</summary>
    private bool KnownRichMenu(string? id)
    {
        lock (gate)
        {
            return id is not null && richMenus.Contains(id);
        }
    }

    /// <summary>Arranges a menu that exists on LINE already, e.g. one made in the LINE Official Account Manager.</summary>
    public void AddRichMenu(string id, bool asDefault = false, string? alias = null, string name = "")
    {
        lock (gate)
        {
            richMenus.Add(id);
            richMenuNames[id] = name;
            DefaultRichMenu = asDefault ? id : DefaultRichMenu;
            if (alias is not null)
            {
                richMenuAliases[alias] = id;
            }
        }
    }

    private IResult DeleteRichMenu(HttpContext http, string id)
    {
        var call = new LineCall("DELETE /v2/bot/richmenu/" + id, null, null, []) { At = Clock(), Status = 200 };
        lock (gate)
        {
            calls.Add(call);
            richMenus.Remove(id);
        }

        return Results.Json(new JsonObject());
    }
}

public sealed record RichMenuImageUpload(string Id, string? ContentType, byte[] Bytes, string Host);
