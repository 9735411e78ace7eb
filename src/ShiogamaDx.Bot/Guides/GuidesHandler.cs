using System.Text;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Guides;

/// <summary>
/// Residents asking about one of the city's measures in their own words (「申請書を書くのが大変」「市からのSMSは本物？」
/// 「教室に行けない」): the guide the office wrote, with the catalog's procedures where the guide lists them.
/// </summary>
public sealed class GuidesHandler(GuideCatalog catalog, ProcedureIndexCache procedures, BotDbContext db, MessageCatalog messages) : IIntentHandler
{
    // A dedicated feature answering its exact words (1.0) keeps the lead.
    private const double MaxMatch = 0.9;

    // A guide that clearly leads the joint index claims just above the procedures feature, still under 1.0.
    private const double ClaimAbove = 0.01;
    private const double MaxClaim = 0.95;

    // Entries of the joint index read to find the best procedure beside the leading guide.
    private const int Compared = 8;

    private Turn? lastTurn;
    private (Guide Guide, double Confidence, bool Leads)? lastHit;

    public string Name => "guides";

    public Audience Audience => Audience.Resident;

    /// <summary>
    /// The guide's confidence; and when the guide clearly leads the joint index (by more than the procedures' own
    /// ambiguity margin over every procedure there), just above what the catalog alone claims: the catalog, searched
    /// without the guides, can rank a procedure high on a word the guide explains better (市役所 in 市役所の求人). Not on
    /// a tie, not under the match threshold, and not against a procedure this chat does itself (スマホ教室).
    /// </summary>
    public double Match(Turn turn)
    {
        if (Understand(turn) is not { } hit)
        {
            return 0;
        }

        var own = Math.Min(MaxMatch, hit.Confidence);
        if (!hit.Leads || procedures.Get(db).Search(turn, 1) is not [{ Procedure.Feature: null } catalog])
        {
            return own;
        }

        return Math.Min(MaxClaim, Math.Max(own, Math.Min(MaxMatch, catalog.Confidence) + ClaimAbove));
    }

    public Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var set = catalog.Current;
        var guide = turn.Postback?["id"] is { } id ? set.Guides.FirstOrDefault(g => g.Id == id) : Understand(turn)?.Guide;
        return Task.FromResult(guide is null ? TurnResult.Of() : new TurnResult(Answer(guide)));
    }

    /// <summary>A guide, when one fits the question better than any procedure of the catalog.</summary>
    private (Guide Guide, double Confidence, bool Leads)? Understand(Turn turn)
    {
        if (!ReferenceEquals(turn, lastTurn))
        {
            var hits = turn.Normalized.Length == 0 || turn.IsPostback ? [] : catalog.Index(procedures.Get(db)).Search(turn, Compared);
            (Guide, double, bool)? found = null;
            if (hits is [{ Item.Guide: { } guide } hit, ..])
            {
                // Below the last entry read when no procedure is among them.
                var procedure = hits.Where(h => h.Item.Procedure is not null).Select(h => h.Confidence).DefaultIfEmpty(hits.Count < Compared ? 0 : hits[^1].Confidence).Max();
                var leads = hit.Confidence >= ConversationEngine.MatchThreshold && hit.Confidence - procedure > ProcedureHandler.AmbiguityMargin;
                found = (guide, hit.Confidence, leads);
            }

            (lastTurn, lastHit) = (turn, found);
        }

        return lastHit;
    }

    private List<Reply> Answer(Guide guide)
    {
        var texts = messages.Current;
        var sb = new StringBuilder();
        sb.AppendLine(texts.Format(GuideTexts.Heading, guide.Title));
        sb.AppendLine(guide.Text.TrimEnd());
        var listed = guide.Procedures == GuideProcedures.WritingFree
            ? procedures.Get(db).Procedures.Where(p => p.WritingFreeCounter).ToList()
            : [];
        if (listed.Count > 0)
        {
            sb.AppendLine(texts.Format(GuideTexts.ProceduresHeading, listed.Count));
            foreach (var p in listed)
            {
                sb.AppendLine(texts.Format(GuideTexts.ProcedureLine, p.Name));
            }
        }

        if (guide.Contact.Length > 0)
        {
            sb.AppendLine(guide.Contact);
        }

        if (guide.Sample)
        {
            sb.AppendLine(texts[GuideTexts.SampleNote]);
        }

        if (listed.Count > 0 && listed.All(p => p.Sample))
        {
            sb.AppendLine(texts[GuideTexts.SampleCatalogNote]);
        }

        var replies = new List<Reply> { new TextReply(sb.ToString().TrimEnd()) };
        if (listed.Count > 0)
        {
            // Each procedure's button shows what to bring for it (the procedures feature answers the postback).
            replies.Add(new ChoicesReply(
                texts[GuideTexts.ProcedureButton],
                listed.Take(13).Select(p => new Choice(p.Name.Length <= 20 ? p.Name : p.Name[..19] + "…", Postback.Create(ProcedureReplies.Handler, "bring", ("id", p.Id)))).ToList()));
        }

        return replies;
    }
}
