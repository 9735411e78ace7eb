using System.Text;
using System.Text.RegularExpressions;

namespace ShiogamaDx.Bot.Documents;

/// <summary>The numbering schemes of Japanese government documents, shallowest structural ones first.</summary>
internal enum HeadingKind
{
    Part,           // 第1編, 第1部
    Appendix,       // 附則, 別表第1, 別記, 別紙, 様式第1号
    Chapter,        // 第1章
    Section,        // 第1節
    Subsection,     // 第1款
    Article,        // 第1条（目的）
    Roman,          // Ⅰ
    Decimal,        // 1., １．, 1.1, ３－１．
    Styled,         // a heading known by its style (Markdown #, Word 見出し) whose text has no number of the above
    ParenNumber,    // （１）
    Circled,        // ①
    Katakana,       // ア
    ParenKatakana,  // （ア）
    ParenLatin,     // (a)
    Box,            // Box-4, コラム1
    Listed,         // a line the table of contents names, with no numbering of the above (参考資料, 問１ …か。)
}

/// <summary>A line read as a heading: its kind, number and title, and where it sits among the others.</summary>
/// <param name="Values">The number's parts (3-1 → [3, 1]); one part for every kind but Decimal.</param>
/// <param name="Body">Text after an article's number and caption, which is the article's first paragraph.</param>
internal sealed record HeadingMatch(HeadingKind Kind, IReadOnlyList<int> Values, string Number, string Title, string Text, string? Body)
{
    public int Value => Values[^1];

    /// <summary>
    /// Position in a fixed order for kinds whose depth the numbering itself says (章 above 節 above 条; 3-1 below 3);
    /// null for kinds that nest wherever a document puts them (（１）, ①, ア, Box), which the order of first use decides.
    /// </summary>
    public int? Order => Kind switch
    {
        HeadingKind.Part => 0,
        HeadingKind.Appendix => 1,
        HeadingKind.Chapter => 2,
        HeadingKind.Section => 3,
        HeadingKind.Subsection => 4,
        HeadingKind.Article => 5,
        HeadingKind.Roman => 6,
        HeadingKind.Decimal => 6 + Values.Count,
        HeadingKind.Listed => 7,
        _ => null,
    };

    /// <summary>The depth of a form (様式第N号) inside a 別記様式 group: under the group (1), above a chapter's contents.</summary>
    public const int FormInGroupOrder = 2;

    public bool Anchored => Kind is HeadingKind.Part or HeadingKind.Appendix or HeadingKind.Chapter or HeadingKind.Article or HeadingKind.Roman or HeadingKind.Decimal or HeadingKind.Listed;

    public DocumentHeading ToHeading() => new(Text, Number, Title, Anchored);
}

/// <summary>Recognises heading lines by their numbering, whatever the width of their digits and punctuation.</summary>
internal static partial class HeadingStyles
{
    private const int MaxTitleLength = 60;

    /// <summary>The line as a heading, or null. Sentences (ending in 。, or a number followed by a particle) are not headings.</summary>
    public static HeadingMatch? Match(string line)
    {
        var text = Collapse(line);
        if (text.Length == 0)
        {
            return null;
        }

        var f = Fold(text);
        Match m;
        if ((m = Structural().Match(f)).Success)
        {
            var kind = m.Groups["k"].Value switch { "編" or "部" => HeadingKind.Part, "章" => HeadingKind.Chapter, "節" => HeadingKind.Section, _ => HeadingKind.Subsection };
            return Titled(kind, [ParseNumber(m.Groups["n"].Value)], Span(text, m.Groups["num"]), text, m.Groups["t"].Index, particleCheck: true);
        }

        if ((m = Article().Match(f)).Success)
        {
            var caption = m.Groups["c"].Success ? Span(text, m.Groups["c"]) : string.Empty;
            var rest = text[m.Groups["rest"].Index..].Trim();
            if (caption.Length == 0 && (rest.Length == 0 ? false : StartsLikeParticle(rest)))
            {
                return null; // 「第3条の規定により」 is a sentence, not an article
            }

            var number = Span(text, m.Groups["num"]);
            return new HeadingMatch(HeadingKind.Article, [ParseNumber(m.Groups["n"].Value)], Fold(number).Replace(" ", string.Empty, StringComparison.Ordinal), caption, number + caption, rest.Length > 0 ? rest : null);
        }

        if ((m = Appendix().Match(f)).Success)
        {
            var rest = text[m.Groups["t"].Index..].Trim();
            if (rest.Length > MaxTitleLength || (rest.Length > 0 && (StartsLikeParticle(rest) || rest.EndsWith('。'))))
            {
                return null;
            }

            return new HeadingMatch(HeadingKind.Appendix, [0], Fold(Span(text, m.Groups["num"])).Replace(" ", string.Empty, StringComparison.Ordinal), rest, text, null);
        }

        if ((m = Roman().Match(f)).Success)
        {
            return Titled(HeadingKind.Roman, [m.Groups["n"].Value[0] - 'Ⅰ' + 1], Span(text, m.Groups["num"]), text, m.Groups["t"].Index);
        }

        if ((m = Decimal().Match(f)).Success)
        {
            var values = m.Groups["n"].Value.Split('.', '-').Select(int.Parse).ToList();
            var title = text[m.Groups["t"].Index..];
            if (UnitFirst().IsMatch(title))
            {
                return null; // 「10月1日から」, 「3つの観点」: a quantity, not a section number
            }

            return Titled(HeadingKind.Decimal, values, m.Groups["n"].Value, text, m.Groups["t"].Index);
        }

        if ((m = Relative().Match(f)).Success)
        {
            var n = m.Groups["n"].Value;
            var (kind, value) = m.Groups["open"].Success
                ? char.IsAsciiDigit(n[0]) ? (HeadingKind.ParenNumber, int.Parse(n, System.Globalization.CultureInfo.InvariantCulture))
                : char.IsAsciiLetterLower(n[0]) ? (HeadingKind.ParenLatin, n[0] - 'a' + 1)
                : (HeadingKind.ParenKatakana, KatakanaValue(n[0]))
                : n[0] is >= '①' and <= '⑳' ? (HeadingKind.Circled, n[0] - '①' + 1) : (HeadingKind.Katakana, KatakanaValue(n[0]));
            if (value <= 0)
            {
                return null;
            }

            return Titled(kind, [value], Span(text, m.Groups["num"]), text, m.Groups["t"].Index);
        }

        if ((m = Box().Match(f)).Success)
        {
            return Titled(HeadingKind.Box, [int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture)], Span(text, m.Groups["num"]), text, m.Groups["t"].Index, allowEmpty: true);
        }

        return null;
    }

    /// <summary>
    /// A line the table of contents names: a heading of the document's top level (as a 「１．」: the contents name the
    /// appendices and Q&amp;A entries that follow the last numbered chapter), titled as written.
    /// </summary>
    public static HeadingMatch Listed(string line)
    {
        var text = Collapse(line);
        return new HeadingMatch(HeadingKind.Listed, [0], string.Empty, text, text, null);
    }

    /// <summary>A line of only an article's caption, 「（目的）」, which in statutes stands above 第1条.</summary>
    public static bool IsCaption(string line) => Caption().IsMatch(Fold(Collapse(line)));

    /// <summary>The number a heading of any kind says (for headings known by style, whose text may still be numbered).</summary>
    public static string Collapse(string line) => Spaces().Replace(line.Trim(), " ");

    /// <summary>
    /// Full-width letters, digits and punctuation to ASCII, every dash to '-', the ideographic space to a space;
    /// one character for one, so positions in the folded text are positions in the original.
    /// </summary>
    public static string Fold(string text) =>
        string.Create(text.Length, text, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                span[i] = c switch
                {
                    >= '！' and <= '～' => (char)(c - 0xFEE0),
                    '\u3000' => ' ',
                    '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' or '\uFE63' => '-',
                    _ => c,
                };
            }
        });

    public static int ParseNumber(string number)
    {
        if (number.All(char.IsAsciiDigit))
        {
            return int.Parse(number, System.Globalization.CultureInfo.InvariantCulture);
        }

        // Kanji numerals as statutes write them: 十二, 二十三, 百.
        int total = 0, digit = 0;
        foreach (var c in number)
        {
            var d = "〇一二三四五六七八九".IndexOf(c, StringComparison.Ordinal);
            if (d >= 0)
            {
                digit = d;
            }
            else if (c == '十' || c == '百')
            {
                total += Math.Max(digit, 1) * (c == '十' ? 10 : 100);
                digit = 0;
            }
        }

        return total + digit;
    }

    private static HeadingMatch? Titled(HeadingKind kind, IReadOnlyList<int> values, string number, string text, int titleStart, bool allowEmpty = false, bool particleCheck = false)
    {
        var title = text[Math.Min(titleStart, text.Length)..].Trim();
        if ((title.Length == 0 && !allowEmpty) || title.Length > MaxTitleLength || title.EndsWith('。') || title.Contains('。', StringComparison.Ordinal)
            || (particleCheck && title.Length > 0 && StartsLikeParticle(title)) || (title.Length > 0 && !title.Any(char.IsLetter)))
        {
            return null;
        }

        var folded = Fold(number).Replace(" ", string.Empty, StringComparison.Ordinal);
        return new HeadingMatch(kind, values, kind == HeadingKind.Decimal ? folded.TrimEnd('.') : folded, title, text, null);
    }

    private static bool StartsLikeParticle(string text) => "のにをはがでともへやかより、。,)）".Contains(text[0], StringComparison.Ordinal) || text.StartsWith("及び", StringComparison.Ordinal);

    private static string Span(string text, Group group) => text.Substring(group.Index, group.Length).Trim();

    /// <summary>ア=1, イ=2 … in the order of the 50-sound table (the order statutes and guidelines use).</summary>
    private static int KatakanaValue(char c) => "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ".IndexOf(c, StringComparison.Ordinal) + 1;

    [GeneratedRegex(@"[ \t\u3000\u00A0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(?<num>第 ?(?<n>[0-9]{1,3}|[〇一二三四五六七八九十百]{1,4}) ?(?<k>編|部|章|節|款)) ?(?<t>.*)$")]
    private static partial Regex Structural();

    [GeneratedRegex(@"^(?<num>第 ?(?<n>[0-9]{1,3}|[〇一二三四五六七八九十百]{1,4}) ?条(?:の ?(?:[0-9]{1,3}|[〇一二三四五六七八九十]{1,3}))?) ?(?<c>\([^()]{1,30}\))? ?(?<rest>.*)$")]
    private static partial Regex Article();

    [GeneratedRegex(@"^(?<num>附 ?則|付 ?則|別表(?: ?第? ?(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3}))?|別記(?: ?第? ?[0-9]{1,2})?|別紙(?: ?第? ?[0-9]{1,2})?|様式(?: ?第? ?[0-9]{1,2}号?)?)(?<t>.*)$")]
    private static partial Regex Appendix();

    [GeneratedRegex(@"^(?<num>(?<n>[Ⅰ-Ⅻ])\.?) ?(?<t>\S.*)$")]
    private static partial Regex Roman();

    [GeneratedRegex(@"^(?<num>(?<n>[0-9]{1,2}(?:[.\-][0-9]{1,2}){0,3})(?:\.(?![0-9])| |(?=[^ 0-9.\-)）:/,%]))) ?(?<t>\S.*)$")]
    private static partial Regex Decimal();

    [GeneratedRegex(@"^(?:[年月日時分秒歳人円件回倍点名台枚個つ%％](?![\p{IsCJKUnifiedIdeographs}])|か所|箇所|キロ|メートル)")]
    private static partial Regex UnitFirst();

    [GeneratedRegex(@"^(?<num>(?<open>\()(?<n>[0-9]{1,2}|[a-z]|[アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホ])\)|(?<n>[①-⑳])|(?<n>[アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホ])(?= |\.)\.?) ?(?<t>\S.*)$")]
    private static partial Regex Relative();

    [GeneratedRegex(@"^(?<num>(?:Box|BOX|box|コラム|Column|COLUMN) ?-? ?(?<n>[0-9]{1,2}))(?:[.:]| |$) ?(?<t>.*)$")]
    private static partial Regex Box();

    [GeneratedRegex(@"^\([^()]{1,20}\)$")]
    private static partial Regex Caption();
}
