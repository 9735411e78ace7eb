using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// The procedure catalog as an Excel workbook, one row per procedure, the YAML keys as the header row, lists one item
/// per line in a cell (Alt+Enter), and the e-application portal in cell B1 of a sheet named "portal". A workbook is
/// turned into the YAML catalog one row per line and read by <see cref="ProcedureFile"/>, so it gets exactly the same
/// checks and its problems name the row (<see cref="ContentWorkbook"/>).
/// </summary>
public static class ProcedureSpreadsheet
{
    public static readonly string[] Columns =
    [
        "id", "name", "sample", "category", "department", "contact", "description", "online", "channel", "how", "url",
        "payment", "counterPayment", "myNumberCard", "bring", "writingFreeCounter", "feature", "fee", "keywords", "examples", "reviewed",
    ];

    private static readonly HashSet<string> ListColumns = ["payment", "counterPayment", "bring", "keywords", "examples"];
    private const string PortalSheet = "portal";

    public static bool IsWorkbook(string path) => ContentWorkbook.IsWorkbook(path);

    public static ProcedureFileContent Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Procedure catalog not found: {path}", path);
        }

        var bytes = File.ReadAllBytes(path);
        var yaml = ContentWorkbook.Read(path, bytes, document => ToYaml(document, path));
        try
        {
            return ProcedureFile.Parse(yaml, path) with { Hash = Convert.ToHexString(SHA256.HashData(bytes)) };
        }
        catch (ContentFileException ex)
        {
            throw ContentWorkbook.AtRow(path, ex);
        }
    }

    /// <summary>The first sheet as the YAML catalog, row N on line N (the header row is line 1: <c>procedures:</c>).</summary>
    internal static string ToYaml(SpreadsheetDocument document, string path)
    {
        var workbook = document.WorkbookPart ?? throw new ContentFileException(path, 0, "the workbook has no sheets");
        var sheets = workbook.Workbook.Sheets?.OfType<Sheet>().ToList() ?? [];
        var first = sheets.FirstOrDefault(s => s.Name?.Value != PortalSheet) ?? throw new ContentFileException(path, 0, "the workbook has no sheet of procedures");
        var rows = ContentWorkbook.ReadRows(workbook, first);
        var columns = ContentWorkbook.Header(path, rows, Columns, "a procedure");
        var yaml = new StringBuilder("procedures:");
        ContentWorkbook.AppendRecords(yaml, rows, columns, Value);

        if (sheets.FirstOrDefault(s => s.Name?.Value == PortalSheet) is { } portalSheet
            && ContentWorkbook.ReadRows(workbook, portalSheet).GetValueOrDefault(1)?.GetValueOrDefault(2) is { Length: > 0 } portal)
        {
            yaml.Append("\nportal: ").Append(Quote(portal.Trim()));
        }

        return yaml.ToString();
    }

    /// <summary>A workbook of the catalog: the header row, one row per procedure, and the portal sheet.</summary>
    public static void Write(string path, ProcedureFileContent content)
    {
        using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook(new Sheets());
        ContentWorkbook.AddSheet(workbook, "procedures", [Columns, .. content.Procedures.Select(Row)]);
        ContentWorkbook.AddSheet(workbook, PortalSheet, [["portal", content.PortalUrl ?? string.Empty]]);
        workbook.Workbook.Save();
    }

    private static string[] Row(Procedure p) =>
    [
        p.Id, p.Name, p.Sample ? "true" : "false", p.Category, p.Department, p.Contact, p.Description, p.Online ? "true" : "false", ChannelKey(p.Channel), p.How,
        p.Url ?? string.Empty, string.Join("\n", p.Payment), string.Join("\n", p.CounterPayment), p.MyNumberCard switch { MyNumberCardUse.Required => "required", MyNumberCardUse.Optional => "optional", _ => "none" },
        string.Join("\n", p.Bring), p.WritingFreeCounter ? "true" : "false", p.Feature ?? string.Empty, p.Fee, string.Join("\n", p.Keywords), string.Join("\n", p.Examples),
        p.Reviewed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    ];

    /// <summary>The file's word for a channel (the one <see cref="ProcedureFile"/> reads).</summary>
    public static string ChannelKey(ProcedureChannel channel) => channel switch
    {
        ProcedureChannel.Online => "online",
        ProcedureChannel.ConvenienceStore => "konbini",
        ProcedureChannel.Post => "post",
        ProcedureChannel.Phone => "phone",
        ProcedureChannel.Information => "info",
        _ => "counter",
    };

    private static string Value(string column, string text)
    {
        if (ListColumns.Contains(column))
        {
            var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return "[" + string.Join(", ", items.Select(Quote)) + "]";
        }

        if (column == "reviewed")
        {
            return Quote(ContentWorkbook.Date(text.Trim()));
        }

        return column is "online" or "sample" or "writingFreeCounter" ? text.Trim().ToLowerInvariant() : Quote(text.Trim());
    }

    private static string Quote(string text) => ContentWorkbook.Quote(text);
}
