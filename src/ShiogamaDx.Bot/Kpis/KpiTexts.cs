using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>What staff read on the KPI charts (Content/messages.yaml, section <c>kpis</c>).</summary>
internal static class KpiTexts
{
    public static readonly MessageKey ChartTarget = new("kpis.chart-target");
    public static readonly MessageKey ChartActual = new("kpis.chart-actual");
    public static readonly MessageKey ChartUnit = new("kpis.chart-unit", "unit");
    public static readonly MessageKey ChartAlt = new("kpis.chart-alt", "name", "figures");
}
