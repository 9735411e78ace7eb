using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Classes;

/// <summary>
/// The office keeps the スマホ教室 schedule in Excel: export it, add a row as Excel saves one (shared strings, a date as a
/// day number, times as fractions of a day), and use the workbook as the schedule or import it.
/// </summary>
public sealed class ClassSpreadsheetTests
{
    private static readonly Dictionary<string, string> NewClass = new()
    {
        ["id"] = "2026-12-26-line",
        ["title"] = "年末のLINE教室",
        ["topic"] = "LINEで写真を送る",
        ["date"] = new DateTime(2026, 12, 26).ToOADate().ToString(CultureInfo.InvariantCulture),
        ["start"] = (10.0 / 24).ToString(CultureInfo.InvariantCulture),
        ["end"] = (12.0 / 24).ToString("0.0", CultureInfo.InvariantCulture),
        ["venue"] = "壱番館",
        ["address"] = "宮城県塩竈市本町1-1",
        ["capacity"] = "6",
        ["bring"] = "スマートフォン",
    };

    [Fact]
    public async Task TheExportedWorkbook_WithARowAddedInExcel_IsTheSchedule_AndResidentsBookIt()
    {
        using var first = new ClassesTestApp();
        var workbook = Path.Combine(first.App.Folder, "classes.xlsx");
        Assert.Equal(0, await RunAsync<ExportClassesCommand>(first.App, workbook));
        AppendRow(workbook, NewClass);

        using var second = new ClassesTestApp(new Dictionary<string, string?> { ["Classes:ScheduleFile"] = workbook });

        var added = second.Class("2026-12-26-line");
        Assert.Equal(ClassTime.At(new DateOnly(2026, 12, 26), new TimeOnly(10, 0)), added.StartsAt);
        Assert.Equal(ClassTime.At(new DateOnly(2026, 12, 26), new TimeOnly(12, 0)), added.EndsAt);
        Assert.Equal(6, added.Capacity);
        foreach (var id in new[] { "small", "big", "gone" })
        {
            // The exported rows come back as they were: same times, seats and status.
            var (before, after) = (first.Class(id), second.Class(id));
            Assert.Equal((before.StartsAt, before.EndsAt, before.Capacity, before.Status, before.Title), (after.StartsAt, after.EndsAt, after.Capacity, after.Status, after.Title));
        }

        var done = ReplyText.Of(await second.RegisterAsync("u-excel", "年末のLINE教室"));
        Assert.Single(second.Registrations("2026-12-26-line"));
        Assert.Contains("12月26日(土) 10:00〜12:00", done, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ABrokenRow_IsNamedWithFileAndRow_AndNothingChanges_ThenTheFixedFileIsTheSchedule()
    {
        using var first = new ClassesTestApp();
        var schedule = Path.Combine(first.App.Folder, "schedule.xlsx");
        Assert.Equal(0, await RunAsync<ExportClassesCommand>(first.App, schedule));
        using var app = new ClassesTestApp(new Dictionary<string, string?> { ["Classes:ScheduleFile"] = schedule });
        var inUse = await File.ReadAllBytesAsync(schedule);

        var broken = Path.Combine(first.App.Folder, "new.xlsx");
        File.Copy(schedule, broken);
        AppendRow(broken, new Dictionary<string, string>(NewClass) { ["date"] = "12/40" });
        var output = new StringWriter();

        Assert.Equal(1, await RunAsync<ImportClassesCommand>(app.App, broken, output));
        Assert.Contains("new.xlsx:5: row 5: date: '12/40' is not a date like 2026-12-05", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(inUse, await File.ReadAllBytesAsync(schedule));
        Assert.Equal(3, app.Db(db => db.Set<SmartphoneClass>().Count()));

        var good = Path.Combine(first.App.Folder, "good.xlsx");
        File.Copy(schedule, good);
        AppendRow(good, NewClass);
        output = new StringWriter();

        Assert.True(await RunAsync<ImportClassesCommand>(app.App, good, output) == 0, output.ToString());
        Assert.Contains("imported 4 classes", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(good), await File.ReadAllBytesAsync(schedule));
        Assert.Equal("年末のLINE教室", app.Class("2026-12-26-line").Title);
    }

    [Fact]
    public async Task CheckContent_OfAFolder_ReadsItsClassesWorkbook_AndNamesTheBrokenRow()
    {
        using var app = new ClassesTestApp();
        var folder = Path.Combine(app.App.Folder, "edited");
        Directory.CreateDirectory(folder);
        var workbook = Path.Combine(folder, "classes.xlsx");
        Assert.Equal(0, await RunAsync<ExportClassesCommand>(app.App, workbook));

        var output = new StringWriter();
        Assert.True(await CheckContentCommand.RunAsync(app.App.Services, [folder], output) == 0, output.ToString());
        Assert.Contains("classes: " + workbook, output.ToString(), StringComparison.Ordinal);

        AppendRow(workbook, new Dictionary<string, string>(NewClass) { ["date"] = "12/40" });
        output = new StringWriter();
        Assert.Equal(1, await CheckContentCommand.RunAsync(app.App.Services, [folder], output));
        Assert.Contains("classes.xlsx:5: row 5: date: '12/40' is not a date like 2026-12-05", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OfAnotherKindThanTheScheduleInUse_IsRefused_AndNothingChanges()
    {
        using var app = new ClassesTestApp();
        var workbook = Path.Combine(app.App.Folder, "classes.xlsx");
        Assert.Equal(0, await RunAsync<ExportClassesCommand>(app.App, workbook));
        AppendRow(workbook, NewClass);
        var output = new StringWriter();

        Assert.Equal(1, await RunAsync<ImportClassesCommand>(app.App, workbook, output));
        Assert.Contains("Classes:ScheduleFile", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, app.Db(db => db.Set<SmartphoneClass>().Count()));
    }

    [Fact]
    public async Task ARunningHost_TakesTheSavedWorkbook_WithoutARestart()
    {
        using var first = new ClassesTestApp();
        var workbook = Path.Combine(first.App.Folder, "schedule", "classes.xlsx");
        Directory.CreateDirectory(Path.GetDirectoryName(workbook)!);
        Assert.Equal(0, await RunAsync<ExportClassesCommand>(first.App, workbook));
        using var app = new ClassesTestApp(new Dictionary<string, string?> { ["Classes:ScheduleFile"] = workbook, ["Content:Watch"] = "true" });
        var reloader = app.App.Services.GetRequiredService<ContentReloader>();
        var (attempts, changes) = (reloader.Attempts, reloader.Changes);

        AppendRow(workbook, NewClass);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (reloader.Changes == changes)
        {
            await Task.Delay(20, timeout.Token);
        }

        while (reloader.Attempts == attempts)
        {
            app.App.Clock.Advance(TimeSpan.FromSeconds(1)); // the quiet period after the last change, on the fake clock
            await Task.Delay(20, timeout.Token);
        }

        Assert.Empty(reloader.LastProblems);
        Assert.Equal("年末のLINE教室", app.Class("2026-12-26-line").Title);
    }

    private static async Task<int> RunAsync<T>(BotApplication app, string path, StringWriter? output = null)
        where T : IBotCommand
    {
        await using var scope = app.Services.CreateAsyncScope();
        var command = scope.ServiceProvider.GetServices<IBotCommand>().OfType<T>().Single();
        return await command.RunAsync([path], output ?? new StringWriter(), CancellationToken.None);
    }

    /// <summary>A row typed under the last one: text in the shared string table, numbers (dates, times, seats) as numbers, as Excel keeps them.</summary>
    private static void AppendRow(string file, IReadOnlyDictionary<string, string> values)
    {
        using var document = SpreadsheetDocument.Open(file, isEditable: true);
        var workbook = document.WorkbookPart!;
        var strings = workbook.SharedStringTablePart ?? workbook.AddNewPart<SharedStringTablePart>();
        strings.SharedStringTable ??= new SharedStringTable();
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First();
        var data = ((WorksheetPart)workbook.GetPartById(sheet.Id!.Value!)).Worksheet.GetFirstChild<SheetData>()!;
        var index = (uint)data.Elements<Row>().Count() + 1;
        var row = new Row { RowIndex = index };
        for (var c = 0; c < ClassSpreadsheet.Columns.Length; c++)
        {
            if (!values.TryGetValue(ClassSpreadsheet.Columns[c], out var value))
            {
                continue;
            }

            var reference = (char)('A' + c) + index.ToString(CultureInfo.InvariantCulture);
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                row.Append(new Cell { CellReference = reference, CellValue = new CellValue(value) });
                continue;
            }

            strings.SharedStringTable.Append(new SharedStringItem(new Text(value)));
            var position = strings.SharedStringTable.Elements<SharedStringItem>().Count() - 1;
            row.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(position.ToString(CultureInfo.InvariantCulture)) });
        }

        data.Append(row);
    }
}
