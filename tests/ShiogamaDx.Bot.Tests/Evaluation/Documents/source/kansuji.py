#!/usr/bin/env python3
"""Writes the kanji-numeral variant of an ordinance-style text: 第１２条 → 第十二条, 別表第１ → 別表第一, 様式第１号 → 様式第一号.

  python3 kansuji.py <in.txt> <out.txt>
"""
import re
import sys

DIGITS = "〇一二三四五六七八九"


def kanji(n):
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + ("" if ones == 0 else DIGITS[ones])


def number(s):
    return int(s.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    text = re.sub(r"第([０-９]+)(?=[章節条項号])", lambda m: "第" + kanji(number(m.group(1))), text)
    text = re.sub(r"別表第([０-９]+)", lambda m: "別表第" + kanji(number(m.group(1))), text)
    text = re.sub(r"様式第([０-９]+)号", lambda m: "様式第" + kanji(number(m.group(1))) + "号", text)
    text = text.replace("（評価用の架空の規程）", "（評価用の架空の規程・漢数字版）", 1)
    open(sys.argv[2], "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main()
