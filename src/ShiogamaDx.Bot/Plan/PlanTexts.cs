using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Plan;

/// <summary>What staff read around the plan's quoted sections (Content/messages.yaml, section <c>plan</c>).</summary>
internal static class PlanTexts
{
    public static readonly MessageKey KpisHeading = new("plan.kpis-heading", "project");
    public static readonly MessageKey KpiLine = new("plan.kpi-line", "name", "target", "year", "actual");
    public static readonly MessageKey NoActual = new("plan.no-actual");
    public static readonly MessageKey ActualOfYear = new("plan.actual-of-year", "actual", "year");
}
