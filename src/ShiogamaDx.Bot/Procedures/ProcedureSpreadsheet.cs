using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Procedures;

/// <summary>
/// The procedure catalog as an Excel workbook, one row per procedure, the YAML keys as the header row, lists one item
/// per line in a cell (Alt+Enter), and the e-application portal in cell B1 of a sheet named "portal". A workbook is
/// turned into the YAML catalog one row per line and read by <see cref="ProcedureFile"/>, so it gets exactly the same
/// checks and its problems name the row. (ClosedXML is served only in a version older than this SDK's OpenXml; the
/// OpenXml SDK the host already uses for Word documents reads and writes the few cells needed.)
/// </summary>
public static class ProcedureSpreadsheet
{
    public static readonly string[] Columns =
    [
        "id", "name", "sample", "category", "department", "contact", "description", "online", "channel", "how", "url",
        "payment", "counterPayment", "myNumberCard", "bring", "writingFreeCounter", "fee", "keywords", "examples", "reviewed",
    ];

    private static readonly HashSet<string> ListColumns = ["payment", "counterPayment", "bring", "keywords", "examples"];
    private const string PortalSheet = "portal";

    public static bool IsWorkbook(string path) => Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase);

    public static ProcedureFileContent Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Procedure catalog not found: {path}", path);
        }

        var bytes = File.ReadAllBytes(path);
        string yaml;
        try
        {
            using var stream = new MemoryStream(bytes);
            using var document = SpreadsheetDocument.Open(stream, isEditable: false);
            yaml = ToYaml(document, path);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException)
        {
            throw new ContentFileException(path, 0, "not an Excel workbook (.xlsx): " + ex.Message);
        }

        try
        {
            return ProcedureFile.Parse(yaml, path) with { Hash = Convert.ToHexString(SHA256.HashData(bytes)) };
        }
        catch (ContentFileException ex)
        {
            // Line N of the generated YAML is row N of the sheet.
            throw new ContentFileException(path, ex.Line, "row " + ex.Line + ": " + ex.Reason.Replace("\n  line ", "\n  row ", StringComparison.Ordinal).Replace(" on line ", " on row ", StringComparison.Ordinal));
        }
    }

    /// <summary>The first sheet as the YAML catalog, row N on line N (the header row is line 1: <c>procedures:</c>).</summary>
    internal static string ToYaml(SpreadsheetDocument document, string path)
    {
        var workbook = document.WorkbookPart ?? throw new ContentFileException(path, 0, "the workbook has no sheets");
        var sheets = workbook.Workbook.Sheets?.OfType<Sheet>().ToList() ?? [];
        var first = sheets.FirstOrDefault(s => s.Name?.Value != PortalSheet) ?? throw new ContentFileException(path, 0, "the workbook has no sheet of procedures");
        var rows = ReadRows(workbook, first);
        if (!rows.TryGetValue(1, out var header))
        {
            throw new ContentFileException(path, 1, $"row 1 names the columns: {string.Join(", ", Columns)}");
        }

        var columns = header.Where(c => c.Value.Trim().Length > 0).ToDictionary(c => c.Key, c => c.Value.Trim());
        foreach (var (column, name) in columns.Where(c => !Columns.Contains(c.Value, StringComparer.Ordinal)))
        {
            throw new ContentFileException(path, 1, $"column {ColumnName(column)} '{name}' is not a field of a procedure (known: {string.Join(", ", Columns)})");
        }

        var yaml = new StringBuilder("procedures:");
        var last = rows.Keys.DefaultIfEmpty(1).Max();
        for (var row = 2; row <= last; row++)
        {
            yaml.Append('\n');
            if (!rows.TryGetValue(row, out var cells) || cells.Values.All(v => v.Trim().Length == 0))
            {
                continue; // an empty row: an empty line
            }

            var fields = columns
                .Where(c => cells.GetValueOrDefault(c.Key) is { } v && v.Trim().Length > 0)
                .Select(c => $"{c.Value}: {Value(c.Value, cells[c.Key])}");
            yaml.Append("  - {").Append(string.Join(", ", fields)).Append('}');
        }

        if (sheets.FirstOrDefault(s => s.Name?.Value == PortalSheet) is { } portalSheet
            && ReadRows(workbook, portalSheet).GetValueOrDefault(1)?.GetValueOrDefault(2) is { Length: > 0 } portal)
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
        AddSheet(workbook, "procedures", [Columns, .. content.Procedures.Select(Row)]);
        AddSheet(workbook, PortalSheet, [["portal", content.PortalUrl ?? string.Empty]]);
        workbook.Workbook.Save();
    }

    private static string[] Row(Procedure p) =>
    [
        p.Id, p.Name, p.Sample ? "true" : "false", p.Category, p.Department, p.Contact, p.Description, p.Online ? "true" : "false", ChannelKey(p.Channel), p.How,
        p.Url ?? string.Empty, string.Join("\n", p.Payment), string.Join("\n", p.CounterPayment), p.MyNumberCard switch { MyNumberCardUse.Required => "required", MyNumberCardUse.Optional => "optional", _ => "none" },
        string.Join("\n", p.Bring), p.WritingFreeCounter ? "true" : "false", p.Fee, string.Join("\n", p.Keywords), string.Join("\n", p.Examples),
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

    private static void AddSheet(WorkbookPart workbook, string name, IReadOnlyList<string[]> rows)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        for (var r = 0; r < rows.Count; r++)
        {
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (var c = 0; c < rows[r].Length; c++)
            {
                row.Append(new Cell
                {
                    CellReference = ColumnName(c + 1) + (r + 1).ToString(CultureInfo.InvariantCulture),
                    DataType = CellValues.InlineString,
                    InlineString = new InlineString(new Text(rows[r][c]) { Space = SpaceProcessingModeValues.Preserve }),
                });
            }

            data.Append(row);
        }

        part.Worksheet = new Worksheet(data);
        var sheets = workbook.Workbook.Sheets!;
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = (uint)(sheets.Count() + 1), Name = name });
    }

    /// <summary>Row number → column number → the cell's text as the person sees it (shared, inline, boolean or number).</summary>
    private static Dictionary<int, Dictionary<int, string>> ReadRows(WorkbookPart workbook, Sheet sheet)
    {
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        var rows = new Dictionary<int, Dictionary<int, string>>();
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            var index = (int)(row.RowIndex?.Value ?? (uint)(rows.Count + 1));
            var cells = new Dictionary<int, string>();
            var next = 1;
            foreach (var cell in row.Elements<Cell>())
            {
                var column = cell.CellReference?.Value is { } reference ? ColumnNumber(reference) : next;
                next = column + 1;
                cells[column] = cell.DataType?.Value switch
                {
                    var t when t == CellValues.SharedString => int.TryParse(cell.CellValue?.Text, CultureInfo.InvariantCulture, out var i) && i < shared.Count ? shared[i] : string.Empty,
                    var t when t == CellValues.InlineString => cell.InlineString?.InnerText ?? string.Empty,
                    var t when t == CellValues.Boolean => cell.CellValue?.Text == "1" ? "true" : "false",
                    _ => cell.CellValue?.Text ?? string.Empty,
                };
            }

            rows[index] = cells;
        }

        return rows;
    }

    private static string Value(string column, string text)
    {
        if (ListColumns.Contains(column))
        {
            var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return "[" + string.Join(", ", items.Select(Quote)) + "]";
        }

        // A date typed into Excel is stored as a day number.
        if (column == "reviewed" && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 100_000)
        {
            return Quote(DateOnly.FromDateTime(DateTime.FromOADate(serial)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return column is "online" or "sample" or "writingFreeCounter" ? text.Trim().ToLowerInvariant() : Quote(text.Trim());
    }

    /// <summary>A YAML double-quoted scalar on one line (the JSON escapes are YAML's).</summary>
    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text, ProcedureSpreadsheetJson.Default.String);

    private static int ColumnNumber(string reference)
    {
        var n = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            n = (n * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return n;
    }

    private static string ColumnName(int number)
    {
        var name = string.Empty;
        for (; number > 0; number = (number - 1) / 26)
        {
            name = (char)('A' + ((number - 1) % 26)) + name;
        }

        return name;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.General)]
internal sealed partial class ProcedureSpreadsheetJson : System.Text.Json.Serialization.JsonSerializerContext;
