namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// What a feature asks a new friend once, right after the greeting (e.g. which announcements they want). A
/// channel that knows "a new friend" (LINE's follow, not an unblock) adds every feature's after its greeting.
/// </summary>
public interface INewFriendWelcome
{
    Task<IReadOnlyList<Reply>> AfterGreetingAsync(string userKey, CancellationToken cancellationToken);
}
