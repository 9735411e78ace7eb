using System.Text;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;
using T = ShiogamaDx.Bot.Procedures.ProcedureTexts;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>Channel-neutral replies about procedures: cards with a link to apply, lists, details (wording: messages.yaml, <c>procedures</c>).</summary>
public static class ProcedureReplies
{
    public const string Handler = "procedures";

    public static Card Card(Procedure p, MessageSet texts)
    {
        var body = new StringBuilder();
        if (p.Description.Length > 0)
        {
            body.AppendLine(p.Description);
        }

        body.AppendLine(texts.Format(T.How, p.How));
        if (HasPayment(p))
        {
            body.AppendLine(texts.Format(T.Payment, PaymentLine(p, texts)));
            if (PaysAtCounter(p))
            {
                body.AppendLine(CounterLine(p, texts));
            }
        }

        body.AppendLine(texts.Format(T.MyNumberCard, CardLine(p.MyNumberCard, texts)));
        if (p.Fee.Length > 0)
        {
            body.AppendLine(texts.Format(T.Fee, p.Fee));
        }

        if (!p.Online && p.Bring.Count > 0)
        {
            body.AppendLine(texts.Format(T.BringLine, texts.Items(p.Bring)));
        }

        if (p.WritingFreeCounter)
        {
            body.AppendLine(texts[T.WritingFreeLine]);
        }

        body.Append(p.Contact.Length > 0 ? texts.Format(T.DepartmentContact, p.Department, p.Contact) : texts.Format(T.Department, p.Department));
        if (p.Sample)
        {
            body.AppendLine().Append(SampleNote(texts));
        }

        var actions = new List<CardAction>();
        if (p.Url is not null)
        {
            var label = texts[p.Online ? T.ApplyOnlineButton : p.OnlinePayment ? T.PayOnlineButton : T.CityPageButton];
            actions.Add(new CardAction(label, CardActionKind.Link, p.Url));
        }

        actions.Add(new CardAction(texts[T.DetailButton], CardActionKind.Postback, Postback.Create(Handler, "detail", ("id", p.Id))));
        actions.Add(new CardAction(texts[T.BringButton], CardActionKind.Postback, Postback.Create(Handler, "bring", ("id", p.Id))));
        return new Card(p.Name, body.ToString().TrimEnd(), actions, Subtitle: Status(p, texts));
    }

    public static string SampleNote(MessageSet texts) => texts[T.SampleNote];

    /// <summary>The card's headline: how the procedure is really done, then what can be paid without cash.</summary>
    public static string Status(Procedure p, MessageSet texts)
    {
        var status = texts[T.Headline(p.Channel)];
        if (p.OnlinePayment)
        {
            status = texts.Format(T.StatusJoin, status, texts[T.OnlinePaymentTag]);
        }

        return p.CounterCashless ? texts.Format(T.StatusJoin, status, texts[T.CounterCashlessTag]) : status;
    }

    /// <summary>Information only (ごみの分け方) has nothing to pay; everything else says how it is paid.</summary>
    public static bool HasPayment(Procedure p) => p.Channel != ProcedureChannel.Information;

    /// <summary>A fee to pay in person, or a way to pay there without cash: a free procedure has no counter payment line.</summary>
    public static bool PaysAtCounter(Procedure p) => p.CounterCashless || (p.Fee.Length > 0 && !p.Fee.StartsWith("無料", StringComparison.Ordinal));

    /// <summary>窓口キャッシュレス, beside online payment: shown when there is a fee to pay at the counter or a way without cash.</summary>
    public static string CounterLine(Procedure p, MessageSet texts) =>
        p.CounterCashless ? texts.Format(T.CounterPaymentLine, texts.Methods(p.CounterPayment)) : texts[T.CounterCashLine];

    public static string PaymentLine(Procedure p, MessageSet texts) =>
        p.OnlinePayment ? texts.Format(T.PaymentOnline, texts.Methods(p.Payment)) : texts[T.PaymentNone];

    public static string CardLine(MyNumberCardUse use, MessageSet texts) => texts[use switch
    {
        MyNumberCardUse.Required => T.MyNumberRequired,
        MyNumberCardUse.Optional => T.MyNumberOptional,
        _ => T.MyNumberNotNeeded,
    }];

    /// <summary>One procedure, answered: the card, then whether it helped.</summary>
    public static IReadOnlyList<Reply> Answer(Procedure p, MessageSet texts, string? lead = null)
    {
        var replies = new List<Reply>();
        if (lead is not null)
        {
            replies.Add(new TextReply(lead));
        }

        replies.Add(new CardsReply(texts.Format(T.CardTitle, p.Name, Status(p, texts)), [Card(p, texts)]));
        replies.Add(Feedback(p, texts));
        return replies;
    }

    public static ChoicesReply Feedback(Procedure p, MessageSet texts) => new(
        texts[T.FeedbackPrompt],
        [
            new Choice(texts[T.FeedbackHelpful], Postback.Create(Handler, "fb", ("id", p.Id), ("v", "1"))),
            new Choice(texts[T.FeedbackNotHelpful], Postback.Create(Handler, "fb", ("id", p.Id), ("v", "0"))),
        ]);

    /// <summary>Two or three close candidates: the person picks; each card names its procedure.</summary>
    public static IReadOnlyList<Reply> Candidates(IReadOnlyList<Procedure> procedures, MessageSet texts) =>
    [
        new TextReply(texts[T.CandidatesLead]),
        new CardsReply(
            texts.Format(T.CandidatesAlt, texts.Items(procedures.Select(p => p.Name))),
            procedures.Select(p => new Card(
                p.Name,
                (p.Description.Length > 0 ? p.Description : p.How) + (p.Sample ? "\n" + SampleNote(texts) : string.Empty),
                [new CardAction(texts[T.CandidateButton], CardActionKind.Postback, Postback.Create(Handler, "show", ("id", p.Id), ("from", "pick")))],
                Subtitle: Status(p, texts))).ToList()),
    ];

    public static IReadOnlyList<Reply> Detail(Procedure p, MessageSet texts)
    {
        var sb = new StringBuilder();
        sb.AppendLine(texts.Format(T.DetailHeading, p.Name));
        sb.AppendLine(Status(p, texts));
        if (p.Description.Length > 0)
        {
            sb.AppendLine(p.Description);
        }

        sb.AppendLine(texts.Format(T.DetailHow, p.How));
        sb.AppendLine(texts.Format(T.DetailOnline, texts[p.Online ? T.DetailOnlineYes : T.DetailOnlineNo]));
        if (HasPayment(p))
        {
            sb.AppendLine(texts.Format(T.DetailPayment, PaymentLine(p, texts)));
            if (PaysAtCounter(p))
            {
                sb.AppendLine(texts.Format(T.DetailCounter, CounterLine(p, texts)));
            }
        }

        sb.AppendLine(texts.Format(T.DetailMyNumber, CardLine(p.MyNumberCard, texts)));
        sb.AppendLine(texts.Format(T.DetailFee, p.Fee.Length > 0 ? p.Fee : texts[T.DetailNoFee]));
        sb.AppendLine(texts.Format(T.DetailBring, p.Bring.Count > 0 ? texts.Items(p.Bring) : texts[T.DetailNothingToBring]));
        sb.AppendLine(texts.Format(T.DetailWritingFree, texts[p.WritingFreeCounter ? T.DetailWritingFreeYes : T.DetailWritingFreeNo]));
        sb.AppendLine(p.Contact.Length > 0 ? texts.Format(T.DetailDepartmentContact, p.Department, p.Contact) : texts.Format(T.DetailDepartment, p.Department));
        sb.AppendLine(texts.Format(T.DetailReviewed, texts.Format(T.ReviewedDate, p.Reviewed.Year, p.Reviewed.Month, p.Reviewed.Day)));
        if (p.Url is not null)
        {
            sb.AppendLine(texts.Format(T.DetailPage, p.Url));
        }

        if (p.Sample)
        {
            sb.AppendLine(SampleNote(texts));
        }

        return [new TextReply(sb.ToString().TrimEnd()), Feedback(p, texts)];
    }

    public static IReadOnlyList<Reply> Bring(Procedure p, MessageSet texts)
    {
        var sb = new StringBuilder();
        sb.AppendLine(texts.Format(T.BringHeading, p.Name));
        if (p.Bring.Count > 0)
        {
            foreach (var item in p.Bring)
            {
                sb.AppendLine(texts.Format(T.BringItem, item));
            }
        }
        else
        {
            sb.AppendLine(texts[T.BringNothing]);
        }

        if (p.Fee.Length > 0)
        {
            sb.AppendLine(texts.Format(T.Fee, p.Fee));
        }

        if (HasPayment(p) && PaysAtCounter(p))
        {
            sb.AppendLine(CounterLine(p, texts));
        }

        if (p.WritingFreeCounter)
        {
            sb.AppendLine(texts[T.BringWritingFree]);
        }

        sb.AppendLine(p.Contact.Length > 0 ? texts.Format(T.BringCounterContact, p.Department, p.Contact) : texts.Format(T.BringCounter, p.Department));
        if (p.Online)
        {
            sb.AppendLine(texts[T.BringAlsoOnline]);
        }

        if (p.Sample)
        {
            sb.AppendLine(SampleNote(texts));
        }

        var replies = new List<Reply> { new TextReply(sb.ToString().TrimEnd()) };
        if (p.Url is not null && p.Online)
        {
            replies.Add(new CardsReply(p.Name, [new Card(p.Name, texts[T.BringOnlineCard], [new CardAction(texts[T.ApplyOnlineButton], CardActionKind.Link, p.Url)], Subtitle: Status(p, texts))]));
        }

        return replies;
    }
}
