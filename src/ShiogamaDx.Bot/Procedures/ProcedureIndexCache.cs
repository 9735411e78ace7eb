using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// The search index, built once per catalog revision. Matching a turn must be cheap, so the index lives in
/// memory; an import in this process invalidates it at once, an import by another process (the operator
/// command, another replica) is noticed within <see cref="RecheckEvery"/> by reading the revision row.
/// </summary>
public sealed class ProcedureIndexCache(JapaneseAnalysis analysis, TimeProvider clock)
{
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private ProcedureIndex? index;
    private DateTimeOffset checkedAt;

    public ProcedureIndex Get(BotDbContext db)
    {
        var now = clock.GetUtcNow();
        var current = index;
        if (current is not null && now - checkedAt < RecheckEvery)
        {
            return current;
        }

        lock (gate)
        {
            var state = db.Set<ProcedureCatalogState>().AsNoTracking().Where(s => s.Id == ProcedureCatalogState.SingletonId).Select(s => new { s.Revision, s.PortalUrl }).FirstOrDefault();
            var revision = state?.Revision ?? string.Empty;
            if (index is null || index.Revision != revision)
            {
                var procedures = db.Set<Procedure>().AsNoTracking().OrderBy(p => p.Position).ToList();
                index = new ProcedureIndex(procedures, analysis, revision, state?.PortalUrl);
            }

            checkedAt = now;
            return index;
        }
    }

    public void Invalidate()
    {
        lock (gate)
        {
            index = null;
        }
    }
}
