using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Classes;

/// <summary>
/// The class schedule as an Excel workbook: the keys of classes.yaml as the header row, one class per row, dates and
/// times as Excel keeps them. Each row becomes one line of the YAML schedule read by <see cref="ClassSchedule.Parse"/>,
/// so a workbook gets the same checks and its problems name the row.
/// </summary>
public static class ClassSpreadsheet
{
    public static readonly string[] Columns = ["id", "title", "topic", "date", "start", "end", "venue", "address", "capacity", "bring", "partner", "status"];

    public static IReadOnlyList<SmartphoneClass> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The class schedule is missing: {path}", path);
        }

        var yaml = ContentWorkbook.Read(path, File.ReadAllBytes(path), document => ToYaml(document, path));
        try
        {
            return ClassSchedule.Parse(yaml, path);
        }
        catch (ContentFileException ex)
        {
            throw ContentWorkbook.AtRow(path, ex);
        }
    }

    /// <summary>The first sheet as the YAML schedule, row N on line N (the header row is line 1: <c>classes:</c>).</summary>
    private static string ToYaml(SpreadsheetDocument document, string path)
    {
        var workbook = document.WorkbookPart ?? throw new ContentFileException(path, 0, "the workbook has no sheets");
        var sheet = workbook.Workbook.Sheets?.OfType<Sheet>().FirstOrDefault() ?? throw new ContentFileException(path, 0, "the workbook has no sheet of classes");
        var rows = ContentWorkbook.ReadRows(workbook, sheet);
        var columns = ContentWorkbook.Header(path, rows, Columns, "a class");
        var yaml = new StringBuilder("classes:");
        return ContentWorkbook.AppendRecords(yaml, rows, columns, Value) ? yaml.ToString() : "classes: []"; // no class yet: an empty schedule
    }

    private static string Value(string column, string text) => ContentWorkbook.Quote(column switch
    {
        "date" => ContentWorkbook.Date(text.Trim()),
        "start" or "end" => ContentWorkbook.Time(text.Trim()),
        _ => text.Trim(),
    });

    /// <summary>A workbook of the schedule: the header row and one row per class, in Japan time as the office types it.</summary>
    public static void Write(string path, IEnumerable<SmartphoneClass> classes)
    {
        using var document = SpreadsheetDocument.Create(path, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook(new Sheets());
        ContentWorkbook.AddSheet(workbook, "classes", [Columns, .. classes.Select(Row)]);
        workbook.Workbook.Save();
    }

    private static string[] Row(SmartphoneClass c) =>
    [
        c.Id, c.Title, c.Topic, ClassTime.Date(c.StartsAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ClassTime.Local(c.StartsAt).ToString("HH:mm", CultureInfo.InvariantCulture), ClassTime.Local(c.EndsAt).ToString("HH:mm", CultureInfo.InvariantCulture),
        c.Venue, c.Address, c.Capacity.ToString(CultureInfo.InvariantCulture), c.WhatToBring, c.Partner ?? string.Empty, c.Status.ToString().ToLowerInvariant(),
    ];
}
