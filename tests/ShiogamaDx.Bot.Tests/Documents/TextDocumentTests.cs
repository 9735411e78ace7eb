using System.Text;
using ShiogamaDx.Bot.Documents;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Tests.Conversations;

namespace ShiogamaDx.Bot.Tests.Documents;

/// <summary>Text extracted from a PDF and statute-style text: fixtures written for these tests (Fixtures/).</summary>
public sealed class TextDocumentTests
{
    internal static string Fixture(string name) => Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Documents", "Fixtures", name);

    private static ParsedDocument Read(string name) => DocumentReader.Read(name, File.ReadAllBytes(Fixture(name)));

    private static string AllText(ParsedDocument doc) => string.Join("\n", doc.Sections.SelectMany(s => s.Paragraphs));

    [Fact]
    public void ExtractedGuide_DropsTheTableOfContents_PageNumbers_AndRunningHeaders()
    {
        var doc = Read("school-ai-guide-extracted.txt");

        Assert.Equal("学校における生成AI活用の手引き（試行版）", doc.Title);
        var text = AllText(doc);
        Assert.DoesNotContain("....", text, StringComparison.Ordinal);
        Assert.DoesNotContain("目次", text, StringComparison.Ordinal);
        Assert.DoesNotContain("学校における生成AI活用の手引き（試行版）", text, StringComparison.Ordinal);
        Assert.DoesNotContain(doc.Sections.SelectMany(s => s.Paragraphs), p => p.Trim() is "1" or "2" or "3");
        Assert.All(doc.Sections.SelectMany(s => s.Path), h => Assert.DoesNotMatch(@"^\d+\)?$", h.Text));
    }

    [Fact]
    public void ExtractedGuide_KeepsFootnotesOutOfTheText_AttachedToTheirSection()
    {
        var doc = Read("school-ai-guide-extracted.txt");

        Assert.DoesNotContain("試行校は令和6年度に3校を指定した", AllText(doc), StringComparison.Ordinal);
        var intro = Assert.Single(doc.Sections, s => s.Heading?.Text == "１．はじめに");
        Assert.StartsWith("1) 試行校は令和6年度に3校を指定した。", Assert.Single(intro.Footnotes), StringComparison.Ordinal);

        // The paragraph before the footnote and the one after it stay two paragraphs of the same section.
        Assert.Equal(2, intro.Paragraphs.Count);
        Assert.Contains(doc.Sections, s => s.Footnotes.Any(f => f.Contains("情報セキュリティポリシー", StringComparison.Ordinal)) && s.CitedPathText.StartsWith("３－１．", StringComparison.Ordinal));
    }

    [Fact]
    public void ExtractedGuide_RepeatedHeading_IsOneSectionPerParent_CitedByItsPath()
    {
        var doc = Read("school-ai-guide-extracted.txt");

        var security = doc.Sections.Where(s => s.Heading?.Text == "① 情報セキュリティの確保").Select(s => s.CitedPathText).ToList();

        Assert.Equal(
            [
                "３－１．教職員が校務で利活用する場面 ＞ （２）利活用の際のポイント ＞ ① 情報セキュリティの確保",
                "３－２．児童生徒が学習で利活用する場面 ＞ （１）利活用の際のポイント ＞ ① 情報セキュリティの確保",
            ],
            security);
        var first = doc.Sections.First(s => s.Heading?.Text == "① 情報セキュリティの確保");
        Assert.Equal(["３．場面ごとの留意点", "３－１．教職員が校務で利活用する場面", "（２）利活用の際のポイント", "① 情報セキュリティの確保"], first.Path.Select(h => h.Text));
        Assert.Equal("パスワードは他人と共有しません2。", first.Paragraphs[0][^17..]);
    }

    [Fact]
    public void ExtractedGuide_NumberedListInsideASection_StaysText_AndBoxIsASection()
    {
        var doc = Read("school-ai-guide-extracted.txt");

        var pupils = doc.Sections.Last(s => s.Heading?.Text == "① 情報セキュリティの確保");
        Assert.Contains("① 出力をうのみにしない", pupils.Paragraphs);
        Assert.Contains("③ 使ったことを明記する", pupils.Paragraphs);
        var stage = Assert.Single(doc.Sections, s => s.Heading?.Text == "② 発達段階への配慮");
        Assert.Equal("３－２．児童生徒が学習で利活用する場面 ＞ （１）利活用の際のポイント ＞ ② 発達段階への配慮", stage.CitedPathText);
        var box = Assert.Single(doc.Sections, s => s.Heading is { Text: "Box-1. 試行校の取組", Number: "Box-1" });
        Assert.Equal("３－２．児童生徒が学習で利活用する場面 ＞ Box-1. 試行校の取組", box.CitedPathText);

        // A wrapped line is joined back into its sentence.
        Assert.Contains(doc.Sections.SelectMany(s => s.Paragraphs), p => p.Contains("企画案の作成などが考えられます。", StringComparison.Ordinal));
    }

    [Fact]
    public void Ordinance_ArticlesWithCaptions_ChaptersAndSupplementaryProvisions()
    {
        var doc = Read("ordinance-sample.txt");

        Assert.Equal("架空市生成AI利用条例（案）", doc.Title);
        var purpose = Assert.Single(doc.Sections, s => s.Heading?.Number == "第1条");
        Assert.Equal("第１条（目的）", purpose.Heading!.Text);
        Assert.Equal(["第１章 総則", "第１条（目的）"], purpose.Path.Select(h => h.Text));
        Assert.Equal("この条例は、市の機関が生成AIを利用するに当たり必要な事項を定め、市民の信頼を確保することを目的とする。", Assert.Single(purpose.Paragraphs));

        // 項 (２ …) and 号 (一 …) are paragraphs of their article, not headings.
        var definition = Assert.Single(doc.Sections, s => s.Heading?.Number == "第2条");
        Assert.Equal(2, definition.Paragraphs.Count);
        var notice = Assert.Single(doc.Sections, s => s.Heading?.Number == "第3条");
        Assert.Equal("第３条（利用の届出）", notice.CitedPathText);
        Assert.Equal(3, notice.Paragraphs.Count);
        Assert.Equal("第４条（記録の保存）", Assert.Single(doc.Sections, s => s.Heading?.Number == "第4条").Heading!.Text);

        var supplementary = Assert.Single(doc.Sections, s => s.Heading?.Number == "附則");
        Assert.Equal(["附 則"], supplementary.Path.Select(h => h.Text));
        Assert.Equal(["別表第１（第３条関係）"], Assert.Single(doc.Sections, s => s.Heading?.Number == "別表第1").Path.Select(h => h.Text));
    }

    [Fact]
    public void HeadingsTheTableOfContentsNames_AreHeadings_EvenUnnumberedOrWrittenAsAQuestion()
    {
        // An appendix title, a heading with no number and the entries of a Q&A (「問１　…のか。」 reads as a sentence)
        // are headings because the contents list them; the running header repeating one later is not another heading.
        var text = string.Join("\n",
            "庁内手続の手引き（テスト）",
            "目次",
            "１．はじめに…………………………1",
            "２．手続の流れ……………………1",
            "参考資料　よくある質問……………2",
            "導入の例……………………………2",
            "問１　申請書はどこに出すのか。…2",
            "\f１．はじめに",
            "この手引きは庁内の手続を説明する。",
            "２．手続の流れ",
            "申請は所属長を通して提出する。",
            "\f参考資料　よくある質問",
            "導入の例",
            "小さな課から始めるとよい。",
            "問１　申請書はどこに出すのか。",
            "総務課の窓口に出す。",
            "参考資料　よくある質問",
            "郵送でもよい。");

        var doc = DocumentReader.Read("tebiki.txt", Encoding.UTF8.GetBytes(text));

        // 参考資料 has no text of its own before 導入の例, so no section; each entry is cited by its own title.
        Assert.Equal(["１．はじめに", "２．手続の流れ", "導入の例", "問１ 申請書はどこに出すのか。"], doc.Sections.Select(s => s.CitedPathText));
        Assert.Contains("郵送でもよい。", string.Concat(doc.Sections[^1].Paragraphs), StringComparison.Ordinal);
    }

    [Fact]
    public void FormsUnderAGroupOfForms_AreCitedWithTheGroup()
    {
        var text = string.Join("\n",
            "旅費規程（テスト）",
            "（趣旨）",
            "第１条　この規程は、旅費について定める。",
            "別記様式（第１条関係）",
            "様式第１号　旅行命令簿",
            "命令の日付と用務を記載する。",
            "様式第２号　復命書",
            "用務の結果を記載する。",
            "別表第１（第１条関係）",
            "宿泊料は一泊１万円とする。");

        var doc = DocumentReader.Read("kitei.txt", Encoding.UTF8.GetBytes(text));

        Assert.Equal(
            ["第１条（趣旨）", "別記様式（第１条関係） ＞ 様式第１号 旅行命令簿", "別記様式（第１条関係） ＞ 様式第２号 復命書", "別表第１（第１条関係）"],
            doc.Sections.Select(s => s.CitedPathText));
    }

    [Fact]
    public void ShiftJisText_IsRead()
    {
        System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(932).GetBytes("庁内メモ\n\n１．連絡先\n困ったときは情報政策係へ連絡します。\n");

        var doc = DocumentReader.Read("memo.txt", bytes);

        Assert.Equal("１．連絡先", Assert.Single(doc.Sections).Heading!.Text);
    }

    [Fact]
    public void BrokenText_NamesTheFileAndLine()
    {
        var bytes = Encoding.UTF8.GetBytes("一行目\n二行目\n").Concat(new byte[] { 0x81, 0xFF, 0xFE }).ToArray();

        var ex = Assert.Throws<DocumentFormatException>(() => DocumentReader.Read("broken.txt", bytes));

        Assert.StartsWith("broken.txt (line 3):", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenFiles_AreSkippedAndNamed_TheOthersStillLoad()
    {
        var folder = Directory.CreateTempSubdirectory("documents-").FullName;
        try
        {
            File.Copy(Fixture("ordinance-sample.txt"), Path.Combine(folder, "a-ordinance.txt"));
            File.WriteAllBytes(Path.Combine(folder, "b-broken.pdf"), Encoding.ASCII.GetBytes("%PDF-1.7 not really"));
            File.WriteAllBytes(Path.Combine(folder, "c-broken.docx"), Encoding.ASCII.GetBytes("PK not a zip"));
            File.WriteAllText(Path.Combine(folder, "d-empty.md"), "\n\n");
            File.WriteAllText(Path.Combine(folder, "e-notes.md"), "# メモ\n\n## 1 連絡\n\n係へ連絡します。\n");
            var skipped = new List<(string File, Exception Error)>();

            var docs = DocumentReader.ReadFolder(folder, (file, ex) => skipped.Add((Path.GetFileName(file), ex)));

            Assert.Equal(["a-ordinance.txt", "e-notes.md"], docs.Select(d => d.File));
            Assert.Equal(["b-broken.pdf", "c-broken.docx", "d-empty.md"], skipped.Select(s => s.File));
            Assert.All(skipped, s => Assert.StartsWith(s.File, s.Error.Message, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TabSeparatedRows_AreParagraphsOfTheirOwn_WithTheirCellsApart()
    {
        const string Text = "1. 用語の解説\n\nこの章では本書の言葉を説明します。\n\n用語\t説明\n窓口\t市民が手続きをする場所のこと。\n台帳\t\t記録をまとめた帳簿のこと。\n\n2. 手続\n\n申請は窓口で受け付けます。\n";
        var doc = DocumentReader.Read("terms.txt", Encoding.UTF8.GetBytes(Text));

        var terms = Assert.Single(doc.Sections, s => s.Heading?.Text == "1. 用語の解説");
        Assert.Equal(["この章では本書の言葉を説明します。", "用語 | 説明", "窓口 | 市民が手続きをする場所のこと。", "台帳 | 記録をまとめた帳簿のこと。"], terms.Paragraphs);
    }

    [Fact]
    public void AGlossaryTable_InTextOrMarkdown_IsOnePassagePerTerm_CitedByTheTerm()
    {
        const string Text = "1. 用語の解説\n\nこの章では本書で使う言葉の意味を説明します。\n\n用語\t説明\n窓口\t市民が手続きをする場所のこと。\n台帳\t記録をまとめた帳簿のこと。\n\n2. 手続\n\n事業名\t窓口の改善\n内容\t受付の順番を見直す。\n";
        const string Markdown = "# 手引き\n\n## 1. 用語の解説\n\n| 用語 | 説明 |\n|---|---|\n| 窓口 | 市民が手続きをする場所のこと。 |\n| 台帳 | 記録をまとめた帳簿のこと。 |\n";

        var fromText = GlossaryTerms.Apart(GuidelineLoader.LoadFile("terms.txt", Encoding.UTF8.GetBytes(Text)));
        var fromMarkdown = GlossaryTerms.Apart(GuidelineLoader.LoadFile("terms.md", Encoding.UTF8.GetBytes(Markdown)));

        Assert.Equal(
            ["1. 用語の解説", "1. 用語の解説 ＞ 窓口", "1. 用語の解説 ＞ 台帳", "2. 手続"],
            fromText.Select(s => s.Label));
        Assert.Equal(["記録をまとめた帳簿のこと。"], fromText[2].Paragraphs);
        Assert.Equal(["この章では本書で使う言葉の意味を説明します。"], fromText[0].Paragraphs);
        Assert.Equal(["事業名 | 窓口の改善", "内容 | 受付の順番を見直す。"], fromText[3].Paragraphs); // no header row: not terms
        Assert.Equal(["1. 用語の解説 ＞ 窓口", "1. 用語の解説 ＞ 台帳"], fromMarkdown.Select(s => s.Label));
        Assert.Equal([0, 1, 2, 3], fromText.Select(s => s.Ordinal));
    }

    [Theory]
    [InlineData("３－１．教職員が校務で利活用する場面", "Decimal", "3-1")]
    [InlineData("1.1 目的", "Decimal", "1.1")]
    [InlineData("（３）利活用の際のポイント", "ParenNumber", "(3)")]
    [InlineData("② 情報セキュリティの確保", "Circled", "②")]
    [InlineData("ア　指導体制", "Katakana", "ア")]
    [InlineData("（イ）留意点", "ParenKatakana", "(イ)")]
    [InlineData("第十二章　雑則", "Chapter", "第十二章")]
    [InlineData("第2節 手続", "Section", "第2節")]
    [InlineData("Box-4. 生成AIパイロット校の取組", "Box", "Box-4")]
    [InlineData("別表第2（第5条関係）", "Appendix", "別表第2")]
    [InlineData("Ⅱ　基本方針", "Roman", "Ⅱ")]
    public void HeadingStyles_OfGovernmentDocuments_AreRecognised(string line, string kind, string number)
    {
        var match = HeadingStyles.Match(line);

        Assert.NotNull(match);
        Assert.Equal(kind, match.Kind.ToString());
        Assert.Equal(number, match.Number);
    }

    [Theory]
    [InlineData("10月1日から受け付けます")]
    [InlineData("3つの観点から確認します")]
    [InlineData("1119)")]
    [InlineData("第3条の規定により届け出る")]
    [InlineData("（１）生成AIの出力は必ず確認すること。")]
    [InlineData("2026年度の計画")]
    public void SentencesAndNumbers_AreNotHeadings(string line) => Assert.Null(HeadingStyles.Match(line));
}
