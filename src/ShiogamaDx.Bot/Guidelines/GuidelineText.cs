using System.Globalization;
using System.Text;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// Normalisation for guideline retrieval. Like <see cref="Conversations.TextNormalizer"/> (NFKC, variant kanji,
/// long-vowel and tilde variants, lower case) but katakana stay katakana and word breaks stay as spaces: katakana
/// carry loan words (パスワード, プラグイン) while hiragana mostly carry grammar, and a sentence break must not
/// become a bigram.
/// </summary>
internal static class GuidelineText
{
    public static string Normalize(string? text) => Normalize(text, keepLongVowels: false);

    /// <summary>
    /// The characters of <paramref name="normalized"/> (<see cref="Normalize(string?)"/> of <paramref name="text"/>, some
    /// words blanked by spaces) with the long vowels of its katakana words put back, for the dictionary segmentation:
    /// ICU knows リーダー and データ, and cuts リダ and デタ into pieces that match nothing.
    /// </summary>
    public static string WithLongVowels(string? text, string normalized)
    {
        var full = Normalize(text, keepLongVowels: true);
        var sb = new StringBuilder(full.Length);
        var at = 0;
        foreach (var c in full)
        {
            if (c == 'ー')
            {
                if (sb.Length > 0 && IsKatakana(sb[^1]))
                {
                    sb.Append(c); // the word was not blanked
                }

                continue;
            }

            sb.Append(at < normalized.Length ? normalized[at] : c);
            at++;
        }

        return at == normalized.Length ? sb.ToString() : normalized;
    }

    private static string Normalize(string? text, bool keepLongVowels)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var nfkc = text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(nfkc.Length);
        var pendingSpace = false;
        foreach (var rune in nfkc.EnumerateRunes())
        {
            if (rune.Value > 0xFFFF)
            {
                pendingSpace = true;
                continue;
            }

            var c = Conversations.TextNormalizer.FoldVariant((char)rune.Value);

            if (c is 'ー' or '〜' or '~' or '～' or '―' or '‐' or 'ｰ')
            {
                // Typed in many ways or not at all; kept (as ー) only for the segmentation, after a katakana.
                if (keepLongVowels && c is 'ー' or 'ｰ' && !pendingSpace && sb.Length > 0 && IsKatakana(sb[^1]))
                {
                    sb.Append('ー');
                }

                continue;
            }

            if (IsBreak(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace && sb.Length > 0)
            {
                sb.Append(' ');
            }

            pendingSpace = false;
            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    public static bool IsHiragana(char c) => c is >= 'ぁ' and <= 'ゟ';

    public static bool IsKatakana(char c) => c is >= 'ァ' and <= 'ヿ';

    public static bool IsKanji(char c) => c is (>= '一' and <= '鿿') or (>= '㐀' and <= '䶿') or '々' or '〆' or 'ヶ';

    /// <summary>Kanji, katakana, letters and digits: what carries the content of a Japanese sentence.</summary>
    public static bool IsContent(char c) => IsKanji(c) || IsKatakana(c) || char.IsAsciiLetterOrDigit(c);

    /// <summary>
    /// Where a word occurs in a text, from <paramref name="start"/>, or -1. A short katakana or Latin word (ログ, id,
    /// ai) counts only standing on its own: ログ is not in ログイン or ブログ, id not in android.
    /// </summary>
    public static int IndexOfWord(string text, string word, int start = 0)
    {
        var katakana = word.Length <= 2 && word.All(IsKatakana);
        var latin = word.Length <= 3 && word.All(char.IsAsciiLetterOrDigit);
        for (var at = text.IndexOf(word, start, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            if (!katakana && !latin)
            {
                return at;
            }

            Func<char, bool> sameKind = katakana ? IsKatakana : char.IsAsciiLetterOrDigit;
            if ((at == 0 || !sameKind(text[at - 1])) && (at + word.Length >= text.Length || !sameKind(text[at + word.Length])))
            {
                return at;
            }
        }

        return -1;
    }

    public static string ToHiragana(string text) =>
        string.Create(text.Length, text, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = s[i] is >= 'ァ' and <= 'ヶ' ? (char)(s[i] - 0x60) : s[i];
            }
        });

    public static string ToKatakana(string text) =>
        string.Create(text.Length, text, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = s[i] is >= 'ぁ' and <= 'ゖ' ? (char)(s[i] + 0x60) : s[i];
            }
        });

    private static bool IsBreak(char c)
    {
        if (char.IsWhiteSpace(c))
        {
            return true;
        }

        var category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.OtherPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.OtherSymbol
            or UnicodeCategory.ModifierSymbol or UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned;
    }
}
