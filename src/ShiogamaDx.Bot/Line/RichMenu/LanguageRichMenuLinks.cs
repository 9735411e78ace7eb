using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Localization;

namespace ShiogamaDx.Bot.Line.RichMenu;

/// <summary>
/// The menu changes LINE could not make, by pseudonymous key: the language to show (null: the default menu). Kept in
/// memory only: a restart forgets them, and the resident keeps the menu they had until their language changes again.
/// </summary>
internal sealed class RichMenuLinkRetries
{
    // Bounded: during a long outage, every resident who switches waits here; past this many the oldest are not tracked.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, string?> waiting = new(StringComparer.Ordinal);

    public void Wait(string userKey, string? language)
    {
        if (waiting.Count < MaxEntries || waiting.ContainsKey(userKey))
        {
            waiting[userKey] = language;
        }
    }

    public void Forget(string userKey) => waiting.TryRemove(userKey, out _);

    public bool TryTake(string userKey, out string? language) => waiting.TryRemove(userKey, out language);
}

/// <summary>
/// Shows a resident the rich menu in the language kept for them: links them to the menu <c>line richmenu apply</c>
/// registered under <see cref="RichMenuAliases.LanguageAlias"/>, and unlinks them (the default menu again) for Japanese
/// or a language without a menu. Nothing is called while no language menu is registered; nothing is linked while the
/// disaster menu is everyone's (the disaster mode links the residents back when it ends). A LINE outage, a limit (429)
/// or a timeout never holds up or breaks the turn: logged, and tried again on the resident's next turn. A refusal
/// (another 4xx) is logged and not retried: it would be refused again.
/// </summary>
internal sealed class LanguageRichMenuLinks(
    LineRichMenuClient client,
    RichMenuAliases aliases,
    BotDbContext db,
    RichMenuLinkRetries retries,
    IOptions<LineOptions> options,
    ILogger<LanguageRichMenuLinks> logger) : IResidentLanguageMenu
{
    /// <summary>How long a turn waits for LINE at most (alias list, then the link): the answer matters more than the menu.</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task ShowAsync(string userKey, string? language, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Value.ChannelAccessToken))
        {
            return;
        }

        // A new friend's first event stages their row in this context before it is saved: looked at first.
        var user = db.Set<LineUser>().Local.FirstOrDefault(u => u.UserKey == userKey)
            ?? await db.Set<LineUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserKey == userKey, ct);
        if (user?.LineUserId is not { } lineUserId || !user.Following)
        {
            return; // not a LINE friend (another channel's resident, or blocked): no menu to show
        }

        retries.Forget(userKey); // this change supersedes one still waiting
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            var registered = await aliases.ListAsync(timeout.Token);
            if (!registered.Keys.Any(a => a.StartsWith(RichMenuAliases.LanguagePrefix, StringComparison.Ordinal)))
            {
                return; // no language menus registered: nobody was ever linked to one
            }

            if (language is not null && registered.GetValueOrDefault(RichMenuAliases.LanguageAlias(language)) is { } menu)
            {
                if (registered.GetValueOrDefault(RichMenuAliases.DisasterAlias) is { } disaster && await aliases.DefaultAsync(timeout.Token) == disaster)
                {
                    // The disaster menu is everyone's now, and a linked menu would hide it: linked when the mode ends.
                    return;
                }

                await client.LinkAsync(lineUserId, menu, timeout.Token);
                logger.LogInformation("Rich menu in {Language} linked to a resident", language);
            }
            else
            {
                await client.UnlinkAsync(lineUserId, timeout.Token);
                logger.LogInformation("Rich menu of a resident set back to the default ({Language})", language ?? "ja");
            }
        }
        catch (LineRichMenuException ex) when (ex.Status is not (null or 429 or >= 500))
        {
            logger.LogWarning("LINE refused the resident's rich menu change to {Language}: {Status}", language ?? "ja", ex.Status);
        }
        catch (Exception ex) when (ex is LineRichMenuException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            retries.Wait(userKey, language);
            logger.LogWarning("Rich menu change to {Language} failed ({Error}); tried again on the resident's next turn", language ?? "ja", ex.GetType().Name);
        }
    }

    public async Task RetryAsync(string userKey, CancellationToken ct)
    {
        if (retries.TryTake(userKey, out var language))
        {
            await ShowAsync(userKey, language, ct);
        }
    }
}
