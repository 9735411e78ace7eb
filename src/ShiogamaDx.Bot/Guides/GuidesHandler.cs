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

    private Turn? lastTurn;
    private (Guide Guide, double Confidence)? lastHit;

    public string Name => "guides";

    public Audience Audience => Audience.Resident;

    public double Match(Turn turn) => Understand(turn) is { } hit ? Math.Min(MaxMatch, hit.Confidence) : 0;

    public Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var set = catalog.Current;
        var guide = turn.Postback?["id"] is { } id ? set.Guides.FirstOrDefault(g => g.Id == id) : Understand(turn)?.Guide;
        return Task.FromResult(guide is null ? TurnResult.Of() : new TurnResult(Answer(guide)));
    }

    /// <summary>A guide, when one fits the question better than any procedure of the catalog.</summary>
    private (Guide Guide, double Confidence)? Understand(Turn turn)
    {
        if (!ReferenceEquals(turn, lastTurn))
        {
            var hits = turn.Normalized.Length == 0 || turn.IsPostback ? [] : catalog.Index(procedures.Get(db)).Search(turn.Text, 1);
            (lastTurn, lastHit) = (turn, hits is [{ Item.Guide: { } guide } hit] ? (guide, hit.Confidence) : null);
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
