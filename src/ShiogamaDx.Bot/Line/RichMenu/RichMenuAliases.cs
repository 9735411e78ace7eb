using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Line.RichMenu;

/// <summary>
/// Rich menu aliases name the two menus the bot switches between: <c>line richmenu apply</c> points
/// <see cref="MainAlias"/> at the menu it makes everyone's default, <c>line richmenu apply --disaster</c> points
/// <see cref="DisasterAlias"/> at the disaster menu (without making it the default). The disaster mode then switches
/// everyone's default menu by alias: one call for all residents, none per person.
/// </summary>
/// <remarks>
/// Residents linked to a menu in their language (<see cref="LanguageRichMenuLinks"/>) would not see a default menu: LINE
/// shows a person's linked menu first. So the disaster menu unlinks everyone from the language menus (one batch call,
/// by menu), and the normal menu links the residents who keep a language back to theirs (calls of 500 people).
/// </remarks>
internal sealed class RichMenuAliases(LineRichMenuClient client, IOptions<LineOptions> options, Data.BotDbContext db, ILogger<RichMenuAliases> logger) : IChannelMenu
{
    public const string MainAlias = "shiogama-main";
    public const string DisasterAlias = "shiogama-disaster";

    /// <summary>The prefix of the menus in a resident's language (<see cref="LanguageAlias"/>).</summary>
    public const string LanguagePrefix = MainAlias + "-";

    /// <summary>The alias of the main menu in a language (<c>easy</c>, en …): LINE allows a-z, 0-9, _ and - (32 at most).</summary>
    public static string LanguageAlias(string code) => LanguagePrefix + code;

    public string Channel => "line";

    private Uri Api => options.Value.ApiBaseUrl;

    /// <returns>The rich menu the alias points at; null when there is no such alias.</returns>
    /// <remarks>Read from the list of aliases: one answer for "none", where a lookup by id would answer with an error.</remarks>
    public async Task<string?> FindAsync(string alias, CancellationToken ct) => (await ListAsync(ct)).GetValueOrDefault(alias);

    /// <summary>Every alias of the channel and the menu it points at.</summary>
    public async Task<Dictionary<string, string>> ListAsync(CancellationToken ct)
    {
        var body = await client.SendAsync(Api, "v2/bot/richmenu/alias/list", null, ct, HttpMethod.Get);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in JsonNode.Parse(body)?["aliases"]?.AsArray() ?? [])
        {
            if ((string?)a?["richMenuAliasId"] is { } alias && (string?)a?["richMenuId"] is { } id)
            {
                aliases[alias] = id;
            }
        }

        return aliases;
    }

    /// <summary>Creates the alias, or points it at another menu when it exists.</summary>
    public async Task PointAsync(string alias, string richMenuId, CancellationToken ct)
    {
        if (await FindAsync(alias, ct) is null)
        {
            using var create = Json(new JsonObject { ["richMenuAliasId"] = alias, ["richMenuId"] = richMenuId });
            await client.SendAsync(Api, "v2/bot/richmenu/alias", create, ct);
        }
        else
        {
            using var update = Json(new JsonObject { ["richMenuId"] = richMenuId });
            await client.SendAsync(Api, "v2/bot/richmenu/alias/" + Uri.EscapeDataString(alias), update, ct);
        }
    }

    public async Task<MenuSwitchResult> ShowDisasterMenuAsync(CancellationToken cancellationToken) => await SwitchAsync(async ct =>
    {
        if (await FindAsync(DisasterAlias, ct) is not { } disaster)
        {
            return new MenuSwitchResult(MenuSwitchOutcome.NotConfigured, Problem: $"no rich menu alias '{DisasterAlias}' (run: line richmenu apply --disaster)");
        }

        var previous = await DefaultAsync(ct);
        if (previous != disaster)
        {
            await client.SetDefaultAsync(disaster, ct);
        }

        // Those linked to a menu in their language see the disaster menu too (after it; until then they keep theirs).
        var languageMenus = (await ListAsync(ct)).Where(a => a.Key.StartsWith(LanguagePrefix, StringComparison.Ordinal)).Select(a => a.Value).Distinct().ToList();
        if (languageMenus.Count > 0)
        {
            await client.UnlinkEveryoneAsync(languageMenus, ct);
        }

        logger.LogInformation("Rich menu {RichMenuId} ({Alias}) is now everyone's default", disaster, DisasterAlias);
        return new MenuSwitchResult(MenuSwitchOutcome.Switched, previous == disaster ? null : previous);
    }, cancellationToken);

    public async Task<MenuSwitchResult> ShowNormalMenuAsync(string? previousMenu, CancellationToken cancellationToken) => await SwitchAsync(async ct =>
    {
        var normal = await FindAsync(MainAlias, ct) ?? previousMenu;
        if (normal is null)
        {
            // Neither an alias nor a menu before: residents get no menu rather than the disaster one.
            await client.SendAsync(Api, "v2/bot/user/all/richmenu", null, ct, HttpMethod.Delete);
            logger.LogWarning("No rich menu alias {Alias} and no menu before the disaster mode: the default rich menu was removed", MainAlias);
            return new MenuSwitchResult(MenuSwitchOutcome.Switched, Problem: $"no rich menu alias '{MainAlias}' (run: line richmenu apply)");
        }

        await client.SetDefaultAsync(normal, ct);
        logger.LogInformation("Rich menu {RichMenuId} is everyone's default again", normal);
        await RelinkLanguagesAsync(ct);
        return new MenuSwitchResult(MenuSwitchOutcome.Switched);
    }, cancellationToken);

    /// <summary>Each resident who keeps a language with a menu (and is a friend) is linked to it again, 500 per call.</summary>
    private async Task RelinkLanguagesAsync(CancellationToken ct)
    {
        var menus = (await ListAsync(ct)).Where(a => a.Key.StartsWith(LanguagePrefix, StringComparison.Ordinal))
            .ToDictionary(a => a.Key[LanguagePrefix.Length..], a => a.Value, StringComparer.Ordinal);
        if (menus.Count == 0)
        {
            return;
        }

        var codes = menus.Keys.ToList();
        var residents = await (from r in db.Set<Localization.ResidentLanguage>().AsNoTracking()
                               join u in db.Set<LineUser>().AsNoTracking() on r.UserKey equals u.UserKey
                               where codes.Contains(r.Language) && u.Following && u.LineUserId != null
                               select new { r.Language, u.LineUserId }).ToListAsync(ct);
        foreach (var language in residents.GroupBy(r => r.Language))
        {
            foreach (var part in language.Select(r => r.LineUserId!).Order(StringComparer.Ordinal).Chunk(500))
            {
                await client.LinkManyAsync(menus[language.Key], part, ct);
            }
        }
    }

    internal async Task<string?> DefaultAsync(CancellationToken ct)
    {
        try
        {
            var body = await client.SendAsync(Api, "v2/bot/user/all/richmenu", null, ct, HttpMethod.Get);
            return JsonNode.Parse(body)?["richMenuId"]?.GetValue<string>();
        }
        catch (LineRichMenuException ex) when (ex.Status == 404)
        {
            return null; // no default menu set through the API
        }
    }

    private async Task<MenuSwitchResult> SwitchAsync(Func<CancellationToken, Task<MenuSwitchResult>> work, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Value.ChannelAccessToken))
        {
            return new MenuSwitchResult(MenuSwitchOutcome.NotConfigured, Problem: "Line:ChannelAccessToken is not set");
        }

        try
        {
            return await work(ct);
        }
        catch (LineRichMenuException ex)
        {
            // A refusal (4xx) stays one until someone changes something; an outage or a limit (5xx, 429, no answer) passes.
            var transient = ex.Status is null or 429 or >= 500;
            logger.LogWarning("Rich menu switch failed: {Error}", ex.Message);
            return new MenuSwitchResult(transient ? MenuSwitchOutcome.Failed : MenuSwitchOutcome.NotConfigured, Problem: ex.Message);
        }
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
