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

    /// <summary>
    /// Set for a message to many people at once (an announcement's chunk): their user keys, sent in one call; the
    /// channel keeps, once sent, only those it reached. <see cref="UserKey"/> then names the group, not a person.
    /// </summary>
    public string? RecipientsJson { get; set; }

    /// <summary>Unique, e.g. <c>class-reminder:42</c>: a second enqueue with the same key is a no-op.</summary>
    public required string IdempotencyKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Set when the channel gave up (e.g. the person blocked the account); never retried after.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>The delivery run (replica and batch) that holds the message until <see cref="ClaimedUntil"/>.</summary>
    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>
    /// A conversation to post to instead of the person's own (a staff channel that receives handoff requests), as
    /// the channel reads it (<see cref="ConversationAddress"/>); null: the person's stored conversation.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>Idempotency key of an earlier message whose sent message this one replaces (a card updated for everyone).</summary>
    public string? ReplacesKey { get; set; }

    /// <summary>The id the channel gave the sent message (staff: the activity id), so a later message can replace it.</summary>
    public string? SentId { get; set; }

    /// <summary>The one recipient that means every person the channel can reach (LINE: a broadcast).</summary>
    public const string Everyone = "*";

    public bool ToEveryone => RecipientsJson == "[\"*\"]";

    public IReadOnlyList<Reply> Replies => JsonSerializer.Deserialize<List<Reply>>(RepliesJson, Outbox.Json) ?? [];

    public IReadOnlyList<string>? Recipients => RecipientsJson is null ? null : JsonSerializer.Deserialize<List<string>>(RecipientsJson, Outbox.Json);
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("Outbox");
        b.Ignore(x => x.Replies);
        b.Ignore(x => x.Recipients);
        b.Ignore(x => x.ToEveryone);
        b.Property(x => x.Channel).HasMaxLength(20);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.IdempotencyKey).HasMaxLength(200);
        b.Property(x => x.LastError).HasMaxLength(500);
        b.Property(x => x.ClaimedBy).HasMaxLength(200);
        b.Property(x => x.Address).HasMaxLength(1000);
        b.Property(x => x.ReplacesKey).HasMaxLength(200);
        b.Property(x => x.SentId).HasMaxLength(500);
        b.HasIndex(x => x.IdempotencyKey).IsUnique();
        b.HasIndex(x => x.ClaimedBy);
        b.HasIndex(x => new { x.Channel, x.SentAt, x.FailedAt, x.NotBefore });
    }
}

/// <summary>A Bot Framework conversation the bot posts to on its own (a Teams channel), as configured by a feature.</summary>
public sealed record ConversationAddress(string ServiceUrl, string ConversationId, string? TenantId = null, string? ChannelId = null);

public sealed class Outbox(BotDbContext db, PrivacyKeys keys, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds a message to the context (the caller saves, together with its own change). Returns false when a
    /// message with this idempotency key already exists.
    /// </summary>
    /// <param name="address">A conversation other than the person's own (see <see cref="OutboxMessage.Address"/>).</param>
    /// <param name="replaces">Idempotency key of an earlier message to replace (see <see cref="OutboxMessage.ReplacesKey"/>).</param>
    /// <param name="recipients">For one message to many (multicast): their user keys; <paramref name="userKey"/> then names the group.</param>
    public async Task<bool> AddAsync(string channel, string userKey, IReadOnlyList<Reply> replies, string idempotencyKey, CancellationToken ct, DateTimeOffset? notBefore = null, ConversationAddress? address = null, string? replaces = null, IReadOnlyList<string>? recipients = null)
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
            RecipientsJson = recipients is null ? null : JsonSerializer.Serialize(recipients, Json),
            CreatedAt = now,
            NotBefore = notBefore ?? now,
            Address = address is null ? null : JsonSerializer.Serialize(address, Json),
            ReplacesKey = replaces,
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

    /// <summary>
    /// Claims up to <paramref name="max"/> due messages of a channel for one delivery run of this replica, so
    /// that replicas delivering at the same time never send one message twice. A claim lasts
    /// <paramref name="duration"/>: the messages of a replica that died mid-run are taken up after it.
    /// The deliverer sets SentAt/FailedAt, or <see cref="Release"/>s what it did not finish.
    /// </summary>
    public async Task<List<OutboxMessage>> ClaimDueAsync(string channel, int max, string owner, TimeSpan duration, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var candidates = await db.Set<OutboxMessage>()
            .Where(m => m.Channel == channel && m.SentAt == null && m.FailedAt == null && m.NotBefore <= now && (m.ClaimedUntil == null || m.ClaimedUntil <= now))
            .OrderBy(m => m.Id)
            .Select(m => m.Id)
            .Take(max)
            .ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return [];
        }

        // The condition is evaluated again under the row lock: of two racing runs, only one gets each message.
        var claim = $"{owner}/{Guid.NewGuid():N}";
        var until = now + duration;
        await db.Set<OutboxMessage>()
            .Where(m => candidates.Contains(m.Id) && m.SentAt == null && m.FailedAt == null && (m.ClaimedUntil == null || m.ClaimedUntil <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, claim).SetProperty(m => m.ClaimedUntil, until), ct);
        return await db.Set<OutboxMessage>().Where(m => m.ClaimedBy == claim).OrderBy(m => m.Id).ToListAsync(ct);
    }

    /// <summary>Gives a claimed message back (the caller saves), e.g. when delivery stopped before it.</summary>
    public static void Release(OutboxMessage message) => (message.ClaimedBy, message.ClaimedUntil) = (null, null);
}
