using System.Globalization;
using System.Text;
using ShiogamaDx.Bot.Conversations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Handoff;

/// <summary>
/// When the office answers (Content/office-hours.yaml): weekdays, opening and closing time, 年末年始 every year and
/// the holidays by date. Outside them a request is still posted, marked 時間外, and the resident is told when it
/// will be seen; the claim timeout counts office time only.
/// </summary>
public sealed class OfficeCalendar
{
    /// <summary>The weekday names the file uses (月 … 日), Sunday first as <see cref="DayOfWeek"/>.</summary>
    public static readonly string[] WeekdayWords = ["日", "月", "火", "水", "木", "金", "土"];

    private readonly HashSet<DayOfWeek> days;
    private readonly HashSet<(int Month, int Day)> everyYear;
    private readonly HashSet<DateOnly> holidays;

    public OfficeCalendar(IEnumerable<DayOfWeek> days, TimeOnly open, TimeOnly close, IEnumerable<(int, int)> everyYear, IEnumerable<DateOnly> holidays, TimeZoneInfo zone)
    {
        this.days = [.. days];
        this.everyYear = [.. everyYear];
        this.holidays = [.. holidays];
        (Open, Close, Zone) = (open, close, zone);
    }

    public TimeOnly Open { get; }

    public TimeOnly Close { get; }

    public TimeZoneInfo Zone { get; }

    public bool IsOpenDay(DateOnly day) =>
        days.Contains(day.DayOfWeek) && !everyYear.Contains((day.Month, day.Day)) && !holidays.Contains(day);

    public bool IsOpen(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return IsOpenDay(DateOnly.FromDateTime(local.DateTime)) && time >= Open && time < Close;
    }

    /// <summary>The instant itself when open, else the next opening (within a year; the file guarantees an open day).</summary>
    public DateTimeOffset NextOpening(DateTimeOffset at)
    {
        if (IsOpen(at))
        {
            return at;
        }

        var local = TimeZoneInfo.ConvertTime(at, Zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) >= Open)
        {
            day = day.AddDays(1);
        }

        for (var i = 0; i < 400; i++, day = day.AddDays(1))
        {
            if (IsOpenDay(day))
            {
                return At(day, Open);
            }
        }

        throw new InvalidOperationException("The office calendar has no open day within a year.");
    }

    /// <summary><paramref name="at"/> plus <paramref name="span"/> of office time (a timeout runs only while the office is open).</summary>
    public DateTimeOffset AddOfficeTime(DateTimeOffset at, TimeSpan span)
    {
        var t = NextOpening(at);
        while (true)
        {
            var local = TimeZoneInfo.ConvertTime(t, Zone);
            var closes = At(DateOnly.FromDateTime(local.DateTime), Close);
            if (t + span <= closes)
            {
                return t + span;
            }

            span -= closes - t;
            t = NextOpening(closes);
        }
    }

    private DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>Reads the file; every mistake is refused with its line, so the start stops rather than a resident being told a wrong time.</summary>
    public static OfficeCalendar Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new ContentFileException(file, 0, "the office calendar is missing");
        }

        var root = DialogLoader.ReadRoot(File.ReadAllText(file, Encoding.UTF8), file);
        string Scalar(string key)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is not YamlScalarNode { Value: { Length: > 0 } value })
            {
                throw new ContentFileException(file, DialogLoader.Line(root), $"'{key}' is required");
            }

            return value;
        }

        IEnumerable<YamlScalarNode> List(string key) =>
            !root.Children.TryGetValue(new YamlScalarNode(key), out var node) ? []
            : node is YamlSequenceNode seq ? seq.Children.Select(c => c as YamlScalarNode ?? throw new ContentFileException(file, DialogLoader.Line(c), $"'{key}' lists single values"))
            : throw new ContentFileException(file, DialogLoader.Line(node), $"'{key}' is a list: [a, b]");

        TimeOnly Time(string key)
        {
            var text = Scalar(key);
            return TimeOnly.TryParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                ? time
                : throw new ContentFileException(file, DialogLoader.Line(root[new YamlScalarNode(key)]), $"'{key}' is a time like 8:30");
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(Scalar("timeZone"));
        }
        catch (TimeZoneNotFoundException)
        {
            throw new ContentFileException(file, DialogLoader.Line(root[new YamlScalarNode("timeZone")]), "'timeZone' is not a known time zone (Asia/Tokyo)");
        }

        var days = List("weekdays").Select(n => Array.IndexOf(WeekdayWords, n.Value) is var i and >= 0
            ? (DayOfWeek)i
            : throw new ContentFileException(file, DialogLoader.Line(n), $"'{n.Value}' is not a weekday ({string.Join(", ", WeekdayWords)})")).ToList();
        var everyYear = List("closedEveryYear").Select(n => DateOnly.TryParseExact("2000-" + n.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? (d.Month, d.Day)
            : throw new ContentFileException(file, DialogLoader.Line(n), $"'{n.Value}' is a month and day like 12-29")).ToList();
        var holidays = List("holidays").Select(n => DateOnly.TryParseExact(n.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ContentFileException(file, DialogLoader.Line(n), $"'{n.Value}' is a date like 2026-11-23")).ToList();
        var (open, close) = (Time("open"), Time("close"));
        if (days.Count == 0)
        {
            throw new ContentFileException(file, DialogLoader.Line(root), "'weekdays' names at least one day");
        }

        if (close <= open)
        {
            throw new ContentFileException(file, DialogLoader.Line(root[new YamlScalarNode("close")]), "'close' comes after 'open'");
        }

        return new OfficeCalendar(days, open, close, everyYear, holidays, zone);
    }
}
