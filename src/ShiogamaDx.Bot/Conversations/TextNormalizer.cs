using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>Matching keys for the dialog runtime and choices; the normalisation itself is <see cref="JapaneseText"/>.</summary>
public static class TextNormalizer
{
    public static string Normalize(string? text) => JapaneseText.Normalize(text);

    /// <summary>The common form of a variant kanji (竈 → 竃); any other character unchanged.</summary>
    public static char FoldVariant(char c) => JapaneseText.FoldVariant(c);

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
