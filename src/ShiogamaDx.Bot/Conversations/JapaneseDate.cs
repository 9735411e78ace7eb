using System.Globalization;
using System.Text.RegularExpressions;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>Dates as people type them: 12月5日, 12/5, 2026-12-05, 令和8年12月5日, 今日, 明日, あさって.</summary>
public static partial class JapaneseDate
{
    public static DateOnly? Parse(string text, DateTime today)
    {
        var t = TextNormalizer.Normalize(text);
        var todayDate = DateOnly.FromDateTime(today);
        switch (t)
        {
            case "今日" or "きょう" or "本日" or "ほんじつ":
                return todayDate;
            case "明日" or "あした" or "あす":
                return todayDate.AddDays(1);
            case "明後日" or "あさって":
                return todayDate.AddDays(2);
            default:
                break;
        }

        // Separators matter here ("1/15" is not "11/5"), so only width is normalised.
        var raw = text.Normalize(System.Text.NormalizationForm.FormKC).Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        var m = DatePattern().Match(raw);
        if (!m.Success)
        {
            return null;
        }

        var year = todayDate.Year;
        if (m.Groups["reiwa"].Success)
        {
            year = 2018 + int.Parse(m.Groups["reiwa"].Value, CultureInfo.InvariantCulture);
        }
        else if (m.Groups["year"].Success)
        {
            year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        }

        var month = int.Parse(m.Groups["month"].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        var date = new DateOnly(year, month, day);

        // "1月10日" typed in December means next January.
        if (!m.Groups["year"].Success && !m.Groups["reiwa"].Success && date < todayDate.AddMonths(-1))
        {
            date = date.AddYears(1);
        }

        return date;
    }

    [GeneratedRegex(@"^(?:(?:令和|れいわ|r)(?<reiwa>\d{1,2})[年./-]|(?<year>\d{4})[年./-])?(?<month>\d{1,2})[月./-](?<day>\d{1,2})日?(?:\(.\))?$")]
    private static partial Regex DatePattern();
}
