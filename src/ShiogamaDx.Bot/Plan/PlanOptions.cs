using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Plan;

public sealed class PlanOptions
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
}
