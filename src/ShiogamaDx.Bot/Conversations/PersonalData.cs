namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// Erases what one feature keeps about a person (by pseudonymous user key), e.g. when they block the LINE
/// account. Each feature that stores personal data has one; the channel calls them all.
/// </summary>
public interface IPersonalDataEraser
{
    Task EraseAsync(string userKey, CancellationToken cancellationToken);
}

/// <summary>The engine's own personal data: dialog state, offered choices, unanswered questions, feedback.</summary>
public sealed class ConversationDataEraser(ConversationStore store, Data.BotDbContext db) : IPersonalDataEraser
{
    public async Task EraseAsync(string userKey, CancellationToken cancellationToken)
    {
        await store.ForgetAsync(userKey, cancellationToken);
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteDeleteAsync(
            db.Set<UnansweredQuestion>().Where(q => q.UserKey == userKey), cancellationToken);
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteDeleteAsync(
            db.Set<Feedback>().Where(f => f.UserKey == userKey), cancellationToken);
    }
}
