using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Guidelines;

public sealed class GuidelinesOptions : IValidatableObject
{
    public const string SectionName = "Guidelines";

    /// <summary>Folder of guideline documents (.md, .txt, .pdf, .docx); relative paths are under the app folder.</summary>
    [Required]
    public string Path { get; set; } = System.IO.Path.Combine("Content", "guidelines");

    /// <summary>Synonym groups expanded into each question before analysis (one group a line).</summary>
    [Required]
    public string SynonymsPath { get; set; } = System.IO.Path.Combine("Content", "guideline-synonyms.txt");

    /// <summary>Who answers what the guideline does not: named in every refusal.</summary>
    [Required]
    public string Contact { get; set; } = "政策課デジタル推進係";

    /// <summary>Sections longer than this are split on paragraph boundaries into several chunks.</summary>
    [Range(200, 20_000)]
    public int MaxChunkLength { get; set; } = 700;

    /// <summary>Quiet time after the last file change before the folder is read again.</summary>
    [Range(50, 60_000)]
    public int ReloadDebounceMilliseconds { get; set; } = 500;

    /// <summary>
    /// Share (0..1) of the question (its words weighted by rarity, a synonym group counting once) the best section must
    /// hold to be answered; below it the answer is the refusal. Calibrated on the evaluation sets (docs/guidelines.md).
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinCoverage { get; set; } = 0.45;

    /// <summary>
    /// Rank again with the words the first sections share (pseudo-relevance feedback, GuidelineIndex.Feedback). On for
    /// guideline documents, where the development sets gain from it; the plan turns it off (its development set loses a
    /// question with it). Measured in docs/evaluation.md.
    /// </summary>
    public bool Feedback { get; set; } = true;

    /// <summary>The weights of retrieval and of the answer (measured on the dev sets, docs/guidelines.md "Calibrated weights"); the plan's retrieval uses them too.</summary>
    public GuidelineWeights Weights { get; set; } = new();

    /// <summary>Words that make a question about the guideline whatever else it says.</summary>
    public IReadOnlyList<string> TopicWords { get; set; } = ["生成AI", "手引き"];

    public string FullPath => ResolveFromApp(Path);

    public string SynonymsFullPath => ResolveFromApp(SynonymsPath);

    private static string ResolveFromApp(string path) =>
        System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(AppContext.BaseDirectory, path);

    // ValidateDataAnnotations checks this object's own properties only: the weights' ranges are checked here, at start, so
    // that a negative weight (which would turn a ranking upside down) stops the host instead of being taken.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Weights, new ValidationContext(Weights), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"Guidelines:Weights: {r.ErrorMessage}", r.MemberNames.Select(m => $"Weights.{m}")));
    }
}
