using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Inbox;

namespace ShiogamaDx.Bot.Line;

/// <summary>The raw LINE user id behind a pseudonymous key: needed only to push, deleted when the person blocks the account.</summary>
public sealed class LineUser
{
    public required string UserKey { get; set; }

    public string? LineUserId { get; set; }

    public bool Following { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class LineUserConfiguration : IEntityTypeConfiguration<LineUser>
{
    public void Configure(EntityTypeBuilder<LineUser> b)
    {
        b.ToTable("LineUsers");
        b.HasKey(x => x.UserKey);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.LineUserId).HasMaxLength(64);
    }
}

/// <summary>Every LINE friend (following now), by pseudonymous key: whom an announcement to everyone reaches.</summary>
internal sealed class LineRecipientDirectory(BotDbContext db) : IRecipientDirectory
{
    public string Channel => LineChannel.Channel;

    public async Task<IReadOnlyList<string>> UserKeysAsync(CancellationToken cancellationToken) =>
        await db.Set<LineUser>().AsNoTracking().Where(u => u.Following && u.LineUserId != null).Select(u => u.UserKey).ToListAsync(cancellationToken);
}

/// <summary>LINE's monthly message limit, read before a large send.</summary>
internal sealed class LineMessageQuota(LineMessagingClient client, IOptions<LineOptions> options, TimeProvider clock) : IMessageQuota
{
    public string Channel => LineChannel.Channel;

    public Task<long?> RemainingAsync(CancellationToken cancellationToken) =>
        options.Value.Enabled ? client.RemainingQuotaAsync(cancellationToken) : Task.FromResult<long?>(null);

    /// <summary>LINE counts a day's friends the next day (Japan time): yesterday's figure, else the day before's.</summary>
    public async Task<long?> FriendsAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), clock.LocalTimeZone).DateTime);
        return await client.FriendsAsync(today.AddDays(-1), cancellationToken) ?? await client.FriendsAsync(today.AddDays(-2), cancellationToken);
    }
}

/// <summary>What the LINE channel keeps about a person: the raw id (for push) and stored events.</summary>
internal sealed class LineDataEraser(BotDbContext db, KnownLineUsers knownUsers, TimeProvider clock) : IPersonalDataEraser
{
    public async Task EraseAsync(string userKey, CancellationToken cancellationToken)
    {
        knownUsers.Forget(userKey);
        var now = clock.GetUtcNow();
        await db.Set<LineUser>().Where(u => u.UserKey == userKey).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.LineUserId, (string?)null)
            .SetProperty(u => u.Following, false)
            .SetProperty(u => u.UpdatedAt, now), cancellationToken);
        await db.Set<InboxItem>().Where(e => e.Channel == LineChannel.Channel && e.PersonKey == userKey).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.PayloadJson, (string?)null)
            .SetProperty(e => e.RepliesJson, (string?)null), cancellationToken);
    }
}
