using System.Globalization;
using System.Text;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// Normalisation for matching Japanese input typed casually: NFKC (full/half width), lower case,
/// katakana folded to hiragana, long-vowel and tilde variants unified, whitespace and punctuation dropped.
/// Used for matching only; what is shown to people is never normalised.
/// </summary>
public static class TextNormalizer
{
    // Variant kanji residents and staff type interchangeably (旧字体/異体字 → 常用).
    private static readonly Dictionary<char, char> Variants = new()
    {
        ['竈'] = '竃', ['籠'] = '篭', ['髙'] = '高', ['﨑'] = '崎', ['邊'] = '辺', ['邉'] = '辺', ['澤'] = '沢',
        ['齋'] = '斎', ['齊'] = '斉', ['國'] = '国', ['證'] = '証', ['圖'] = '図', ['縣'] = '県', ['聯'] = '連',
    };

    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var nfkc = text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(nfkc.Length);
        foreach (var rune in nfkc.EnumerateRunes())
        {
            if (rune.Value > 0xFFFF)
            {
                continue; // emoji and other astral symbols carry no meaning for matching
            }

            var c = FoldVariant((char)rune.Value);

            if (c is >= 'ァ' and <= 'ヶ')
            {
                c = (char)(c - 0x60); // katakana → hiragana
            }

            switch (c)
            {
                case 'ー' or '－' or '-' or '〜' or '~' or '～' or '―' or '‐':
                    // Long vowels and tildes are typed in many ways (ー, -, 〜) or not at all.
                    continue;
                default:
                    break;
            }

            var category = char.GetUnicodeCategory(c);
            if (char.IsWhiteSpace(c) || category is UnicodeCategory.OtherPunctuation or UnicodeCategory.OpenPunctuation
                    or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                    or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.DashPunctuation
                    or UnicodeCategory.OtherSymbol or UnicodeCategory.Control or UnicodeCategory.Format
                    or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    /// <summary>The common form of a variant kanji (竈 → 竃); any other character unchanged.</summary>
    public static char FoldVariant(char c) => Variants.TryGetValue(c, out var plain) ? plain : c;

    /// <summary>Trims input to what the engine reads, without cutting a surrogate pair in half.</summary>
    public static string Clip(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return text[..cut];
    }
}
