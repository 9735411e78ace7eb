using System.Globalization;

namespace ShiogamaDx.Bot.Classes;

/// <summary>Classes take place in Shiogama: their times are read and shown in Japan time whatever the server's zone.</summary>
public static class ClassTime
{
    private const string Weekdays = "日月火水木金土";

    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public static DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    public static DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateOnly Date(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant).DateTime);

    /// <summary>12月5日(土)</summary>
    public static string Day(DateTimeOffset instant)
    {
        var t = Local(instant);
        return string.Create(CultureInfo.InvariantCulture, $"{t.Month}月{t.Day}日({Weekdays[(int)t.DayOfWeek]})");
    }

    /// <summary>12月5日(土) 10:00〜12:00</summary>
    public static string Span(SmartphoneClass c) =>
        string.Create(CultureInfo.InvariantCulture, $"{Day(c.StartsAt)} {Local(c.StartsAt):HH:mm}〜{Local(c.EndsAt):HH:mm}");

    /// <summary>The fiscal year (April–March) as the Western year it starts in, by the class's date in Japan.</summary>
    public static int FiscalYear(DateTimeOffset instant)
    {
        var t = Local(instant);
        return t.Month >= 4 ? t.Year : t.Year - 1;
    }
}
