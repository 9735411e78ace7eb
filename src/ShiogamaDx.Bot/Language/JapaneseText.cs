using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace ShiogamaDx.Bot.Language;

/// <summary>
/// Normalisation of Japanese text typed casually, done once for every feature. Two forms:
/// <see cref="Normalize"/> is the matching key (NFKC, lower case, variant kanji folded, katakana as hiragana,
/// long vowels and tildes dropped, spaces and punctuation dropped); <see cref="Fold"/> keeps katakana, long vowels
/// and word breaks (as one space), which is what a dictionary segmenter needs (カード is a word, カド is not).
/// What is shown to people is never normalised.
/// </summary>
public static class JapaneseText
{
    // Variant kanji residents and staff type interchangeably (旧字体/異体字 → 常用).
    private static readonly FrozenDictionary<char, char> Variants = new Dictionary<char, char>
    {
        ['竈'] = '竃', ['籠'] = '篭', ['髙'] = '高', ['﨑'] = '崎', ['邊'] = '辺', ['邉'] = '辺', ['澤'] = '沢',
        ['齋'] = '斎', ['齊'] = '斉', ['國'] = '国', ['證'] = '証', ['圖'] = '図', ['縣'] = '県', ['聯'] = '連',
    }.ToFrozenDictionary();

    /// <summary>The matching key: じゅうみんひょう, ジュウミンヒョウ and ｼﾞｭｳﾐﾝﾋｮｳ all read じゅうみんひょう.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var nfkc = Nfkc(text);
        var sb = new StringBuilder(nfkc.Length);
        foreach (var rune in nfkc.EnumerateRunes())
        {
            if (rune.Value > 0xFFFF)
            {
                continue; // emoji and other astral symbols carry no meaning for matching
            }

            var c = ToHiragana(FoldVariant((char)rune.Value));
            if (IsLongVowel(c) || c is '-' || IsBreak(c))
            {
                continue;
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    /// <summary>
    /// NFKC, lower case and variant kanji folded, katakana and long vowels kept, every run of spaces, punctuation
    /// and symbols one space: the text a dictionary segmenter reads.
    /// </summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var nfkc = Nfkc(text);
        var sb = new StringBuilder(nfkc.Length);
        var pendingBreak = false;
        foreach (var rune in nfkc.EnumerateRunes())
        {
            var c = rune.Value > 0xFFFF ? ' ' : FoldVariant((char)rune.Value);
            if (c is '〜' or '~' or '～')
            {
                continue;
            }

            if (c is '－' or '―' or '‐' && sb.Length > 0 && IsKatakana(sb[^1]))
            {
                c = 'ー'; // a dash typed for the long vowel of a loan word
            }

            if (c != 'ー' && (c == ' ' || IsBreak(c)))
            {
                pendingBreak = true;
                continue;
            }

            if (pendingBreak && sb.Length > 0)
            {
                sb.Append(' ');
            }

            pendingBreak = false;
            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    /// <summary>
    /// NFKC; text of only ASCII, hiragana, katakana, ー, 、。・ and common kanji is its own NFKC form (none of them
    /// has a compatibility mapping or combines with another), so it skips ICU, which a turn otherwise calls for
    /// each of the dozens of words it normalises (#19).
    /// </summary>
    internal static string Nfkc(string text)
    {
        foreach (var c in text)
        {
            if (!IsNfkcStable(c))
            {
                return text.Normalize(NormalizationForm.FormKC);
            }
        }

        return text;
    }

    internal static bool IsNfkcStable(char c) =>
        c is (>= ' ' and <= '~') or (>= 'ぁ' and <= 'ゖ') or (>= 'ァ' and <= 'ヺ') or 'ー' or '・' or '、' or '。' or (>= '\u4E00' and <= '\u9FFF');

    /// <summary>The matching key of one folded character: hiragana, or false for a long vowel or a break.</summary>
    public static bool TryKey(char folded, out char key)
    {
        key = ToHiragana(folded);
        return !IsLongVowel(key) && key is not '-' && !IsBreak(key);
    }

    /// <summary>The common form of a variant kanji (竈 → 竃); any other character unchanged.</summary>
    public static char FoldVariant(char c) => Variants.TryGetValue(c, out var plain) ? plain : c;

    public static char ToHiragana(char c) => c is >= 'ァ' and <= 'ヶ' ? (char)(c - 0x60) : c;

    public static bool IsHiragana(char c) => c is >= 'ぁ' and <= 'ゟ';

    public static bool IsKatakana(char c) => c is >= 'ァ' and <= 'ヿ';

    public static bool IsKanji(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or '々' or '〆';

    // Long vowels and tildes are typed in many ways (ー, －, 〜) or not at all.
    private static bool IsLongVowel(char c) => c is 'ー' or '－' or '〜' or '~' or '～' or '―' or '‐';

    private static bool IsBreak(char c) =>
        char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) is UnicodeCategory.OtherPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OtherSymbol or UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
}
