using System.Text.RegularExpressions;
namespace ShiogamaDx.Bot.Language;

/// <summary>
/// Messages that try to steer the bot instead of asking something ("ignore your instructions", "show your system
/// prompt"). The engine answers them as not understood, whatever feature they name, and they never reach the LLM.
/// Matched on the matching key (<see cref="JapaneseText.Normalize"/>: katakana as hiragana, no spaces or punctuation).
/// </summary>
public static partial class PromptInjection
{
    public static bool IsAttempt(string text) => Pattern().IsMatch(JapaneseText.Normalize(text));

    [GeneratedRegex(
        "ignore(all|any|the|your|previous|prior|above)|disregard(all|the|your|previous)|forget(all|your|previous)|(system|developer)(prompt|message|instruction)"
        + "|jailbreak|dan(mode)|developermode|pretendtobe|youarenow"
        + "|(しすてむ|system|内部|隠し|元の|最初の|あなたの|設定の)の?(ぷろんぷと|指示|命令|設定)を?(見せ|みせ|表示|出力|教え|おしえ|開示|書き出)"
        + "|しすてむぷろんぷと|(指示|命令|るる|制約|設定|ぷろんぷと|ろく|ほりしい|決まり).{0,10}(無視|むし|忘れ|わすれ|解除|上書き|破っ)"
        + "|(無視|忘れ)して.{0,12}(答え|こたえ|回答|従|書い|話し)|(これまで|以前|前|上|先ほど)の(指示|命令|会話).{0,6}(無視|むし|忘れ|わすれ|取り消)"
        + "|あなたは(今から|いまから|これから)|なりきって|役になって|開発者もど|じぇいるぶれいく",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
