using System.Text;
using ShiogamaDx.Bot.Tests.Conversations;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Evaluation;

/// <summary>
/// No evaluation question may stand word for word in what the bot answers from (catalog examples and keywords, word
/// lists, synonyms, aliases, dialog triggers, prompts, comments): a question found there measures the copy, not the
/// understanding. Every .tsv under tests/ is an evaluation set; its first column is the question. Text written for
/// people to read (a procedure's name, description, fee; a dialog's message) is the content itself, not a matching
/// aid: a question found only there is listed, not failed.
/// </summary>
public sealed partial class EvaluationLeakTests(ITestOutputHelper output)
{
    /// <summary>YAML keys whose value is shown to people, not written to be matched.</summary>
    private static readonly HashSet<string> ShownKeys =
    [
        "name", "title", "description", "how", "fee", "bring", "department", "contact", "summary", "effect", "source",
        "text", "prompt", "greeting", "notUnderstood", "note", "notes",
    ];

    /// <summary>Shorter questions are single words (住民票, 粗大ごみ) that a catalog cannot help naming.</summary>
    private const int MinimumLength = 6;

    private enum Audience
    {
        Resident,
        Staff,
        Both,
    }

    [Fact]
    public void NoEvaluationQuestion_StandsInAnyContentFile()
    {
        var content = ContentFiles().ToList();
        var sets = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests"), "*.tsv", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Order(StringComparer.Ordinal)
            .ToList();

        var checkedQuestions = 0;
        var leaks = new List<string>();
        var shown = new List<string>();
        foreach (var set in sets)
        {
            var audience = SetAudience(set);
            foreach (var question in Questions(set))
            {
                var text = Normalize(question);
                if (text.Length < MinimumLength)
                {
                    continue;
                }

                checkedQuestions++;
                foreach (var (file, fileAudience, lines) in content.Where(c => Reaches(audience, c.Audience)))
                {
                    foreach (var (number, line, isShown) in lines.Where(l => l.Text.Contains(text, StringComparison.Ordinal)))
                    {
                        (isShown ? shown : leaks).Add($"{Relative(set)}: 「{question}」 stands in {Relative(file)}:{number}");
                    }
                }
            }
        }

        output.WriteLine($"{checkedQuestions} questions of {sets.Count} sets checked against {content.Count} content files; {leaks.Count} leaks");
        leaks.ForEach(output.WriteLine);
        output.WriteLine($"found only in text shown to people (names, descriptions, messages; not failed): {shown.Count}");
        shown.ForEach(output.WriteLine);
        Assert.True(sets.Count >= 8 && checkedQuestions >= 500, $"only {checkedQuestions} questions in {sets.Count} sets were found: has a folder moved?");
        Assert.Contains(sets, s => Relative(s).EndsWith("/Evaluation/resident-measures.tsv", StringComparison.Ordinal));
        Assert.Equal(Audience.Resident, SetAudience(sets.First(s => s.EndsWith("resident-measures.tsv", StringComparison.Ordinal))));
        Assert.True(content.Count >= 10, $"only {content.Count} content files were found: has a folder moved?");
        Assert.True(leaks.Count == 0, $"{leaks.Count} evaluation questions stand word for word in content:\n{string.Join("\n", leaks)}");
    }

    /// <summary>
    /// Issue #24's sets (Evaluation/Languages/): 60 questions in やさしい日本語 and 30 in each foreign language, each naming
    /// a procedure of the catalog or the class schedule. Checked here so that a moved or shortened set is noticed
    /// (the leak check above reads every .tsv, these included).
    /// </summary>
    [Theory]
    [InlineData("easy", 60)]
    [InlineData("en", 30)]
    [InlineData("zh", 30)]
    [InlineData("ko", 30)]
    [InlineData("vi", 30)]
    [InlineData("pt", 30)]
    [InlineData("tl", 30)]
    [InlineData("easy-fresh", 57)]
    [InlineData("easy-blind", 48)]
    [InlineData("pt-blind", 15)]
    [InlineData("tl-blind", 13)]
    [InlineData("easy-fresh2", 48)]
    [InlineData("pt-fresh2", 26)]
    [InlineData("tl-fresh2", 24)]
    [InlineData("vi-fresh2", 22)]
    [InlineData("easy-dev3", 15)]
    [InlineData("en-dev3", 10)]
    [InlineData("pt-dev3", 12)]
    [InlineData("tl-dev3", 15)]
    [InlineData("vi-dev3", 15)]
    public void LanguageSet_IsCompleteAndNamesExistingAnswers(string language, int size)
    {
        var set = Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Evaluation", "Languages", $"resident-{language}-questions.tsv");
        var rows = File.ReadLines(set).Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(1).Select(l => l.Split('\t')).ToList();
        var catalog = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", "procedures.yaml"));
        Assert.Equal(size, rows.Count);
        Assert.All(rows, r => Assert.Equal(2, r.Length));
        Assert.All(rows, r => Assert.True(r[1] == "classes" || catalog.Contains($"- id: {r[1]}\n", StringComparison.Ordinal), $"「{r[0]}」 expects {r[1]}, which is neither a procedure nor classes"));
        Assert.Equal(rows.Count, rows.Select(r => Normalize(r[0])).Distinct().Count());
        Assert.Equal(Audience.Resident, SetAudience(set));
    }

    [Theory]
    [InlineData("住民票を とりたい？", "住民票をとりたい")]
    [InlineData("ＯＫです！", "okです")]
    [InlineData("　ｽﾏﾎ教室\t", "スマホ教室")]
    public void Normalize_FoldsWidthCaseSpacesAndTrailingPunctuation(string text, string expected) =>
        Assert.Equal(expected, Normalize(text));

    /// <summary>NFKC, lower case, no whitespace at all (Japanese does not need it to be read), no trailing ?!。.</summary>
    internal static string Normalize(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded.Where(c => !char.IsWhiteSpace(c)))
        {
            sb.Append(c);
        }

        return sb.ToString().TrimEnd('?', '!', '。', '.', '、', ',');
    }

    private static IEnumerable<string> Questions(string set) =>
        File.ReadLines(set)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t')[0])
            .Where(q => q != "question"); // a header row

    private static IEnumerable<(string File, Audience Audience, List<(int Number, string Text, bool Shown)> Lines)> ContentFiles()
    {
        var content = Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content");
        var files = Directory.EnumerateFiles(content, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".txt" or ".md")
            .Concat(Directory.EnumerateFiles(RepoPaths.Dialogs, "*", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(RepoPaths.Prompts, "*", SearchOption.AllDirectories));
        return files.Select(f => (f, ContentAudience(f), File.ReadLines(f).Select((line, i) => (i + 1, Normalize(line), IsShown(f, line))).ToList()));
    }

    private static bool IsShown(string file, string line) =>
        Path.GetExtension(file) is ".yaml" or ".yml" && YamlKey().Match(line) is { Success: true } key && ShownKeys.Contains(key.Groups[1].Value);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(?:-\s+)?([A-Za-z]+):")]
    private static partial System.Text.RegularExpressions.Regex YamlKey();

    /// <summary>
    /// Which audience's answers a content file can shape. A resident's question cannot reach the staff's KPI aliases
    /// or the guideline, nor a staff question the residents' catalog; anything not named here counts for both.
    /// </summary>
    private static Audience ContentAudience(string file)
    {
        var path = Relative(file);
        return path switch
        {
            _ when path.Contains("/Content/guidelines/", StringComparison.Ordinal) => Audience.Staff,
            _ when path.EndsWith("/Content/kpis.yaml", StringComparison.Ordinal) => Audience.Staff,
            _ when path.EndsWith("/Content/guideline-synonyms.txt", StringComparison.Ordinal) => Audience.Staff,
            _ when path.EndsWith("/Content/trainings.yaml", StringComparison.Ordinal) => Audience.Staff,
            _ when path.EndsWith("/Content/procedures.yaml", StringComparison.Ordinal) => Audience.Resident,
            _ when path.EndsWith("/Content/procedure-words.yaml", StringComparison.Ordinal) => Audience.Resident,
            _ when path.EndsWith("/Content/guides.yaml", StringComparison.Ordinal) => Audience.Resident,
            _ when path.EndsWith("/Content/classes.yaml", StringComparison.Ordinal) => Audience.Resident,
            _ when path.EndsWith("/Content/richmenu.yaml", StringComparison.Ordinal) => Audience.Resident,
            _ when path.Contains("/Content/languages/", StringComparison.Ordinal) => Audience.Resident,
            _ => Audience.Both,
        };
    }

    private static Audience SetAudience(string set)
    {
        var path = Relative(set);
        var name = Path.GetFileName(set);
        return path switch
        {
            _ when path.Contains("/Procedures/", StringComparison.Ordinal) || name.StartsWith("resident-", StringComparison.Ordinal) => Audience.Resident,
            _ when path.Contains("/Guidelines/", StringComparison.Ordinal) || path.Contains("/Kpis/", StringComparison.Ordinal)
                || name.StartsWith("guideline-", StringComparison.Ordinal) || name.StartsWith("kpi-", StringComparison.Ordinal) || name.StartsWith("staff-", StringComparison.Ordinal) => Audience.Staff,
            _ => Audience.Both,
        };
    }

    private static bool Reaches(Audience question, Audience file) => question == Audience.Both || file == Audience.Both || question == file;

    private static bool IsBuildOutput(string file) =>
        Relative(file).Split('/').Any(part => part is "bin" or "obj");

    private static string Relative(string file) => "/" + Path.GetRelativePath(RepoPaths.Root, file).Replace('\\', '/');
}
