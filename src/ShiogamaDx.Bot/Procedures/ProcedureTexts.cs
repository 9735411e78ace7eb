using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>What residents read about how a procedure is done and paid, and staff about reports (Content/messages.yaml, section <c>procedures</c>); the rest of Procedures/ still words its replies in C#.</summary>
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
    public static readonly MessageKey CounterPaymentLine = new("procedures.counter-payment", "methods");
    public static readonly MessageKey CounterCashLine = new("procedures.counter-cash");
    public static readonly MessageKey CounterYes = new("procedures.counter-yes", "name", "methods");
    public static readonly MessageKey CounterNo = new("procedures.counter-no", "name");
    public static readonly MessageKey CounterNoButOnline = new("procedures.counter-no-but-online", "name", "methods");
    public static readonly MessageKey CounterList = new("procedures.counter-list", "count", "lines");
    public static readonly MessageKey CounterListLine = new("procedures.counter-list-line", "name", "methods");
    public static readonly MessageKey CounterNone = new("procedures.counter-none");
    public static readonly MessageKey OnlineNo = new("procedures.online-no", "name", "channel", "department");

    public static MessageKey Headline(ProcedureChannel channel) => channel switch
    {
        ProcedureChannel.Online => ChannelOnline,
        ProcedureChannel.ConvenienceStore => ChannelConvenienceStore,
        ProcedureChannel.Post => ChannelPost,
        ProcedureChannel.Phone => ChannelPhone,
        ProcedureChannel.Information => ChannelInformation,
        _ => ChannelCounter,
    };
}
