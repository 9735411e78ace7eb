using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Plan;

public sealed class PlanOptions : IValidatableObject
{
    public const string SectionName = "Plan";

    /// <summary>Folder of the plan's documents (the bundled 塩竈市DX推進プラン); relative paths are under the app folder.</summary>
    [Required]
    public string Path { get; set; } = System.IO.Path.Combine("Content", "plan");

    /// <summary>Share (0..1) of the question the best section must hold to be answered from the plan (as Guidelines:MinCoverage).</summary>
    [Range(0.0, 1.0)]
    public double MinCoverage { get; set; } = 0.35;

    /// <summary>How the plan's passages are ranked and claimed (measured on the dev sets, docs/guidelines.md "Calibrated weights").</summary>
    public PlanWeights Weights { get; set; } = new();

    public string FullPath => System.IO.Path.IsPathRooted(Path) ? Path : System.IO.Path.Combine(AppContext.BaseDirectory, Path);

    // ValidateDataAnnotations checks this object's own properties only: the weights' ranges are checked here, at start, so
    // that a negative weight (which would turn a ranking upside down) stops the host instead of being taken.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Weights, new ValidationContext(Weights), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"Plan:Weights: {r.ErrorMessage}", r.MemberNames.Select(m => $"Weights.{m}")));
    }
}
