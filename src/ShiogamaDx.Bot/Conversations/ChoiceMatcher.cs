using System.Globalization;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>Every offered choice can be answered by typing its label or its number (CONTRACT.md).</summary>
public static class ChoiceMatcher
{
    public static Choice? Match(string text, IReadOnlyList<Choice> choices)
    {
        var normalized = TextNormalizer.Normalize(text);
        if (normalized.Length == 0 || choices.Count == 0)
        {
            return null;
        }

        // "1", "１", "1番", "1ばん", "①"
        var digits = normalized.TrimEnd('番', 'ば', 'ん', 'め', '.');
        if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= choices.Count)
        {
            return choices[number - 1];
        }

        var exact = choices.FirstOrDefault(c => TextNormalizer.Normalize(c.Label) == normalized);
        if (exact is not null)
        {
            return exact;
        }

        // A typed fragment that names exactly one choice ("だいたい" for だいたい理解できた).
        var partial = choices.Where(c => normalized.Length >= 2 && TextNormalizer.Normalize(c.Label).Contains(normalized, StringComparison.Ordinal)).ToList();
        return partial.Count == 1 ? partial[0] : null;
    }
}
