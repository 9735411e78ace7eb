using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Line.RichMenu;

/// <summary>The rich menu object of the Messaging API (messaging-api.yml, RichMenuRequest) for a definition.</summary>
internal static class RichMenuJson
{
    /// <param name="postbackKey">Postback buttons are signed like every button the bot sends, so the engine accepts them.</param>
    /// <summary>Ends the name of every menu this bot makes: a default menu without it is another system's (--replace).</summary>
    public const string OwnMark = " [ShiogamaDx.Bot]";

    public static JsonObject ToRequest(RichMenuDefinition menu, byte[] postbackKey) => new()
    {
        ["size"] = new JsonObject { ["width"] = menu.Width, ["height"] = menu.Height },
        ["selected"] = menu.Selected,
        ["name"] = menu.Name.Length + OwnMark.Length <= 300 ? menu.Name + OwnMark : menu.Name[..(300 - OwnMark.Length)] + OwnMark,
        ["chatBarText"] = menu.ChatBarText,
        ["areas"] = new JsonArray(menu.Areas.Select(a => (JsonNode)new JsonObject
        {
            ["bounds"] = new JsonObject { ["x"] = a.Bounds.X, ["y"] = a.Bounds.Y, ["width"] = a.Bounds.Width, ["height"] = a.Bounds.Height },
            ["action"] = Action(a, postbackKey),
        }).ToArray()),
    };

    private static JsonObject Action(RichMenuArea area, byte[] key)
    {
        var action = new JsonObject();
        switch (area.Action)
        {
            case RichMenuMessageAction m:
                (action["type"], action["label"], action["text"]) = ("message", area.Label, m.Text);
                break;
            case RichMenuUriAction u:
                (action["type"], action["label"], action["uri"]) = ("uri", area.Label, u.Uri.OriginalString);
                break;
            case RichMenuPostbackAction p:
                (action["type"], action["label"], action["data"]) = ("postback", area.Label, Postback.Sign(Postback.Create(p.Handler, p.Action, [.. p.Args]), key));
                if (p.DisplayText is not null)
                {
                    action["displayText"] = p.DisplayText;
                }

                break;
            default:
                throw new InvalidOperationException("unknown rich menu action " + area.Action.GetType().Name);
        }

        return action;
    }
}

/// <param name="Status">LINE's HTTP status; null when LINE could not be reached.</param>
internal sealed class LineRichMenuException(string message, int? status = null) : Exception(message)
{
    public int? Status { get; } = status;
}

/// <summary>
/// The three calls that put a menu in place: create it (api.line.me), upload its image (api-data.line.me), make it
/// everyone's default. An operator runs them once per change, so a failure is reported, not retried.
/// </summary>
internal sealed class LineRichMenuClient(HttpClient http, IOptions<LineOptions> options, BotMetrics metrics, ILogger<LineRichMenuClient> logger)
{
    public async Task<string> CreateAsync(JsonObject menu, CancellationToken ct)
    {
        using var content = new StringContent(menu.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        var body = await SendAsync(options.Value.ApiBaseUrl, "v2/bot/richmenu", content, ct);
        return JsonNode.Parse(body)?["richMenuId"]?.GetValue<string>() is { Length: > 0 } id
            ? id
            : throw new LineRichMenuException("LINE created the rich menu but sent no richMenuId");
    }

    public async Task UploadImageAsync(string richMenuId, RichMenuImage image, CancellationToken ct)
    {
        using var content = new ByteArrayContent(image.Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(image.ContentType);
        await SendAsync(options.Value.DataApiBaseUrl, $"v2/bot/richmenu/{Uri.EscapeDataString(richMenuId)}/content", content, ct);
    }

    public async Task SetDefaultAsync(string richMenuId, CancellationToken ct) =>
        await SendAsync(options.Value.ApiBaseUrl, $"v2/bot/user/all/richmenu/{Uri.EscapeDataString(richMenuId)}", null, ct);

    /// <summary>POST /v2/bot/user/{userId}/richmenu/{richMenuId}: this one person sees this menu instead of the default.</summary>
    public async Task LinkAsync(string lineUserId, string richMenuId, CancellationToken ct) =>
        await SendAsync(options.Value.ApiBaseUrl, $"v2/bot/user/{Uri.EscapeDataString(lineUserId)}/richmenu/{Uri.EscapeDataString(richMenuId)}", null, ct);

    /// <summary>DELETE /v2/bot/user/{userId}/richmenu: this person sees the default menu again.</summary>
    public async Task UnlinkAsync(string lineUserId, CancellationToken ct) =>
        await SendAsync(options.Value.ApiBaseUrl, $"v2/bot/user/{Uri.EscapeDataString(lineUserId)}/richmenu", null, ct, HttpMethod.Delete);

    /// <summary>POST /v2/bot/richmenu/batch, "link" operations: everyone linked to each <c>From</c> menu is linked to its <c>To</c> instead.</summary>
    public async Task ReplaceLinkedAsync(IReadOnlyList<(string From, string To)> moves, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["operations"] = new JsonArray([.. moves.Take(1000).Select(m => (JsonNode)new JsonObject { ["type"] = "link", ["from"] = m.From, ["to"] = m.To })]),
        };
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        await SendAsync(options.Value.ApiBaseUrl, "v2/bot/richmenu/batch", content, ct);
    }

    /// <summary>POST /v2/bot/richmenu/batch, "unlink" operations: nobody is linked to these menus any more (they see the default).</summary>
    public async Task UnlinkEveryoneAsync(IReadOnlyList<string> richMenuIds, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["operations"] = new JsonArray([.. richMenuIds.Take(1000).Select(id => (JsonNode)new JsonObject { ["type"] = "unlink", ["from"] = id })]),
        };
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        await SendAsync(options.Value.ApiBaseUrl, "v2/bot/richmenu/batch", content, ct);
    }

    /// <summary>POST /v2/bot/richmenu/bulk/link: up to 500 people see this menu.</summary>
    public async Task LinkManyAsync(string richMenuId, IReadOnlyList<string> lineUserIds, CancellationToken ct)
    {
        var body = new JsonObject { ["richMenuId"] = richMenuId, ["userIds"] = new JsonArray([.. lineUserIds.Select(id => (JsonNode)id)]) };
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        await SendAsync(options.Value.ApiBaseUrl, "v2/bot/richmenu/bulk/link", content, ct);
    }

    /// <summary>Everyone's default menu now, with its name; null when the account has none.</summary>
    public async Task<(string Id, string Name)?> GetDefaultAsync(CancellationToken ct)
    {
        string body;
        try
        {
            body = await SendAsync(options.Value.ApiBaseUrl, "v2/bot/user/all/richmenu", null, ct, HttpMethod.Get);
        }
        catch (LineRichMenuException ex) when (ex.Status == 404)
        {
            return null;
        }

        if (JsonNode.Parse(body)?["richMenuId"]?.GetValue<string>() is not { Length: > 0 } id)
        {
            return null;
        }

        var menu = JsonNode.Parse(await SendAsync(options.Value.ApiBaseUrl, $"v2/bot/richmenu/{Uri.EscapeDataString(id)}", null, ct, HttpMethod.Get));
        return (id, menu?["name"]?.GetValue<string>() ?? string.Empty);
    }

    /// <summary>Best effort: a menu left without an image is never shown, so a failed apply cleans up after itself.</summary>
    public async Task DeleteQuietlyAsync(string richMenuId, CancellationToken ct)
    {
        try
        {
            await SendAsync(options.Value.ApiBaseUrl, $"v2/bot/richmenu/{Uri.EscapeDataString(richMenuId)}", null, ct, HttpMethod.Delete);
        }
        catch (Exception ex) when (ex is LineRichMenuException or HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning("Could not delete the unfinished rich menu {RichMenuId}: {Error}", richMenuId, ex.Message);
        }
    }

    internal async Task<string> SendAsync(Uri baseUrl, string path, HttpContent? content, CancellationToken ct, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, new Uri(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.ChannelAccessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            metrics.LineApiError(EndpointName(path), null);
            throw new LineRichMenuException($"LINE {path} could not be reached: {ex.Message}");
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadAsStringAsync(ct);
            }

            metrics.LineApiError(EndpointName(path), (int)response.StatusCode);
            var error = await LineMessagingClient.ReadErrorAsync(response, ct);
            throw new LineRichMenuException($"LINE {path} answered {(int)response.StatusCode}: {error}", (int)response.StatusCode);
        }
    }

    /// <summary>The path without the menu id, so the metric's labels stay a small fixed set.</summary>
    private static string EndpointName(string path) => path.StartsWith("v2/bot/user/all/", StringComparison.Ordinal)
        ? "v2/bot/user/all/richmenu"
        : path.StartsWith("v2/bot/user/", StringComparison.Ordinal) ? "v2/bot/user/richmenu"
        : path is "v2/bot/richmenu/batch" or "v2/bot/richmenu/bulk/link" ? path
        : path.StartsWith("v2/bot/richmenu/alias", StringComparison.Ordinal) ? "v2/bot/richmenu/alias"
        : path.EndsWith("/content", StringComparison.Ordinal) ? "v2/bot/richmenu/content" : "v2/bot/richmenu";
}
