using System.Text.RegularExpressions;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// Words that frame a question rather than say what it is about (何, 誰, 教えて, 大丈夫, 方法 …). A guideline
/// never contains "大丈夫", so left in they would make every question look unanswered.
/// </summary>
internal static partial class QuestionWords
{
    public static string Blank(string normalized) => Framing().Replace(normalized, m => new string(' ', m.Length));

    [GeneratedRegex("何|誰|どこ|いつ|どう|どれ|どの|なに|なん|だれ|教え|おしえ|知りたい|大丈夫|だいじょうぶ|方法|やり方|やりかた|仕方|しかた|可能|必要|注意点|注意|場合|問題|よい|良い|いい|ok|okay|について|ですか|ますか|ください|下さい|本当|ほんとう|具体的|詳しく|くわしく|一般的|基本的|心配|しんぱい|不安|気にな|困って|困る|平気|構わ|かまわ|差し支え|さしつかえ")]
    private static partial Regex Framing();
}
