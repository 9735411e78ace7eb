using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// 電子申請が可能な手続数 and オンライン決済が可能な手続き数 (基本方針1 施策1・施策2) for the current fiscal
/// year, counted from the catalog as it is now: the catalog is what residents are told, so it is the count.
/// </summary>
public sealed class ProcedureKpiSource(BotDbContext db, TimeProvider clock, Messages.MessageCatalog messages) : IKpiValueSource
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
        var texts = messages.Current;
        var suffix = sample ? texts[ProcedureTexts.KpiSampleSuffix] : string.Empty;
        var online = procedures.Count(p => p.Online);
        var payable = procedures.Count(p => p.OnlinePayment);
        return
        [
            new ComputedKpiValue(KpiIds.OnlineProcedures, fiscalYear, online, "catalog", texts.Format(ProcedureTexts.KpiOnlineSource, procedures.Count, online, suffix)),
            new ComputedKpiValue(KpiIds.OnlinePaymentProcedures, fiscalYear, payable, "catalog", texts.Format(ProcedureTexts.KpiPaymentSource, procedures.Count, payable, suffix)),
        ];
    }
}
