using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// The weights of passage retrieval (<see cref="GuidelineIndex"/>, the guideline's and the plan's) and of the
/// guideline's answer, in one record so that they can be calibrated together on the development sets
/// (tests/ShiogamaDx.Bot.Tests/Calibration, docs/guidelines.md "Calibrated weights"). Bound from
/// <c>Guidelines:Weights</c>. The defaults are the values picked by hand before: calibrated on all the development
/// sets (session 15), a larger HeadBoost (3) or a smaller BigramBoost (0.25) gained on the sample guideline and lost on
/// the three city documents, where every step away from these values tied or lost; nothing that carries across
/// documents was found, so none was changed. Ranges tried and figures: docs/guidelines.md.
/// </summary>
public sealed record GuidelineWeights
{
    /// <summary>A word of the heading path counts this many times a word of the body: the heading names what a section is about.</summary>
    [Range(0.0, 100.0)]
    public float HeadBoost { get; init; } = 2f;

    /// <summary>A word matched only as bigrams (a spelling the dictionary segments differently) counts this share of a word.</summary>
    [Range(0.0, 100.0)]
    public float BigramBoost { get; init; } = 0.5f;

    /// <summary>A question whose every word is held by at least this share of the sections names the document's subject, not a section's.</summary>
    [Range(0.0, 1.0)]
    public double CommonShare { get; init; } = 0.5;

    /// <summary>Pseudo-relevance feedback: the words of this many first sections are candidates.</summary>
    [Range(0, 1000)]
    public int FeedbackSections { get; init; } = 5;

    /// <summary>Pseudo-relevance feedback: this many of those words are added to the query.</summary>
    [Range(0, 1000)]
    public int FeedbackWords { get; init; } = 10;

    /// <summary>Pseudo-relevance feedback: the best added word weighs this share of a word of the question.</summary>
    [Range(0.0, 1.0)]
    public double FeedbackWeight { get; init; } = 0.1;

    /// <summary>The kind of section a question asks for (SectionKinds: なぜ → the background) weighs this share of a word as rare.</summary>
    [Range(0.0, 100.0)]
    public double KindWeight { get; init; } = 1;

    /// <summary>
    /// A further section is quoted only when its score and its coverage are at least this share of the best one's. It
    /// decides how many sections an answer shows, never which comes first: the calibration's objective does not see it.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SecondSectionRatio { get; init; } = 0.75;
}
