namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// Synonym groups (Content/guideline-synonyms.txt) expanded into a question before analysis. Matching ignores
/// the kana script, so 「ちゃっとGPT」 finds the group of チャットGPT.
/// </summary>
internal sealed class GuidelineSynonyms(IReadOnlyList<IReadOnlyList<string>> groups)
{
    public static readonly GuidelineSynonyms Empty = new([]);

    public IReadOnlyList<IReadOnlyList<string>> Groups { get; } = groups;

    /// <summary>
    /// Read only where the question's word is one the document never writes (the plan's file, PlanLibrary): a word the
    /// document writes stays the question's own word, so a question in the document's terms is read as without the file,
    /// and the group is looked for as any of its words in the document, a word the analysis splits as its words in a row.
    /// </summary>
    public bool OnlyForUnwrittenWords { get; init; }

    /// <summary>Each word as the file writes it, long vowels kept (セキュリティポリシー): what the analysis segments.</summary>
    public IReadOnlyDictionary<string, string> Written { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public static GuidelineSynonyms Parse(string text, string file)
    {
        var groups = new List<IReadOnlyList<string>>();
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var raw = trimmed.Split([',', '、', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var w in raw)
            {
                written.TryAdd(GuidelineText.Normalize(w), GuidelineText.WithLongVowels(w, GuidelineText.Normalize(w)));
            }

            var words = raw
                .Select(GuidelineText.Normalize)
                .Where(w => w.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (words.Count < 2)
            {
                throw new Conversations.ContentFileException(file, lineNumber, "a synonym group needs at least two words separated by commas");
            }

            // A word in two groups would silently belong to whichever comes first: the list must say which.
            foreach (var word in words)
            {
                var key = GuidelineText.ToKatakana(word);
                if (!firstLine.TryAdd(key, lineNumber) && firstLine[key] != lineNumber)
                {
                    throw new Conversations.ContentFileException(file, lineNumber, $"「{word}」 is already in the group on line {firstLine[key]}");
                }
            }

            groups.Add(words);
        }

        return new GuidelineSynonyms(groups) { Written = written };
    }

    /// <summary>
    /// The synonym files of a folder's documents, by the document's file name within the folder: 「規程.synonyms.txt」
    /// belongs to the document 「規程.*」 beside it and applies to its sections only. A broken file is reported and skipped.
    /// </summary>
    public static IReadOnlyDictionary<string, GuidelineSynonyms> ForDocuments(string folder, Action<string, Exception> skipped)
    {
        var result = new Dictionary<string, GuidelineSynonyms>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return result;
        }

        var suffix = Documents.DocumentReader.SynonymsSuffix;
        foreach (var file in Directory.EnumerateFiles(folder, "*" + suffix, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var stem = Path.GetFileName(file)[..^suffix.Length];
            var directory = Path.GetDirectoryName(file)!;
            var documents = Directory.EnumerateFiles(directory, stem + ".*")
                .Where(d => !d.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && Path.GetFileNameWithoutExtension(d) == stem)
                .ToList();
            try
            {
                var groups = Parse(File.ReadAllText(file), file);
                foreach (var document in documents)
                {
                    result[Path.GetRelativePath(folder, document)] = groups;
                }
            }
            catch (Exception ex) when (ex is Conversations.ContentFileException or IOException or UnauthorizedAccessException)
            {
                skipped(file, ex);
            }
        }

        return result;
    }

    /// <summary>
    /// The groups the normalised question mentions, and the question with those mentions blanked out. A mention
    /// <paramref name="written"/> says the document writes is left in the question and reads no group.
    /// </summary>
    public (IReadOnlyList<IReadOnlyList<string>> Hits, string Residual) Find(string normalized, Func<string, bool>? written = null)
    {
        var hits = new List<IReadOnlyList<string>>();
        var residual = normalized;
        var unread = normalized; // the mentions read so far blanked, the document's own words too
        var candidates = Groups
            .SelectMany(g => g.SelectMany(w => Forms(w).Select(v => (Group: g, Form: v))))
            .OrderByDescending(c => c.Form.Length);
        foreach (var (group, form) in candidates)
        {
            var at = GuidelineText.IndexOfWord(unread, form);
            if (at < 0)
            {
                continue;
            }

            // Blank every mention so a shorter word of another group cannot match inside it.
            var own = written?.Invoke(form) ?? false;
            while (at >= 0)
            {
                unread = string.Concat(unread.AsSpan(0, at), new string(' ', form.Length), unread.AsSpan(at + form.Length));
                if (!own)
                {
                    residual = string.Concat(residual.AsSpan(0, at), new string(' ', form.Length), residual.AsSpan(at + form.Length));
                }

                at = GuidelineText.IndexOfWord(unread, form, at + form.Length);
            }

            if (!own && !hits.Contains(group))
            {
                hits.Add(group);
            }
        }

        return (hits, residual);
    }

    /// <summary>
    /// A word as written, in hiragana and in katakana. A katakana word whose hiragana form is shorter than three
    /// characters is not looked for in hiragana: メール (めーる, normalised める) would be found in 決める, ルート in するとき.
    /// </summary>
    private static IEnumerable<string> Forms(string word)
    {
        var hiragana = GuidelineText.ToHiragana(word);
        var forms = new List<string> { word, GuidelineText.ToKatakana(word) };
        if (hiragana == word || hiragana.Length >= 3)
        {
            forms.Add(hiragana);
        }

        return forms.Distinct(StringComparer.Ordinal);
    }
}
