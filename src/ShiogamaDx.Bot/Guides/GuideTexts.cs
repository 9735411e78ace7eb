using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Guides;

/// <summary>What residents read around a guide (Content/messages.yaml, section <c>guides</c>); the guides themselves are Content/guides.yaml.</summary>
internal static class GuideTexts
{
    public static readonly MessageKey Heading = new("guides.heading", "title");
    public static readonly MessageKey ProceduresHeading = new("guides.procedures-heading", "count");
    public static readonly MessageKey ProcedureLine = new("guides.procedure-line", "name");
    public static readonly MessageKey SampleNote = new("guides.sample-note");
    public static readonly MessageKey SampleCatalogNote = new("guides.sample-catalog-note");
    public static readonly MessageKey ProcedureButton = new("guides.procedure-button");
}
