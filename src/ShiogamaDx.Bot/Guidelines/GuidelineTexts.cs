using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>What staff read around guideline answers (Content/messages.yaml, section <c>guidelines</c>).</summary>
internal static class GuidelineTexts
{
    public static readonly MessageKey Refusal = new("guidelines.refusal", "contact");
    public static readonly MessageKey Intro = new("guidelines.intro", "documents");
    public static readonly MessageKey DefaultDocument = new("guidelines.default-document");
    public static readonly MessageKey DocumentSeparator = new("guidelines.document-separator");
    public static readonly MessageKey TooGeneral = new("guidelines.too-general");
    public static readonly MessageKey MorePassages = new("guidelines.more-passages", "count");
    public static readonly MessageKey ExamplesPrompt = new("guidelines.examples-prompt");
    public static readonly MessageKey Example1 = new("guidelines.example-1");
    public static readonly MessageKey Example2 = new("guidelines.example-2");
    public static readonly MessageKey Example3 = new("guidelines.example-3");
}
