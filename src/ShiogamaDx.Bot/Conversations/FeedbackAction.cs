using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>A resident's feedback from the ご意見 dialog, kept under their pseudonym only.</summary>
public sealed class Feedback
{
    public long Id { get; set; }

    public required string UserKey { get; set; }

    public required string Topic { get; set; }

    public required string Body { get; set; }

    public bool ReplyWanted { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

internal sealed class FeedbackConfiguration : IEntityTypeConfiguration<Feedback>
{
    public void Configure(EntityTypeBuilder<Feedback> b)
    {
        b.ToTable("Feedback");
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.Topic).HasMaxLength(100);
        b.Property(x => x.Body).HasMaxLength(500);
    }
}

public sealed class FeedbackSaveAction(BotDbContext db, TimeProvider clock) : IDialogAction
{
    public string Name => "feedback.save";

    public IReadOnlyList<StepNeed> Needs { get; } = [new("topic", StepKind.Choice), new("body", StepKind.Text), new("reply-wanted", StepKind.Confirm)];

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        db.Add(new Feedback
        {
            UserKey = context.Turn.Message.UserKey,
            Topic = context.Values.GetValueOrDefault("topic.label") ?? string.Empty,
            Body = context.Values.GetValueOrDefault("body") ?? string.Empty,
            ReplyWanted = context.Values.GetValueOrDefault("reply-wanted") == "yes",
            ReceivedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return new DialogActionResult();
    }
}
