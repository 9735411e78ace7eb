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

    [Fact]
    public void QuestionAboutWhatNoSectionHoldsWithTheRest_IsRefused_ThoughASectionNamesItsOtherWord()
    {
        using var index = Build(
            "テレワークでは市が貸与した端末を使います。", "新しいサービスの利用は申請書で申請します。", "研修は年に一度開きます。", "パスワードは使い回しません。");
        var options = new GuidelinesOptions();

        // 申請 (the topic, before は) is in section 2, テレワーク in section 1: neither answers how to apply for telework.
        Assert.Empty(index.Search("テレワークの申請はどうすればいい").Confident(options));
        Assert.Equal("1", index.Search("テレワークの端末はどれ").Confident(options)[0].Section.Number);
        Assert.Equal("2", index.Search("サービスの申請はどうすればいい").Confident(options)[0].Section.Number);
    }

    [Fact]
    public void QuestionForANumber_IsAnsweredOnlyByASectionStatingOne()
    {
        var options = new GuidelinesOptions();
        using (var states = Build("研修は年に1回開きます。", "端末は貸与品を使います。", "パスワードは使い回しません。"))
        {
            Assert.Equal("1", states.Search("研修は年に何回ありますか").Confident(options)[0].Section.Number);
        }

        using var names = Build("研修は毎年開きます。", "端末は貸与品を使います。", "パスワードは使い回しません。");
        Assert.Empty(names.Search("研修は年に何回ありますか").Confident(options));
        Assert.Equal("1", names.Search("研修はいつありますか").Confident(options)[0].Section.Number);
    }

    [Fact]
    public void PoliteBoilerplate_DoesNotChangeTheAnswer()
    {
        using var index = Build("研修は年に一度開きます。", "端末は貸与品を使います。", "パスワードは使い回しません。");
        var options = new GuidelinesOptions();

        var plain = index.Search("研修はいつ開きますか").Confident(options);
        var polite = index.Search("お疲れ様です。お世話になっております。研修はいつ開きますか教えていただけますでしょうか。よろしくお願いいたします。").Confident(options);

        Assert.Equal("1", polite[0].Section.Number);
        Assert.Equal(plain[0].Coverage, polite[0].Coverage, 3);
    }

    [Fact]
    public void ShortKatakanaWord_IsNotFoundInsideALongerOne()
    {
        var sections = new[] { "不審なログインの通知に気付いたら報告します。", "利用記録（ログ）は一定期間保存します。", "研修は年に一度開きます。" }
            .Select((t, i) => new GuidelineSection("手引き", "t.md", $"{i + 1}", $"項目{i + 1}", [$"項目{i + 1}"], [t])).ToList();
        var synonyms = GuidelineSynonyms.Parse("利用記録, ログ, 利用履歴", "synonyms.txt");
        var options = new GuidelinesOptions();
        using var index = GuidelineIndex.Build(sections, synonyms, options);

        var found = index.Search("ログはどれくらい保存されますか").Sections;

        Assert.Equal("2", found[0].Section.Number);
        Assert.DoesNotContain(found, s => s.Section.Number == "1" && s.Coverage > 0);
    }

    [Fact]
    public void ShortKatakanaOrLatinSynonym_IsNotFoundInsideALongerWordOfTheQuestion()
    {
        var synonyms = GuidelineSynonyms.Parse("利用記録, ログ\nアカウント, id", "synonyms.txt");

        Assert.Empty(synonyms.Find(GuidelineText.Normalize("ブログに書いてもいい？")).Hits);
        Assert.Empty(synonyms.Find(GuidelineText.Normalize("Androidで使える？")).Hits);
        Assert.Single(synonyms.Find(GuidelineText.Normalize("ログは保存される？")).Hits);
        Assert.Single(synonyms.Find(GuidelineText.Normalize("IDを共有していい？")).Hits);
    }

    private static GuidelineIndex Build(params string[] texts) =>
        GuidelineIndex.Build(
            texts.Select((t, i) => new GuidelineSection("手引き", "t.md", $"{i + 1}", $"項目{i + 1}", [$"項目{i + 1}"], [t])).ToList(),
            GuidelineSynonyms.Empty,
            new GuidelinesOptions());
}
