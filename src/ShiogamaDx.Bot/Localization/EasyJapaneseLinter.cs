namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// Checks a やさしい日本語 text the way the national guideline (在留支援のためのやさしい日本語ガイドライン) asks: short
/// sentences, and kanji outside the everyday list (the kanji of the first two school years) only with their reading in
/// parentheses right after them (住民票（じゅうみんひょう）) or right before them (じゅうみんひょう（住民票）).
/// </summary>
public static class EasyJapaneseLinter
{
    /// <summary>Characters of one sentence, spaces and readings in parentheses not counted.</summary>
    public const int MaxSentence = 40;

    /// <summary>The kanji of school years 1 and 2 (学年別漢字配当表, 240 characters): read by nearly everyone.</summary>
    public const string Everyday =
        "一右雨円王音下火花貝学気九休玉金空月犬見五口校左三山子四糸字耳七車手十出女小上森人水正生青夕石赤千川先早草足村大男竹中虫町天田土二日入年白八百文木本名目立力林六" +
        "引羽雲園遠何科夏家歌画回会海絵外角楽活間丸岩顔汽記帰弓牛魚京強教近兄形計元言原戸古午後語工公広交光考行高黄合谷国黒今才細作算止市矢姉思紙寺自時室社弱首秋週春書少場色食心新親図数西声星晴切雪船線前組走多太体台地池知茶昼長鳥朝直通弟店点電刀冬当東答頭同道読内南肉馬売買麦半番父風分聞米歩母方北毎妹万明鳴毛門夜野友用曜来里理話";

    public static IReadOnlyList<string> Check(string text)
    {
        var problems = new List<string>();
        foreach (var sentence in Sentences(text))
        {
            var length = WithoutReadings(sentence).Count(c => !char.IsWhiteSpace(c));
            if (length > MaxSentence)
            {
                problems.Add($"sentence of {length} characters (at most {MaxSentence}): 「{Excerpt(sentence)}」");
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!IsKanji(text[i]))
            {
                continue;
            }

            var start = i;
            while (i < text.Length && IsKanji(text[i]))
            {
                i++;
            }

            var word = text[start..i];
            if (word.All(c => Everyday.Contains(c, StringComparison.Ordinal) || c == '々') || HasReading(text, start, i))
            {
                continue;
            }

            var hard = string.Concat(word.Where(c => !Everyday.Contains(c, StringComparison.Ordinal) && c != '々').Distinct());
            problems.Add($"「{word}」 needs its reading in parentheses, e.g. {word}（よみ） ({hard} is not an everyday kanji)");
        }

        return problems;
    }

    private static bool HasReading(string text, int start, int end)
    {
        // Reading after: 住民票（じゅうみんひょう）, also with okurigana first: 届け（とどけ）.
        var j = end;
        while (j < text.Length && j - end < 3 && IsHiragana(text[j]))
        {
            j++;
        }

        for (var k = end; k <= j; k++)
        {
            if (k < text.Length && text[k] is '（' or '(' && Reading(text, k + 1))
            {
                return true;
            }
        }

        // Reading before: じゅうみんひょう（住民票）.
        return start >= 2 && text[start - 1] is '（' or '(' && IsKana(text[start - 2]);
    }

    private static bool Reading(string text, int from)
    {
        var close = text.IndexOfAny(['）', ')'], from);
        return close > from && text[from..close].All(c => IsKana(c) || c is 'ー' or '・' or ' ');
    }

    private static IEnumerable<string> Sentences(string text) =>
        text.Split(['。', '！', '？', '!', '?', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string WithoutReadings(string sentence) =>
        System.Text.RegularExpressions.Regex.Replace(sentence, @"[（(][^）)]*[）)]", string.Empty);

    private static string Excerpt(string sentence) => sentence.Length <= 30 ? sentence : sentence[..29] + "…";

    private static bool IsKanji(char c) => c is >= '\u4E00' and <= '\u9FFF' or '々';

    private static bool IsHiragana(char c) => c is >= '\u3041' and <= '\u309F';

    private static bool IsKana(char c) => c is >= '\u3041' and <= '\u30FF';
}
