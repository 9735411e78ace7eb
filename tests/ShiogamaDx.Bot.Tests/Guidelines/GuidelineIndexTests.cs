using ShiogamaDx.Bot.Guidelines;

namespace ShiogamaDx.Bot.Tests.Guidelines;

public sealed class GuidelineIndexTests
{
    [Fact]
    public void SectionSharingOnlyCommonWords_IsNotAnswered_EvenWithEnoughCoverage()
    {
        // 職員 and 業務 are in four of seven sections (common); 研修 is in two (distinctive).
        string[] texts =
        [
            "職員は業務の記録を残します。", "職員は業務の端末を使います。", "職員は業務の文書を保存します。", "職員は業務の予定を共有します。",
            "研修は年に一度開きます。", "研修の資料は庁内で配ります。", "駐車場は庁舎の裏にあります。",
        ];
        var sections = texts.Select((t, i) => new GuidelineSection("手引き", "t.md", $"{i + 1}", $"項目{i + 1}", [$"項目{i + 1}"], [t])).ToList();
        var options = new GuidelinesOptions();
        using var index = GuidelineIndex.Build(sections, GuidelineSynonyms.Empty, options);

        var search = index.Search("職員の業務の研修");

        var common = Assert.Single(search.Sections, s => s.Section.Number == "1");
        Assert.True(common.Coverage >= options.MinCoverage, $"the test needs a common-word section with enough coverage, got {common.Coverage:0.00}");
        Assert.False(common.Distinctive);
        var answered = search.Confident(options);
        Assert.NotEmpty(answered);
        Assert.All(answered, s => Assert.Contains(s.Section.Number, new[] { "5", "6" }));
    }

    [Fact]
    public void QuestionOfOnlyCommonWords_PartlyHeld_IsRefused()
    {
        string[] texts = ["職員は業務の記録を残します。", "職員は業務の端末を使います。", "職員は業務の文書を保存します。", "研修は年に一度開きます。"];
        var sections = texts.Select((t, i) => new GuidelineSection("手引き", "t.md", $"{i + 1}", $"項目{i + 1}", [$"項目{i + 1}"], [t])).ToList();
        var options = new GuidelinesOptions();
        using var index = GuidelineIndex.Build(sections, GuidelineSynonyms.Empty, options);

        Assert.Empty(index.Search("職員の業務の駐車場").Confident(options));
        Assert.Equal("4", index.Search("研修はいつ").Confident(options)[0].Section.Number);
    }
}
