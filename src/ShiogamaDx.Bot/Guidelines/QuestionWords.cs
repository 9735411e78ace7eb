using System.Text.RegularExpressions;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// Words that frame a question rather than say what it is about (何, 誰, 教えて, 大丈夫, 方法 …), and the polite
/// boilerplate of business mail (お疲れ様です, お世話になっております, 恐れ入りますが). A guideline never contains
/// "大丈夫" or "お疲れ様", so left in they would make every question look unanswered, the more so the politer it is.
/// </summary>
internal static partial class QuestionWords
{
    public static string Blank(string normalized) => Framing().Replace(normalized, m => new string(' ', m.Length));

    [GeneratedRegex("お疲れ様|お疲れさま|おつかれさま|お世話にな|おせわにな|恐れ入り|恐縮|失礼いた|失礼しま|すみません|申し訳|お願いいた|お願いしま|お願い申し上げ|よろしく|宜しく|お忙しいところ|お手数|いただけ|頂け|でしょうか|気をつけ|気を付け|何|誰|どこ|いつ|どう|どれ|どの|なに|なん|だれ|教え|おしえ|知りたい|大丈夫|だいじょうぶ|方法|やり方|やりかた|仕方|しかた|可能|必要|注意点|注意|場合|問題|よい|良い|いい|ok|okay|について|ですか|ますか|ください|下さい|本当|ほんとう|具体的|詳しく|くわしく|一般的|基本的|心配|しんぱい|不安|気にな|困って|困る|平気|構わ|かまわ|差し支え|さしつかえ")]
    private static partial Regex Framing();
}
