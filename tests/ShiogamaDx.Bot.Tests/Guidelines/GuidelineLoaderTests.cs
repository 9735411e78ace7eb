using System.Text;
using ShiogamaDx.Bot.Guidelines;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ShiogamaDx.Bot.Tests.Guidelines;

public sealed class GuidelineLoaderTests
{
    [Fact]
    public void SampleGuideline_ChunksByNumberedHeading_WithDocumentNameAndPath()
    {
        var sections = GuidelineLoader.LoadFolder(SampleGuideline.Folder, (f, e) => throw new InvalidOperationException(f, e));

        var section = Assert.Single(sections, s => s.Number == "3.2");
        Assert.Equal("入力してはいけない情報", section.Title);
        Assert.Equal("生成AI利用の手引き（サンプル）", section.Document);
        Assert.Equal(["3 入力する情報", "3.2 入力してはいけない情報"], section.HeadingPath);
        Assert.Equal("出典: 生成AI利用の手引き（サンプル） 3.2 入力してはいけない情報", section.Citation);
        Assert.Contains(section.Paragraphs, p => p.StartsWith("2. マイナンバー", StringComparison.Ordinal));
        Assert.True(sections.Count(s => s.Number.Contains('.', StringComparison.Ordinal)) >= 30, "the sample should have many numbered sections");
        Assert.Contains(sections, s => s.Paragraphs.Any(p => p.Contains("サンプル", StringComparison.Ordinal)));
    }

    [Fact]
    public void PlainText_NumberedLines_BecomeSections()
    {
        const string text = "テレワーク運用メモ\n\n1 はじめに\nこのメモは在宅勤務の決まりです。\n\n1.1 接続方法\n貸与端末から専用回線で接続します。\n二行目も同じ段落です。\n\n2 連絡\n困ったら情報政策係へ。\n";

        var sections = GuidelineLoader.LoadFile("telework.txt", Encoding.UTF8.GetBytes(text));

        Assert.Equal(["1", "1.1", "2"], sections.Select(s => s.Number));
        Assert.Equal("テレワーク運用メモ", sections[0].Document);
        Assert.Equal("接続方法", sections[1].Title);
        Assert.Equal("貸与端末から専用回線で接続します。二行目も同じ段落です。", Assert.Single(sections[1].Paragraphs));
    }

    [Fact]
    public void Pdf_BuiltWithPdfPig_LoadsItsSections()
    {
        var sections = GuidelineLoader.LoadFile("policy.pdf", Pdf(["Remote Work Rules", "1 Purpose", "These rules cover laptops used outside the office.", "2 Passwords", "Never share the passphrase of a city laptop."]));

        Assert.Contains(sections, s => s is { Number: "2", Title: "Passwords" } && s.Paragraphs.Any(p => p.Contains("passphrase", StringComparison.Ordinal)));
        Assert.Equal("Remote Work Rules", sections[0].Document);
    }

    [Fact]
    public void LongSection_IsSplitOnParagraphs_AndEveryPieceCitesTheSection()
    {
        var paragraphs = Enumerable.Range(1, 12).Select(i => $"第{i}段落。" + new string('あ', 80) + $"固有語{i}番を含む。").ToList();
        var section = new GuidelineSection("長い手引き", "long.md", "4.2", "長い節", ["4 確認", "4.2 長い節"], paragraphs);
        using var index = GuidelineIndex.Build([section], GuidelineSynonyms.Empty, new GuidelinesOptions { MaxChunkLength = 300 });

        var found = index.Search("固有語11番");

        Assert.Equal("4.2", Assert.Single(found.Sections).Section.Number);
    }

    [Fact]
    public void BrokenFile_IsSkippedAndNamed_TheOthersStillLoad()
    {
        var folder = Directory.CreateTempSubdirectory("guidelines-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "good.md"), "# 良い手引き\n\n## 1 連絡\n\n困ったら係へ連絡します。\n");
            File.WriteAllBytes(Path.Combine(folder, "broken.pdf"), Encoding.ASCII.GetBytes("%PDF-1.7 this is not really a pdf"));
            File.WriteAllBytes(Path.Combine(folder, "bad-encoding.txt"), [0x31, 0x20, 0xff, 0xfe, 0x80]);
            var skipped = new List<string>();

            var sections = GuidelineLoader.LoadFolder(folder, (file, _) => skipped.Add(Path.GetFileName(file)));

            Assert.Equal(["bad-encoding.txt", "broken.pdf"], skipped.Order());
            Assert.Equal("連絡", Assert.Single(sections).Title);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void BrokenSynonymGroup_NamesFileAndLine()
    {
        var ex = Assert.Throws<ShiogamaDx.Bot.Conversations.ContentFileException>(() => GuidelineSynonyms.Parse("# comment\n個人情報, 住所氏名\nひとつだけ\n", "/x/synonyms.txt"));

        Assert.StartsWith("synonyms.txt:3:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SynonymWordInTwoGroups_NamesBothLines()
    {
        var ex = Assert.Throws<ShiogamaDx.Bot.Conversations.ContentFileException>(() => GuidelineSynonyms.Parse("問い合わせ, 問合せ, といあわせ\n市民, 住民\n窓口, トイアワセ\n", "/x/synonyms.txt"));

        Assert.StartsWith("synonyms.txt:3:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BundledSynonymList_Parses()
    {
        var general = GuidelineSynonyms.Parse(File.ReadAllText(SampleGuideline.Synonyms), SampleGuideline.Synonyms).Groups;
        var own = GuidelineSynonyms.ForDocuments(SampleGuideline.Folder, (file, ex) => throw new InvalidOperationException(file, ex));

        Assert.Contains(general, g => g.Contains("宿泊") && g.Contains("ホテル"));
        Assert.Contains(own["seisei-ai-tebiki-sample.md"].Groups, g => g.Contains("多要素認証") && g.Contains("二段階認証"));
        // The sample's own words stay with the sample: 入れる is 入力 in its guideline, not in a city's rules.
        Assert.DoesNotContain(general, g => g.Contains("入れる"));
    }

    [Fact]
    public void Synonyms_MatchWhateverTheKanaScript_AndBlankWhatTheyMatched()
    {
        var synonyms = GuidelineSynonyms.Parse("チャットGPT, 生成AI\n個人情報, 住所氏名\n", "s.txt");

        var (hits, residual) = synonyms.Find(GuidelineText.Normalize("ちゃっとGPTに住所氏名を入れたい"));

        Assert.Equal(2, hits.Count);
        Assert.DoesNotContain("住所", residual, StringComparison.Ordinal);
        Assert.Contains("入れたい", residual, StringComparison.Ordinal);
    }

    internal static byte[] Pdf(IReadOnlyList<string> lines)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        var y = 780.0;
        foreach (var line in lines)
        {
            page.AddText(line, 12, new PdfPoint(50, y), font);
            y -= 40; // a gap the text extractor reads as a new paragraph
        }

        return builder.Build();
    }
}

public sealed class PromptFileTests
{
    public static TheoryData<string> PromptFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Conversations.RepoPaths.Prompts, "*.y*ml"))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PromptFiles))]
    public void EveryPromptFile_LoadsAsASemanticKernelTemplate(string file)
    {
        var path = Path.Combine(Conversations.RepoPaths.Prompts, file);

        var config = Assistant.PromptCatalog.Parse(File.ReadAllText(path), path);

        Assert.False(string.IsNullOrWhiteSpace(config.Template));
        Assert.All(config.InputVariables, v => Assert.Contains("{{$" + v.Name + "}}", config.Template, StringComparison.Ordinal));
    }

    [Fact]
    public void GuidelinePrompt_HasItsVariablesAndDeterministicSettings()
    {
        var config = Assistant.PromptCatalog.Load(Conversations.RepoPaths.Prompts).Get(GuidelineAnswerer.PromptName);

        Assert.Equal(["question", "sections"], config.InputVariables.Select(v => v.Name));
        Assert.Equal("0", config.ExecutionSettings["default"].ExtensionData!["temperature"].ToString());
    }

    [Fact]
    public void BrokenPrompt_NamesFileAndLine()
    {
        var ex = Assert.Throws<ShiogamaDx.Bot.Conversations.ContentFileException>(() => Assistant.PromptCatalog.Parse("name: x\ntemplate: [unclosed\n", "/p/broken.yaml"));

        Assert.StartsWith("broken.yaml:", ex.Message, StringComparison.Ordinal);
    }
}
