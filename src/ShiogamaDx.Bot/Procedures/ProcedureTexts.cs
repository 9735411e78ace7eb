using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>What residents read about procedures and staff about the procedure reports (Content/messages.yaml, section <c>procedures</c>).</summary>
internal static class ProcedureTexts
{
    public static readonly MessageKey ReportEmpty = new("procedures.report-empty", "title");
    public static readonly MessageKey ChannelOnline = new("procedures.channel-online");
    public static readonly MessageKey ChannelConvenienceStore = new("procedures.channel-konbini");
    public static readonly MessageKey ChannelPost = new("procedures.channel-post");
    public static readonly MessageKey ChannelCounter = new("procedures.channel-counter");
    public static readonly MessageKey ChannelPhone = new("procedures.channel-phone");
    public static readonly MessageKey ChannelInformation = new("procedures.channel-info");
    public static readonly MessageKey OnlinePaymentTag = new("procedures.online-payment-tag");
    public static readonly MessageKey CounterCashlessTag = new("procedures.counter-cashless-tag");
    public static readonly MessageKey StatusJoin = new("procedures.status-join", "status", "tag");
    public static readonly MessageKey CounterPaymentLine = new("procedures.counter-payment", "methods");
    public static readonly MessageKey CounterCashLine = new("procedures.counter-cash");
    public static readonly MessageKey CounterYes = new("procedures.counter-yes", "name", "methods");
    public static readonly MessageKey CounterNo = new("procedures.counter-no", "name");
    public static readonly MessageKey CounterNoButOnline = new("procedures.counter-no-but-online", "name", "methods");
    public static readonly MessageKey CounterList = new("procedures.counter-list", "count", "lines");
    public static readonly MessageKey CounterListLine = new("procedures.counter-list-line", "name", "methods");
    public static readonly MessageKey CounterNone = new("procedures.counter-none");
    public static readonly MessageKey OnlineNo = new("procedures.online-no", "name", "channel", "department");
    public static readonly MessageKey OnlineYes = new("procedures.online-yes", "name");
    public static readonly MessageKey PayOnlineYes = new("procedures.pay-online-yes", "name", "methods");
    public static readonly MessageKey PayOnlineNo = new("procedures.pay-online-no", "name");

    // The card and the details.
    public static readonly MessageKey SampleNote = new("procedures.sample-note");
    public static readonly MessageKey CardTitle = new("procedures.card-title", "name", "status");
    public static readonly MessageKey How = new("procedures.how", "how");
    public static readonly MessageKey Payment = new("procedures.payment", "payment");
    public static readonly MessageKey PaymentOnline = new("procedures.payment-online", "methods");
    public static readonly MessageKey PaymentNone = new("procedures.payment-none");
    public static readonly MessageKey MyNumberCard = new("procedures.mynumber-card", "use");
    public static readonly MessageKey MyNumberRequired = new("procedures.mynumber-required");
    public static readonly MessageKey MyNumberOptional = new("procedures.mynumber-optional");
    public static readonly MessageKey MyNumberNotNeeded = new("procedures.mynumber-not-needed");
    public static readonly MessageKey Fee = new("procedures.fee", "fee");
    public static readonly MessageKey BringLine = new("procedures.bring-line", "items");
    public static readonly MessageKey WritingFreeLine = new("procedures.writing-free-line");
    public static readonly MessageKey Department = new("procedures.department", "department");
    public static readonly MessageKey DepartmentContact = new("procedures.department-contact", "department", "contact");
    public static readonly MessageKey ApplyOnlineButton = new("procedures.apply-online-button");
    public static readonly MessageKey PayOnlineButton = new("procedures.pay-online-button");
    public static readonly MessageKey CityPageButton = new("procedures.city-page-button");
    public static readonly MessageKey DetailButton = new("procedures.detail-button");
    public static readonly MessageKey BringButton = new("procedures.bring-button");
    public static readonly MessageKey ItemSeparator = new("procedures.item-separator");
    public static readonly MessageKey MethodSeparator = new("procedures.method-separator");

    public static readonly MessageKey DetailHeading = new("procedures.detail-heading", "name");
    public static readonly MessageKey DetailHow = new("procedures.detail-how", "how");
    public static readonly MessageKey DetailOnline = new("procedures.detail-online", "online");
    public static readonly MessageKey DetailPayment = new("procedures.detail-payment", "payment");
    public static readonly MessageKey DetailCounter = new("procedures.detail-counter", "line");
    public static readonly MessageKey DetailMyNumber = new("procedures.detail-mynumber", "use");
    public static readonly MessageKey DetailFee = new("procedures.detail-fee", "fee");
    public static readonly MessageKey DetailBring = new("procedures.detail-bring", "items");
    public static readonly MessageKey DetailWritingFree = new("procedures.detail-writing-free", "answer");
    public static readonly MessageKey DetailDepartment = new("procedures.detail-department", "department");
    public static readonly MessageKey DetailDepartmentContact = new("procedures.detail-department-contact", "department", "contact");
    public static readonly MessageKey DetailReviewed = new("procedures.detail-reviewed", "date");

    public static readonly MessageKey DetailOnlineYes = new("procedures.detail-online-yes");
    public static readonly MessageKey DetailOnlineNo = new("procedures.detail-online-no");
    public static readonly MessageKey DetailNoFee = new("procedures.detail-no-fee");
    public static readonly MessageKey DetailNothingToBring = new("procedures.detail-nothing-to-bring");
    public static readonly MessageKey DetailWritingFreeYes = new("procedures.detail-writing-free-yes");
    public static readonly MessageKey DetailWritingFreeNo = new("procedures.detail-writing-free-no");
    public static readonly MessageKey DetailPage = new("procedures.detail-page", "url");
    public static readonly MessageKey ReviewedDate = new("procedures.reviewed-date", "year", "month", "day");

    public static readonly MessageKey BringHeading = new("procedures.bring-heading", "name");
    public static readonly MessageKey BringItem = new("procedures.bring-item", "item");
    public static readonly MessageKey BringNothing = new("procedures.bring-nothing");
    public static readonly MessageKey BringWritingFree = new("procedures.bring-writing-free");
    public static readonly MessageKey BringCounter = new("procedures.bring-counter", "department");
    public static readonly MessageKey BringCounterContact = new("procedures.bring-counter-contact", "department", "contact");
    public static readonly MessageKey BringAlsoOnline = new("procedures.bring-also-online");
    public static readonly MessageKey BringOnlineCard = new("procedures.bring-online-card");

    public static readonly MessageKey FeedbackPrompt = new("procedures.feedback-prompt");
    public static readonly MessageKey FeedbackHelpful = new("procedures.feedback-helpful");
    public static readonly MessageKey FeedbackNotHelpful = new("procedures.feedback-not-helpful");
    public static readonly MessageKey FeedbackThanks = new("procedures.feedback-thanks");
    public static readonly MessageKey FeedbackThanksImprove = new("procedures.feedback-thanks-improve");
    public static readonly MessageKey CandidatesLead = new("procedures.candidates-lead");
    public static readonly MessageKey CandidatesAlt = new("procedures.candidates-alt", "names");
    public static readonly MessageKey CandidateButton = new("procedures.candidate-button");

    public static readonly MessageKey NotFound = new("procedures.not-found");
    public static readonly MessageKey CategoryNotFound = new("procedures.category-not-found");
    public static readonly MessageKey WhichForBring = new("procedures.which-for-bring");
    public static readonly MessageKey WhichForFee = new("procedures.which-for-fee");
    public static readonly MessageKey WhichProcedure = new("procedures.which-procedure");
    public static readonly MessageKey FeeAnswer = new("procedures.fee-answer", "name", "fee", "payment");
    public static readonly MessageKey NoFee = new("procedures.no-fee");
    public static readonly MessageKey CatalogEmpty = new("procedures.catalog-empty");
    public static readonly MessageKey OnlineCategoriesLead = new("procedures.online-categories-lead", "count");
    public static readonly MessageKey CategoriesLead = new("procedures.categories-lead");
    public static readonly MessageKey PortalLine = new("procedures.portal-line", "url");
    public static readonly MessageKey CategoryChoice = new("procedures.category-choice", "category", "count");
    public static readonly MessageKey PaymentNoneList = new("procedures.payment-list-none");
    public static readonly MessageKey PaymentListLine = new("procedures.payment-list-line", "name", "methods");
    public static readonly MessageKey PaymentList = new("procedures.payment-list", "count", "lines");
    public static readonly MessageKey PickPrompt = new("procedures.pick-prompt");
    public static readonly MessageKey CategoryListLine = new("procedures.category-list-line", "name", "status");
    public static readonly MessageKey CategoryOnlineTag = new("procedures.category-online-tag");
    public static readonly MessageKey CategoryList = new("procedures.category-list", "category", "lines");

    // Staff: the demand reports.
    public static readonly MessageKey FiscalPeriod = new("procedures.fiscal-period", "era-year", "year", "month");
    public static readonly MessageKey UnansweredTitle = new("procedures.unanswered-title", "period");
    public static readonly MessageKey ColumnQuestion = new("procedures.column-question");
    public static readonly MessageKey ColumnCount = new("procedures.column-count");
    public static readonly MessageKey ColumnProcedure = new("procedures.column-procedure");
    public static readonly MessageKey ColumnDepartment = new("procedures.column-department");
    public static readonly MessageKey UnansweredNote = new("procedures.unanswered-note", "count");
    public static readonly MessageKey OfflineDemandTitle = new("procedures.offline-demand-title", "period");
    public static readonly MessageKey OfflineDemandNote = new("procedures.offline-demand-note");

    // The KPI values the catalog computes (the staff KPI lookup shows them as their source).
    public static readonly MessageKey KpiOnlineSource = new("procedures.kpi-online-source", "count", "online", "sample");
    public static readonly MessageKey KpiPaymentSource = new("procedures.kpi-payment-source", "count", "payable", "sample");
    public static readonly MessageKey KpiSampleSuffix = new("procedures.kpi-sample-suffix");

    public static MessageKey Headline(ProcedureChannel channel) => channel switch
    {
        ProcedureChannel.Online => ChannelOnline,
        ProcedureChannel.ConvenienceStore => ChannelConvenienceStore,
        ProcedureChannel.Post => ChannelPost,
        ProcedureChannel.Phone => ChannelPhone,
        ProcedureChannel.Information => ChannelInformation,
        _ => ChannelCounter,
    };

    /// <summary>Payment methods or items, joined as the city writes them (クレジットカード・電子マネー).</summary>
    public static string Methods(this MessageSet texts, IEnumerable<string> methods) => string.Join(texts[MethodSeparator], methods);

    public static string Items(this MessageSet texts, IEnumerable<string> items) => string.Join(texts[ItemSeparator], items);
}
