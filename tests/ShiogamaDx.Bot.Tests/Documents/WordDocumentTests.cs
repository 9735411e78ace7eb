using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using ShiogamaDx.Bot.Documents;

namespace ShiogamaDx.Bot.Tests.Documents;

/// <summary>Word files built here as a city's rules are written: 見出し styles, list numbering, a TOC, footnotes.</summary>
public sealed class WordDocumentTests
{
    [Fact]
    public void HeadingStylesWithNumbering_GiveThePathAsPrinted()
    {
        var doc = DocumentReader.Read("rules.docx", RulesDocx());

        Assert.Equal("生成AI利用要領", doc.Title);
        var security = doc.Sections.Where(s => s.Heading?.Title == "情報セキュリティの確保").ToList();
        Assert.Equal(2, security.Count);
        Assert.Equal("３－１．職員が文書作成に使う場面 ＞ （１）利用の際のポイント ＞ ① 情報セキュリティの確保", security[0].CitedPathText);
        Assert.Equal("３－２．職員が翻訳に使う場面 ＞ （１）利用の際のポイント ＞ ① 情報セキュリティの確保", security[1].CitedPathText);
        Assert.Equal("３．場面ごとの留意点", security[0].Path[0].Text);
        Assert.Equal("庁内で認められたサービスだけを使います。", Assert.Single(security[0].Paragraphs));
    }

    [Fact]
    public void TableOfContents_IsLeftOut_AndFootnotesGoWithTheirSection()
    {
        var doc = DocumentReader.Read("rules.docx", RulesDocx());

        var text = string.Join("\n", doc.Sections.SelectMany(s => s.Paragraphs));
        Assert.DoesNotContain("目次", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PAGEREF", text, StringComparison.Ordinal);
        Assert.DoesNotContain("総務省", text, StringComparison.Ordinal);
        var intro = Assert.Single(doc.Sections, s => s.Heading?.Text == "１．はじめに");
        Assert.Equal(["総務省の資料を参考にした。"], intro.Footnotes);
        Assert.Equal("この要領は職員の生成AI利用の決まりです。", Assert.Single(intro.Paragraphs));
    }

    [Fact]
    public void NumberedParagraphsWithoutHeadingStyle_AreStillReadAsHeadings_AndTablesAsRows()
    {
        var doc = DocumentReader.Read("rules.docx", RulesDocx());

        var copyright = Assert.Single(doc.Sections, s => s.Heading?.Text == "② 著作権への配慮");
        Assert.Equal("３－１．職員が文書作成に使う場面 ＞ （１）利用の際のポイント ＞ ② 著作権への配慮", copyright.CitedPathText);
        Assert.Contains(doc.Sections.SelectMany(s => s.Paragraphs), p => p == "区分 | 可否" );
    }

    [Fact]
    public void CorruptWordFile_IsAClearErrorNamingIt()
    {
        var bytes = RulesDocx()[..200];

        var ex = Assert.Throws<DocumentFormatException>(() => DocumentReader.Read("broken.docx", bytes));

        Assert.StartsWith("broken.docx: not a readable Word document", ex.Message, StringComparison.Ordinal);
    }

    internal static byte[] RulesDocx()
    {
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = word.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = new Styles(
                HeadingStyle("Title", "Title", null),
                HeadingStyle("1", "heading 1", 0),
                HeadingStyle("2", "heading 2", 1),
                HeadingStyle("3", "heading 3", 2),
                HeadingStyle("TOC1", "toc 1", null));

            // Level texts as Japanese Word templates write them: 「%1．」, 「%1－%2．」, 「（%3）」 in full-width digits; ① for items.
            main.AddNewPart<NumberingDefinitionsPart>().Numbering = new Numbering(
                new AbstractNum(
                    NumberLevel(0, "decimalFullWidth", "%1．"),
                    NumberLevel(1, "decimalFullWidth", "%1－%2．"),
                    NumberLevel(2, "decimalFullWidth", "（%3）")) { AbstractNumberId = 1 },
                new AbstractNum(NumberLevel(0, "decimalEnclosedCircle", "%1", LevelSuffixValues.Space)) { AbstractNumberId = 2 },
                new NumberingInstance(new AbstractNumId { Val = 1 }) { NumberID = 1 },
                new NumberingInstance(new AbstractNumId { Val = 2 }) { NumberID = 2 },
                new NumberingInstance(new AbstractNumId { Val = 2 }, new LevelOverride(new StartOverrideNumberingValue { Val = 1 }) { LevelIndex = 0 }) { NumberID = 3 });

            main.AddNewPart<FootnotesPart>().Footnotes = new Footnotes(
                new Footnote(new Paragraph(new Run(new SeparatorMark()))) { Type = FootnoteEndnoteValues.Separator, Id = -1 },
                new Footnote(new Paragraph(new Run(new FootnoteReferenceMark()), new Run(new Text("総務省の資料を参考にした。")))) { Id = 1 });

            var toc = new SdtBlock(
                new SdtProperties(new SdtContentDocPartObject(new DocPartGallery { Val = "Table of Contents" })),
                new SdtContentBlock(
                    new Paragraph(new Run(new Text("目次"))),
                    new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "TOC1" }), new Run(new Text("１．はじめに")), new Run(new TabChar()), new Run(new FieldCode(" PAGEREF _Toc1 \\h ")), new Run(new Text("1")))));

            main.Document = new Document(new Body(
                Styled("Title", "生成AI利用要領"),
                toc,
                Numbered("1", 1, 0, "はじめに"),
                new Paragraph(new Run(new Text("この要領は職員の生成AI利用の決まりです。")), new Run(new FootnoteReference { Id = 1 })),
                Numbered("1", 1, 0, "基本方針"),
                new Paragraph(new Run(new Text("最終的な判断は職員が行います。"))),
                new Table(
                    new TableRow(Cell("区分"), Cell("可否")),
                    new TableRow(Cell("個人情報"), Cell("入力不可"))),
                Numbered("1", 1, 0, "場面ごとの留意点"),
                Numbered("2", 1, 1, "職員が文書作成に使う場面"),
                Numbered("3", 1, 2, "利用の際のポイント"),
                Numbered(null, 2, 0, "情報セキュリティの確保"),
                new Paragraph(new Run(new Text("庁内で認められたサービスだけを使います。"))),
                Numbered(null, 2, 0, "著作権への配慮"),
                new Paragraph(new Run(new Text("配布する前に既存の著作物と似ていないか確かめます。"))),
                Numbered("2", 1, 1, "職員が翻訳に使う場面"),
                Numbered("3", 1, 2, "利用の際のポイント"),
                Numbered(null, 3, 0, "情報セキュリティの確保"),
                new Paragraph(new Run(new Text("翻訳サービスにも個人情報を入れません。")))));
        }

        return stream.ToArray();
    }

    private static Style HeadingStyle(string id, string name, int? outline)
    {
        var style = new Style(new StyleName { Val = name }) { Type = StyleValues.Paragraph, StyleId = id };
        if (outline is int level)
        {
            style.Append(new StyleParagraphProperties(new OutlineLevel { Val = level }));
        }

        return style;
    }

    private static Level NumberLevel(int index, string format, string text, LevelSuffixValues? suffix = null)
    {
        var level = new Level(
            new StartNumberingValue { Val = 1 },
            new NumberingFormat { Val = new EnumValue<NumberFormatValues>(new NumberFormatValues(format)) },
            new LevelText { Val = text }) { LevelIndex = index };
        level.Append(new LevelSuffix { Val = suffix ?? LevelSuffixValues.Nothing });
        return level;
    }

    private static Paragraph Styled(string style, string text) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = style }), new Run(new Text(text)));

    private static Paragraph Numbered(string? style, int numId, int level, string text)
    {
        var props = new ParagraphProperties();
        if (style is not null)
        {
            props.Append(new ParagraphStyleId { Val = style });
        }

        props.Append(new NumberingProperties(new NumberingLevelReference { Val = level }, new NumberingId { Val = numId }));
        return new Paragraph(props, new Run(new Text(text)));
    }

    private static TableCell Cell(string text) => new(new Paragraph(new Run(new Text(text))));
}
