using System.Text.RegularExpressions;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// What a question asks for when it asks for a quantity (何日以内, 何人, 何キロ, いくら): the section that answers it states
/// such a quantity (a number with that unit: 7日, 3時間, 2人, 37円, 1キロメートル). Each kind is one concept of the
/// question, weighed like a word by how many sections state one, so a section stating the quantity asked for ranks above
/// one that only shares the question's words, and a question asking a number no section states holds less of itself.
/// Read on normalised text (NFKC, lower case); the asking words are taken out of the question. A question asking what a
/// word means is one more kind: it is answered by a section that defines a word.
/// </summary>
internal static class AskedFor
{
    private const char Mark = '\u0001';

    private static readonly (string Kind, Regex Question, Regex Section)[] Kinds =
    [
        // Rules count days as working days as often as days: 5業務日以内, 3開庁日前 (営業日 of a business). A longer period
        // is written in weeks or months (2週間から1か月): it answers 何日 as well.
        ("日", new(@"何日|なんにち"), new(Number + @"\s*(日|(営業|業務|開庁|執務|勤務)日|週間|(か|カ|ヶ|ケ|箇)月)")),
        ("時間", new(@"何時間|なんじかん"), new(Number + @"\s*時間")),
        ("分", new(@"何分(?!の)"), new(Number + @"\s*分(?!の)")),
        ("週", new(@"何週"), new(Number + @"\s*週")),
        ("月", new(@"何(か|カ|ヶ|ケ|箇)月"), new(Number + @"\s*(か|カ|ヶ|ケ|箇)月")),
        ("年", new(@"何年"), new(Number + @"\s*年(?!度)")),
        ("人", new(@"何人|何名|なんにん"), new(Number + @"\s*(人|名)")),
        ("台", new(@"何台"), new(Number + @"\s*台")),
        ("回", new(@"何回|何度"), new(Number + @"\s*回")),
        ("件", new(@"何件"), new(Number + @"\s*件")),
        ("個数", new(@"いくつ|何個|何種類"), new(Number + @"\s*(つ|個|種類)")),
        ("円", new(@"いくら|何円"), new(Number + @"\s*(円|万円|千円)")),
        ("距離", new(@"何(キロ|km|メトル|m\b)"), new(Number + @"\s*(キロ|km|メトル|m\b)")),
        ("割合", new(@"何(パセント|%|割)"), new(Number + @"\s*(パセント|%|割)")),
        ("期限", new(@"いつまで"), new(@"までに|以内|期限|日前")),
        ("起点", new(@"いつから"), new(@"から|以後|以降|施行")),

        // What a word means (〜の意味, 〜という言葉, 〜とは何, 〜って何, 何のこと, 〜の略): the section answering it defines a
        // word, as a glossary's entry or a 定義 article does (〜のこと, 〜の略, 〜をいう, 〜を指す). Last, so that 何日 and
        // the other quantities are taken first.
        ("意味", new(@"(という|って)?(言葉|用語)?の?(意味|定義)|((?<![こあもそ])とは|って)\s*(何|なに|なん)?\s*(ですか|でしょうか|か)?\s*$|((?<![こあもそ])とは|って)\s*(どういう|どんな)\s*(もの|こと)|何のこと|なんのこと|の略"), new(@"のこと|の略|をいう|を指す|という意味")),
    ];

    private const string Number = @"[0-9〇一二三四五六七八九十百千万]";

    public static bool IsMarker(string word) => word.Length > 0 && word[0] == Mark;

    /// <summary>The marker of a question asking what a word means.</summary>
    public static bool IsMeaning(string word) => word == Mark + "意味";

    /// <summary>The kinds the question asks for (as concept words), and the question with the asking words blanked.</summary>
    public static (IReadOnlyList<string> Kinds, string Remaining) Find(string normalized)
    {
        var kinds = new List<string>();
        var rest = normalized;
        foreach (var (kind, question, _) in Kinds)
        {
            var before = rest;
            rest = question.Replace(rest, m => new string(' ', m.Length));
            if (!ReferenceEquals(before, rest) && before != rest)
            {
                kinds.Add(Mark + kind);
            }
        }

        return (kinds, rest);
    }

    /// <summary>Whether a section's normalised text states a quantity of the kind.</summary>
    public static bool States(string marker, string printed)
    {
        var kind = marker[1..];
        foreach (var (k, _, section) in Kinds)
        {
            if (k == kind)
            {
                return section.IsMatch(printed);
            }
        }

        return false;
    }
}
