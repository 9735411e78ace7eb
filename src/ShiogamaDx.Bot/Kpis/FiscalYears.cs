using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>A fiscal year named in a question, and where (in the normalised text) it was written.</summary>
public sealed record FiscalYearMention(int Year, int Start, int Length);

/// <summary>
/// Fiscal years as staff write them (CONTRACT.md): 令和8年度, R8, 8年度, 2026年度, 今年度/来年度/昨年度,
/// 最終年度 (令和12年度), 初年度 (令和8年度), with kanji or full-width digits. A fiscal year is named by the
/// Western year it starts in and runs April to March.
/// </summary>
public static partial class FiscalYears
{
    public const int ReiwaOffset = 2018;

    public static int Current(TimeProvider clock)
    {
        // ConvertTime honours the instant's offset (GetLocalNow of some providers assumes a UTC offset).
        var now = LocalNow(clock);
        return now.Month >= 4 ? now.Year : now.Year - 1;
    }

    public static DateTimeOffset LocalNow(TimeProvider clock) => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), clock.LocalTimeZone);

    public static string Label(int year) => $"令和{year - ReiwaOffset}年度";

    /// <summary>
    /// Normalises for matching (TextNormalizer) after turning kanji numbers before 年 into digits, and a range written
    /// with a dash or wave (令和8〜10年度, R9-R11) into 「から」: the normaliser drops those signs as long vowels.
    /// </summary>
    public static string Prepare(string text) => TextNormalizer.Normalize(RangeSign().Replace(KanjiYears().Replace(
        text.Normalize(NormalizationForm.FormKC),
        m => KanjiNumber(m.Groups[1].Value) is { } n ? n.ToString(CultureInfo.InvariantCulture) + m.Groups[2].Value : m.Value), "から"));

    /// <summary>Every fiscal year in <paramref name="normalized"/> (the output of <see cref="Prepare"/>).</summary>
    public static IReadOnlyList<FiscalYearMention> Find(string normalized, int currentYear, int firstPlanYear = 2026, int lastPlanYear = 2030)
    {
        var found = new List<FiscalYearMention>();
        foreach (Match m in YearPattern().Matches(normalized))
        {
            int? year = null;
            if (m.Groups["reiwa"].Success)
            {
                year = ReiwaOffset + int.Parse(m.Groups["reiwa"].Value, CultureInfo.InvariantCulture);
            }
            else if (m.Groups["western"].Success)
            {
                year = int.Parse(m.Groups["western"].Value, CultureInfo.InvariantCulture);
            }
            else if (m.Groups["short"].Success)
            {
                var n = int.Parse(m.Groups["short"].Value, CultureInfo.InvariantCulture);
                year = n is >= 1 and <= 30 ? ReiwaOffset + n : null;
            }
            else
            {
                year = m.Groups["word"].Value switch
                {
                    "今年度" or "本年度" or "今期" or "今年" or "ことし" or "こんねんど" or "当年度" => currentYear,
                    "来年度" or "次年度" or "翌年度" or "来期" or "来年" or "らいねんど" => currentYear + 1,
                    "再来年度" or "再来年" or "さらいねん" => currentYear + 2,
                    "昨年度" or "前年度" or "去年度" or "昨年" or "去年" or "きょねん" or "さくねんど" => currentYear - 1,
                    "一昨年度" or "一昨年" or "おととし" => currentYear - 2,
                    "最終年度" or "最終目標" or "最終年" or "計画最終年度" or "最後の年" => lastPlanYear,
                    "初年度" or "計画初年度" or "初年" => firstPlanYear,
                    _ => null,
                };
            }

            if (year is { } y)
            {
                found.Add(new FiscalYearMention(y, m.Index, m.Length));
            }
        }

        return found;
    }

    private static int? KanjiNumber(string s)
    {
        if (s == "元")
        {
            return 1;
        }

        var digits = "〇一二三四五六七八九";
        var total = 0;
        var current = 0;
        foreach (var c in s)
        {
            var d = digits.IndexOf(c, StringComparison.Ordinal);
            if (d >= 0)
            {
                current = current * 10 + d;
            }
            else if (c == '十')
            {
                total += (current == 0 ? 1 : current) * 10;
                current = 0;
            }
            else
            {
                return null;
            }
        }

        return total + current;
    }

    [GeneratedRegex(@"(?<=[0-9年度])\s*[〜~∼\-－―]\s*(?=令和|[Rr]|[0-9])")]
    private static partial Regex RangeSign();

    [GeneratedRegex("([元〇一二三四五六七八九十]{1,3})(年)")]
    private static partial Regex KanjiYears();

    // Longer words first so that 再来年度 is not read as 来年度, nor 一昨年度 as 昨年度.
    [GeneratedRegex(@"(?:令和|れいわ|r)(?<reiwa>\d{1,2})(?:年度|年)?|(?<western>20\d{2})(?:年度|年)|(?<short>\d{1,2})年度|(?<word>計画最終年度|最終年度|最終目標|最終年|最後の年|計画初年度|初年度|再来年度|再来年|さらいねん|一昨年度|一昨年|おととし|今年度|本年度|当年度|今期|来年度|次年度|翌年度|来期|昨年度|前年度|去年度|今年|ことし|来年|昨年|去年|初年)")]
    private static partial Regex YearPattern();
}
