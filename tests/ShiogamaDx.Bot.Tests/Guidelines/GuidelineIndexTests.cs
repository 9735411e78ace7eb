using ShiogamaDx.Bot.Guidelines;

namespace ShiogamaDx.Bot.Tests.Guidelines;

public sealed class GuidelineIndexTests
{
    [Fact]
    public void SectionHoldingTheRareWord_RanksFirst_OverOnesSharingOnlyCommonWords()
    {
        // 職員 and 業務 are in four of seven sections; 研修 is in two.
        var options = new GuidelinesOptions();
        using var index = Build(
            "職員は業務の記録を残します。", "職員は業務の端末を使います。", "職員は業務の文書を保存します。", "職員は業務の予定を共有します。",
            "研修は年に一度開きます。", "研修の資料は庁内で配ります。", "駐車場は庁舎の裏にあります。");

        var answered = index.Search("職員の業務の研修").Confident(options);

        Assert.NotEmpty(answered);
        Assert.Contains(answered[0].Section.Number, new[] { "5", "6" });
    }

    [Fact]
    public void HowManyDays_IsHeldByASectionCountingWorkingDays()
    {
        // Rules count days as working days (5業務日以内, 3開庁日前) as often as days: both answer 何日.
        var options = new GuidelinesOptions();
        using var index = Build(
            "復命は帰庁後５業務日以内に行う。", "復命の内容は所属で共有する。", "復命書には資料の写しを添える。", "精算は１０開庁日以内に行う。", "旅費は口座に振り込む。");

        // Before, no section stated a number of days: the question was refused.
        var answered = index.Search("復命は何日でしますか").Confident(options);
        Assert.Equal("1", Assert.Single(answered, a => a.Coverage > 0.9).Section.Number);
    }

    [Fact]
    public void HowManyDays_IsHeldByASectionStatingAPeriodInWeeksOrMonths()
    {
        // A longer period is written in weeks or months (2週間から1か月), not in days: it answers 何日 all the same.
        var options = new GuidelinesOptions();
        using var index = Build(
            "利用の承認までは２週間から１か月かかる。", "承認の結果は所属に通知する。", "承認された端末は台帳に載せる。", "申込書は総務課に出す。", "端末は貸与品を使う。");

        var answered = index.Search("承認には何日かかりますか").Confident(options);

        Assert.Equal("1", Assert.Single(answered, a => a.Coverage > 0.9).Section.Number);
    }

    [Fact]
    public void AVerbWrittenWithoutItsKana_IsHeldByASectionWritingItWithThem()
    {
        // 「切り替えた」 counts as 切替 (its kana dropped); a section writes 「切り替え」, whose stem is the same word.
        var options = new GuidelinesOptions();
        using var index = Build(
            "システムの切り替え後も一か月は紙の決裁を認める。", "決裁は課長が行う。", "紙の文書は保存箱に入れる。", "決裁の記録はシステムに残る。", "会議資料は画面で見る。");

        var answered = index.Search("切り替えたあとも紙で決裁していい？").Confident(options);

        Assert.Equal("1", answered[0].Section.Number);
        Assert.Equal(1.0, answered[0].Coverage, 3);
    }

    [Fact]
    public void QuestionAboutAWordNoSectionHolds_IsRefused()
    {
        var options = new GuidelinesOptions();
        using var index = Build("職員は業務の記録を残します。", "職員は業務の端末を使います。", "職員は業務の文書を保存します。", "研修は年に一度開きます。");

        Assert.Empty(index.Search("職員の業務の駐車場").Confident(options));
        Assert.Equal("4", index.Search("研修はいつ").Confident(options)[0].Section.Number);
    }

    [Fact]
    public void QuestionOfOnlyWordsFoundEverywhere_IsGeneral_AndRefused()
    {
        var options = new GuidelinesOptions();
        using var index = Build("職員は業務で端末を使います。", "職員は業務の記録を残します。", "職員は業務の文書を保存します。", "職員は業務で研修を受けます。");

        var search = index.Search("職員の業務");

        Assert.True(search.General);
        Assert.Empty(search.Confident(options));
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
    public void HeadingPath_CountsAsWhatTheSectionIsAbout()
    {
        var sections = new[]
        {
            new GuidelineSection("手引き", "t.md", "②", "情報セキュリティの確保", ["３－１．校務で使う場面", "（２）ポイント", "② 情報セキュリティの確保"], ["契約したサービスだけを使います。"]),
            new GuidelineSection("手引き", "t.md", "③", "著作権への配慮", ["３－１．校務で使う場面", "（２）ポイント", "③ 著作権への配慮"], ["配布する前に確かめます。"]),
        };
        using var index = GuidelineIndex.Build(sections, GuidelineSynonyms.Empty, new GuidelinesOptions());

        Assert.Equal("②", index.Search("情報セキュリティで気をつけること").Confident(new GuidelinesOptions())[0].Section.Number);
    }

    [Fact]
    public void ShortKatakanaWord_IsNotFoundInsideALongerOne()
    {
        var sections = new[] { "不審なログインの通知に気付いたら報告します。", "利用記録（ログ）は一定期間保存します。", "研修は年に一度開きます。" }
            .Select((t, i) => new GuidelineSection("手引き", "t.md", $"{i + 1}", $"項目{i + 1}", [$"項目{i + 1}"], [t])).ToList();
        var synonyms = GuidelineSynonyms.Parse("利用記録, ログ, 利用履歴", "synonyms.txt");
        using var index = GuidelineIndex.Build(sections, synonyms, new GuidelinesOptions());

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

    [Fact]
    public void KatakanaSynonymWithAShortHiraganaForm_IsNotFoundInTheGrammarOfTheQuestion()
    {
        // メール normalises to メル, whose hiragana める ends 決める; ルート's ると stands in するとき.
        var synonyms = GuidelineSynonyms.Parse("電子メール, メール\n経路, ルート\n宿泊, ホテル", "synonyms.txt");

        Assert.Empty(synonyms.Find(GuidelineText.Normalize("最終的に決めるのは誰ですか")).Hits);
        Assert.Empty(synonyms.Find(GuidelineText.Normalize("出張するときの手続き")).Hits);
        Assert.Single(synonyms.Find(GuidelineText.Normalize("メールで送っていい？")).Hits);
        Assert.Single(synonyms.Find(GuidelineText.Normalize("ほてるは自分でとる？")).Hits);
    }

    [Fact]
    public void QuestionAskingForANumberOfDays_FindsTheSectionStatingOne()
    {
        // Both sections speak of the report; only one says within how many days (何日以内 asks for 日 with a number).
        var options = new GuidelinesOptions();
        using var index = Build(
            "出張の報告書は課長に提出します。報告書の様式は別に定めます。", "出張の報告書は帰庁後7日以内に提出します。",
            "職員は業務の記録を残します。", "研修は年に一度開きます。");

        Assert.Equal("2", index.Search("出張の報告書は何日以内に提出する？").Confident(options)[0].Section.Number);
        Assert.Equal("1", index.Search("出張の報告書の様式は？").Confident(options)[0].Section.Number);
    }

    [Fact]
    public void DocumentsOwnSynonyms_ApplyToItsSectionsOnly()
    {
        GuidelineSection Section(string file, int n, string text) => new("文書", file, $"{n}", $"項目{n}", [$"項目{n}"], [text]);
        var sections = new[]
        {
            Section("a.md", 1, "個人情報は入力しません。"), Section("a.md", 2, "研修は年に一度開きます。"),
            Section("b.md", 1, "申請書には個人情報を書きます。"), Section("b.md", 2, "旅費は月末に精算します。"), Section("b.md", 3, "休暇は前日までに届けます。"),
        };
        var group = GuidelineSynonyms.Parse("個人情報, 名前", "a.synonyms.txt");
        const string question = "申請書の名前の書き方";

        using var scoped = GuidelineIndex.Build(sections, GuidelineSynonyms.Empty, new GuidelinesOptions(), own: new Dictionary<string, GuidelineSynonyms> { ["a.md"] = group });
        using var everywhere = GuidelineIndex.Build(sections, group, new GuidelinesOptions());

        // a.md's 名前 → 個人情報 does not make b.md's 個人情報 answer 名前; given to every document, it does.
        Assert.True(Coverage(scoped, question, "b.md") < 0.9);
        Assert.True(Coverage(everywhere, question, "b.md") > Coverage(scoped, question, "b.md"));

        static double Coverage(GuidelineIndex index, string question, string file) =>
            index.Search(question).Sections.Where(s => s.Section.File == file).Select(s => s.Coverage).DefaultIfEmpty(0).Max();
    }

    [Fact]
    public void AVerbOfOneKanji_CountsByItsKanji_InTheWordsThatWriteIt()
    {
        // 泊まる is written 宿泊 in the rules, 解かれ 解除: the verb's one kanji is held where a word writes it.
        var options = new GuidelinesOptions();
        using var index = Build("出張の宿泊料は別表による。", "出張の日当は別表による。", "出張の車賃は実費とする。", "配備の解除は本部長が決める。", "配備の基準は震度による。");

        var stay = index.Search("出張で泊まるときは？").Confident(options);
        var lifted = index.Search("配備が解かれるのは？").Confident(options);

        Assert.Equal("1", stay[0].Section.Number);
        Assert.Equal("4", lifted[0].Section.Number);
        Assert.Equal(1.0, lifted[0].Coverage, 3);

        // The other 出張 and 配備 sections hold less of the question than the one writing the verb's kanji.
        Assert.All(index.Search("出張で泊まるときは？").Sections.Skip(1), s => Assert.True(s.Coverage < stay[0].Coverage));
        Assert.All(index.Search("配備が解かれるのは？").Sections.Skip(1), s => Assert.True(s.Coverage < lifted[0].Coverage));
    }

    [Fact]
    public void AVerbsKanjiNoSectionWrites_SaysNothing_WhileAnUnknownNounIsRefused()
    {
        // 遅く's 遅 is in no section: it neither helps nor makes the question look like another subject; 駐車場 does.
        var options = new GuidelinesOptions();
        using var index = Build("出張の宿泊料は別表による。", "出張の日当は別表による。", "会議の記録は課で保存する。");

        Assert.Equal(1.0, index.Search("会議が遅くなったときの記録").Confident(options)[0].Coverage, 3);
        Assert.Empty(index.Search("会議の駐車場").Confident(options));
    }

    [Fact]
    public void AResidentsGroupWordOfTheHostsList_IsIndexedAsWritten_SoTheGuidelinesSynonymFindsIt()
    {
        // The host reads the guideline with the residents' word list, where 申請 is one word of the group 申し込み: a section
        // writing 申請 was indexed only as that group's concept, and a question whose 申請 the guideline's own synonym group
        // took (申請, 申込, 手続き) found no section. The index holds the word as written beside the concept.
        using var analysis = new Bot.Language.JapaneseAnalysis(Bot.Language.CityWords.Load(Path.Combine(AppContext.BaseDirectory, "Content", Bot.Language.CityWords.FileName)));
        Assert.Contains(analysis.Analyze("利用の申請").Tokens, t => t.IsConcept && t.Surface == "申請" && t.Text != "申請"); // the premise
        var synonyms = GuidelineSynonyms.Parse("申請, 申込, 手続き\n", "synonyms.txt");
        using var index = GuidelineIndex.Build(
            new[] { "利用の申請は所属長を経て情報政策課に出す。", "端末は貸与品を使う。", "パスワードは使い回さない。", "研修は年に一度開く。" }
                .Select((t, i) => new GuidelineSection("手引き", "t.md", $"{i + 1}", $"項目{i + 1}", [$"項目{i + 1}"], [t])).ToList(),
            synonyms,
            new GuidelinesOptions(),
            analysis);

        var answered = index.Search("申請はどこに出す？").Confident(new GuidelinesOptions());

        Assert.Equal("1", Assert.Single(answered).Section.Number);
    }

    [Fact]
    public void KnownCoverage_LeavesOutAWordNoSectionWrites()
    {
        // 段取り is written nowhere: it lowers the share of the question a section holds, not the share of what the
        // documents write (研修, 申込) that it holds.
        using var index = Build("研修の申込は所属長を経て人事課に出す。", "端末は貸与品を使う。", "パスワードは使い回さない。", "研修は年に一度開く。");

        var first = index.Search("研修の申込の段取り").Sections[0];

        Assert.Equal("1", first.Section.Number);
        Assert.True(first.Coverage < 0.9, $"coverage {first.Coverage}");
        Assert.Equal(1.0, first.KnownCoverage, 3);
    }

    [Theory]
    [InlineData("窓口業務をもっと広げたい", "2")]
    [InlineData("窓口業務を良くするには", "1")]
    [InlineData("窓口業務のやり方をそろえるには", "3")]
    [InlineData("窓口業務で買うものは", "6")]
    public void EverydayVerb_FindsTheSectionWritingTheDocumentsNoun_WithTheBundledList(string question, string expected)
    {
        // The bundled list's everyday verbs (広げる, 良くする, そろえる, 買う) and the nouns documents write (拡大, 改善, 統一/標準化, 購入):
        // the verbs share no kanji with the nouns, so without the list every section holds the question alike.
        var synonyms = GuidelineSynonyms.Parse(File.ReadAllText(SampleGuideline.Synonyms), SampleGuideline.Synonyms);
        using var index = GuidelineIndex.Build(
            new[] { "窓口業務の改善に取り組む。", "窓口業務の拡大を検討する。", "窓口業務の標準化を図る。", "窓口業務の記録を残す。", "庁舎の駐車場は裏にある。", "窓口業務の物品の購入を検討する。" }
                .Select((t, i) => new GuidelineSection("手引き", "t.md", $"{i + 1}", $"項目{i + 1}", [$"項目{i + 1}"], [t])).ToList(),
            synonyms,
            new GuidelinesOptions());

        var answered = index.Search(question).Confident(new GuidelinesOptions());

        Assert.NotEmpty(answered);
        Assert.Equal(expected, answered[0].Section.Number);
        Assert.All(answered.Skip(1), other => Assert.True(other.Coverage < answered[0].Coverage, $"{other.Section.Number} holds as much"));
    }

    [Theory]
    [InlineData("なんで窓口の電子化をするの", "1")]
    [InlineData("窓口の電子化はどこの部署が受け持つの", "2")]
    public void KindOfSectionAsked_RanksTheSectionWhoseHeadingNamesIt(string question, string expected)
    {
        // The section titled by a word of the question (3) holds them all; the one the question asks for by its kind holds
        // them in its text only, under a heading any document uses (はじめに, 推進体制).
        var sections = new[]
        {
            new GuidelineSection("方針", "p.md", "1", "はじめに", ["1 はじめに"], ["窓口の電子化は、来庁者の待ち時間を減らすために始めるものです。"]),
            new GuidelineSection("方針", "p.md", "2", "推進体制", ["2 推進体制"], ["窓口の電子化は情報政策課が進め、各課に連絡員を置きます。"]),
            new GuidelineSection("方針", "p.md", "3", "タブレット窓口", ["3 タブレット窓口"], ["窓口の電子化では、申請書をタブレットで書けるようにします。"]),
            new GuidelineSection("方針", "p.md", "4", "研修", ["4 研修"], ["職員は年に一度研修を受けます。"]),
        };
        var on = new GuidelinesOptions();
        var off = new GuidelinesOptions { Weights = new GuidelineWeights { KindWeight = 0 } };
        using var index = GuidelineIndex.Build(sections, GuidelineSynonyms.Empty, on);
        using var without = GuidelineIndex.Build(sections, GuidelineSynonyms.Empty, off);

        Assert.Equal(expected, index.Search(question).Confident(on)[0].Section.Number);
        Assert.Equal("3", without.Search(question).Sections[0].Section.Number);
    }

    [Fact]
    public void KindOfSectionAsked_NoHeadingNamingIt_ChangesNothing()
    {
        using var index = Build("窓口の電子化は来庁者の待ち時間を減らします。", "研修は年に一度開きます。", "端末は貸与品を使います。");

        var found = index.Search("なんで窓口の電子化をするの").Confident(new GuidelinesOptions());

        Assert.Equal("1", found[0].Section.Number);
        Assert.Equal(1, found[0].Coverage, 3);
    }

    private static GuidelineIndex Build(params string[] texts) =>
        GuidelineIndex.Build(
            texts.Select((t, i) => new GuidelineSection("手引き", "t.md", $"{i + 1}", $"項目{i + 1}", [$"項目{i + 1}"], [t])).ToList(),
            GuidelineSynonyms.Empty,
            new GuidelinesOptions());
}
