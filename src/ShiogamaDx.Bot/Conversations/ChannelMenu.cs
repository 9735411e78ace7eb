namespace ShiogamaDx.Bot.Conversations;

public enum MenuSwitchOutcome
{
    /// <summary>The channel shows the asked-for menu to everyone.</summary>
    Switched,

    /// <summary>Nothing to switch to (no such menu registered, no credentials): trying again will not help.</summary>
    NotConfigured,

    /// <summary>The channel could not be reached or failed: worth trying again.</summary>
    Failed,
}

/// <param name="PreviousMenu">The channel's menu before the switch, to restore when the normal one is not registered.</param>
public sealed record MenuSwitchResult(MenuSwitchOutcome Outcome, string? PreviousMenu = null, string? Problem = null);

/// <summary>
/// The persistent menu a channel shows to everyone (LINE's default rich menu), switched between the normal menu and the
/// disaster menu in one call, never per person. A channel with such a menu has one; the disaster mode asks by channel.
/// </summary>
public interface IChannelMenu
{
    string Channel { get; }

    Task<MenuSwitchResult> ShowDisasterMenuAsync(CancellationToken cancellationToken);

    /// <param name="previousMenu">What <see cref="ShowDisasterMenuAsync"/> replaced, used when no normal menu is registered.</param>
    Task<MenuSwitchResult> ShowNormalMenuAsync(string? previousMenu, CancellationToken cancellationToken);
}
