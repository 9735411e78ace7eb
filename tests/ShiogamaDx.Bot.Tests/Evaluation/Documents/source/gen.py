#!/usr/bin/env python3
"""Builds the evaluation documents from their neutral sources (not part of the build; no test loads the sources).

Source markup (one line each):
  %cover <line>         a centred cover line (cover page, before the table of contents)
  %toc                  the table of contents (leader tabs and page numbers, filled in by a second pass)
  %break                a page break
  #..#### <text>        a heading of level 1..4 (Word "Heading N"); the numbering is written in the text
  |a|b|c|               a table row (the first row is the header)
  anything else         a paragraph; {{fn:...}} inside it is a footnote at the page bottom, numbered "1)"

  python3 gen.py [--plain-headings] <source.md> <out.pdf|out.docx> [running header]

Needs LibreOffice (libreoffice-writer-nogui), poppler-utils (pdftotext) and fonts-ipafont.
"""
import html
import os
import re
import subprocess
import sys
import tempfile

PLAIN_HEADINGS = False  # --plain-headings: headings typed as bold Normal paragraphs, as many Word files are

FN = re.compile(r"\{\{fn:(.*?)\}\}")


def esc(s):
    return html.escape(s, quote=False)


def inline(text, counter):
    out, pos = [], 0
    for m in FN.finditer(text):
        out.append(esc(text[pos:m.start()]))
        counter[0] += 1
        n = counter[0]
        out.append(
            f'<text:note text:id="ftn{n}" text:note-class="footnote"><text:note-citation>{n})</text:note-citation>'
            f'<text:note-body><text:p text:style-name="Footnote">{esc(m.group(1))}</text:p></text:note-body></text:note>')
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def body(lines, pages):
    counter = [0]
    out, table, tables = [], [], [0]

    def flush_table():
        if not table:
            return
        tables[0] += 1
        cols = max(len(r) for r in table)
        out.append(f'<table:table table:name="Table{tables[0]}" table:style-name="Tbl">'
                   f'<table:table-column table:number-columns-repeated="{cols}"/>')
        for i, row in enumerate(table):
            out.append("<table:table-row>")
            for cell in row + [""] * (cols - len(row)):
                style = "TableHeading" if i == 0 else "TableContents"
                out.append(f'<table:table-cell table:style-name="Cell" office:value-type="string">'
                           f'<text:p text:style-name="{style}">{inline(cell, counter)}</text:p></table:table-cell>')
            out.append("</table:table-row>")
        out.append("</table:table>")
        table.clear()

    headings = []
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith("|"):
            table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush_table()
        if not line.strip():
            continue
        if line.startswith("%cover"):
            out.append(f'<text:p text:style-name="Cover">{esc(line[6:].strip())}</text:p>')
        elif line.startswith("%break"):
            out.append('<text:p text:style-name="Break"/>')
        elif line.startswith("%toc"):
            out.append('<text:p text:style-name="TocTitle">目　次</text:p>')
            start = 3
            for level, text in all_headings(lines):
                page = next((p for (l, t, s), p in pages.items() if l == level and t == text and s == start), start)
                start = page
                if level > 3:
                    continue
                out.append(f'<text:p text:style-name="Toc{level}">{esc(text)}<text:tab/>{page}</text:p>')
            out.append('<text:p text:style-name="Break"/>')
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            text = line[level:].strip()
            headings.append(text)
            if PLAIN_HEADINGS:
                out.append(f'<text:p text:style-name="BoldLine">{esc(text)}</text:p>')
            else:
                out.append(f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">{esc(text)}</text:h>')
        else:
            out.append(f'<text:p text:style-name="Body">{inline(line.strip(), counter)}</text:p>')
    flush_table()
    return "\n".join(out)


def all_headings(lines):
    return [(len(l) - len(l.lstrip("#")), l.lstrip("#").strip()) for l in lines if l.startswith("#")]


def fodt(lines, pages, header):
    header_xml = ""
    if header:
        header_xml = (f'<style:header><text:p text:style-name="Header">{esc(header)}</text:p></style:header>'
                      '<style:footer><text:p text:style-name="Footer">- <text:page-number text:select-page="current">1</text:page-number> -</text:p></style:footer>')
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="IPAMincho" svg:font-family="IPAMincho" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
 <style:font-face style:name="IPAGothic" svg:font-family="IPAGothic" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:line-height="150%"/>
  <style:text-properties style:font-name="IPAMincho" style:font-name-asian="IPAMincho" fo:font-size="10.5pt" style:font-size-asian="10.5pt" fo:language="ja" fo:country="JP" style:language-asian="ja" style:country-asian="JP"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph"/>
 <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-indent="10.5pt" fo:margin-bottom="4pt"/>
 </style:style>
 <style:style style:name="BoldLine" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="6pt"/>
  <style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/>
 </style:style>
 <style:style style:name="Cover" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center" fo:margin-top="36pt"/>
  <style:text-properties style:font-name="IPAGothic" style:font-name-asian="IPAGothic" fo:font-size="16pt" style:font-size-asian="16pt"/>
 </style:style>
 <style:style style:name="Break" style:family="paragraph"><style:paragraph-properties fo:break-after="page"/></style:style>
 <style:style style:name="TocTitle" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center" fo:margin-bottom="12pt"/>
  <style:text-properties style:font-name="IPAGothic" style:font-name-asian="IPAGothic" fo:font-size="14pt" style:font-size-asian="14pt"/>
 </style:style>
 <style:style style:name="Toc1" style:family="paragraph"><style:paragraph-properties><style:tab-stops><style:tab-stop style:position="16cm" style:type="right" style:leader-style="dotted" style:leader-text="…"/></style:tab-stops></style:paragraph-properties></style:style>
 <style:style style:name="Toc2" style:family="paragraph"><style:paragraph-properties fo:margin-left="1cm"><style:tab-stops><style:tab-stop style:position="15cm" style:type="right" style:leader-style="dotted" style:leader-text="…"/></style:tab-stops></style:paragraph-properties></style:style>
 <style:style style:name="Toc3" style:family="paragraph"><style:paragraph-properties fo:margin-left="2cm"><style:tab-stops><style:tab-stop style:position="14cm" style:type="right" style:leader-style="dotted" style:leader-text="…"/></style:tab-stops></style:paragraph-properties></style:style>
 <style:style style:name="Heading" style:family="paragraph" style:class="text">
  <style:paragraph-properties fo:margin-top="10pt" fo:margin-bottom="4pt" fo:keep-with-next="always"/>
  <style:text-properties style:font-name="IPAGothic" style:font-name-asian="IPAGothic" fo:font-weight="bold" style:font-weight-asian="bold"/>
 </style:style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1">
  <style:text-properties fo:font-size="14pt" style:font-size-asian="14pt"/></style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2">
  <style:text-properties fo:font-size="12pt" style:font-size-asian="12pt"/></style:style>
 <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="3">
  <style:paragraph-properties fo:margin-left="0.5cm"/><style:text-properties fo:font-size="11pt" style:font-size-asian="11pt"/></style:style>
 <style:style style:name="Heading_20_4" style:display-name="Heading 4" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="4">
  <style:paragraph-properties fo:margin-left="1cm"/><style:text-properties fo:font-size="10.5pt" style:font-size-asian="10.5pt"/></style:style>
 <style:style style:name="Footnote" style:family="paragraph"><style:text-properties fo:font-size="8pt" style:font-size-asian="8pt"/></style:style>
 <style:style style:name="Header" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-size="8pt" style:font-size-asian="8pt"/></style:style>
 <style:style style:name="Footer" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/></style:style>
 <style:style style:name="TableContents" style:family="paragraph"><style:text-properties fo:font-size="9.5pt" style:font-size-asian="9.5pt"/></style:style>
 <style:style style:name="TableHeading" style:family="paragraph"><style:text-properties style:font-name="IPAGothic" style:font-name-asian="IPAGothic" fo:font-size="9.5pt" style:font-size-asian="9.5pt"/></style:style>
 <text:notes-configuration text:note-class="footnote" style:num-format="1" style:num-suffix=")" text:start-value="0" text:footnotes-position="page" text:start-numbering-at="document"/>
</office:styles>
<office:automatic-styles>
 <style:style style:name="Tbl" style:family="table"><style:table-properties style:width="16cm" table:align="margins"/></style:style>
 <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
  <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.4cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">{header_xml}</style:master-page></office:master-styles>
<office:body><office:text>
{body(lines, pages)}
</office:text></office:body></office:document>'''


def convert(fodt_text, fmt, workdir):
    src = os.path.join(workdir, "doc.fodt")
    with open(src, "w", encoding="utf-8") as f:
        f.write(fodt_text)
    filt = {"pdf": "pdf:writer_pdf_Export", "docx": 'docx:MS Word 2007 XML'}[fmt]
    subprocess.run(["soffice", "--headless", "--convert-to", filt, "--outdir", workdir, src], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(workdir, "doc." + fmt)


def heading_pages(pdf, lines):
    """Page of each heading, from the text layer (the first page where the heading line stands after the TOC)."""
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    pages, found, start = text.split("\f"), {}, 3
    for level, heading in all_headings(lines):
        for number in range(start, len(pages) + 1):
            if any(l.strip() == heading for l in pages[number - 1].splitlines()):
                found[(level, heading, start)] = number
                start = number
                break
    return found


def main():
    global PLAIN_HEADINGS
    args = [a for a in sys.argv[1:] if a != "--plain-headings"]
    PLAIN_HEADINGS = len(args) < len(sys.argv) - 1
    source, out = args[0], args[1]
    header = args[2] if len(args) > 2 else ""
    with open(source, encoding="utf-8") as f:
        lines = f.readlines()
    fmt = out.rsplit(".", 1)[1]
    with tempfile.TemporaryDirectory() as work:
        pages = {}
        if fmt == "pdf" and any(l.startswith("%toc") for l in lines):
            pages = heading_pages(convert(fodt(lines, {}, header), "pdf", work), lines)
        result = convert(fodt(lines, pages, header), fmt, work)
        os.replace(result, out) if os.path.dirname(os.path.abspath(out)) == work else subprocess.run(["cp", result, out], check=True)


if __name__ == "__main__":
    main()
