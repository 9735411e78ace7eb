using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;
using T = ShiogamaDx.Bot.Procedures.ProcedureTexts;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// Residents asking, in their own words, whether and how a procedure can be done: one confident answer as
/// a card with the link to apply, two or three close candidates to choose from, lists of what can be done
/// or paid online by category, and follow-ups (「持ち物は？」) about the procedure just shown.
/// </summary>
public sealed class ProcedureHandler(
    ProcedureIndexCache cache,
    BotDbContext db,
    ConversationStore store,
    PrivacyKeys keys,
    ProcedureDemandCounter demand,
    MessageCatalog messages,
    ILogger<ProcedureHandler> logger) : IIntentHandler
{
    /// <summary>At or above: answer with one card. Below (but routed here): offer the close candidates.</summary>
    public const double ConfidentAnswer = 0.62;

    /// <summary>Candidates closer than this to the best are offered as choices instead of one answer.</summary>
    public const double AmbiguityMargin = 0.06;

    // A dedicated feature (e.g. the class registration) answers exact words with 1.0: leave it room.
    private const double MaxMatch = 0.9;

    private static readonly string[] OnlineWords = ["おんらいん", "ねっと", "いんたねっと", "電子申請", "でんししんせい", "web", "すまほから", "すまほで", "ぱそこん", "家から", "自宅から", "いえから"];
    private static readonly string[] PayWords = ["払", "はらえ", "はらう", "支払", "しはらい", "決済", "けっさい", "納付", "のうふ", "納め", "おさめ", "きゃっしゅれす", "ぺいぺい", "paypay", "くれじっと"];
    private static readonly string[] ListWords = ["一覧", "いちらん", "どんな", "どれ", "なにが", "何が", "もの", "手続き", "てつづき", "りすと"];
    private static readonly string[] BringWords = ["持ち物", "もちもの", "持って", "もって", "必要なもの", "ひつようなもの", "何がいる", "なにがいる", "何が必要", "なにがひつよう", "いるもの", "要るもの"];
    private static readonly string[] FeeWords = ["手数料", "てすうりょう", "いくら", "料金", "りょうきん", "お金", "おかね", "費用", "ひよう"];

    // How much one receives (年金はいくらもらえる, いくら戻ってくる) is no fee to pay: not the fee follow-up.
    private static readonly string[] ReceiveWords = ["もらえ", "もらう", "もらい", "貰", "受け取れ", "うけとれ", "支給", "しきゅう", "戻って", "もどって", "戻る", "もどる"];
    // Paying in person: the counter (窓口キャッシュレス), not online. 現金 alone already speaks of paying in person.
    private static readonly string[] CounterWords = ["窓口", "まどぐち", "市役所", "しやくしょ", "役所", "やくしょ", "市民課", "来庁", "現金", "げんきん"];
    private static readonly string[] CashlessWords = ["かーど", "くれじっと", "くれか", "電子まねー", "でんしまねー", "決済", "けっさい", "qr", "ぺいぺい", "paypay", "きゃっしゅれす", "すまほ", "現金", "げんきん"];
    // Words that, beside a payment word, ask which things can be paid (「スマホで払えるものは」).
    private static readonly string[] PayMeansWords = ["すまほ", "かーど", "qr", "こんびに", "もの", "どれ", "何", "なに"];
    private static readonly string[] AbleWords = ["できる", "できま"];
    private static readonly string[] QuestionWords = ["ますか", "できる", "ですか", "の?", "る?"];
    private static readonly string[] CategoryWords = ["分野", "ぶんや", "かてごり", "種類", "しゅるい", "手続き一覧", "てつづきいちらん", "手続きをさがす", "手続きを探す"];

    private Turn? lastTurn;
    private Intent lastIntent = Intent.None;
    private IReadOnlyList<ProcedureHit> lastHits = [];

    private enum Intent
    {
        None,
        Procedure,
        ListOnline,
        ListPayment,
        ListCounterPayment,
        Categories,
        FollowUpBring,
        FollowUpFee,
        FollowUpOnline,
    }

    public string Name => ProcedureReplies.Handler;

    public Audience Audience => Audience.Resident;

    public double Match(Turn turn)
    {
        var (intent, hits) = Understand(turn);
        return intent switch
        {
            Intent.Procedure => Math.Min(MaxMatch, hits[0].Confidence),
            Intent.ListOnline or Intent.ListPayment or Intent.ListCounterPayment or Intent.Categories => 0.8,
            Intent.FollowUpBring or Intent.FollowUpFee or Intent.FollowUpOnline => 0.6,
            _ => hits.Count > 0 ? Math.Min(0.45, hits[0].Confidence) : 0.0,
        };
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var index = cache.Get(db);
        if (turn.Postback is { } postback)
        {
            return new TurnResult(await HandlePostbackAsync(index, postback, cancellationToken));
        }

        var (intent, hits) = Understand(turn);
        var text = turn.Normalized;
        var texts = messages.Current;
        switch (intent)
        {
            case Intent.Procedure:
                var replies = AnswerProcedure(hits, text, texts, out var answered);
                if (answered is not null)
                {
                    demand.Count(answered.Id);
                }

                // Done in this chat (スマホ教室): the feature answers (the class dates), the card only if it cannot.
                return new TurnResult(replies) { HandOverTo = answered?.Feature };
            case Intent.ListOnline:
                return new TurnResult(CategoryChoices(index, "online", texts));
            case Intent.ListPayment:
                return new TurnResult(PaymentList(index, texts));
            case Intent.ListCounterPayment:
                return new TurnResult(CounterPaymentList(index, texts));
            case Intent.Categories:
                return new TurnResult(CategoryChoices(index, "all", texts));
            case Intent.FollowUpBring or Intent.FollowUpFee or Intent.FollowUpOnline:
                return new TurnResult(await FollowUpAsync(index, intent, turn, cancellationToken));
            default:
                return new TurnResult(CategoryChoices(index, "all", texts));
        }
    }

    private (Intent Intent, IReadOnlyList<ProcedureHit> Hits) Understand(Turn turn)
    {
        if (ReferenceEquals(turn, lastTurn))
        {
            return (lastIntent, lastHits);
        }

        var text = turn.Normalized;
        var counter = AsksCounterPayment(text);

        // 「窓口でカードで払える？」: the search is asked only about what remains once paying at the counter is taken
        // out, so カード does not find the マイナンバーカード procedures and a question about no procedure gets the list.
        var hits = text.Length == 0 ? [] : counter ? cache.Get(db).Search(WithoutPaymentWords(text)) : cache.Get(db).Search(turn);
        Intent intent;
        if (hits.Count > 0 && hits[0].Confidence >= ConversationEngine.MatchThreshold)
        {
            intent = Intent.Procedure;
        }
        else if (counter)
        {
            intent = Intent.ListCounterPayment;
        }
        else if (ContainsAny(text, PayWords) && (ContainsAny(text, OnlineWords) || ContainsAny(text, PayMeansWords)))
        {
            intent = Intent.ListPayment;
        }
        else if (ContainsAny(text, OnlineWords) && (ContainsAny(text, ListWords) || ContainsAny(text, AbleWords) || text is "おんらいん" or "電子申請"))
        {
            intent = Intent.ListOnline;
        }
        else if (ContainsAny(text, CategoryWords))
        {
            intent = Intent.Categories;
        }
        else if (text.Length <= 20 && ContainsAny(text, BringWords))
        {
            intent = Intent.FollowUpBring;
        }
        else if (text.Length <= 20 && ContainsAny(text, FeeWords) && !ContainsAny(text, ReceiveWords))
        {
            intent = Intent.FollowUpFee;
        }
        else if (text.Length <= 20 && ContainsAny(text, OnlineWords))
        {
            intent = Intent.FollowUpOnline;
        }
        else
        {
            intent = Intent.None;
        }

        (lastTurn, lastIntent, lastHits) = (turn, intent, hits);
        return (intent, hits);
    }

    /// <summary>
    /// What a confident search shows: one procedure, or two or three close candidates to choose from. Shared with
    /// the evaluation so its figures describe what residents get.
    /// </summary>
    public static IReadOnlyList<Procedure> Decide(IReadOnlyList<ProcedureHit> hits) => Decide(hits, ConfidentAnswer, AmbiguityMargin);

    /// <summary>As <see cref="Decide(IReadOnlyList{ProcedureHit})"/> with other thresholds: the calibration harness's sweep.</summary>
    public static IReadOnlyList<Procedure> Decide(IReadOnlyList<ProcedureHit> hits, double confidentAnswer, double ambiguityMargin)
    {
        var best = hits[0];
        var close = hits.Where(h => h.Confidence >= best.Confidence - ambiguityMargin && h.Confidence >= ConversationEngine.MatchThreshold - 0.1).ToList();
        if (best.Confidence < confidentAnswer || close.Count > 1)
        {
            var candidates = hits.Where(h => h.Confidence >= ConversationEngine.MatchThreshold - 0.15).Take(3).Select(h => h.Procedure).ToList();
            if (candidates.Count > 1)
            {
                return candidates;
            }
        }

        return [best.Procedure];
    }

    private static IReadOnlyList<Reply> AnswerProcedure(IReadOnlyList<ProcedureHit> hits, string text, MessageSet texts, out Procedure? answered)
    {
        answered = null;
        var shown = Decide(hits);
        if (shown.Count > 1)
        {
            return ProcedureReplies.Candidates(shown, texts);
        }

        var p = shown[0];
        answered = p;
        if (ContainsAny(text, BringWords))
        {
            return ProcedureReplies.Bring(p, texts);
        }

        return ProcedureReplies.Answer(p, texts, YesNo(p, text, texts));
    }

    /// <summary>Paying in person without cash (窓口でカード, 現金しか…), as opposed to paying online.</summary>
    private static bool AsksCounterPayment(string text) =>
        !ContainsAny(text, OnlineWords) && ContainsAny(text, CounterWords) && (ContainsAny(text, PayWords) || ContainsAny(text, CashlessWords));

    private static string WithoutPaymentWords(string text)
    {
        foreach (var word in CounterWords.Concat(CashlessWords).Concat(PayWords).OrderByDescending(w => w.Length))
        {
            text = text.Replace(word, " ", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>「〜はオンラインでできますか」「〜はカードで払えますか」「窓口でカードは使える？」 are answered yes or no first.</summary>
    private static string? YesNo(Procedure p, string text, MessageSet texts, bool asked = false)
    {
        if (AsksCounterPayment(text) && ProcedureReplies.HasPayment(p) && ProcedureReplies.PaysAtCounter(p))
        {
            return p.CounterCashless ? texts.Format(T.CounterYes, p.Name, texts.Methods(p.CounterPayment))
                : p.OnlinePayment ? texts.Format(T.CounterNoButOnline, p.Name, texts.Methods(p.Payment))
                : texts.Format(T.CounterNo, p.Name);
        }

        var asks = asked || text.EndsWith('か') || ContainsAny(text, QuestionWords);
        if (ContainsAny(text, PayWords) && (asks || ContainsAny(text, OnlineWords)))
        {
            return p.OnlinePayment
                ? texts.Format(T.PayOnlineYes, p.Name, texts.Methods(p.Payment))
                : texts.Format(T.PayOnlineNo, p.Name);
        }

        if (ContainsAny(text, OnlineWords) && asks)
        {
            return p.Online
                ? texts.Format(T.OnlineYes, p.Name)
                : texts.Format(T.OnlineNo, p.Name, texts[T.Headline(p.Channel)], p.Department);
        }

        return null;
    }

    private async Task<IReadOnlyList<Reply>> HandlePostbackAsync(ProcedureIndex index, Postback postback, CancellationToken ct)
    {
        var texts = messages.Current;
        var procedure = postback["id"] is { } id ? index.Find(id) : null;
        switch (postback.Action)
        {
            case "show" when procedure is not null:
                if (postback["from"] == "pick")
                {
                    demand.Count(procedure.Id); // chosen among candidates: the question was about it
                }

                return ProcedureReplies.Answer(procedure, texts);
            case "detail" when procedure is not null:
                return ProcedureReplies.Detail(procedure, texts);
            case "bring" when procedure is not null:
                return ProcedureReplies.Bring(procedure, texts);
            case "fb" when procedure is not null:
                await CountFeedbackAsync(procedure.Id, postback["v"] == "1", ct);
                return [new TextReply(texts[postback["v"] == "1" ? T.FeedbackThanks : T.FeedbackThanksImprove])];
            case "cat" when postback["c"] is { } category:
                return CategoryList(index, category, postback["f"] ?? "all", texts);
            case "list":
                return postback["f"] switch
                {
                    "pay" => PaymentList(index, texts),
                    "counter" => CounterPaymentList(index, texts),
                    var f => CategoryChoices(index, f ?? "all", texts),
                };
            default:
                // A procedure removed by an import since the button was sent.
                return [new TextReply(texts[T.NotFound]), .. CategoryChoices(index, "all", texts)];
        }
    }

    private async Task CountFeedbackAsync(string procedureId, bool helpful, CancellationToken ct)
    {
        var row = await db.Set<ProcedureFeedback>().FirstOrDefaultAsync(f => f.ProcedureId == procedureId, ct);
        if (row is null)
        {
            row = new ProcedureFeedback { ProcedureId = procedureId };
            db.Add(row);
        }

        if (helpful)
        {
            row.Helpful++;
        }
        else
        {
            row.NotHelpful++;
        }

        await db.SaveChangesAsync(ct);
        logger.LogInformation("Procedure feedback for {ProcedureId}: {Helpful}", procedureId, helpful);
    }

    /// <summary>The procedure the bot last showed in this conversation, from the buttons it offered.</summary>
    private async Task<IReadOnlyList<Reply>> FollowUpAsync(ProcedureIndex index, Intent intent, Turn turn, CancellationToken ct)
    {
        var offers = await store.LoadOffersAsync(turn.Message.ConversationKey, ct);
        var shown = offers
            .Select(o => o.Value is null ? null : Postback.Verify(o.Value, keys.PostbackKey))
            .Where(pb => pb is not null && pb.Handler == Name && pb["id"] is not null)
            .Select(pb => index.Find(pb!["id"]!))
            .OfType<Procedure>()
            .DistinctBy(p => p.Id)
            .ToList();

        var texts = messages.Current;
        if (shown.Count != 1)
        {
            var prompt = texts[intent switch
            {
                Intent.FollowUpBring => T.WhichForBring,
                Intent.FollowUpFee => T.WhichForFee,
                _ => T.WhichProcedure,
            }];
            return shown.Count > 1
                ? [new ChoicesReply(prompt, shown.Take(13).Select(p => new Choice(Short(p.Name), Postback.Create(Name, intent == Intent.FollowUpBring ? "bring" : "show", ("id", p.Id)))).ToList())]
                : [new TextReply(prompt)];
        }

        var procedure = shown[0];
        return intent switch
        {
            Intent.FollowUpBring => ProcedureReplies.Bring(procedure, texts),
            Intent.FollowUpFee => [new TextReply(texts.Format(T.FeeAnswer, procedure.Name, procedure.Fee.Length > 0 ? procedure.Fee : texts[T.NoFee], ProcedureReplies.PaymentLine(procedure, texts))), ProcedureReplies.Feedback(procedure, texts)],
            _ => ProcedureReplies.Answer(procedure, texts, YesNo(procedure, turn.Normalized, texts, asked: true)),
        };
    }

    private static IReadOnlyList<Reply> CategoryChoices(ProcedureIndex index, string filter, MessageSet texts)
    {
        var procedures = Filter(index.Procedures, filter).ToList();
        if (procedures.Count == 0)
        {
            return [new TextReply(texts[T.CatalogEmpty])];
        }

        var lead = filter == "online" ? texts.Format(T.OnlineCategoriesLead, procedures.Count) : texts[T.CategoriesLead];
        if (filter == "online" && index.PortalUrl is not null)
        {
            lead += texts.Format(T.PortalLine, index.PortalUrl);
        }

        var categories = procedures.GroupBy(p => p.Category).Take(13)
            .Select(g => new Choice(Short(texts.Format(T.CategoryChoice, g.Key, g.Count())), Postback.Create(ProcedureReplies.Handler, "cat", ("c", g.Key), ("f", filter))))
            .ToList();
        return [new ChoicesReply(lead, categories)];
    }

    private static IReadOnlyList<Reply> PaymentList(ProcedureIndex index, MessageSet texts)
    {
        var payable = index.Procedures.Where(p => p.OnlinePayment).ToList();
        if (payable.Count == 0)
        {
            return [new TextReply(texts[T.PaymentNoneList])];
        }

        var lines = payable.Select(p => texts.Format(T.PaymentListLine, p.Name, texts.Methods(p.Payment)));
        return
        [
            new TextReply(texts.Format(T.PaymentList, payable.Count, string.Join("\n", lines))),
            new ChoicesReply(texts[T.PickPrompt], payable.Take(13).Select(p => new Choice(Short(p.Name), Postback.Create(ProcedureReplies.Handler, "show", ("id", p.Id)))).ToList()),
        ];
    }

    /// <summary>What can be paid at the counter without cash; the rest is paid in cash there.</summary>
    private static IReadOnlyList<Reply> CounterPaymentList(ProcedureIndex index, MessageSet texts)
    {
        var cashless = index.Procedures.Where(p => p.CounterCashless).ToList();
        if (cashless.Count == 0)
        {
            return [new TextReply(texts[T.CounterNone])];
        }

        var lines = cashless.Select(p => texts.Format(T.CounterListLine, p.Name, texts.Methods(p.CounterPayment)));
        return
        [
            new TextReply(texts.Format(T.CounterList, cashless.Count, string.Join("\n", lines))),
            new ChoicesReply(texts[T.PickPrompt], cashless.Take(13).Select(p => new Choice(Short(p.Name), Postback.Create(ProcedureReplies.Handler, "show", ("id", p.Id)))).ToList()),
        ];
    }

    private static IReadOnlyList<Reply> CategoryList(ProcedureIndex index, string category, string filter, MessageSet texts)
    {
        var procedures = Filter(index.Procedures, filter).Where(p => p.Category == category).ToList();
        if (procedures.Count == 0)
        {
            return [new TextReply(texts[T.CategoryNotFound]), .. CategoryChoices(index, "all", texts)];
        }

        var lines = procedures.Select(p => texts.Format(T.CategoryListLine, p.Name, p.Online ? texts[T.CategoryOnlineTag] : texts[T.Headline(p.Channel)]));
        return
        [
            new TextReply(texts.Format(T.CategoryList, category, string.Join("\n", lines))),
            new ChoicesReply(texts[T.PickPrompt], procedures.Take(13).Select(p => new Choice(Short(p.Name), Postback.Create(ProcedureReplies.Handler, "show", ("id", p.Id)))).ToList()),
        ];
    }

    private static IEnumerable<Procedure> Filter(IEnumerable<Procedure> procedures, string filter) => filter switch
    {
        "online" => procedures.Where(p => p.Online),
        "pay" => procedures.Where(p => p.OnlinePayment),
        _ => procedures,
    };

    /// <summary>Quick reply labels are limited to 20 characters on LINE.</summary>
    private static string Short(string label) => label.Length <= 20 ? label : label[..19] + "…";

    private static bool ContainsAny(string text, IEnumerable<string> words) => words.Any(w => text.Contains(w, StringComparison.Ordinal));
}
