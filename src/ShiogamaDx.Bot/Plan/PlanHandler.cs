using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Plan;

/// <summary>
/// Staff questions about the plan itself (its period, 基本理念, 基本方針 and 施策, issues, the national trends, the OODA
/// loop, the 推進体制, the glossary), answered by quoting the plan's best section with its citation. A 事業 sheet's answer
/// ends with that 施策's KPIs and their latest figures. Staff only: residents never reach it.
/// </summary>
internal sealed partial class PlanHandler(PlanLibrary library, KpiService kpis, KpiQuestionReader kpiReader, MessageCatalog messages, TimeProvider clock) : IPassageHandler
{
    // Normalised words that say the question is about the plan (or a term the plan's glossary explains).
    private static readonly string[] PlanWords =
    [
        "ぷらん", "計画", "基本理念", "基本方針", "施策", "事業", "推進体制", "推進本部", "dx推進", "cio", "総括", "課題", "国の動向",
        "用語", "意味", "定義", "略", "びじょん",
    ];

    // Normalised words that name the plan itself (as 生成AI and 手引き name the guideline): a question naming it is the plan's.
    // The parts a plan is made of (its 基本理念, 基本方針 and 施策, its 推進体制) name it as well: a question asking for them
    // asks for the plan's, though another document quoting the plan holds its words too (the guideline's 1.1 cites 基本方針2).
    private static readonly string[] NameWords = ["ぷらん", "dx推進", "基本理念", "基本方針", "施策", "推進体制"];

    private static readonly string[] DefinitionWords = ["とは", "って何", "ってなに", "何のこと", "どういうもの", "どんなもの", "意味", "定義", "の略"];

    // Headings of a document's glossary: where the meaning of a word is written for readers.
    private static readonly string[] GlossaryWords = ["用語集", "用語解説", "用語の解説", "用語の定義"];

    private static readonly string[] PreviousPlanWords = ["前計画", "前の計画", "旧計画", "あくしょんぷらん", "参考資料", "前期", "r4", "令和4", "令和5", "令和6"];

    // The weights (the previous plan's sheets and a glossary entry rank lower unless asked for; the share of the question
    // an unnamed question's section must hold) are one calibrated record: PlanWeights, docs/guidelines.md.
    // A glossary entry says what a word is; the plan's text says what the plan does with it.
    private PlanWeights Weights => library.Weights;

    private readonly ConditionalWeakTable<Turn, GuidelineSearch> searches = [];

    public string Name => "staff.plan";

    public Audience Audience => Audience.Staff;

    public double Match(Turn turn)
    {
        if (turn.IsPostback || turn.Normalized.Length < 2)
        {
            return 0;
        }

        var confident = Confident(turn);
        if (confident.Count == 0)
        {
            return 0;
        }

        // Naming the plan (or asking what a word means) with a section holding half the question beats the guideline's
        // 0.6; without such a word the plan answers only a question it holds most of and nobody else takes.
        // 「〜とは」 of a word the glossary or the plan's text explains; a 事業's own name is the KPI overview's as well.
        var definition = AsksMeaning(turn.Normalized);
        var named = PlanWords.Any(w => turn.Normalized.Contains(w, StringComparison.Ordinal))
            || (definition && ProjectOf(confident[0].Section, kpis.Catalog) is null);
        // Without such a word, a section holding every word of the question the plan writes anywhere answers at half the
        // question: a paraphrase word the plan never writes (ステップ, 大事) does not sink a question the plan answers.
        // Only when at least two of those words are words of two characters or more: one such word and a one-kanji
        // suffix (災害|時 of 「災害時の避難所は」) say too little of the question for the unknown word to be a paraphrase.
        var unnamed = confident[0].Coverage >= Weights.UnnamedCoverage
            || (confident[0].Coverage >= Weights.UnnamedKnownCoverage && confident[0].KnownCoverage >= 1 - 1e-9
                && confident[0].MatchedTerms.Count(w => w.Length >= 2 && !AskedFor.IsMarker(w) && !SectionKinds.IsMarker(w)) >= 2);
        var score = named ? (confident[0].Coverage >= 0.5 ? 0.75 : 0.62) : unnamed ? 0.55 : 0;

        // A question the KPI reader reads (a 事業's figure, its department, its overview) is the KPI feature's: its answer
        // cites the same 事業 of the plan, with the figures.
        // Except the meaning of a word the plan explains outside its 事業 sheets (the glossary, the text): 「ガバメントクラウドって
        // 何のこと」 is the glossary's, though the word is also in a 事業's name; the KPI overview would only name the 事業.
        var kpi = kpiReader.Read(turn.Text, FiscalYears.Current(clock));
        var explained = definition && ProjectOf(confident[0].Section, kpis.Catalog) is null && confident[0].Coverage >= 0.5;
        // It yields by ranking just under the KPI reading, never under the threshold: a weak KPI reading must not hand the
        // question to a third feature.
        return kpi.Ask != KpiAsk.None && kpi.Strength >= ConversationEngine.MatchThreshold && !explained
            ? Math.Max(ConversationEngine.MatchThreshold, Math.Min(score, kpi.Strength - 0.05))
            : score;
    }

    /// <summary>A question naming the plan (プラン, DX推進) with a section to answer from is the plan's (<see cref="IPassageHandler.Named"/>); otherwise its best section's share.</summary>
    /// <remarks>
    /// Against another document, the glossary's share counts only when the question asks what a word means: a glossary
    /// explains many words in one long section, so it holds some of almost any question (「紙を減らすのが目的？」 of a city's
    /// own guideline) without answering it.
    /// </remarks>
    public double Coverage(Turn turn)
    {
        var confident = Confident(turn);
        var definition = AsksMeaning(turn.Normalized);
        var share = confident.FirstOrDefault(s => definition || !IsGlossary(s))?.Coverage ?? 0;
        // Named, the passage's share is added, as the guideline does: of two documents a question names, the one holding more answers.
        return confident.Count == 0 ? 0
            : NameWords.Any(w => turn.Normalized.Contains(w, StringComparison.Ordinal)) ? IPassageHandler.Named + confident[0].Coverage
            : share;
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var index = library.Index;
        var search = Search(turn);
        var found = Confident(turn);
        if (found.Count == 0)
        {
            return TurnResult.Of();
        }

        var best = found[0];
        var chosen = found.Take(2).Where((r, i) => i == 0 || (r.Score >= best.Score * Weights.SecondSectionRatio && r.Coverage >= best.Coverage * Weights.SecondSectionRatio)).ToList();
        var replies = new List<Reply>();
        KpiSnapshot? snapshot = null;
        foreach (var ranked in chosen)
        {
            var text = new StringBuilder(GuidelineAnswerer.Quote(ranked, search.QueryTerms, index));
            if (ProjectOf(ranked.Section, kpis.Catalog) is { Kpis.Count: > 0 } project)
            {
                snapshot ??= await kpis.SnapshotAsync(cancellationToken);
                text.Append('\n').Append(KpiLines(project, snapshot, FiscalYears.Current(clock)));
            }

            replies.Add(new TextReply(text.ToString()));
        }

        return new TurnResult(replies);
    }

    /// <summary>The project of a 事業 sheet (「5. 具体的な事業 ＞ 基本方針1 施策2 …」, or the 参考資料's for the previous plan).</summary>
    internal static KpiProjectDef? ProjectOf(GuidelineSection section, KpiCatalog catalog)
    {
        if (SheetLabel().Match(section.Label) is not { Success: true } m)
        {
            return null;
        }

        var plan = section.Label.StartsWith("参考資料", StringComparison.Ordinal) ? PlanKind.Previous : PlanKind.Current;
        var (policy, measure) = (int.Parse(m.Groups["policy"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["measure"].Value, System.Globalization.CultureInfo.InvariantCulture));
        return catalog.Projects.FirstOrDefault(p => p.Plan == plan && p.Policy == policy && p.Measure == measure);
    }

    private string KpiLines(KpiProjectDef project, KpiSnapshot snapshot, int currentYear)
    {
        var m = messages.Current;
        var (first, last) = KpiCatalog.YearsOf(project.Plan);
        var year = Math.Clamp(currentYear, first, last);
        var sb = new StringBuilder(m.Format(PlanTexts.KpisHeading, project.Name));
        foreach (var k in project.Kpis)
        {
            var latest = snapshot.LatestActualYear(k);
            var actual = latest is { } y ? m.Format(PlanTexts.ActualOfYear, KpiFormat.Value(snapshot.Actual(k, y), k.Unit), FiscalYears.Label(y)) : m[PlanTexts.NoActual];
            sb.Append('\n').Append(m.Format(PlanTexts.KpiLine, k.Name, KpiFormat.Value(snapshot.Target(k, year), k.Unit), FiscalYears.Label(year), actual));
        }

        return sb.ToString();
    }

    private GuidelineSearch Search(Turn turn) => searches.GetValue(turn, t => library.Index.Search(t.Text));

    /// <summary>
    /// The sections holding enough of the question, best first. Unlike the guideline, words the whole plan is about
    /// (プラン, 計画, DX) do not make a question too general: 「このプランの計画期間は」 has its section. The previous plan's
    /// sheets in the 参考資料 rank after the current plan's unless the question names the previous plan.
    /// </summary>
    private List<RankedSection> Confident(Turn turn)
    {
        var previous = PreviousPlanWords.Any(w => turn.Normalized.Contains(w, StringComparison.Ordinal));
        var definition = AsksMeaning(turn.Normalized);
        var sections = Search(turn).Sections
            .Where(s => s.Coverage >= library.SearchOptions.MinCoverage)
            .Select(s => !previous && s.Section.Label.StartsWith("参考資料", StringComparison.Ordinal) ? s with { Score = s.Score * Weights.PreviousPlanWeight } : s)
            .Select(s => !definition && IsGlossary(s) ? s with { Score = s.Score * Weights.GlossaryWeight } : s)
            .OrderByDescending(s => s.Score)
            .ToList();

        // 「〜とは」「〜の意味は」: the meaning of a word is the glossary's to give when it holds as much of the question as the
        // best section (a 事業 sheet using the word names it; the glossary says what it is).
        if (sections.Count > 1 && AsksMeaning(turn.Normalized)
            && sections.FirstOrDefault(IsGlossary) is { } glossary && glossary != sections[0] && glossary.Coverage >= sections[0].Coverage)
        {
            sections.Remove(glossary);
            sections.Insert(0, glossary);
        }

        // Otherwise the text goes first when it holds as much of the question as a glossary entry: the entry, short and
        // titled by its word, outranks by length alone a section saying what the plan does with the word.
        else if (!definition && sections.Count > 1 && IsGlossary(sections[0])
            && sections.FirstOrDefault(s => !IsGlossary(s) && s.Coverage >= sections[0].Coverage) is { } text)
        {
            sections.Remove(text);
            sections.Insert(0, text);
        }

        return sections.Take(3).ToList();
    }

    /// <summary>
    /// The question asks what a word means: 「〜とは」「〜の意味」, or 「Xって … 何？」 with words between (「クラウドってざっくり言うと何」).
    /// </summary>
    private static bool AsksMeaning(string normalized) =>
        DefinitionWords.Any(w => normalized.Contains(w, StringComparison.Ordinal)) || WhatIsIt().IsMatch(normalized);

    private static bool IsGlossary(RankedSection ranked) =>
        ranked.Section.HeadingPath.Append(ranked.Section.Title).Any(h => GlossaryWords.Any(g => h.Contains(g, StringComparison.Ordinal)));

    [GeneratedRegex(@"って[^何]*(何|なに)(ですか|なの)?$")]
    private static partial Regex WhatIsIt();

    [GeneratedRegex(@"基本方針(?<policy>\d) 施策(?<measure>\d{1,2})(?!\d)")]
    private static partial Regex SheetLabel();
}
