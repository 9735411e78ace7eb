using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Guides;
using ShiogamaDx.Bot.Messages;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Handoff;

/// <summary>
/// The topic the bot guesses for a request card: the question (then the resident's recent unanswered turns) asked of
/// the same router the bot answers with, and, where the catalog answered, the procedure or guide it found.
/// </summary>
public sealed class HandoffTopics(IServiceProvider services, BotDbContext db, GuideCatalog guides, ProcedureIndexCache procedures, MessageCatalog messages, TimeProvider clock)
{
    /// <summary>How far back a resident's unanswered turns still tell what they were after.</summary>
    public static readonly TimeSpan Recent = TimeSpan.FromMinutes(30);

    /// <summary>Handlers that say nothing of the topic: the way to a person, the menus, the language switch.</summary>
    private static readonly HashSet<string> NotTopics = [HandoffDesk.ResidentHandler, "menu", "contact", "lang"];

    public async Task<string> GuessAsync(string userKey, string question, CancellationToken ct)
    {
        var since = clock.GetUtcNow() - Recent;
        var recent = await db.Set<UnansweredQuestion>().AsNoTracking()
            .Where(q => q.UserKey == userKey && q.Audience == Audience.Resident && q.AskedAt >= since)
            .OrderByDescending(q => q.Id).Take(5).Select(q => q.Text).ToListAsync(ct);
        foreach (var text in recent.Prepend(question))
        {
            if (Guess(text) is { } topic)
            {
                return topic;
            }
        }

        return messages.Current[HandoffTexts.TopicNone];
    }

    private string? Guess(string text)
    {
        var turn = new Turn(IncomingMessage.FromText("handoff-topic", Audience.Resident, "handoff-topic", text, clock.GetUtcNow()), text, TextNormalizer.Normalize(text), null);
        if (turn.Normalized.Length == 0)
        {
            return null;
        }

        // Resolved here, not injected: the handlers include the desk's own, which holds this class.
        var best = services.GetServices<IIntentHandler>()
            .Where(h => h.Audience == Audience.Resident && !NotTopics.Contains(h.Name))
            .Select(h => (Handler: h, Score: h.Match(turn)))
            .Where(x => x.Score >= ConversationEngine.MatchThreshold)
            .OrderByDescending(x => x.Score)
            .Select(x => x.Handler.Name)
            .FirstOrDefault();
        var texts = messages.Current;
        switch (best)
        {
            case ProcedureReplies.Handler or "guides":
                var hit = guides.Index(procedures.Get(db)).Search(turn, 1);
                return hit is [{ Item: var entry }] ? entry.Procedure?.Name ?? entry.Guide?.Title : texts[HandoffTexts.TopicProcedures];
            case ClassMessages.Handler:
                return texts[HandoffTexts.TopicClasses];
            case null:
                return null;
            default:
                return texts[HandoffTexts.TopicOther];
        }
    }
}

/// <summary>A telephone number a resident wrote themselves (never asked for before it is needed).</summary>
public static partial class PhoneNumbers
{
    /// <summary>The first Japanese number in the text (0X…, 10 or 11 digits, +81 too), as written; null when none.</summary>
    /// <param name="except">Numbers not to take (the city's own, quoted back by the resident).</param>
    public static string? Find(string text, string except = "")
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var excluded = Candidate().Matches(except.Normalize(NormalizationForm.FormKC)).Select(m => Digits(m.Value)).ToHashSet(StringComparer.Ordinal);
        foreach (Match m in Candidate().Matches(normalized))
        {
            var digits = Digits(m.Value);
            if (digits.StartsWith("81", StringComparison.Ordinal) && m.Value.TrimStart().StartsWith('+'))
            {
                digits = "0" + digits[2..];
            }

            if (digits.Length is 10 or 11 && digits[0] == '0' && digits[1] != '0' && !excluded.Contains(digits))
            {
                return m.Value.Trim();
            }
        }

        return null;
    }

    private static string Digits(string s) => new([.. s.Where(char.IsAsciiDigit)]);

    // Digits with the separators people type between them (hyphens of every width, spaces, brackets).
    [GeneratedRegex(@"(?<![\d])(?:\+81[\s\-‐−ー―]*)?\(?0?\d{1,4}\)?(?:[\s\-‐−ー―()]{0,2}\d{1,4}){1,3}(?![\d])")]
    private static partial Regex Candidate();
}
