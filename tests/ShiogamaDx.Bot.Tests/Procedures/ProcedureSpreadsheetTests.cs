using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Procedures;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Procedures;

/// <summary>The office keeps the catalog in Excel: export, add a row as Excel saves it (shared strings), import.</summary>
public sealed class ProcedureSpreadsheetTests : IDisposable
{
    private readonly BotApplication app = new();
    private readonly string file;

    public ProcedureSpreadsheetTests() => file = Path.Combine(app.Folder, "procedures.xlsx");

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task ARowAddedInExcel_IsImported_AndAnswered()
    {
        Assert.Equal(0, await RunAsync<ExportProceduresCommand>(file));
        var before = await CountAsync();
        AppendRow(new Dictionary<string, string>
        {
            ["id"] = "dog-registration",
            ["name"] = "犬の登録",
            ["category"] = "くらし",
            ["department"] = "環境課",
            ["online"] = "TRUE",
            ["how"] = "電子申請で登録すると、鑑札が郵送で届きます。",
            ["url"] = "https://e-shinsei.example.jp/shiogama/sample/dog",
            ["channel"] = "post",
            ["payment"] = "クレジットカード",
            ["counterPayment"] = "電子マネー\nQRコード決済",
            ["keywords"] = "犬の登録\n飼い犬\n鑑札",
            ["reviewed"] = "46357", // 2026-12-01 as Excel stores a date
        });

        var output = new StringWriter();
        var code = await RunAsync<ImportProceduresCommand>(file, output);

        Assert.True(code == 0, output.ToString());
        Assert.Contains("added   1: dog-registration", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(before + 1, await CountAsync());
        var answer = ReplyText.Of(await app.SayAsync(Audience.Resident, "r1", "飼い犬の鑑札はオンラインでもらえますか"));
        Assert.Contains("電子申請で登録すると、鑑札が郵送で届きます。", answer, StringComparison.Ordinal);
        Assert.Contains("郵送でできます・オンライン決済可・窓口キャッシュレス可", answer, StringComparison.Ordinal);
        var row = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Procedure>().AsNoTracking().Single(p => p.Id == "dog-registration"));
        Assert.Equal(new DateOnly(2026, 12, 1), row.Reviewed);
        Assert.Equal(ProcedureChannel.Post, row.Channel);
        Assert.Equal(["電子マネー", "QRコード決済"], row.CounterPayment);

        // Exported again, the new fields come back as they were typed.
        var again = Path.Combine(app.Folder, "again.xlsx");
        Assert.Equal(0, await RunAsync<ExportProceduresCommand>(again));
        var exported = ProcedureSpreadsheet.Load(again).Procedures.Single(p => p.Id == "dog-registration");
        Assert.Equal(ProcedureChannel.Post, exported.Channel);
        Assert.Equal(["電子マネー", "QRコード決済"], exported.CounterPayment);
        Assert.Equal(ProcedureChannel.ConvenienceStore, ProcedureSpreadsheet.Load(again).Procedures.Single(p => p.Id == "konbini-kofu").Channel);
    }

    [Fact]
    public async Task ABrokenRow_IsNamed_AndNothingChanges()
    {
        Assert.Equal(0, await RunAsync<ExportProceduresCommand>(file));
        var before = await CountAsync();
        AppendRow(new Dictionary<string, string> { ["id"] = "no-url", ["name"] = "URLのない手続き", ["category"] = "くらし", ["department"] = "環境課", ["online"] = "true", ["how"] = "電子申請", ["keywords"] = "なにか", ["reviewed"] = "2026-12-01" });
        var row = before + 2;

        var output = new StringWriter();
        var code = await RunAsync<ImportProceduresCommand>(file, output);

        Assert.Equal(1, code);
        Assert.Contains($"procedures.xlsx:{row}: row {row}: online: true needs the url of the application", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    private async Task<int> RunAsync<T>(string path, StringWriter? output = null)
        where T : IBotCommand
    {
        await using var scope = app.Services.CreateAsyncScope();
        var command = scope.ServiceProvider.GetServices<IBotCommand>().OfType<T>().Single();
        return await command.RunAsync([path], output ?? new StringWriter(), CancellationToken.None);
    }

    private async Task<int> CountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<Procedure>().CountAsync();
    }

    /// <summary>A row typed into the first sheet under the header, its text in the shared string table as Excel keeps it.</summary>
    private void AppendRow(IReadOnlyDictionary<string, string> values)
    {
        using var document = SpreadsheetDocument.Open(file, isEditable: true);
        var workbook = document.WorkbookPart!;
        var strings = workbook.SharedStringTablePart ?? workbook.AddNewPart<SharedStringTablePart>();
        strings.SharedStringTable ??= new SharedStringTable();
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First();
        var data = ((WorksheetPart)workbook.GetPartById(sheet.Id!.Value!)).Worksheet.GetFirstChild<SheetData>()!;
        var index = (uint)data.Elements<Row>().Count() + 1;
        var row = new Row { RowIndex = index };
        for (var c = 0; c < ProcedureSpreadsheet.Columns.Length; c++)
        {
            if (!values.TryGetValue(ProcedureSpreadsheet.Columns[c], out var value))
            {
                continue;
            }

            var reference = (char)('A' + c) + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (ProcedureSpreadsheet.Columns[c] == "reviewed" && int.TryParse(value, out _))
            {
                row.Append(new Cell { CellReference = reference, CellValue = new CellValue(value) });
                continue;
            }

            strings.SharedStringTable.Append(new SharedStringItem(new Text(value)));
            var position = strings.SharedStringTable.Elements<SharedStringItem>().Count() - 1;
            row.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(position.ToString(System.Globalization.CultureInfo.InvariantCulture)) });
        }

        data.Append(row);
    }
}
