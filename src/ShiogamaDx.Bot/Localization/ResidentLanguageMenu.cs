namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// The menu a channel shows one resident in the language kept for them (LINE: a rich menu linked to that user), so a
/// resident answered in English does not see Japanese buttons unannounced. Kept in step by <see cref="ResidentLanguages"/>
/// whenever the kept language changes. An interface because features never reference a channel (Line/ implements it);
/// a channel without a per-person menu registers none.
/// </summary>
public interface IResidentLanguageMenu
{
    /// <summary>
    /// Shows the resident the menu in <paramref name="language"/> (<c>easy</c> or a foreign code), or the channel's
    /// default menu again for null (Japanese). Never throws: a channel that cannot be reached now is tried again on the
    /// resident's next turn (<see cref="RetryAsync"/>), and the answer of this turn is never held up for long.
    /// </summary>
    Task ShowAsync(string userKey, string? language, CancellationToken ct);

    /// <summary>What an earlier <see cref="ShowAsync"/> could not do for this resident, tried again (cheap when nothing waits).</summary>
    Task RetryAsync(string userKey, CancellationToken ct);
}
