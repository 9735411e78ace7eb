using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Plan;

/// <summary>
/// The weights <see cref="PlanHandler"/> ranks and claims the plan's passages with, in one record so that they can be
/// calibrated with the guideline's on all the development sets (docs/guidelines.md "Calibrated weights"). Bound from
/// <c>Plan:Weights</c>. The defaults are the values picked by hand before: on all the development sets (session 15) no
/// step of any of them alone (down or up) gained a question, so none was changed; GlossaryWeight changed nothing
/// between 0.6 and 1.0. Ranges tried and figures: docs/guidelines.md.
/// </summary>
public sealed record PlanWeights
{
    /// <summary>A further section is quoted only when it ranks at least this close to the best one (not seen by the calibration's objective).</summary>
    [Range(0.0, 1.0)]
    public double SecondSectionRatio { get; init; } = 0.75;

    /// <summary>The previous plan's sheets (参考資料) rank at this share of their score unless the question names the previous plan.</summary>
    [Range(0.0, 1.0)]
    public float PreviousPlanWeight { get; init; } = 0.8f;

    /// <summary>The share of the question a section must hold to answer a question that names neither the plan nor its parts.</summary>
    [Range(0.0, 1.0)]
    public double UnnamedCoverage { get; init; } = 0.6;

    /// <summary>The lower share that will do when the section holds every word of the question the plan writes anywhere.</summary>
    [Range(0.0, 1.0)]
    public double UnnamedKnownCoverage { get; init; } = 0.5;

    /// <summary>A glossary entry ranks at this share of its score unless the question asks what a word means.</summary>
    [Range(0.0, 1.0)]
    public float GlossaryWeight { get; init; } = 0.8f;
}
