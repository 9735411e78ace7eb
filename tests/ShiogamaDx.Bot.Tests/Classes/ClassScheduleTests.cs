using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Classes;

public sealed class ClassScheduleTests
{
    private const string Valid = """
        classes:
          - id: a
            title: 教室
            topic: 内容
            date: 2026-12-05
            start: "10:00"
            end: "12:00"
            venue: 壱番館
            address: 宮城県塩竈市本町1-1
            capacity: 10
            bring: スマートフォン
        """;

    [Fact]
    public void BundledSample_Loads_IsMarkedSample_AndRunsDecember2026ToMarch2027()
    {
        var file = Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", "classes.yaml");

        var classes = ClassSchedule.Load(file);

        Assert.Contains("SAMPLE", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.True(classes.Count >= 6);
        Assert.All(classes, c => Assert.InRange(c.StartsAt, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(9)), new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.FromHours(9))));
        Assert.Contains(classes, c => c.Venue == "塩竈市公民館");
        Assert.Contains(classes, c => c.Venue == "壱番館");
        Assert.Contains(classes, c => c.Venue.Contains("ショッピングモール", StringComparison.Ordinal));
        Assert.All(classes, c => Assert.Equal(TimeSpan.FromHours(9), c.StartsAt.Offset));
        Assert.All(classes, c => Assert.True(c.IsSample, $"{c.Id}: sample: true"));
    }

    [Fact]
    public async Task ACardFromTheSampleSchedule_SaysItIsASample_AndTheCitysOwnDoesNot()
    {
        using var bundled = new BotApplication();
        using var citys = new ClassesTestApp();

        var sample = (await bundled.SayAsync(Audience.Resident, "r1", "スマホ教室")).OfType<CardsReply>().SelectMany(r => r.Cards).ToList();
        var own = (await citys.SayAsync("r1", "スマホ教室")).OfType<CardsReply>().SelectMany(r => r.Cards).ToList();

        Assert.NotEmpty(sample);
        Assert.All(sample, c => Assert.EndsWith("※サンプルの日程です。実際の日程は市のお知らせでご確認ください。", c.Body, StringComparison.Ordinal));
        Assert.NotEmpty(own);
        Assert.All(own, c => Assert.DoesNotContain("サンプル", c.Body, StringComparison.Ordinal));
    }

    [Fact]
    public void ValidFile_ReadsTimesInJapan()
    {
        var c = Assert.Single(ClassSchedule.Parse(Valid, "/x/classes.yaml"));

        Assert.Equal(new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero), c.StartsAt.ToUniversalTime());
        Assert.Equal("12月5日(土) 10:00〜12:00", ClassTime.Span(c));
        Assert.Equal(ClassStatus.Scheduled, c.Status);
    }

    [Theory]
    [InlineData("capacity: 10", "capacity: many", 10, "capacity: 'many'")]
    [InlineData("capacity: 10", "capacity: 0", 10, "capacity: '0'")]
    [InlineData("date: 2026-12-05", "date: 2026-13-05", 5, "date: '2026-13-05'")]
    [InlineData("end: \"12:00\"", "end: \"09:00\"", 7, "ends (09:00) before it starts")]
    [InlineData("id: a", "id: A b", 2, "id: 'A b'")]
    [InlineData("venue: 壱番館", "venu: 壱番館", 8, "unknown key 'venu'")]
    [InlineData("bring: スマートフォン", "status: postponed\n    bring: x", 11, "'postponed' is not scheduled or cancelled")]
    [InlineData("    title: 教室\n", "", 2, "'title' is required")]
    [InlineData("start: \"10:00\"", "start: ten", 6, "'ten' is not a time")]
    public void BrokenFile_NamesFileAndLine(string replace, string with, int line, string message)
    {
        var yaml = Valid.Replace(replace, with, StringComparison.Ordinal);

        var ex = Assert.Throws<ContentFileException>(() => ClassSchedule.Parse(yaml, "/x/classes.yaml"));

        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"classes.yaml:{line}:", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_WithABrokenSchedule_RefusesToStart_NamingFileAndLine()
    {
        using var app = new ClassesTestApp(schedule: Valid.Replace("capacity: 10", "capacity: -3", StringComparison.Ordinal));

        var ex = Assert.Throws<ContentFileException>(() => app.App.Services);

        Assert.StartsWith("classes.yaml:10:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateId_NamesTheSecond()
    {
        var yaml = Valid + "\n" + string.Join("\n", Valid.Split('\n').Skip(1));

        var ex = Assert.Throws<ContentFileException>(() => ClassSchedule.Parse(yaml, "/x/classes.yaml"));

        Assert.Equal(12, ex.Line);
        Assert.Contains("used twice", ex.Message, StringComparison.Ordinal);
    }
}
