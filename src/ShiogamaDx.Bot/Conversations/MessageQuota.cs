namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// How many more messages a channel may send this month (LINE counts each recipient of a push or multicast against
/// the plan's monthly limit). A channel with such a limit has one; features ask by channel name before a large send.
/// </summary>
public interface IMessageQuota
{
    string Channel { get; }

    /// <returns>What is left this month; null when there is no limit or it could not be read (the channel still stops at the limit).</returns>
    Task<long?> RemainingAsync(CancellationToken cancellationToken);

    /// <returns>
    /// How many people a send to everyone (a broadcast) reaches as the channel counts them, including friends the bot
    /// has never heard from; null when unknown.
    /// </returns>
    Task<long?> FriendsAsync(CancellationToken cancellationToken);
}
