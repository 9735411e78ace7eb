using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Language;

namespace ShiogamaDx.Bot.Procedures;

/// <param name="Unchanged">Procedures that were already exactly so.</param>
public sealed record ProcedureImportReport(IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Removed, int Unchanged)
{
    public bool AnyChange => Added.Count + Changed.Count + Removed.Count > 0;
}

/// <summary>
/// Replaces the catalog in the database with a parsed file, all or nothing: the file is fully validated
/// before anything is written, and the whole replacement is one transaction, so residents never see half
/// of an old and half of a new catalog.
/// </summary>
public sealed class ProcedureCatalog(BotDbContext db, ProcedureIndexCache cache, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public async Task<ProcedureImportReport> ReplaceAsync(ProcedureFileContent content, string source, string? seedHash, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var existing = await db.Set<Procedure>().ToDictionaryAsync(p => p.Id, StringComparer.Ordinal, ct);
        var incoming = content.Procedures.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var added = new List<string>();
        var changed = new List<string>();
        var unchanged = 0;

        foreach (var procedure in content.Procedures)
        {
            if (!existing.TryGetValue(procedure.Id, out var current))
            {
                db.Add(Copy(procedure, new Procedure { Id = procedure.Id, Name = procedure.Name, Category = procedure.Category, Department = procedure.Department }));
                added.Add(procedure.Id);
                continue;
            }

            if (Fingerprint(current) == Fingerprint(procedure))
            {
                unchanged++;
            }
            else
            {
                changed.Add(procedure.Id);
            }

            Copy(procedure, current); // position may move even when nothing a resident sees changed
        }

        var removed = existing.Keys.Where(id => !incoming.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        db.RemoveRange(removed.Select(id => existing[id]));

        var state = await db.Set<ProcedureCatalogState>().FirstOrDefaultAsync(s => s.Id == ProcedureCatalogState.SingletonId, ct);
        if (state is null)
        {
            state = new ProcedureCatalogState { Revision = string.Empty, Source = source };
            db.Add(state);
        }

        state.Revision = Revision(content.Procedures) + (content.PortalUrl is null ? string.Empty : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content.PortalUrl)))[..8]);
        state.PortalUrl = content.PortalUrl;
        state.Source = source;
        state.ImportedAt = clock.GetUtcNow();
        state.Count = content.Procedures.Count;
        if (seedHash is not null)
        {
            state.SeedHash = seedHash;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        cache.Invalidate();
        return new ProcedureImportReport(added, changed, removed, unchanged);
    }

    /// <summary>What a resident could see of a procedure, to tell a real change from a re-import.</summary>
    private static string Fingerprint(Procedure p) => JsonSerializer.Serialize(
        new object[]
        {
            p.Name, p.Description, p.Category, p.Department, p.Contact, p.Online, p.Channel.ToString(), p.How, p.Url ?? string.Empty, p.Payment, p.CounterPayment,
            p.MyNumberCard.ToString(), p.Bring, p.WritingFreeCounter, p.Feature ?? string.Empty, p.Fee, p.Keywords, p.Examples, p.Reviewed.ToString("O"), p.Sample,
        },
        Json);

    private static string Revision(IEnumerable<Procedure> procedures) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', procedures.Select(p => p.Id + "\t" + Fingerprint(p))))))[..32];

    private static Procedure Copy(Procedure from, Procedure to)
    {
        to.Name = from.Name;
        to.Description = from.Description;
        to.Category = from.Category;
        to.Department = from.Department;
        to.Contact = from.Contact;
        to.Online = from.Online;
        to.How = from.How;
        to.Url = from.Url;
        to.Channel = from.Channel;
        to.Payment = [.. from.Payment];
        to.CounterPayment = [.. from.CounterPayment];
        to.MyNumberCard = from.MyNumberCard;
        to.Bring = [.. from.Bring];
        to.WritingFreeCounter = from.WritingFreeCounter;
        to.Feature = from.Feature;
        to.Fee = from.Fee;
        to.Keywords = [.. from.Keywords];
        to.Examples = [.. from.Examples];
        to.Reviewed = from.Reviewed;
        to.Sample = from.Sample;
        to.Position = from.Position;
        return to;
    }
}

/// <summary>
/// Loads Content/procedures.yaml at start, but only when the catalog is empty or that file changed since it
/// was last seeded: a normal start reads one small row and hashes one file. A catalog an operator imported
/// from elsewhere is kept until the seed file itself changes.
/// </summary>
public sealed class ProcedureSeeder(
    ProcedureCatalog catalog,
    CityWords words,
    BotDbContext db,
    IOptions<ContentOptions> options,
    ILogger<ProcedureSeeder> logger) : IContentSeeder
{
    public int Order => 10;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        _ = words; // loaded to be injected: a broken word list stops the start with its line, like a broken catalog
        var path = Path.Combine(options.Value.FullPath, ProcedureFile.FileName);
        var state = await db.Set<ProcedureCatalogState>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == ProcedureCatalogState.SingletonId, cancellationToken);
        var empty = state is null || !await db.Set<Procedure>().AnyAsync(cancellationToken);
        if (!File.Exists(path))
        {
            if (empty)
            {
                throw new FileNotFoundException($"Procedure catalog not found: {path} (Content:Path)", path);
            }

            logger.LogWarning("Procedure catalog file {Path} not found; keeping the catalog in the database", path);
            return;
        }

        var hash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(path, cancellationToken)));
        if (!empty && state!.SeedHash == hash)
        {
            return;
        }

        var content = ProcedureFile.Load(path);
        var report = await catalog.ReplaceAsync(content, path, content.Hash, cancellationToken);
        logger.LogInformation(
            "Procedure catalog seeded from {Path}: {Added} added, {Changed} changed, {Removed} removed",
            path, report.Added.Count, report.Changed.Count, report.Removed.Count);
    }
}
