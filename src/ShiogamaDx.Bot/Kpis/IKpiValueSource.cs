namespace ShiogamaDx.Bot.Kpis;

/// <summary>
/// A KPI value the bot computes instead of someone typing it in: the catalog counts online procedures,
/// the class surveys give the comprehension rate, the staff surveys the staff shares. Several features
/// implement it; the KPI feature reads them all.
/// </summary>
public interface IKpiValueSource
{
    Task<IReadOnlyList<ComputedKpiValue>> ComputeAsync(CancellationToken cancellationToken);
}

/// <param name="KpiId">The KPI's id in Content/kpis (see <see cref="KpiIds"/>).</param>
/// <param name="FiscalYear">Fiscal year as the Western year it starts in (令和8年度 = 2026).</param>
/// <param name="Source">"catalog" or "survey".</param>
/// <param name="Note">How it was computed, e.g. "回答 37件（5件未満は非公表）".</param>
public sealed record ComputedKpiValue(string KpiId, int FiscalYear, decimal Value, string Source, string Note);

/// <summary>Ids of the KPIs that are computed, agreed between the features that compute and the KPI feature.</summary>
public static class KpiIds
{
    public const string OnlineProcedures = "online-procedures";              // 電子申請が可能な手続数 (基本方針1 施策1)
    public const string OnlinePaymentProcedures = "online-payment-procedures"; // オンライン決済が可能な手続き数 (基本方針1 施策2)
    public const string ClassComprehension = "smartphone-class-comprehension"; // 講座内容が理解できた人の割合 (基本方針1 施策3)
    public const string StaffDigitalToolUse = "staff-digital-tool-use";      // デジタルツールを活用できていると感じている割合 (基本方針2 施策1)
    public const string StaffGenAiEfficiency = "staff-genai-efficiency";     // 業務効率化を実感した職員割合 (基本方針2 施策2)
}
