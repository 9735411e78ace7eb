using System.Collections.Concurrent;
using ShiogamaDx.Bot.Assistant;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// Japanese text the city has not translated, translated by the optional LLM (prompts/translate.yaml) and kept in
/// memory by language and text, so each sentence costs one call per host. Null without an LLM, or when it fails: the
/// caller then says in the resident's language that the text exists only in Japanese.
/// </summary>
public sealed class MachineTranslator(AssistantClient assistant)
{
    public const string Prompt = "translate";
    private const int MaxEntries = 20_000;

    private static readonly IReadOnlyDictionary<string, string> LanguageNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["en"] = "English",
        ["zh"] = "Simplified Chinese",
        ["ko"] = "Korean",
        ["vi"] = "Vietnamese",
        ["pt"] = "Brazilian Portuguese",
        ["tl"] = "Tagalog",
        ["easy"] = "やさしい日本語 (short sentences, common words, readings in parentheses for difficult kanji)",
    };

    private readonly ConcurrentDictionary<(string Language, string Text), string> cache = new();

    public bool IsEnabled => assistant.IsEnabled;

    public async Task<string?> TranslateAsync(string japanese, string language, CancellationToken ct)
    {
        if (!assistant.IsEnabled || string.IsNullOrWhiteSpace(japanese) || !LanguageNames.TryGetValue(language, out var name))
        {
            return null;
        }

        if (cache.TryGetValue((language, japanese), out var known))
        {
            return known;
        }

        var translated = await assistant.CompleteAsync(Prompt, new Dictionary<string, string>(StringComparer.Ordinal) { ["language"] = name, ["text"] = japanese }, ct);
        if (translated is null)
        {
            return null;
        }

        if (cache.Count >= MaxEntries)
        {
            cache.Clear();
        }

        cache[(language, japanese)] = translated;
        return translated;
    }
}
