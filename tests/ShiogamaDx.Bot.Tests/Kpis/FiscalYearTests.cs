using Microsoft.Extensions.Time.Testing;
using ShiogamaDx.Bot.Kpis;

namespace ShiogamaDx.Bot.Tests.Kpis;

public sealed class FiscalYearTests
{
    [Theory]
    [InlineData("令和8年度", 2026)]
    [InlineData("令和８年度", 2026)]
    [InlineData("令和八年度", 2026)]
    [InlineData("令和十二年度", 2030)]
    [InlineData("令和元年度", 2019)]
    [InlineData("R8", 2026)]
    [InlineData("Ｒ９の目標", 2027)]
    [InlineData("r10年度", 2028)]
    [InlineData("8年度", 2026)]
    [InlineData("９年度", 2027)]
    [InlineData("2028年度", 2028)]
    [InlineData("２０２８年度", 2028)]
    [InlineData("今年度", 2026)]
    [InlineData("本年度", 2026)]
    [InlineData("来年度", 2027)]
    [InlineData("再来年度", 2028)]
    [InlineData("昨年度", 2025)]
    [InlineData("前年度", 2025)]
    [InlineData("一昨年度", 2024)]
    [InlineData("最終年度", 2030)]
    [InlineData("初年度", 2026)]
    public void Mention_IsReadAsFiscalYear(string text, int expected)
    {
        var found = FiscalYears.Find(FiscalYears.Prepare(text), 2026);

        Assert.Equal(expected, Assert.Single(found).Year);
    }

    [Theory]
    [InlineData("RPAの実績")]
    [InlineData("スマホ教室")]
    [InlineData("8年間")]
    public void NoYear_IsFoundWhereThereIsNone(string text) => Assert.Empty(FiscalYears.Find(FiscalYears.Prepare(text), 2026));

    [Theory]
    [InlineData(2026, 4, 1, 0, 0, 2026)]
    [InlineData(2027, 3, 31, 23, 59, 2026)]
    [InlineData(2026, 3, 31, 23, 59, 2025)]
    [InlineData(2026, 11, 25, 10, 0, 2026)]
    public void CurrentFiscalYear_RunsAprilToMarch_InJapanTime(int y, int m, int d, int h, int min, int expected)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(y, m, d, h, min, 0, TimeSpan.FromHours(9)));
        clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));

        Assert.Equal(expected, FiscalYears.Current(clock));
    }
}
