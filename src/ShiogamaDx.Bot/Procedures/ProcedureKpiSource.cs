using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// 電子申請が可能な手続数 and オンライン決済が可能な手続き数 (基本方針1 施策1・施策2) for the current fiscal
/// year, counted from the catalog as it is now: the catalog is what residents are told, so it is the count.
/// </summary>
public sealed class ProcedureKpiSource(BotDbContext db, TimeProvider clock) : IKpiValueSource
{
    public async Task<IReadOnlyList<ComputedKpiValue>> ComputeAsync(CancellationToken cancellationToken)
    {
        var procedures = await db.Set<Procedure>().AsNoTracking().ToListAsync(cancellationToken);
        if (procedures.Count == 0)
        {
            return [];
        }

        var today = clock.GetLocalNow();
        var fiscalYear = today.Month >= 4 ? today.Year : today.Year - 1;
        var sample = procedures.Any(p => p.Sample);
        var suffix = sample ? "（サンプルカタログを含む: 市の実数ではありません）" : string.Empty;
        var online = procedures.Count(p => p.Online);
        var payable = procedures.Count(p => p.OnlinePayment);
        return
        [
            new ComputedKpiValue(KpiIds.OnlineProcedures, fiscalYear, online, "catalog", $"カタログから算出: 掲載{procedures.Count}手続のうち電子申請可能{online}件{suffix}"),
            new ComputedKpiValue(KpiIds.OnlinePaymentProcedures, fiscalYear, payable, "catalog", $"カタログから算出: 掲載{procedures.Count}手続のうちオンライン決済可能{payable}件{suffix}"),
        ];
    }
}
