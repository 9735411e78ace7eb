namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// Everyone a channel can message on its own (e.g. every staff member who has installed the bot). Each
/// channel that can reach people proactively has one; features ask by channel name, never by channel type.
/// </summary>
public interface IRecipientDirectory
{
    string Channel { get; }

    Task<IReadOnlyList<string>> UserKeysAsync(CancellationToken cancellationToken);
}
