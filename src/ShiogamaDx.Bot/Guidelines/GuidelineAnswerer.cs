using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Assistant;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Guidelines;

/// <param name="Messages">What the person reads, one message a section (or one LLM answer, or the refusal).</param>
/// <param name="Sections">The sections the answer cites; empty for the refusal.</param>
internal sealed record GuidelineAnswer(IReadOnlyList<string> Messages, IReadOnlyList<GuidelineSection> Sections, bool WrittenByLlm)
{
    public bool IsRefusal => Sections.Count == 0;

    /// <summary>Refused because the question names only the guideline's subject: asking for more may help.</summary>
    public bool TooGeneral { get; init; }
}

/// <summary>
/// Answers a staff question from the guideline and nothing else. Extractive by default: the best section's number
/// and title, the sentences of it that answer, and its citation; more sections only when they score close to the
/// best. With an LLM the answer is written from the same sections and must cite one of them, else the extractive
/// answer stands. Too little in common with the guideline → the refusal, and the LLM is not called.
/// </summary>
internal sealed partial class GuidelineAnswerer(
    GuidelineLibrary library,
    AssistantClient assistant,
    IOptions<GuidelinesOptions> options,
    IOptions<AiOptions> aiOptions,
    Messages.MessageCatalog messages,
    ILogger<GuidelineAnswerer> logger)
{
    public const string PromptName = "guideline_answer";

    private const int QuoteLength = 360;

    public string Refusal => messages.Current.Format(GuidelineTexts.Refusal, options.Value.Contact);

    public async Task<GuidelineAnswer> AnswerAsync(string question, CancellationToken ct)
    {
        if (PromptInjection.IsAttempt(question))
        {
            logger.LogInformation("Guideline question refused as an attempt to steer the bot");
            return new GuidelineAnswer([Refusal], [], false);
        }

        var index = library.Current; // one index for the whole answer, though a reload may swap it meanwhile
        var search = index.Search(question);
        var found = search.Confident(options.Value);
        if (found.Count == 0)
        {
            return new GuidelineAnswer([Refusal], [], false) { TooGeneral = search.OnTopic && search.General };
        }

        var best = found[0].Score;
        var ratio = options.Value.Weights.SecondSectionRatio;
        var chosen = found.Take(3).Where((r, i) => i == 0 || (r.Score >= best * ratio && r.Coverage >= found[0].Coverage * ratio)).ToList();
        var extractive = new GuidelineAnswer(chosen.Select(r => Quote(r, search.QueryTerms, index)).ToList(), chosen.Select(r => r.Section).ToList(), false);

        if (!assistant.IsEnabled)
        {
            return extractive;
        }

        // The LLM sees the same sections the extractive answer would have used, up to three, and nothing else.
        var context = found.Take(3).Select(r => r.Section).ToList();
        var written = await assistant.CompleteAsync(PromptName, new Dictionary<string, string>
        {
            ["question"] = question,
            ["sections"] = string.Join("\n\n", context.Select(s => $"【{s.Citation}】\n{string.Join("\n", s.Paragraphs)}")),
        }, ct);
        if (written is null)
        {
            return extractive;
        }

        var cleaned = LlmOutput.RemoveLinksAndImages(written, aiOptions.Value.AllowedLinkHosts);
        var cited = LlmOutput.CitedSections(cleaned, context);
        if (cited is null)
        {
            logger.LogWarning("LLM answer cited no retrieved guideline section (or one that was not retrieved); using the extractive answer");
            return extractive;
        }

        return new GuidelineAnswer([cleaned], cited, true);
    }

    /// <summary>Number and title first, then the paragraphs that hold the question's terms, then the citation.</summary>
    internal static string Quote(RankedSection ranked, IReadOnlyDictionary<string, double> queryTerms, GuidelineIndex guideline)
    {
        var section = ranked.Section;
        var paragraphs = section.Paragraphs;
        var picked = paragraphs.Sum(p => p.Length) <= QuoteLength ? paragraphs.ToList() : Pick(paragraphs, queryTerms, guideline);

        var sb = new StringBuilder();
        sb.Append('【').Append(section.Label).AppendLine("】");
        foreach (var paragraph in picked)
        {
            sb.AppendLine(paragraph == Gap ? "…" : Trim(paragraph));
        }

        sb.Append('（').Append(section.Citation).Append('）');
        return sb.ToString();
    }

    private const string Gap = "\u0000";

    /// <summary>The paragraphs richest in the question's terms, in document order, with … where some were left out.</summary>
    private static List<string> Pick(IReadOnlyList<string> paragraphs, IReadOnlyDictionary<string, double> queryTerms, GuidelineIndex guideline)
    {
        var scored = paragraphs
            .Select((p, i) => (Index: i, Score: guideline.ContentTerms(p).Sum(t => queryTerms.GetValueOrDefault(t))))
            .ToList();
        var keep = new SortedSet<int>();
        var length = 0;
        foreach (var (index, score) in scored.Where(s => s.Score > 0).OrderByDescending(s => s.Score).ThenBy(s => s.Index))
        {
            if (keep.Count > 0 && length + paragraphs[index].Length > QuoteLength)
            {
                break;
            }

            keep.Add(index);
            length += paragraphs[index].Length;
        }

        if (keep.Count == 0)
        {
            keep.Add(0); // nothing stands out: the section's opening says what it is about
        }

        // A list item reads better with the sentence that introduces the list.
        var first = keep.Min;
        if (first > 0 && paragraphs[first - 1].EndsWith('。') && ListItem().IsMatch(paragraphs[first]) && !ListItem().IsMatch(paragraphs[first - 1]))
        {
            keep.Add(first - 1);
        }

        var result = new List<string>();
        var previous = -1;
        foreach (var index in keep)
        {
            if (previous >= 0 && index > previous + 1)
            {
                result.Add(Gap);
            }

            result.Add(paragraphs[index]);
            previous = index;
        }

        if (keep.Max < paragraphs.Count - 1)
        {
            result.Add(Gap);
        }

        return result;
    }

    /// <summary>One very long paragraph is cut after the last full sentence that fits.</summary>
    private static string Trim(string paragraph)
    {
        if (paragraph.Length <= QuoteLength)
        {
            return paragraph;
        }

        var cut = paragraph.LastIndexOf('。', QuoteLength - 1);
        return cut > QuoteLength / 3 ? paragraph[..(cut + 1)] + "…" : paragraph[..QuoteLength] + "…";
    }

    [GeneratedRegex(@"^(\d{1,2}\.|・|[①-⑳])")]
    private static partial Regex ListItem();
}
