using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// The search index, built once per catalog revision. Matching a turn must be cheap, so the index lives in
/// memory; an import in this process invalidates it at once, an import by another process (the operator
/// command, another replica) is noticed within <see cref="RecheckEvery"/> by reading the revision row.
/// </summary>
public sealed class ProcedureIndexCache(IOptions<ContentOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(30);

    private readonly Lazy<ProcedureWords> words = new(() => ProcedureWords.Load(Path.Combine(options.Value.FullPath, ProcedureWords.FileName)));
    private readonly Lock gate = new();
    private ProcedureIndex? index;
    private DateTimeOffset checkedAt;

    public ProcedureWords Words => words.Value;

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
                index = new ProcedureIndex(procedures, Words, revision, state?.PortalUrl);
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
