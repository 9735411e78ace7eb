using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Procedures;

/// <summary><c>import procedures FILE</c>: validates the whole file first, then replaces the catalog in one transaction.</summary>
public sealed class ImportProceduresCommand(ProcedureCatalog catalog, ILogger<ImportProceduresCommand> logger) : IBotCommand
{
    public IReadOnlyList<string> Verb { get; } = ["import", "procedures"];

    public string Usage => "import procedures FILE   replace the procedure catalog with FILE (YAML like Content/procedures.yaml, or .xlsx like 'export procedures' writes)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Count != 1)
        {
            await output.WriteLineAsync("使い方 / usage: " + Usage);
            return 2;
        }

        var path = Path.GetFullPath(args[0]);
        ProcedureFileContent content;
        try
        {
            content = ProcedureSpreadsheet.IsWorkbook(path) ? ProcedureSpreadsheet.Load(path) : ProcedureFile.Load(path);
        }
        catch (Exception ex) when (ex is ContentFileException or FileNotFoundException)
        {
            await output.WriteLineAsync("取り込めませんでした。カタログは変更していません。 / not imported, the catalog is unchanged:");
            await output.WriteLineAsync("  " + ex.Message);
            return 1;
        }

        var report = await catalog.ReplaceAsync(content, path, seedHash: null, cancellationToken);
        logger.LogInformation("Procedure catalog imported from {Path}: {Added} added, {Changed} changed, {Removed} removed", path, report.Added.Count, report.Changed.Count, report.Removed.Count);
        await output.WriteLineAsync($"取り込みました / imported {content.Procedures.Count} procedures from {path}");
        await output.WriteLineAsync($"  added   {report.Added.Count}: {string.Join(", ", report.Added)}");
        await output.WriteLineAsync($"  changed {report.Changed.Count}: {string.Join(", ", report.Changed)}");
        await output.WriteLineAsync($"  removed {report.Removed.Count}: {string.Join(", ", report.Removed)}");
        await output.WriteLineAsync($"  unchanged {report.Unchanged}");
        await output.WriteLineAsync($"  online {content.Procedures.Count(p => p.Online)}, payable online {content.Procedures.Count(p => p.OnlinePayment)}");
        return 0;
    }
}

/// <summary><c>export procedures FILE.xlsx</c>: the catalog in use as a workbook, to edit in Excel and import again (also the template).</summary>
public sealed class ExportProceduresCommand(BotDbContext db) : IBotCommand
{
    public IReadOnlyList<string> Verb { get; } = ["export", "procedures"];

    public string Usage => "export procedures FILE.xlsx   write the procedure catalog in use as an Excel workbook (the template for import)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Count != 1 || !ProcedureSpreadsheet.IsWorkbook(args[0]))
        {
            await output.WriteLineAsync("使い方 / usage: " + Usage);
            return 2;
        }

        var procedures = await db.Set<Procedure>().AsNoTracking().OrderBy(p => p.Position).ToListAsync(cancellationToken);
        var portal = await db.Set<ProcedureCatalogState>().AsNoTracking().Where(s => s.Id == ProcedureCatalogState.SingletonId).Select(s => s.PortalUrl).FirstOrDefaultAsync(cancellationToken);
        var path = Path.GetFullPath(args[0]);
        ProcedureSpreadsheet.Write(path, new ProcedureFileContent(procedures, portal, string.Empty));
        await output.WriteLineAsync($"書き出しました / exported {procedures.Count} procedures to {path}");
        return 0;
    }
}
