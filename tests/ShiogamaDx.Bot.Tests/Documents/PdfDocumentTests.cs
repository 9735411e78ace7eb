using ShiogamaDx.Bot.Documents;

namespace ShiogamaDx.Bot.Tests.Documents;

/// <summary>
/// A PDF as LibreOffice prints one (Fixtures/counter-guideline.pdf, made by make-counter-guideline-pdf.py): running
/// header, page numbers, a table of contents with dotted leaders, footnotes, a paragraph running over a page break.
/// </summary>
public sealed class PdfDocumentTests
{
    private static ParsedDocument Read() =>
        DocumentReader.Read("counter-guideline.pdf", File.ReadAllBytes(TextDocumentTests.Fixture("counter-guideline.pdf")));

    [Fact]
    public void Pdf_HasItsTitle_AndNoTableOfContentsHeaderOrPageNumber()
    {
        var doc = Read();

        Assert.Equal("窓口業務における生成AI活用ガイドライン", doc.Title);
        var paragraphs = doc.Sections.SelectMany(s => s.Paragraphs).ToList();
        Assert.DoesNotContain(paragraphs, p => p.Contains("....", StringComparison.Ordinal));
        Assert.DoesNotContain(paragraphs, p => p.Contains("活用ガイドライン", StringComparison.Ordinal));
        Assert.DoesNotContain(paragraphs, p => p.Trim() is "1" or "2" or "3");
        Assert.Equal("１．はじめに", doc.Sections[1].Heading!.Text);
    }

    [Fact]
    public void Pdf_FootnotesAndTheirMarks_AreOutOfTheText()
    {
        var doc = Read();

        var intro = Assert.Single(doc.Sections, s => s.Heading?.Text == "１．はじめに");
        Assert.Equal("このガイドラインは、窓口業務で生成AIを使う職員のための手引きです。", intro.Paragraphs[0]);
        Assert.DoesNotContain(doc.Sections.SelectMany(s => s.Paragraphs), p => p.Contains("試行版であり", StringComparison.Ordinal));
        var notes = doc.Sections.SelectMany(s => s.Footnotes).ToList();
        Assert.Equal(2, notes.Count);
        Assert.Contains(notes, n => n.Contains("個人情報保護条例", StringComparison.Ordinal));
    }

    [Fact]
    public void Pdf_ParagraphOverAPageBreak_IsOne_AndRepeatedHeadingsAreCitedByPath()
    {
        var doc = Read();

        var accuracy = Assert.Single(doc.Sections, s => s.Heading?.Text == "② 正確性の確認");
        var paragraph = Assert.Single(accuracy.Paragraphs);
        Assert.StartsWith("手数料や受付時間は、", paragraph, StringComparison.Ordinal);
        Assert.EndsWith("確かめたうえで利用します。", paragraph, StringComparison.Ordinal);
        Assert.Equal(2, accuracy.Page);
        Assert.Equal(
            ["２－１．案内文を作る場面 ＞ （１）利活用の際のポイント ＞ ① 情報セキュリティの確保", "２－２．多言語で対応する場面 ＞ （１）利活用の際のポイント ＞ ① 情報セキュリティの確保"],
            doc.Sections.Where(s => s.Heading?.Title == "情報セキュリティの確保").Select(s => s.CitedPathText));
    }

    [Fact]
    public void BrokenPdf_IsAClearErrorNamingIt()
    {
        var bytes = File.ReadAllBytes(TextDocumentTests.Fixture("counter-guideline.pdf"))[..2000];

        var ex = Assert.Throws<DocumentFormatException>(() => DocumentReader.Read("cut.pdf", bytes));

        Assert.StartsWith("cut.pdf", ex.Message, StringComparison.Ordinal);
    }
}
