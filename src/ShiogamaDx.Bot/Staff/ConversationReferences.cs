using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Staff;

/// <summary>
/// Where to reach one staff member on their own (surveys, notices): the personal conversation the channel
/// last used. Raw channel ids live only here, because the connector needs them to send.
/// </summary>
public sealed class StaffConversationReference
{
    public required string UserKey { get; set; }

    public required string ServiceUrl { get; set; }

    public required string ChannelId { get; set; }

    public required string ConversationId { get; set; }

    public string? TenantId { get; set; }

    public required string BotId { get; set; }

    public string? BotName { get; set; }

    public required string UserId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class StaffConversationReferenceConfiguration : IEntityTypeConfiguration<StaffConversationReference>
{
    public void Configure(EntityTypeBuilder<StaffConversationReference> b)
    {
        b.ToTable("StaffConversationReferences");
        b.HasKey(x => x.UserKey);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.ServiceUrl).HasMaxLength(500);
        b.Property(x => x.ChannelId).HasMaxLength(50);
        b.Property(x => x.ConversationId).HasMaxLength(500);
        b.Property(x => x.TenantId).HasMaxLength(100);
        b.Property(x => x.BotId).HasMaxLength(200);
        b.Property(x => x.BotName).HasMaxLength(200);
        b.Property(x => x.UserId).HasMaxLength(200);
    }
}

internal sealed class ConversationReferenceStore(BotDbContext db, TimeProvider clock)
{
    /// <summary>Kept only for one-to-one conversations: a proactive message to a person must not land in a group.</summary>
    public async Task SaveAsync(string userKey, Activity activity, ChannelAccount user, CancellationToken ct)
    {
        if (activity.Conversation is not { Id: { Length: > 0 } conversationId } conversation
            || conversation.IsGroup == true
            || conversation.ConversationType is { } type && type != "personal"
            || activity.ServiceUrl is not { Length: > 0 } serviceUrl
            || activity.Recipient?.Id is not { Length: > 0 } botId
            || user.Id is not { Length: > 0 } userId)
        {
            return;
        }

        var existing = await db.Set<StaffConversationReference>().FirstOrDefaultAsync(r => r.UserKey == userKey, ct);
        var reference = existing ?? new StaffConversationReference
        {
            UserKey = userKey,
            ServiceUrl = serviceUrl,
            ChannelId = activity.ChannelId ?? "",
            ConversationId = conversationId,
            BotId = botId,
            UserId = userId,
        };
        reference.ServiceUrl = serviceUrl;
        reference.ChannelId = activity.ChannelId ?? "";
        reference.ConversationId = conversationId;
        reference.TenantId = StaffActivities.TenantOf(activity);
        reference.BotId = botId;
        reference.BotName = activity.Recipient.Name;
        reference.UserId = userId;
        reference.UpdatedAt = clock.GetUtcNow();
        if (existing is null)
        {
            db.Add(reference);
        }

        await db.SaveChangesAsync(ct);
    }

    public Task<StaffConversationReference?> FindAsync(string userKey, CancellationToken ct) =>
        db.Set<StaffConversationReference>().AsNoTracking().FirstOrDefaultAsync(r => r.UserKey == userKey, ct);
}

internal sealed class StaffConversationReferenceEraser(BotDbContext db) : IPersonalDataEraser
{
    public Task EraseAsync(string userKey, CancellationToken cancellationToken) =>
        db.Set<StaffConversationReference>().Where(r => r.UserKey == userKey).ExecuteDeleteAsync(cancellationToken);
}

/// <summary>Everyone who has the bot in a one-to-one chat: the "all staff" of a survey send.</summary>
internal sealed class StaffRecipientDirectory(BotDbContext db) : IRecipientDirectory
{
    public string Channel => "staff";

    public async Task<IReadOnlyList<string>> UserKeysAsync(CancellationToken cancellationToken) =>
        await db.Set<StaffConversationReference>().AsNoTracking().Select(r => r.UserKey).ToListAsync(cancellationToken);
}
