using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShiogamaDx.Bot.Handoff;

public enum HandoffStatus
{
    /// <summary>The resident asked for a person; the bot waits for their question.</summary>
    Asking = 0,

    /// <summary>Posted to the staff conversations; nobody has claimed it yet.</summary>
    Waiting = 1,

    Claimed = 2,

    Closed = 3,
}

/// <summary>
/// One resident's request for a person, from asking to the rating. Holds no LINE id: the resident is their pseudonymous
/// user key, shown to staff as 「住民 A12」. Erased with the resident's data and <see cref="HandoffOptions.RetentionDays"/> after closing.
/// </summary>
public sealed class HandoffCase
{
    public long Id { get; set; }

    public required string UserKey { get; set; }

    public HandoffStatus Status { get; set; }

    /// <summary>The question, as the resident wrote it in the handoff (nothing from before it).</summary>
    public string? Question { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? PostedAt { get; set; }

    /// <summary>Posted outside office hours (marked 時間外 on the card).</summary>
    public bool OutOfHours { get; set; }

    /// <summary>When the claim timeout runs out: office hours only count.</summary>
    public DateTimeOffset? ClaimDueAt { get; set; }

    /// <summary>The resident was told nobody has claimed it yet (the request stays in the queue).</summary>
    public DateTimeOffset? TimedOutAt { get; set; }

    /// <summary>Staff member's pseudonymous key.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>The name the staff chat shows for them, for colleagues' cards (residents see it only with ShowStaffNames).</summary>
    public string? ClaimedByName { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>When the staff member last chose it (「対応中の相談」): their messages go to the one chosen last.</summary>
    public DateTimeOffset? FocusAt { get; set; }

    /// <summary>The staff conversation it was last posted to (転送 moves it).</summary>
    public string? ConversationName { get; set; }

    /// <summary>How many times it was posted (転送): each posting has its own cards.</summary>
    public int Postings { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary><c>resident</c>, <c>staff</c>, <c>callback</c> (answered by telephone).</summary>
    public string? ClosedBy { get; set; }

    public bool RatingPending { get; set; }

    /// <summary>役に立ちましたか: 1 to 5.</summary>
    public int? Rating { get; set; }

    /// <summary>The channel the resident wrote from (<c>line</c>, or <c>terminal</c> for the demo); null: LINE.</summary>
    public string? ResidentChannel { get; set; }

    /// <summary>The channel of the claiming staff member's personal chat (<c>staff</c>, or <c>terminal</c>); null: the staff chat.</summary>
    public string? StaffChannel { get; set; }

    /// <summary>What the bot guessed the question is about (a procedure, a guide, a feature), shown on the card.</summary>
    public string? Topic { get; set; }

    /// <summary>A phone number the resident wrote themselves in the handoff: the request waits for a call back.</summary>
    public string? CallbackPhone { get; set; }

    /// <summary>When a staff member marked the call back done (the handoff is then closed by <c>callback</c>).</summary>
    public DateTimeOffset? CallbackDoneAt { get; set; }

    /// <summary>Messages each way (counted, for the office's figures; the words are in <see cref="HandoffMessage"/>).</summary>
    public int ResidentMessages { get; set; }

    public int StaffMessages { get; set; }

    /// <summary>Shown to staff: 「住民 A12」, from the id, so it says nothing of the person.</summary>
    public string Pseudonym => $"{(char)('A' + (int)(Id / 100 % 26))}{Id % 100:D2}";
}

/// <summary>A message written in a handoff, kept for the record until the handoff is erased.</summary>
public sealed class HandoffMessage
{
    public long Id { get; set; }

    public long HandoffId { get; set; }

    /// <summary><c>resident</c> or <c>staff</c>.</summary>
    public required string From { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>Answers not understood in a row, per resident: at the second, the bot offers a person.</summary>
public sealed class HandoffStreak
{
    public required string UserKey { get; set; }

    public int Count { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class HandoffCaseConfiguration : IEntityTypeConfiguration<HandoffCase>
{
    public void Configure(EntityTypeBuilder<HandoffCase> b)
    {
        b.ToTable("Handoffs");
        b.Ignore(x => x.Pseudonym);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.Question).HasMaxLength(HandoffDesk.MaxText);
        b.Property(x => x.ClaimedBy).HasMaxLength(100);
        b.Property(x => x.ClaimedByName).HasMaxLength(200);
        b.Property(x => x.ConversationName).HasMaxLength(200);
        b.Property(x => x.ClosedBy).HasMaxLength(20);
        b.Property(x => x.ResidentChannel).HasMaxLength(20);
        b.Property(x => x.StaffChannel).HasMaxLength(20);
        b.Property(x => x.Topic).HasMaxLength(200);
        b.Property(x => x.CallbackPhone).HasMaxLength(40);
        b.HasIndex(x => new { x.UserKey, x.Status });
        b.HasIndex(x => new { x.ClaimedBy, x.Status });
        b.HasIndex(x => new { x.Status, x.ClaimDueAt });
        b.HasIndex(x => x.CreatedAt);
    }
}

internal sealed class HandoffMessageConfiguration : IEntityTypeConfiguration<HandoffMessage>
{
    public void Configure(EntityTypeBuilder<HandoffMessage> b)
    {
        b.ToTable("HandoffMessages");
        b.Property(x => x.From).HasMaxLength(20);
        b.Property(x => x.Text).HasMaxLength(HandoffDesk.MaxText);
        b.HasIndex(x => x.HandoffId);
        b.HasOne<HandoffCase>().WithMany().HasForeignKey(x => x.HandoffId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HandoffStreakConfiguration : IEntityTypeConfiguration<HandoffStreak>
{
    public void Configure(EntityTypeBuilder<HandoffStreak> b)
    {
        b.ToTable("HandoffStreaks");
        b.HasKey(x => x.UserKey);
        b.Property(x => x.UserKey).HasMaxLength(100);
    }
}
