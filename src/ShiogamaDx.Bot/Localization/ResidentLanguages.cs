using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Localization;

/// <summary>The language a resident is answered in, by pseudonymous key: <c>easy</c> or a foreign language's code.</summary>
public sealed class ResidentLanguage
{
    public required string UserKey { get; set; }

    public required string Language { get; set; }

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
    }
}

/// <summary>Reads and keeps residents' languages. Plain Japanese is kept as no row at all.</summary>
public sealed class ResidentLanguages(BotDbContext db, TimeProvider clock)
{
    public async Task<string?> GetAsync(string userKey, CancellationToken ct) =>
        await db.Set<ResidentLanguage>().AsNoTracking().Where(r => r.UserKey == userKey).Select(r => r.Language).FirstOrDefaultAsync(ct);

    public async Task SetAsync(string userKey, string language, CancellationToken ct)
    {
        var row = await db.Set<ResidentLanguage>().FirstOrDefaultAsync(r => r.UserKey == userKey, ct);
        if (language == LanguagePack.Japanese)
        {
            if (row is not null)
            {
                db.Remove(row);
            }
        }
        else if (row is null)
        {
            db.Add(new ResidentLanguage { UserKey = userKey, Language = language, UpdatedAt = clock.GetUtcNow() });
        }
        else if (row.Language != language)
        {
            row.Language = language;
            row.UpdatedAt = clock.GetUtcNow();
        }

        await db.SaveChangesAsync(ct);
    }
}

public sealed class ResidentLanguageEraser(BotDbContext db) : IPersonalDataEraser
{
    public Task EraseAsync(string userKey, CancellationToken cancellationToken) =>
        db.Set<ResidentLanguage>().Where(r => r.UserKey == userKey).ExecuteDeleteAsync(cancellationToken);
}
