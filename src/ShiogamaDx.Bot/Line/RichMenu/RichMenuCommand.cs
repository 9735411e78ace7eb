using System.Text.Json;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Line.RichMenu;

public sealed class RichMenuOptions
{
    public const string SectionName = "RichMenu";

    /// <summary>The menu definition; empty: richmenu.yaml in the content folder (Content:Path).</summary>
    public string? File { get; set; }

    /// <summary>The disaster menu (<c>apply --disaster</c>); empty: richmenu-disaster.yaml in the content folder.</summary>
    public string? DisasterFile { get; set; }

    /// <summary>A .ttf/.otf/.ttc with Japanese glyphs; empty: found on the machine (Noto Sans CJK, IPA, Hiragino, Yu Gothic…).</summary>
    public string? FontFile { get; set; }
}

/// <summary>
/// <c>line richmenu apply [--dry-run] [--out DIR] [--file FILE]</c>: checks the menu file, draws its image and
/// puts it in place on LINE as everyone's default menu. <c>--dry-run</c> only writes the image and the JSON.
/// <c>--disaster</c> does the same with the disaster menu but only registers it (alias), for the disaster mode to switch to.
/// A default menu this bot did not make (another extension's) is left in place unless <c>--replace</c>.
/// The menu's languages (its <c>i18n:</c>) are drawn and registered too, each under its own alias, for residents who keep one.
/// </summary>
internal sealed class RichMenuCommand(
    IOptions<RichMenuOptions> options,
    IOptions<ContentOptions> content,
    IOptions<LineOptions> line,
    PrivacyKeys keys,
    LineRichMenuClient client,
    RichMenuAliases aliases,
    ILogger<RichMenuCommand> logger) : IBotCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public IReadOnlyList<string> Verb => ["line", "richmenu", "apply"];

    public string Usage => "line richmenu apply [--dry-run] [--out DIR] [--file FILE] [--disaster] [--replace]    draw the LINE rich menu (Content/richmenu.yaml) and set it as default; --disaster: register the disaster menu (richmenu-disaster.yaml); --replace: even over a default menu another system made";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (Parse(args) is not var (dryRun, outDir, fileArg, disaster, replace))
        {
            await output.WriteLineAsync("usage: " + Usage);
            return 2;
        }

        var file = Path.GetFullPath(fileArg ?? (disaster
            ? options.Value.DisasterFile ?? Path.Combine(content.Value.FullPath, RichMenuFile.DisasterFileName)
            : options.Value.File ?? Path.Combine(content.Value.FullPath, RichMenuFile.FileName)));
        if (!File.Exists(file))
        {
            await output.WriteLineAsync($"NG: no rich menu file {file}");
            return 1;
        }

        RichMenuDefinition menu;
        try
        {
            menu = RichMenuFile.Load(file);
        }
        catch (ContentFileException ex)
        {
            await output.WriteLineAsync("NG: " + ex.Message);
            return 1;
        }

        // One face for every language's image: the Japanese collections (Noto Sans CJK) also hold Latin, Vietnamese and Hangul.
        var texts = string.Concat(menu.Languages.Values.Prepend(menu).SelectMany(m => m.Areas).Select(a => a.Label + a.Note));
        if (JapaneseFont.Find(options.Value.FontFile, texts) is not var (bold, regular))
        {
            await output.WriteLineAsync("NG: no font with Japanese glyphs found. " + JapaneseFont.InstallHint);
            return 1;
        }

        RichMenuImage image;
        var images = new Dictionary<string, RichMenuImage>(StringComparer.Ordinal);
        using (bold)
        using (regular)
        {
            image = RichMenuRenderer.Render(menu, bold, regular);
            foreach (var (code, translated) in menu.Languages)
            {
                images[code] = RichMenuRenderer.Render(translated, bold, regular);
            }

            await output.WriteLineAsync($"Font: {bold.FamilyName} {bold.FontStyle.Weight} / {regular.FamilyName} {regular.FontStyle.Weight}");
        }

        var json = RichMenuJson.ToRequest(menu, keys.PostbackKey);
        await output.WriteLineAsync($"Rich menu '{menu.Name}': {menu.Width}x{menu.Height}, {menu.Areas.Count} areas ({string.Join(", ", menu.Areas.Select(a => a.Label))}), image {image.ContentType} {image.Bytes.Length / 1024} KB");

        if (dryRun || outDir is not null)
        {
            var dir = Path.GetFullPath(outDir ?? "richmenu-out");
            Directory.CreateDirectory(dir);
            var imagePath = Path.Combine(dir, "richmenu." + image.Extension);
            await File.WriteAllBytesAsync(imagePath, image.Bytes, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(dir, "richmenu.json"), json.ToJsonString(Indented), cancellationToken);
            await output.WriteLineAsync($"Wrote {imagePath} and {Path.Combine(dir, "richmenu.json")}");
            foreach (var (code, translated) in menu.Languages)
            {
                await File.WriteAllBytesAsync(Path.Combine(dir, $"richmenu-{code}.{images[code].Extension}"), images[code].Bytes, cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(dir, $"richmenu-{code}.json"), RichMenuJson.ToRequest(translated, keys.PostbackKey).ToJsonString(Indented), cancellationToken);
            }

            if (menu.Languages.Count > 0)
            {
                await output.WriteLineAsync($"Wrote richmenu-<language>.* for {string.Join(", ", menu.Languages.Keys)}");
            }
        }

        if (dryRun)
        {
            await output.WriteLineAsync("Dry run: LINE was not called.");
            return 0;
        }

        if (string.IsNullOrWhiteSpace(line.Value.ChannelAccessToken))
        {
            await output.WriteLineAsync("NG: Line:ChannelAccessToken is not set (environment variable Line__ChannelAccessToken); use --dry-run to only draw the menu");
            return 1;
        }

        string? id = null;
        var isDefault = false;
        try
        {
            // The account's other extensions may have put their own default menu in place: never push it aside unasked.
            if (!disaster && !replace && await client.GetDefaultAsync(cancellationToken) is { } current && !current.Name.EndsWith(RichMenuJson.OwnMark, StringComparison.Ordinal))
            {
                await output.WriteLineAsync($"NG: the default rich menu {current.Id} ('{current.Name}') was not made by this bot (another extension of the account?). Nothing was changed; add --replace to replace it.");
                return 1;
            }

            id = await client.CreateAsync(json, cancellationToken);
            await client.UploadImageAsync(id, image, cancellationToken);
            if (!disaster)
            {
                await client.SetDefaultAsync(id, cancellationToken);
                isDefault = true;
            }

            // The disaster mode finds both menus by these names.
            await aliases.PointAsync(disaster ? RichMenuAliases.DisasterAlias : RichMenuAliases.MainAlias, id, cancellationToken);
        }
        catch (LineRichMenuException ex)
        {
            if (id is not null && !isDefault)
            {
                await client.DeleteQuietlyAsync(id, cancellationToken);
            }

            await output.WriteLineAsync("NG: " + ex.Message);
            return 1;
        }

        if (disaster)
        {
            logger.LogInformation("Rich menu {RichMenuId} registered as the disaster menu", id);
            await output.WriteLineAsync($"OK: rich menu {id} is the disaster menu ({RichMenuAliases.DisasterAlias}); residents see it while the disaster mode is on.");
            return 0;
        }

        logger.LogInformation("Rich menu {RichMenuId} applied as the default menu", id);
        await output.WriteLineAsync($"OK: rich menu {id} is now everyone's default menu.");
        return await ApplyLanguagesAsync(menu, images, output, cancellationToken);
    }

    /// <summary>
    /// The menu in each language, registered beside the default one under its alias (<c>shiogama-main-en</c> …), where
    /// <see cref="LanguageRichMenuLinks"/> finds it to link it to a resident who keeps that language. Residents linked to
    /// an earlier version of a language's menu are moved to the new one in one batch call (LINE's "replace the linked
    /// rich menus in batches": from the old menu to the new, for everyone linked), never one call per person.
    /// </summary>
    private async Task<int> ApplyLanguagesAsync(RichMenuDefinition menu, Dictionary<string, RichMenuImage> images, TextWriter output, CancellationToken ct)
    {
        var moves = new List<(string From, string To)>();
        foreach (var (code, translated) in menu.Languages)
        {
            string? id = null;
            try
            {
                var alias = RichMenuAliases.LanguageAlias(code);
                var previous = await aliases.FindAsync(alias, ct);
                id = await client.CreateAsync(RichMenuJson.ToRequest(translated, keys.PostbackKey), ct);
                await client.UploadImageAsync(id, images[code], ct);
                await aliases.PointAsync(alias, id, ct);
                if (previous is not null && previous != id)
                {
                    moves.Add((previous, id));
                }
            }
            catch (LineRichMenuException ex)
            {
                if (id is not null)
                {
                    await client.DeleteQuietlyAsync(id, ct);
                }

                await output.WriteLineAsync($"NG: the {code} menu: {ex.Message} (the default menu is in place; run apply again)");
                return 1;
            }

            await output.WriteLineAsync($"OK: rich menu {id} is the {code} menu ({RichMenuAliases.LanguageAlias(code)}).");
        }

        if (moves.Count > 0)
        {
            try
            {
                await client.ReplaceLinkedAsync(moves, ct);
                await output.WriteLineAsync($"OK: residents linked to the earlier language menus are moved to the new ones ({moves.Count} menus; LINE does it in the background).");
            }
            catch (LineRichMenuException ex)
            {
                // The old menus stay linked and working: only their labels are the earlier ones.
                await output.WriteLineAsync($"NG: residents still see the earlier language menus: {ex.Message} (run apply again)");
                return 1;
            }
        }

        logger.LogInformation("Rich menus registered for {Count} languages", menu.Languages.Count);
        return 0;
    }

    private static (bool DryRun, string? Out, string? File, bool Disaster, bool Replace)? Parse(IReadOnlyList<string> args)
    {
        var (dryRun, outDir, file, disaster, replace) = (false, (string?)null, (string?)null, false, false);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--disaster":
                    disaster = true;
                    break;
                case "--replace":
                    replace = true;
                    break;
                case "--out" when i + 1 < args.Count:
                    outDir = args[++i];
                    break;
                case "--file" when i + 1 < args.Count:
                    file = args[++i];
                    break;
                default:
                    return null;
            }
        }

        return (dryRun, outDir, file, disaster, replace);
    }
}

public static class RichMenuExtensions
{
    public static IHostApplicationBuilder AddLineRichMenu(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RichMenuOptions>().BindConfiguration(RichMenuOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient<LineRichMenuClient>(http => http.Timeout = TimeSpan.FromSeconds(60));
        builder.Services.AddScoped<IBotCommand, RichMenuCommand>();
        builder.Services.AddScoped<RichMenuAliases>();
        builder.Services.AddScoped<IChannelMenu>(sp => sp.GetRequiredService<RichMenuAliases>());
        builder.Services.AddSingleton<RichMenuLinkRetries>();
        builder.Services.AddScoped<Localization.IResidentLanguageMenu, LanguageRichMenuLinks>();
        return builder;
    }
}
