namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// Every weight of the residents' retrieval in one place: the catalog's field boosts (<see cref="ProcedureIndex"/>) and
/// the scoring of <see cref="FieldIndex{T}"/> (also used, with <see cref="Default"/>, by the easy index and the guides).
/// The values are the ones hand-picked over sessions 1–14. The calibration harness (tests/ShiogamaDx.Bot.Tests/Calibration,
/// CALIBRATE=residents) searched them on the residents' dev sets (session 15): values chosen on half of the questions
/// never did better than these on the other half (docs/evaluation.md, "Calibrated weights"), so none was changed.
/// ActionOnlyCeiling, NearMissFactor and PlaceWeight change no dev question across 0–3× (classes of phrasing the dev
/// sets hardly hold; unit tests hold them).
/// </summary>
/// <param name="NameBoost">A procedure's name in the catalog's index.</param>
/// <param name="KeywordBoost">Its keywords.</param>
/// <param name="ExampleBoost">Its example questions.</param>
/// <param name="CategoryBoost">Its category.</param>
/// <param name="DescriptionBoost">Its description.</param>
/// <param name="PartFactor">A city word inside an entry's compound (証明書 in 納税証明書), against its field's weight.</param>
/// <param name="TopBoost">The most a term can weigh: the question's ceiling, which coverage is measured against.</param>
/// <param name="ReadingFactor">A concept's hiragana reading bigrams (typo tolerance), against its field's weight.</param>
/// <param name="UnigramWeight">One kanji alone, against a bigram.</param>
/// <param name="ConceptWeight">A dictionary word of the question, against a bigram.</param>
/// <param name="UnknownWeight">The question's terms no entry uses, in the ceiling: the question is about something else.</param>
/// <param name="ActionWeight">A verb of what to do (捨てる, 払う), which says less about which entry.</param>
/// <param name="ActionOnlyCeiling">The most confidence an entry matched by verbs alone may get.</param>
/// <param name="CoverageShare">How much of the confidence is coverage (the share of the question explained) against evidence.</param>
/// <param name="EvidenceScale">The score at which evidence reaches 1 - 1/e.</param>
/// <param name="NearMissFactor">A city word typed with one wrong kanji (住民標), against the word written right.</param>
/// <param name="EndingWeight">The bigrams of a question's casual ending (するんだけど).</param>
/// <param name="PlaceWeight">市役所 beside what is asked (where, not which).</param>
public sealed record RetrievalWeights(
    double NameBoost = 3.0,
    double KeywordBoost = 3.0,
    double ExampleBoost = 1.5,
    double CategoryBoost = 1.0,
    double DescriptionBoost = 0.7,
    double PartFactor = 0.3,
    double TopBoost = 3.0,
    double ReadingFactor = 0.5,
    double UnigramWeight = 0.3,
    double ConceptWeight = 2.0,
    double UnknownWeight = 1.0,
    double ActionWeight = 1.0,
    double ActionOnlyCeiling = 0.4,
    double CoverageShare = 0.5,
    double EvidenceScale = 12.0,
    double NearMissFactor = 0.75,
    double EndingWeight = 0.5,
    double PlaceWeight = 0.5)
{
    /// <summary>The values hand-picked over sessions 1–14 (kept for the easy index and the guides).</summary>
    public static RetrievalWeights Default { get; } = new();

    /// <summary>The values the catalog's index uses: today's; where a calibrated vector would go once one carries across halves.</summary>
    public static RetrievalWeights Procedures { get; } = Default;
}
