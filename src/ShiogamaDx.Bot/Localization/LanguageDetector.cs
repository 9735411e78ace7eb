using System.Globalization;
using System.Text;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// The language a message is written in, when the message itself says so: kana is Japanese, Hangul Korean, Han
/// characters with Chinese-only characters or function words Chinese, and Latin script by its letters and little
/// words (Vietnamese tones, Portuguese ã/ç, Tagalog ng/sa/po). Null when it cannot tell (a number, a name, 住民票
/// alone): then the resident's stored language or their LINE profile decides.
/// </summary>
public static class LanguageDetector
{
    // Simplified forms Shift_JIS also holds (个, 儿, 气: rare in Japanese, common in Chinese); every other character
    // only Chinese writes is told by NotJapanese.
    private const string ChineseOnly = "个儿广据挂决况厂听坏弯梦楼气粮网苹范赶践随做";

    /// <summary>
    /// The Han characters a Japanese keyboard does not type: those outside Shift_JIS (code page 932, the JIS kanji
    /// with the vendors' additions), as most simplified forms are (从, 盐, 灶, 么, 办). Read once, for the whole block.
    /// </summary>
    private static readonly Lazy<System.Collections.BitArray> NotJapanese = new(() =>
    {
        var sjis = CodePagesEncodingProvider.Instance.GetEncoding(932, new EncoderReplacementFallback("?"), DecoderFallback.ReplacementFallback)!;
        var bits = new System.Collections.BitArray(0x9FFF - 0x4E00 + 1);
        var one = new char[1];
        for (var c = '\u4E00'; c <= '\u9FFF'; c++)
        {
            one[0] = c;
            bits[c - 0x4E00] = sjis.GetBytes(one) is [(byte)'?'];
        }

        return bits;
    });

    /// <summary>Whether a Han character is one only Chinese writes (see <see cref="NotJapanese"/> and <see cref="ChineseOnly"/>).</summary>
    internal static bool IsChineseOnly(char c) =>
        c is >= '\u4E00' and <= '\u9FFF' && (NotJapanese.Value[c - 0x4E00] || ChineseOnly.Contains(c, StringComparison.Ordinal));
    // With Han characters only: words of a Chinese sentence that a Japanese message of kanji alone (住民票請求, 要介護認定,
    // 国民健康保険 加入) does not hold, as Japanese writes them with kana or other characters (之前 → 前に, 以后 → 以後, 我 → 私).
    private static readonly string[] ChineseWords = ["怎么", "什么", "哪里", "哪儿", "可以", "我们", "需要", "想要", "的", "了吗", "吗", "呢", "在哪", "多少",
        "我", "你", "您", "是", "之前", "之后", "以后", "后", "没有", "不能", "不是", "不要", "怎样", "一下", "他们", "还是", "或者",
        // Everyday words for days, family, moving and work that Japanese writes otherwise (今日, 子供, 来週, 引っ越し,
        // ワクチン, 家, 出勤); not 看病 or 老婆, which Japanese also writes.
        "今天", "明天", "昨天", "星期", "礼拜", "上周", "下周", "本周", "孩子", "小孩", "宝宝", "老公", "搬家", "搬去", "搬到",
        "疫苗", "房子", "上班", "下班"];

    private static readonly Dictionary<string, string[]> LatinWords = new(StringComparer.Ordinal)
    {
        ["en"] = ["the", "how", "what", "where", "when", "can", "do", "does", "is", "are", "my", "i", "to", "for", "want", "need", "please", "of", "and", "a", "an", "with", "which", "get", "apply", "register", "have", "hello", "hi", "help", "english", "it", "in", "at", "from", "next", "week"],
        ["pt"] = ["o", "a", "os", "as", "de", "do", "da", "dos", "das", "como", "quero", "preciso", "para", "onde", "quando", "meu", "minha", "um", "uma", "que", "eu", "nao", "tem", "posso", "fazer", "pelo", "pela", "no", "na", "em", "se", "vou", "ola", "obrigado", "obrigada", "portugues", "qual", "quais", "e"],
        ["tl"] = ["ang", "ng", "mga", "sa", "ko", "po", "ba", "paano", "saan", "kailan", "ako", "gusto", "kailangan", "ano", "na", "lang", "kong", "naming", "ni", "si", "may", "puwede", "pwede", "para", "magkano", "salamat", "tagalog", "dito", "rin", "ang", "namin", "ito", "yung", "akin"],
        ["vi"] = ["toi", "la", "cua", "co", "khong", "lam", "gi", "the", "nao", "o", "dau", "muon", "can", "cho", "va", "duoc", "bao", "nhieu", "khi", "nay", "xin", "cam", "on", "chao", "tieng", "viet", "mot", "nhung", "voi", "den", "tu", "di", "thi", "sao"],
    };

    private static readonly string[] TieOrder = ["en", "pt", "tl", "vi"];

    public static string? Detect(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        int kana = 0, hangul = 0, han = 0, latin = 0, chineseOnly = 0;
        foreach (var c in text)
        {
            if (c is >= '\u3041' and <= '\u30FF' and not '\u30FB' and not '\u30FC')
            {
                kana++;
            }
            else if (c is >= '\uAC00' and <= '\uD7A3' or >= '\u1100' and <= '\u11FF' or >= '\u3130' and <= '\u318F')
            {
                hangul++;
            }
            else if (c is >= '\u4E00' and <= '\u9FFF')
            {
                han++;
                chineseOnly += IsChineseOnly(c) ? 1 : 0;
            }
            else if (char.IsAsciiLetter(c) || (c >= '\u00C0' && c <= '\u024F') || (c >= '\u1E00' && c <= '\u1EFF'))
            {
                latin++;
            }
        }

        if (kana > 0)
        {
            return LanguagePack.Japanese; // a Japanese sentence may well quote a Latin or Korean word
        }

        if (hangul > 0 && hangul >= han)
        {
            return "ko";
        }

        if (han > 0)
        {
            return chineseOnly > 0 || ChineseWords.Any(w => text.Contains(w, StringComparison.Ordinal)) ? "zh" : null;
        }

        return latin >= 2 ? DetectLatin(text) : null;
    }

    /// <summary>
    /// Whether a message <see cref="Detect"/> reads as Japanese is a Japanese sentence, enough to move a resident who
    /// keeps another language to Japanese: kana written with kanji (住民票がほしい, ごみの日はいつ) of at least
    /// <see cref="MixedSentence"/> letters, or at least <see cref="KanaSentence"/> letters. One word a resident of
    /// another language has picked up (やめる, キャンセル, じゅうみんひょう, ごみの日) is not: it is answered in the
    /// language they keep.
    /// </summary>
    public static bool IsJapaneseSentence(string? text)
    {
        int kana = 0, kanji = 0;
        foreach (var c in text ?? string.Empty)
        {
            if (c is >= '\u3041' and <= '\u30FF' and not '\u30FB' and not '\u30FC')
            {
                kana++;
            }
            else if (c is >= '\u4E00' and <= '\u9FFF' or '々')
            {
                kanji++;
            }
        }

        return kana > 0 && ((kanji > 0 && kana + kanji >= MixedSentence) || kana + kanji >= KanaSentence);
    }

    /// <summary>Letters of a message mixing kana and kanji that make it a sentence (住民票がほしい: 7; ごみの日: 4, a word).</summary>
    internal const int MixedSentence = 5;

    /// <summary>Letters of a kana-only message that make it a sentence rather than one word (じゅうみんひょう: 8).</summary>
    internal const int KanaSentence = 10;

    private static string? DetectLatin(string text)
    {
        var lower = text.ToLowerInvariant();
        // Letters only Vietnamese writes (ơ ư ă đ and the tone marks under vowels) settle it at once.
        if (lower.Any(c => "ơưăđ".Contains(c, StringComparison.Ordinal) || (c >= '\u1EA0' && c <= '\u1EF9')))
        {
            return "vi";
        }

        var words = Words(lower);
        if (words.Count == 0)
        {
            return null;
        }

        var scores = LatinWords.ToDictionary(kv => kv.Key, kv => words.Count(w => kv.Value.Contains(w)), StringComparer.Ordinal);
        if (lower.Any(c => "ãõç".Contains(c, StringComparison.Ordinal)) || lower.Contains("ção", StringComparison.Ordinal))
        {
            scores["pt"] += 2;
        }

        // A Tagalog verb is often prefixed: mag-, nag-, pag-, i- with a hyphen before a borrowed word.
        scores["tl"] += words.Count(w => w.StartsWith("mag", StringComparison.Ordinal) || w.StartsWith("nag", StringComparison.Ordinal) || w.StartsWith("pag", StringComparison.Ordinal) || w.StartsWith("ipag", StringComparison.Ordinal));
        // On a tie the language more often typed without its accents loses: Vietnamese without tones is rare.
        var best = scores.OrderByDescending(kv => kv.Value).ThenBy(kv => Array.IndexOf(TieOrder, kv.Key)).First();
        if (best.Value == 0)
        {
            // Latin letters and no little word at all: a name, a brand, a code. English as the common guess only when long.
            return words.Count >= 3 ? "en" : null;
        }

        return best.Key;
    }

    /// <summary>Lower-case words without accents (Vietnamese and Portuguese are often typed without them).</summary>
    internal static List<string> Words(string text)
    {
        var folded = Fold(text);
        var words = new List<string>();
        var sb = new StringBuilder();
        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0)
            {
                words.Add(sb.ToString());
                sb.Clear();
            }
        }

        if (sb.Length > 0)
        {
            words.Add(sb.ToString());
        }

        return words;
    }

    /// <summary>Lower case, accents removed, đ as d.</summary>
    internal static string Fold(string text)
    {
        var decomposed = text.ToLowerInvariant().Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark))
        {
            sb.Append(c);
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
