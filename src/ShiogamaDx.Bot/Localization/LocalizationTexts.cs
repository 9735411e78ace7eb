using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// The Japanese around the language packs (Content/messages.yaml, section <c>localization</c>): the language choice's
/// first line and button, and the office's report of missing easy versions and translations. What a pack says in its
/// own language stays in the pack.
/// </summary>
internal static class LocalizationTexts
{
    public static readonly MessageKey ChoosePrompt = new("localization.choose-prompt");
    public static readonly MessageKey JapaneseButton = new("localization.japanese-button");
    public static readonly MessageKey ReportTitle = new("localization.report-title", "era-year");
    public static readonly MessageKey ColumnProcedure = new("localization.column-procedure");
    public static readonly MessageKey ColumnAsked = new("localization.column-asked");
    public static readonly MessageKey ColumnEasy = new("localization.column-easy");
    public static readonly MessageKey ColumnUntranslated = new("localization.column-untranslated");
    public static readonly MessageKey EasyYes = new("localization.easy-yes");
    public static readonly MessageKey EasyNo = new("localization.easy-no");
    public static readonly MessageKey FeatureRow = new("localization.feature-row", "feature");
    public static readonly MessageKey ReportNote = new("localization.report-note", "missing", "count");
}
