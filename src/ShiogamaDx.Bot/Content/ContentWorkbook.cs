using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Content;

/// <summary>
/// A list the city keeps in Excel (the procedure catalog, the class schedule): the file's keys as the header row, one
/// record per row. A feature turns each row into one line of the YAML it already reads, so a workbook gets exactly the
/// YAML's checks and a problem on line N is told as row N. (ClosedXML is served only in a version older than this
/// SDK's OpenXml; the OpenXml SDK the host already uses for Word documents reads and writes the few cells needed.)
/// </summary>
public static class ContentWorkbook
{
    public static bool IsWorkbook(string path) => Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the workbook's bytes with <paramref name="read"/>; a file that is not a workbook is refused naming it.</summary>
    public static T Read<T>(string path, byte[] bytes, Func<SpreadsheetDocument, T> read)
    {
        try
        {
            using var stream = new MemoryStream(bytes);
            using var document = SpreadsheetDocument.Open(stream, isEditable: false);
            return read(document);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException)
        {
            throw new ContentFileException(path, 0, "not an Excel workbook (.xlsx): " + ex.Message);
        }
    }

    /// <summary>A problem of the YAML made from the sheet, told by row: line N of that YAML is row N of the sheet.</summary>
    public static ContentFileException AtRow(string path, ContentFileException ex) =>
        new(path, ex.Line, "row " + ex.Line + ": " + ex.Reason.Replace("\n  line ", "\n  row ", StringComparison.Ordinal).Replace(" on line ", " on row ", StringComparison.Ordinal));

    /// <summary>The header row's names by column number; a name that is not one of <paramref name="known"/> is refused naming its column.</summary>
    public static Dictionary<int, string> Header(string path, Dictionary<int, Dictionary<int, string>> rows, IReadOnlyList<string> known, string record)
    {
        if (!rows.TryGetValue(1, out var header))
        {
            throw new ContentFileException(path, 1, $"row 1 names the columns: {string.Join(", ", known)}");
        }

        var columns = header.Where(c => c.Value.Trim().Length > 0).ToDictionary(c => c.Key, c => c.Value.Trim());
        foreach (var (column, name) in columns.Where(c => !known.Contains(c.Value, StringComparer.Ordinal)))
        {
            throw new ContentFileException(path, 1, $"column {ColumnName(column)} '{name}' is not a field of {record} (known: {string.Join(", ", known)})");
        }

        return columns;
    }

    /// <summary>
    /// The rows under the header as YAML flow mappings (<c>  - {id: …, name: …}</c>), row N on line N of the text
    /// that starts with <paramref name="yaml"/> on line 1; an empty row is an empty line. False when no row holds anything.
    /// </summary>
    public static bool AppendRecords(System.Text.StringBuilder yaml, Dictionary<int, Dictionary<int, string>> rows, Dictionary<int, string> columns, Func<string, string, string> value)
    {
        var any = false;
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
                .Select(c => $"{c.Value}: {value(c.Value, cells[c.Key])}");
            yaml.Append("  - {").Append(string.Join(", ", fields)).Append('}');
            any = true;
        }

        return any;
    }

    public static void AddSheet(WorkbookPart workbook, string name, IReadOnlyList<string[]> rows)
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
    public static Dictionary<int, Dictionary<int, string>> ReadRows(WorkbookPart workbook, Sheet sheet)
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

    /// <summary>A date typed into Excel is stored as a day number: that day as 2026-12-05; anything else as it is.</summary>
    public static string Date(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 100_000
            ? DateOnly.FromDateTime(DateTime.FromOADate(serial)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : text;

    /// <summary>A time typed into Excel is stored as a fraction of a day (10:00 is 0.41666…): that time as 10:00; anything else as it is.</summary>
    public static string Time(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 0 and < 100_000 && text.Contains('.', StringComparison.Ordinal)
            ? TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(Math.Round((serial - Math.Floor(serial)) * 24 * 60) % (24 * 60))).ToString("HH:mm", CultureInfo.InvariantCulture)
            : text;

    /// <summary>A YAML double-quoted scalar on one line (the JSON escapes are YAML's).</summary>
    public static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text, ContentWorkbookJson.Default.String);

    public static string ColumnName(int number)
    {
        var name = string.Empty;
        for (; number > 0; number = (number - 1) / 26)
        {
            name = (char)('A' + ((number - 1) % 26)) + name;
        }

        return name;
    }

    private static int ColumnNumber(string reference)
    {
        var n = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            n = (n * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return n;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.General)]
internal sealed partial class ContentWorkbookJson : System.Text.Json.Serialization.JsonSerializerContext;
