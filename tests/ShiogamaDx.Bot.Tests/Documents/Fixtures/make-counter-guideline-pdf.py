# Builds the PDF fixture: a flat ODT with a running header, page numbers, a dotted-leader TOC and footnotes,
# converted by LibreOffice (soffice --headless --convert-to pdf).
import html
def p(text, style="Body", brk=False):
    return f'<text:p text:style-name="{"Break" if brk else style}">{text}</text:p>'
def note(n, body):
    return f'<text:note text:id="ftn{n}" text:note-class="footnote"><text:note-citation>{n}</text:note-citation><text:note-body><text:p text:style-name="Footnote">{body}</text:p></text:note-body></text:note>'
def toc(t, page):
    return f'<text:p text:style-name="Toc">{t}<text:tab/>{page}</text:p>'
filler = "職員は、生成AIの出力を必ず確認し、誤りがないことを確かめたうえで利用します。"
body = [
 p("窓口業務における生成AI活用ガイドライン", "TitleP"),
 p("令和7年4月　架空市総務部"),
 p("目次", "Head"),
 toc("１．はじめに", 2), toc("２．窓口で利用する場面", 2), toc("２－１．案内文を作る場面", 2), toc("２－２．多言語で対応する場面", 3), toc("Box-1. 先行自治体の例", 3),
 p("１．はじめに", "Head", brk=True),
 p("このガイドラインは、窓口業務で生成AIを使う職員のための手引きです" + note(1, "本ガイドラインは試行版であり、令和8年度に見直す。") + "。"),
 p("対象は本庁と支所の窓口を担当する職員です。" + filler * 3),
 p("２．窓口で利用する場面", "Head"),
 p("２－１．案内文を作る場面", "Head"),
 p("（１）利活用の際のポイント", "Head"),
 p("① 情報セキュリティの確保", "Head"),
 p("来庁者の氏名や相談内容を入力してはいけません" + note(2, "個人情報の範囲は架空市個人情報保護条例による。") + "。" + filler * 6),
 p("② 正確性の確認", "Head"),
 p("手数料や受付時間は、必ず最新の規則で確かめます。" + filler * 8),
 p("２－２．多言語で対応する場面", "Head"),
 p("（１）利活用の際のポイント", "Head"),
 p("① 情報セキュリティの確保", "Head"),
 p("翻訳サービスには、来庁者が特定できる情報を入れません。"),
 p("Box-1. 先行自治体の例", "Head"),
 p("先行自治体では、やさしい日本語への書き換えに生成AIを活用しています。"),
]
doc = f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="IPAMincho" svg:font-family="IPAMincho"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:text-properties style:font-name="IPAMincho" style:font-name-asian="IPAMincho" fo:font-size="10.5pt" style:font-size-asian="10.5pt"/></style:default-style>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-indent="10.5pt" fo:margin-bottom="4pt"/></style:style>
<style:style style:name="TitleP" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="16pt" style:font-size-asian="16pt"/></style:style>
<style:style style:name="Head" style:family="paragraph"><style:paragraph-properties fo:margin-top="8pt" fo:margin-bottom="4pt"/><style:text-properties fo:font-size="12pt" style:font-size-asian="12pt"/></style:style>
<style:style style:name="Footnote" style:family="paragraph"><style:text-properties fo:font-size="8pt" style:font-size-asian="8pt"/></style:style>
<style:style style:name="Toc" style:family="paragraph"><style:paragraph-properties><style:tab-stops><style:tab-stop style:position="16cm" style:type="right" style:leader-style="dotted" style:leader-text="."/></style:tab-stops></style:paragraph-properties></style:style>
<style:style style:name="Center" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
</office:styles>
<office:automatic-styles>
<style:style style:name="Break" style:family="paragraph" style:parent-style-name="Head"><style:paragraph-properties fo:break-before="page"/></style:style>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="14.8cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:header><text:p text:style-name="Center">窓口業務における生成AI活用ガイドライン</text:p></style:header>
<style:footer><text:p text:style-name="Center"><text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
</style:master-page></office:master-styles>
<office:body><office:text>{"".join(body)}</office:text></office:body></office:document>'''
open("counter-guideline.fodt","w").write(doc)
