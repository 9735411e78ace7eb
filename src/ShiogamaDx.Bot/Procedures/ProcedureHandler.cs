using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;

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
    // Paying in person: the counter (窓口キャッシュレス), not online. 現金 alone already speaks of paying in person.
    private static readonly string[] CounterWords = ["窓口", "まどぐち", "市役所", "しやくしょ", "役所", "やくしょ", "市民課", "来庁", "現金", "げんきん"];
    private static readonly string[] CashlessWords = ["かーど", "くれじっと", "くれか", "電子まねー", "でんしまねー", "決済", "けっさい", "qr", "ぺいぺい", "paypay", "きゃっしゅれす", "すまほ", "現金", "げんきん"];
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

                return new TurnResult(replies);
            case Intent.ListOnline:
                return new TurnResult(CategoryChoices(index, "online"));
            case Intent.ListPayment:
                return new TurnResult(PaymentList(index));
            case Intent.ListCounterPayment:
                return new TurnResult(CounterPaymentList(index, texts));
            case Intent.Categories:
                return new TurnResult(CategoryChoices(index, "all"));
            case Intent.FollowUpBring or Intent.FollowUpFee or Intent.FollowUpOnline:
                return new TurnResult(await FollowUpAsync(index, intent, turn, cancellationToken));
            default:
                return new TurnResult(CategoryChoices(index, "all"));
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
        var hits = text.Length == 0 ? [] : cache.Get(db).Search(counter ? WithoutPaymentWords(text) : turn.Text);
        Intent intent;
        if (hits.Count > 0 && hits[0].Confidence >= ConversationEngine.MatchThreshold)
        {
            intent = Intent.Procedure;
        }
        else if (counter)
        {
            intent = Intent.ListCounterPayment;
        }
        else if (ContainsAny(text, PayWords) && (ContainsAny(text, OnlineWords) || ContainsAny(text, ["すまほ", "かーど", "qr", "こんびに", "もの", "どれ", "何", "なに"])))
        {
            intent = Intent.ListPayment;
        }
        else if (ContainsAny(text, OnlineWords) && (ContainsAny(text, ListWords) || ContainsAny(text, ["できる", "できま"]) || text is "おんらいん" or "電子申請"))
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
        else if (text.Length <= 20 && ContainsAny(text, FeeWords))
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
    public static IReadOnlyList<Procedure> Decide(IReadOnlyList<ProcedureHit> hits)
    {
        var best = hits[0];
        var close = hits.Where(h => h.Confidence >= best.Confidence - AmbiguityMargin && h.Confidence >= ConversationEngine.MatchThreshold - 0.1).ToList();
        if (best.Confidence < ConfidentAnswer || close.Count > 1)
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
    private static string? YesNo(Procedure p, string text, MessageSet texts)
    {
        if (AsksCounterPayment(text) && ProcedureReplies.HasPayment(p) && ProcedureReplies.PaysAtCounter(p))
        {
            return p.CounterCashless ? texts.Format(ProcedureTexts.CounterYes, p.Name, string.Join("・", p.CounterPayment))
                : p.OnlinePayment ? texts.Format(ProcedureTexts.CounterNoButOnline, p.Name, string.Join("・", p.Payment))
                : texts.Format(ProcedureTexts.CounterNo, p.Name);
        }

        var asks = text.EndsWith('か') || ContainsAny(text, ["ますか", "できる", "ですか", "の?", "る?"]);
        if (ContainsAny(text, PayWords) && (asks || ContainsAny(text, OnlineWords)))
        {
            return p.OnlinePayment
                ? $"はい、{p.Name}は{string.Join("・", p.Payment)}でオンライン決済できます。"
                : $"いいえ、{p.Name}は今はオンライン決済に対応していません。";
        }

        if (ContainsAny(text, OnlineWords) && asks)
        {
            return p.Online
                ? $"はい、{p.Name}はオンラインでできます。"
                : texts.Format(ProcedureTexts.OnlineNo, p.Name, texts[ProcedureTexts.Headline(p.Channel)], p.Department);
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
                return [new TextReply(postback["v"] == "1" ? "ありがとうございます。" : "ご意見ありがとうございます。案内の改善に役立てます。")];
            case "cat" when postback["c"] is { } category:
                return CategoryList(index, category, postback["f"] ?? "all", texts);
            case "list":
                return postback["f"] switch
                {
                    "pay" => PaymentList(index),
                    "counter" => CounterPaymentList(index, texts),
                    var f => CategoryChoices(index, f ?? "all"),
                };
            default:
                // A procedure removed by an import since the button was sent.
                return [new TextReply("この手続きの案内は見つかりませんでした。"), .. CategoryChoices(index, "all")];
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

        if (shown.Count != 1)
        {
            var prompt = intent switch
            {
                Intent.FollowUpBring => "どの手続きの持ち物ですか？手続きの名前を送ってください（例: 住民票の持ち物）。",
                Intent.FollowUpFee => "どの手続きの手数料ですか？手続きの名前を送ってください（例: 住民票の手数料）。",
                _ => "どの手続きのことですか？手続きの名前を送ってください（例: 住民票 オンライン）。",
            };
            return shown.Count > 1
                ? [new ChoicesReply(prompt, shown.Take(13).Select(p => new Choice(Short(p.Name), Postback.Create(Name, intent == Intent.FollowUpBring ? "bring" : "show", ("id", p.Id)))).ToList())]
                : [new TextReply(prompt)];
        }

        var procedure = shown[0];
        var texts = messages.Current;
        return intent switch
        {
            Intent.FollowUpBring => ProcedureReplies.Bring(procedure, texts),
            Intent.FollowUpFee => [new TextReply($"{procedure.Name}の手数料: {(procedure.Fee.Length > 0 ? procedure.Fee : "かかりません")}\n支払い: {ProcedureReplies.PaymentLine(procedure)}"), ProcedureReplies.Feedback(procedure)],
            _ => ProcedureReplies.Answer(procedure, texts, YesNo(procedure, turn.Normalized + "できますか", texts)),
        };
    }

    private static IReadOnlyList<Reply> CategoryChoices(ProcedureIndex index, string filter)
    {
        var procedures = Filter(index.Procedures, filter).ToList();
        if (procedures.Count == 0)
        {
            return [new TextReply("手続きの案内を準備中です。お問い合わせください。")];
        }

        var lead = filter == "online"
            ? $"オンラインでできる手続きは{procedures.Count}件あります。分野を選んでください。"
            : "どの分野の手続きですか？選ぶか、「住民票」「粗大ごみ」のように言葉で送ってください。";
        if (filter == "online" && index.PortalUrl is not null)
        {
            lead += "\n電子申請の窓口: " + index.PortalUrl;
        }

        var categories = procedures.GroupBy(p => p.Category).Take(13)
            .Select(g => new Choice(Short($"{g.Key}（{g.Count()}）"), Postback.Create(ProcedureReplies.Handler, "cat", ("c", g.Key), ("f", filter))))
            .ToList();
        return [new ChoicesReply(lead, categories)];
    }

    private static IReadOnlyList<Reply> PaymentList(ProcedureIndex index)
    {
        var payable = index.Procedures.Where(p => p.OnlinePayment).ToList();
        if (payable.Count == 0)
        {
            return [new TextReply("今はオンラインで支払える手続きはありません。")];
        }

        var lines = payable.Select(p => $"・{p.Name}（{string.Join("・", p.Payment)}）");
        return
        [
            new TextReply($"オンラインで支払えるものは{payable.Count}件です。\n{string.Join("\n", lines)}"),
            new ChoicesReply("詳しく知りたいものを選んでください。", payable.Take(13).Select(p => new Choice(Short(p.Name), Postback.Create(ProcedureReplies.Handler, "show", ("id", p.Id)))).ToList()),
        ];
    }

    /// <summary>What can be paid at the counter without cash; the rest is paid in cash there.</summary>
    private static IReadOnlyList<Reply> CounterPaymentList(ProcedureIndex index, MessageSet texts)
    {
        var cashless = index.Procedures.Where(p => p.CounterCashless).ToList();
        if (cashless.Count == 0)
        {
            return [new TextReply(texts[ProcedureTexts.CounterNone])];
        }

        var lines = cashless.Select(p => texts.Format(ProcedureTexts.CounterListLine, p.Name, string.Join("・", p.CounterPayment)));
        return
        [
            new TextReply(texts.Format(ProcedureTexts.CounterList, cashless.Count, string.Join("\n", lines))),
            new ChoicesReply("詳しく知りたいものを選んでください。", cashless.Take(13).Select(p => new Choice(Short(p.Name), Postback.Create(ProcedureReplies.Handler, "show", ("id", p.Id)))).ToList()),
        ];
    }

    private static IReadOnlyList<Reply> CategoryList(ProcedureIndex index, string category, string filter, MessageSet texts)
    {
        var procedures = Filter(index.Procedures, filter).Where(p => p.Category == category).ToList();
        if (procedures.Count == 0)
        {
            return [new TextReply("この分野の手続きは見つかりませんでした。"), .. CategoryChoices(index, "all")];
        }

        var lines = procedures.Select(p => $"・{p.Name}（{(p.Online ? "オンライン可" : texts[ProcedureTexts.Headline(p.Channel)])}）");
        return
        [
            new TextReply($"{category}の手続き\n{string.Join("\n", lines)}"),
            new ChoicesReply("詳しく知りたいものを選んでください。", procedures.Take(13).Select(p => new Choice(Short(p.Name), Postback.Create(ProcedureReplies.Handler, "show", ("id", p.Id)))).ToList()),
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
