using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>What staff and residents read about procedures (Content/messages.yaml, section <c>procedures</c>); the rest of Procedures/ still words its replies in C#.</summary>
internal static class ProcedureTexts
{
    public static readonly MessageKey ReportEmpty = new("procedures.report-empty", "title");
}
