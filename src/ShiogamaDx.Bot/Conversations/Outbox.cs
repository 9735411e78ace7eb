using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// A message the bot sends on its own (reminder, survey, waiting-list promotion), not as the answer to a
/// turn. Features write it here in the same transaction as their own change; the channel it names
/// (<c>line</c>, <c>staff</c>) delivers it. The idempotency key makes "send once" hold across retries,
/// restarts and replicas.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public required string Channel { get; set; }

    public required string UserKey { get; set; }

    public required string RepliesJson { get; set; }

    /// <summary>Unique, e.g. <c>class-reminder:42</c>: a second enqueue with the same key is a no-op.</summary>
    public required string IdempotencyKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Set when the channel gave up (e.g. the person blocked the account); never retried after.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public IReadOnlyList<Reply> Replies => JsonSerializer.Deserialize<List<Reply>>(RepliesJson, Outbox.Json) ?? [];
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("Outbox");
        b.Ignore(x => x.Replies);
        b.Property(x => x.Channel).HasMaxLength(20);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.IdempotencyKey).HasMaxLength(200);
        b.Property(x => x.LastError).HasMaxLength(500);
        b.HasIndex(x => x.IdempotencyKey).IsUnique();
        b.HasIndex(x => new { x.Channel, x.SentAt, x.FailedAt, x.NotBefore });
    }
}

public sealed class Outbox(BotDbContext db, PrivacyKeys keys, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds a message to the context (the caller saves, together with its own change). Returns false when a
    /// message with this idempotency key already exists.
    /// </summary>
    public async Task<bool> AddAsync(string channel, string userKey, IReadOnlyList<Reply> replies, string idempotencyKey, CancellationToken ct, DateTimeOffset? notBefore = null)
    {
        if (await db.Set<OutboxMessage>().AnyAsync(m => m.IdempotencyKey == idempotencyKey, ct)
            || db.ChangeTracker.Entries<OutboxMessage>().Any(e => e.Entity.IdempotencyKey == idempotencyKey))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        db.Add(new OutboxMessage
        {
            Channel = channel,
            UserKey = userKey,
            RepliesJson = JsonSerializer.Serialize(replies.Select(r => ReplySigning.Sign(r, keys.PostbackKey)).ToList(), Json),
            IdempotencyKey = idempotencyKey,
            CreatedAt = now,
            NotBefore = notBefore ?? now,
        });
        return true;
    }

    /// <summary>Messages of one channel that are due, oldest first.</summary>
    public Task<List<OutboxMessage>> DueAsync(string channel, int max, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Set<OutboxMessage>()
            .Where(m => m.Channel == channel && m.SentAt == null && m.FailedAt == null && m.NotBefore <= now)
            .OrderBy(m => m.Id)
            .Take(max)
            .ToListAsync(ct);
    }
}
