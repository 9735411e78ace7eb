using System.Text;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>Channel-neutral replies about procedures: cards with a link to apply, lists, details.</summary>
public static class ProcedureReplies
{
    public const string Handler = "procedures";
    public const string SampleNote = "※サンプルデータです。実際の内容は市の担当課にご確認ください。";

    public static Card Card(Procedure p, MessageSet texts)
    {
        var body = new StringBuilder();
        if (p.Description.Length > 0)
        {
            body.AppendLine(p.Description);
        }

        body.Append("方法: ").AppendLine(p.How);
        if (HasPayment(p))
        {
            body.Append("支払い: ").AppendLine(PaymentLine(p));
            if (PaysAtCounter(p))
            {
                body.AppendLine(CounterLine(p, texts));
            }
        }

        body.Append("マイナンバーカード: ").AppendLine(CardLine(p.MyNumberCard));
        if (p.Fee.Length > 0)
        {
            body.Append("手数料: ").AppendLine(p.Fee);
        }

        if (!p.Online && p.Bring.Count > 0)
        {
            body.Append("持ち物: ").AppendLine(string.Join("、", p.Bring));
        }

        if (p.WritingFreeCounter)
        {
            body.AppendLine("書かない窓口: 対応（職員が申請書を作ります）");
        }

        body.Append("担当: ").Append(p.Department);
        if (p.Contact.Length > 0)
        {
            body.Append('（').Append(p.Contact).Append('）');
        }

        if (p.Sample)
        {
            body.AppendLine().Append(SampleNote);
        }

        var actions = new List<CardAction>();
        if (p.Url is not null)
        {
            var label = p.Online ? "オンラインで申請" : p.OnlinePayment ? "オンラインで支払う" : "市のページを見る";
            actions.Add(new CardAction(label, CardActionKind.Link, p.Url));
        }

        actions.Add(new CardAction("詳しく", CardActionKind.Postback, Postback.Create(Handler, "detail", ("id", p.Id))));
        actions.Add(new CardAction("窓口で必要なもの", CardActionKind.Postback, Postback.Create(Handler, "bring", ("id", p.Id))));
        return new Card(p.Name, body.ToString().TrimEnd(), actions, Subtitle: Status(p, texts));
    }

    /// <summary>The card's headline: how the procedure is really done, then what can be paid without cash.</summary>
    public static string Status(Procedure p, MessageSet texts) =>
        texts[ProcedureTexts.Headline(p.Channel)]
        + (p.OnlinePayment ? "・" + texts[ProcedureTexts.OnlinePaymentTag] : string.Empty)
        + (p.CounterCashless ? "・" + texts[ProcedureTexts.CounterCashlessTag] : string.Empty);

    /// <summary>Information only (ごみの分け方) has nothing to pay; everything else says how it is paid.</summary>
    public static bool HasPayment(Procedure p) => p.Channel != ProcedureChannel.Information;

    /// <summary>A fee to pay in person, or a way to pay there without cash: a free procedure has no counter payment line.</summary>
    public static bool PaysAtCounter(Procedure p) => p.CounterCashless || (p.Fee.Length > 0 && !p.Fee.StartsWith("無料", StringComparison.Ordinal));

    /// <summary>窓口キャッシュレス, beside online payment: shown when there is a fee to pay at the counter or a way without cash.</summary>
    public static string CounterLine(Procedure p, MessageSet texts) =>
        p.CounterCashless ? texts.Format(ProcedureTexts.CounterPaymentLine, string.Join("・", p.CounterPayment)) : texts[ProcedureTexts.CounterCashLine];

    public static string PaymentLine(Procedure p) =>
        p.OnlinePayment ? string.Join("・", p.Payment) + "でオンライン決済できます" : "オンライン決済には対応していません";

    public static string CardLine(MyNumberCardUse use) => use switch
    {
        MyNumberCardUse.Required => "必要です",
        MyNumberCardUse.Optional => "あると便利です（なくてもできます）",
        _ => "不要です",
    };

    /// <summary>One procedure, answered: the card, then whether it helped.</summary>
    public static IReadOnlyList<Reply> Answer(Procedure p, MessageSet texts, string? lead = null)
    {
        var replies = new List<Reply>();
        if (lead is not null)
        {
            replies.Add(new TextReply(lead));
        }

        replies.Add(new CardsReply(p.Name + ": " + Status(p, texts), [Card(p, texts)]));
        replies.Add(Feedback(p));
        return replies;
    }

    public static ChoicesReply Feedback(Procedure p) => new(
        "この案内は役に立ちましたか？",
        [
            new Choice("役に立った", Postback.Create(Handler, "fb", ("id", p.Id), ("v", "1"))),
            new Choice("役に立たなかった", Postback.Create(Handler, "fb", ("id", p.Id), ("v", "0"))),
        ]);

    /// <summary>Two or three close candidates: the person picks; each card names its procedure.</summary>
    public static IReadOnlyList<Reply> Candidates(IReadOnlyList<Procedure> procedures, MessageSet texts) =>
    [
        new TextReply("いくつか当てはまりそうです。どれのことでしょうか。"),
        new CardsReply(
            "候補: " + string.Join("、", procedures.Select(p => p.Name)),
            procedures.Select(p => new Card(
                p.Name,
                (p.Description.Length > 0 ? p.Description : p.How) + (p.Sample ? "\n" + SampleNote : string.Empty),
                [new CardAction("これです", CardActionKind.Postback, Postback.Create(Handler, "show", ("id", p.Id), ("from", "pick")))],
                Subtitle: Status(p, texts))).ToList()),
    ];

    public static IReadOnlyList<Reply> Detail(Procedure p, MessageSet texts)
    {
        var sb = new StringBuilder();
        sb.Append('【').Append(p.Name).AppendLine("】");
        sb.AppendLine(Status(p, texts));
        if (p.Description.Length > 0)
        {
            sb.AppendLine(p.Description);
        }

        sb.Append("・方法: ").AppendLine(p.How);
        sb.Append("・オンライン申請: ").AppendLine(p.Online ? "できます" : "できません");
        if (HasPayment(p))
        {
            sb.Append("・支払い: ").AppendLine(PaymentLine(p));
            if (PaysAtCounter(p))
            {
                sb.Append('・').AppendLine(CounterLine(p, texts));
            }
        }

        sb.Append("・マイナンバーカード: ").AppendLine(CardLine(p.MyNumberCard));
        sb.Append("・手数料: ").AppendLine(p.Fee.Length > 0 ? p.Fee : "なし");
        sb.Append("・窓口で必要なもの: ").AppendLine(p.Bring.Count > 0 ? string.Join("、", p.Bring) : "特にありません");
        sb.Append("・書かない窓口: ").AppendLine(p.WritingFreeCounter ? "対応しています（職員が聞き取って申請書を作ります）" : "対象外です");
        sb.Append("・担当: ").Append(p.Department).AppendLine(p.Contact.Length > 0 ? $"（{p.Contact}）" : string.Empty);
        sb.Append("・情報の確認日: ").AppendLine(p.Reviewed.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture));
        if (p.Url is not null)
        {
            sb.Append("・ページ: ").AppendLine(p.Url);
        }

        if (p.Sample)
        {
            sb.AppendLine(SampleNote);
        }

        return [new TextReply(sb.ToString().TrimEnd()), Feedback(p)];
    }

    public static IReadOnlyList<Reply> Bring(Procedure p, MessageSet texts)
    {
        var sb = new StringBuilder();
        sb.Append('【').Append(p.Name).AppendLine("】窓口で必要なもの");
        if (p.Bring.Count > 0)
        {
            foreach (var item in p.Bring)
            {
                sb.Append('・').AppendLine(item);
            }
        }
        else
        {
            sb.AppendLine("特に持ち物はありません。");
        }

        if (p.Fee.Length > 0)
        {
            sb.Append("手数料: ").AppendLine(p.Fee);
        }

        if (HasPayment(p) && PaysAtCounter(p))
        {
            sb.AppendLine(CounterLine(p, texts));
        }

        if (p.WritingFreeCounter)
        {
            sb.AppendLine("「書かない窓口」に対応しています。申請書は職員がお聞きしながら作ります。");
        }

        sb.Append("窓口: ").Append(p.Department).AppendLine(p.Contact.Length > 0 ? $"（{p.Contact}）" : string.Empty);
        if (p.Online)
        {
            sb.AppendLine("この手続きはオンラインでもできます。");
        }

        if (p.Sample)
        {
            sb.AppendLine(SampleNote);
        }

        var replies = new List<Reply> { new TextReply(sb.ToString().TrimEnd()) };
        if (p.Url is not null && p.Online)
        {
            replies.Add(new CardsReply(p.Name, [new Card(p.Name, "オンラインなら市役所に来なくてもできます。", [new CardAction("オンラインで申請", CardActionKind.Link, p.Url)], Subtitle: Status(p, texts))]));
        }

        return replies;
    }
}
