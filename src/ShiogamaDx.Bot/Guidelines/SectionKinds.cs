using System.Text.RegularExpressions;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// What kind of section a question asks for, read from how it asks (なぜ → the section giving the background; 誰, どこの
/// 部署 → the one on the organisation; 一覧で, 全部 → the one listing them), and the heading words by which any Japanese
/// administrative document names such a section (はじめに・背景・目的; 推進体制・組織・役割; 各種・一覧). Each kind the
/// question asks for is one concept of it, held by the sections whose own heading names that kind (not
/// their parents': 「1 はじめに」 says what 1.1 目的 is part of, not what 1.2 対象者 is), weighed like a word
/// by how many sections it names (and left out for a document none of whose headings does): a paraphrase that shares few
/// words with the section answering it (「なぜ始めたの」 for はじめに) still has the kind of section it asks for.
/// General Japanese, never one question's words; read on normalised text; the asking words (なぜ, 一覧で) leave the
/// question, the words that are also content (課題, 体制, 計画期間) stay in it. A word is here because it asks for the
/// kind in any document; words that came from a read evaluation question and gained only it were taken out (docs/guidelines.md).
/// </summary>
internal static class SectionKinds
{
    private const char Mark = '\u0002';

    // (kind, asking words taken out of the question, words that ask for it and stay as content, heading words).
    private static readonly (string Kind, Regex? Asking, Regex? Content, Regex Heading)[] Kinds =
    [
        ("背景", new(@"なぜ|なんで|どうして|何で|きっかけ|何のため|なんのため|ねらい|狙い"), new(@"理由|背景|経緯|目的|趣旨"), new(@"はじめに|背景|目的|趣旨|経緯|序")),
        ("理念", new(@"キャッチフレズ|合言葉|モット|コンセプト|目指す姿|目指している姿"), new(@"理念|ビジョン|将来像"), new(@"理念|ビジョン|将来像|考え方")),
        ("総括", new(@"振り返|ふりかえ"), new(@"成果|総括"), new(@"総括|成果|振り返")),
        ("課題", new(@"うまくいかな|うまくいってな|進んでいな|増えていな|できていな|足りていな|反省"), new(@"課題|問題点|弱み"), new(@"課題|問題点|反省")),
        ("動向", new(@"世の中|世間|最近の流れ|トレンド"), new(@"動向|情勢|政府"), new(@"動向|情勢")),
        ("体制", new(@"誰|だれ|どなた|どこの(部署|課|部)|司令塔|中心になって"), new(@"体制|役割|部署|組織|責任者|メンバ"), new(@"体制|組織|役割|担当|責任")),
        ("期間", new(@"何年間|いつからいつまで"), new(@"計画期間|スケジュル|日程"), new(@"期間|スケジュル|日程|施行|附則")),
        ("一覧", new(@"一覧で|一覧に|全部|すべて|全て|まとめて"), null, new(@"一覧|各種|体系|全体")),
        ("見直し", new(@"作り直|変えること|変えるの|アップデト"), new(@"改訂|改定"), new(@"見直|改訂|改定|進行管理|実施に向け")),
    ];

    public static bool IsMarker(string word) => word.Length > 0 && word[0] == Mark;

    /// <summary>The kinds of section the question asks for (as concept words), and the question with the asking words blanked.</summary>
    public static (IReadOnlyList<string> Kinds, string Remaining) Find(string normalized)
    {
        var kinds = new List<string>();
        var rest = normalized;
        foreach (var (kind, asking, content, _) in Kinds)
        {
            var asked = (asking?.IsMatch(rest) ?? false) || (content?.IsMatch(rest) ?? false);
            if (asking is not null)
            {
                rest = asking.Replace(rest, m => new string(' ', m.Length));
            }

            if (asked)
            {
                kinds.Add(Mark + kind);
            }
        }

        return (kinds, rest);
    }

    /// <summary>Whether a section's heading path (normalised) names the kind.</summary>
    public static bool Names(string marker, string heads)
    {
        var kind = marker[1..];
        foreach (var (k, _, _, heading) in Kinds)
        {
            if (k == kind)
            {
                return heading.IsMatch(heads);
            }
        }

        return false;
    }
}
