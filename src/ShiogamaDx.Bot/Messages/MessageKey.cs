using System.Reflection;

namespace ShiogamaDx.Bot.Messages;

/// <summary>
/// A sentence people read, by its key in Content/messages.yaml (<c>classes.closed</c>), with the names of the
/// placeholders the code fills, in the order <see cref="MessageSet.Format"/> takes their values. A text may leave a
/// placeholder out; one the code does not fill is refused at load.
/// </summary>
public sealed record MessageKey(string Key, params string[] Placeholders)
{
    /// <summary>
    /// Every key the host declares: the static fields of each feature's <c>…Texts</c> class, named here rather than
    /// found by walking the assembly, which loaded every type (and PdfPig, OpenXml, SkiaSharp with them) at start.
    /// <c>MessageFileTests</c> checks that no class declaring a key is missing.
    /// </summary>
    public static IReadOnlyList<MessageKey> All { get; } = new[]
        {
            typeof(Admin.AdminTexts), typeof(Announcements.AnnouncementTexts), typeof(Announcements.DisasterTexts),
            typeof(Classes.ClassTexts), typeof(Content.ContentTexts), typeof(Conversations.ConversationTexts),
            typeof(Guidelines.GuidelineTexts), typeof(Guides.GuideTexts), typeof(Handoff.HandoffTexts), typeof(Kpis.KpiTexts),
            typeof(Line.LineTexts), typeof(Localization.LocalizationTexts), typeof(Plan.PlanTexts), typeof(Procedures.ProcedureTexts),
            typeof(Staff.StaffTexts), typeof(Surveys.SurveyTexts),
        }
        .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
        .Where(f => f.FieldType == typeof(MessageKey) && f.IsInitOnly)
        .Select(f => (MessageKey)f.GetValue(null)!)
        .OrderBy(k => k.Key, StringComparer.Ordinal)
        .ToList();

    public override string ToString() => Key;
}
