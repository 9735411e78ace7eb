using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Localization;

/// <summary>Where a resident's kept language comes from.</summary>
public enum LanguageSource
{
    /// <summary>Chosen: the language menu, or a switch word (「やさしい日本語で」, "English", 「日本語」).</summary>
    Chosen,

    /// <summary>Written: a message in that language.</summary>
    Written,

    /// <summary>The language of their LINE profile: follows the profile, never overrides a chosen or written one.</summary>
    Profile,
}

/// <summary>
/// The language a resident is answered in, by pseudonymous key: <c>easy</c>, a foreign language's code, or <c>ja</c> when
/// the resident chose or wrote Japanese over another language (so their LINE profile's does not override it).
/// </summary>
public sealed class ResidentLanguage
{
    public required string UserKey { get; set; }

    public required string Language { get; set; }

    public LanguageSource Source { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ResidentLanguageConfiguration : IEntityTypeConfiguration<ResidentLanguage>
{
    public void Configure(EntityTypeBuilder<ResidentLanguage> builder)
    {
        builder.ToTable("ResidentLanguages");
        builder.HasKey(r => r.UserKey);
        builder.Property(r => r.UserKey).HasMaxLength(80);
        builder.Property(r => r.Language).HasMaxLength(8);
        builder.Property(r => r.Source).HasConversion<string>().HasMaxLength(8);
    }
}

/// <summary>
/// Reads and keeps residents' languages. Plain Japanese nobody chose over another language is no row at all. Each change
/// is passed on to the channel's per-person menu (<see cref="IResidentLanguageMenu"/>), so the menu follows the language.
/// </summary>
public sealed class ResidentLanguages(BotDbContext db, TimeProvider clock, IEnumerable<IResidentLanguageMenu> menus)
{
    /// <summary>The language to say something in on the bot's own (a push, a job): <c>easy</c> or a foreign code; null for Japanese.</summary>
    public async Task<string?> GetAsync(string userKey, CancellationToken ct) =>
        await KeptAsync(userKey, ct) is { } kept && kept.Language != LanguagePack.Japanese ? kept.Language : null;

    /// <summary>The kept language and where it comes from (a <c>ja</c> row included); null when none is kept.</summary>
    public async Task<(string Language, LanguageSource Source)?> KeptAsync(string userKey, CancellationToken ct)
    {
        // Read on every turn: the place to finish a menu change the channel could not make last time.
        foreach (var menu in menus)
        {
            await menu.RetryAsync(userKey, ct);
        }

        return await KeptByUser.RunAsync(db, userKey, ct) is { } row ? (row.Language, row.Source) : null;
    }

    // Read on every resident's turn.
    private static readonly CompiledQuery<string, ResidentLanguage?> KeptByUser =
        new((db, userKey, ct) => db.Set<ResidentLanguage>().AsNoTracking().FirstOrDefault(r => r.UserKey == userKey));

    /// <summary>
    /// Keeps <paramref name="language"/> for the resident. A language chosen or written replaces any (Japanese is kept as
    /// a row when it replaces another, so the profile's cannot come back over it). A profile's language only replaces
    /// another profile's, or nothing; a profile's Japanese forgets a profile's language.
    /// </summary>
    /// <returns>Whether what is kept changed.</returns>
    public async Task<bool> SetAsync(string userKey, string language, LanguageSource source, CancellationToken ct)
    {
        var row = await db.Set<ResidentLanguage>().FirstOrDefaultAsync(r => r.UserKey == userKey, ct);
        if (source == LanguageSource.Profile && row is not null && row.Source != LanguageSource.Profile)
        {
            return false; // the resident's own choice stands
        }

        if (language == LanguagePack.Japanese && (row is null || source == LanguageSource.Profile))
        {
            if (row is null)
            {
                return false;
            }

            db.Remove(row);
        }
        else if (row is null)
        {
            db.Add(new ResidentLanguage { UserKey = userKey, Language = language, Source = source, UpdatedAt = clock.GetUtcNow() });
        }
        else if (row.Language != language || row.Source != source)
        {
            row.Language = language;
            row.Source = source;
            row.UpdatedAt = clock.GetUtcNow();
        }
        else
        {
            return false;
        }

        await db.SaveChangesAsync(ct);
        await ShowMenuAsync(userKey, language == LanguagePack.Japanese ? null : language, ct);
        return true;
    }

    private async Task ShowMenuAsync(string userKey, string? language, CancellationToken ct)
    {
        foreach (var menu in menus)
        {
            await menu.ShowAsync(userKey, language, ct);
        }
    }

    /// <summary>The resident's LINE profile was read and its language is none of the packs' (Japanese, or one without a pack): a profile's language is forgotten.</summary>
    public async Task ForgetProfileAsync(string userKey, CancellationToken ct)
    {
        // Read first: almost every resident's profile is Japanese, and a DELETE that finds nothing still waits for
        // SQLite's one write lock (under load, a write per resident's first message after a start).
        var profile = db.Set<ResidentLanguage>().Where(r => r.UserKey == userKey && r.Source == LanguageSource.Profile);
        if (await profile.AnyAsync(ct))
        {
            await profile.ExecuteDeleteAsync(ct);
            await ShowMenuAsync(userKey, null, ct);
        }
    }
}

public sealed class ResidentLanguageEraser(BotDbContext db) : IPersonalDataEraser
{
    public Task EraseAsync(string userKey, CancellationToken cancellationToken) =>
        db.Set<ResidentLanguage>().Where(r => r.UserKey == userKey).ExecuteDeleteAsync(cancellationToken);
}
