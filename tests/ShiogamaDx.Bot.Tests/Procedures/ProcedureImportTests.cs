using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Procedures;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Procedures;

public sealed class ProcedureImportTests : IDisposable
{
    private static readonly string SampleFile = Path.Combine(AppContext.BaseDirectory, "Content", ProcedureFile.FileName);
    private readonly BotApplication app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public void Start_SeedsTheBundledSampleCatalog()
    {
        var (count, online) = app.WithScope(sp =>
        {
            var db = sp.GetRequiredService<BotDbContext>();
            return (db.Set<Procedure>().Count(), db.Set<Procedure>().Count(p => p.Online));
        });

        Assert.Equal(83, count);
        Assert.Equal(64, online);
    }

    [Fact]
    public async Task Import_BrokenFile_ChangesNothing_AndExitsWithOne()
    {
        var yaml = File.ReadAllText(SampleFile)
            .Replace("name: 住民票の写しの請求", "name: 住民票（変更）", StringComparison.Ordinal)   // a valid change early in the file …
            .Replace("reviewed: 2026-04-01\n\n  - id: kiji-tohyo", "reviewed: 2026-04-01\n\n  - id: Kiji Tohyo", StringComparison.Ordinal); // … and a bad id late
        var file = Path.Combine(app.Folder, "broken.yaml");
        await File.WriteAllTextAsync(file, yaml);

        var (code, output) = await RunImportAsync(file);

        Assert.Equal(1, code);
        Assert.Contains("カタログは変更していません", output, StringComparison.Ordinal);
        Assert.Matches(@"broken\.yaml:\d+: id 'Kiji Tohyo' must be lower-case", output);
        Assert.Equal("住民票の写しの請求", app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Procedure>().Single(p => p.Id == "juminhyo").Name));
        Assert.Equal(83, app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Procedure>().Count()));
    }

    [Fact]
    public async Task Import_ValidFile_ReportsAddedChangedRemoved_AndResidentsSeeItAtOnce()
    {
        var yaml = File.ReadAllText(SampleFile);
        var juminhyoEnd = yaml.IndexOf("  - id: inkan-shomei", StringComparison.Ordinal);
        var inkanEnd = yaml.IndexOf("  - id: inkan-toroku", StringComparison.Ordinal);
        yaml = yaml[..juminhyoEnd] + yaml[inkanEnd..]; // remove inkan-shomei
        yaml = yaml.Replace("fee: 1通300円（郵送料は市が負担）", "fee: 1通250円（郵送料は市が負担）", StringComparison.Ordinal) + """

              - id: pasupoto
                name: パスポートの申請
                category: 証明書・戸籍
                department: 市民課
                online: true
                how: 電子申請で申請します。
                url: https://e-shinsei.example.jp/shiogama/sample/passport
                keywords: [パスポート, 旅券]
                reviewed: 2026-11-01

            """;
        var file = Path.Combine(app.Folder, "city.yaml");
        await File.WriteAllTextAsync(file, yaml);

        var (code, output) = await RunImportAsync(file);

        Assert.Equal(0, code);
        Assert.Contains("added   1: pasupoto", output, StringComparison.Ordinal);
        Assert.Contains("changed 1: juminhyo", output, StringComparison.Ordinal);
        Assert.Contains("removed 1: inkan-shomei", output, StringComparison.Ordinal);
        Assert.Contains("unchanged 81", output, StringComparison.Ordinal);

        var answer = await app.SayAsync(Audience.Resident, "r1", "パスポートを作りたい");
        Assert.Equal("パスポートの申請", Assert.IsType<CardsReply>(answer.First(r => r is CardsReply)).Cards.Single().Title);

        var again = await RunImportAsync(file);
        Assert.Contains("added   0", again.Output, StringComparison.Ordinal);
        Assert.Contains("unchanged 83", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MissingFile_ExitsWithOne()
    {
        var (code, output) = await RunImportAsync(Path.Combine(app.Folder, "nothing.yaml"));

        Assert.Equal(1, code);
        Assert.Contains("nothing.yaml", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KpiSource_CountsOnlineAndPayableProcedures_ForTheCurrentFiscalYear()
    {
        var values = await app.WithScope(sp => sp.GetServices<IKpiValueSource>().OfType<ProcedureKpiSource>().Single().ComputeAsync(CancellationToken.None));

        var online = values.Single(v => v.KpiId == KpiIds.OnlineProcedures);
        var payable = values.Single(v => v.KpiId == KpiIds.OnlinePaymentProcedures);
        Assert.Equal((2026, 64m, "catalog"), (online.FiscalYear, online.Value, online.Source));
        Assert.Equal((2026, 6m), (payable.FiscalYear, payable.Value));
        Assert.StartsWith("カタログから算出", online.Note, StringComparison.Ordinal);
        Assert.Contains("サンプル", online.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KpiSource_InMarch_CountsForTheFiscalYearThatStartedTheAprilBefore()
    {
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 31, 14, 0, 0, TimeSpan.Zero)); // 2027-03-31 23:00 in Tokyo

        var values = await app.WithScope(sp => sp.GetServices<IKpiValueSource>().OfType<ProcedureKpiSource>().Single().ComputeAsync(CancellationToken.None));

        Assert.All(values, v => Assert.Equal(2026, v.FiscalYear));
    }

    [Fact]
    public async Task Staff_SeeWhatResidentsAskThatIsNotOnline_AndWhatWasNotUnderstood()
    {
        await app.SayAsync(Audience.Resident, "r1", "印鑑証明がほしい");
        await app.SayAsync(Audience.Resident, "r2", "印鑑登録証明書の交付");
        await app.SayAsync(Audience.Resident, "r3", "狂犬病の注射");
        await app.SayAsync(Audience.Resident, "r1", "住民票がほしい");      // online: not a candidate
        await app.SayAsync(Audience.Resident, "r4", "明日の天気は？");
        await app.SayAsync(Audience.Resident, "r5", "あしたのてんきは");

        var demand = Assert.IsType<TableReply>(Assert.Single(await app.SayAsync(Audience.Staff, "s1", "住民からよく聞かれるがオンライン化されていない手続き")));
        var unanswered = Assert.IsType<TableReply>(Assert.Single(await app.SayAsync(Audience.Staff, "s1", "答えられなかった質問")));

        Assert.Equal(["印鑑登録証明書の交付", "市民課", "2"], demand.Rows[0]);
        Assert.Equal(["狂犬病予防注射", "環境課", "1"], demand.Rows[1]);
        Assert.Equal(2, demand.Rows.Count);
        Assert.Contains("令和8年度", demand.Title, StringComparison.Ordinal);
        Assert.Equal(2, unanswered.Rows.Count);
        Assert.Contains(unanswered.Rows, r => r[0] == "明日の天気は？" && r[1] == "1");
    }

    [Fact]
    public async Task DemandCounts_AreWrittenEveryFewSeconds_AndAtAGracefulStop_WithoutAnyoneReadingThem()
    {
        var id = app.WithScope(sp => sp.GetRequiredService<ProcedureIndexCache>().Get(sp.GetRequiredService<BotDbContext>()).Search("印鑑証明がほしい")[0].Procedure.Id);
        int Asked(BotApplication host) => host.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<ProcedureDemand>().AsNoTracking()
            .Where(d => d.ProcedureId == id).Sum(d => (int?)d.Asked) ?? 0);

        await app.SayAsync(Audience.Resident, "r1", "印鑑証明がほしい");
        await app.SayAsync(Audience.Resident, "r2", "印鑑登録証明書の交付");
        Assert.Equal(0, Asked(app)); // counted in memory: no write of its own per question

        // The timer writes them.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Asked(app) < 2 && DateTime.UtcNow < deadline)
        {
            app.Clock.Advance(ProcedureDemandCounter.FlushInterval);
            await Task.Delay(20);
        }

        Assert.Equal(2, Asked(app));

        // A graceful stop writes what the timer has not yet.
        await app.SayAsync(Audience.Resident, "r3", "印鑑証明がほしい");
        await app.Services.GetRequiredService<IHost>().StopAsync();
        await using var file = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.Folder, "bot.db")};Pooling=False");
        await file.OpenAsync();
        await using var read = file.CreateCommand();
        read.CommandText = """SELECT SUM("Asked") FROM "ProcedureDemand" WHERE "ProcedureId" = $id""";
        read.Parameters.AddWithValue("$id", id);
        Assert.Equal(3L, await read.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Residents_CannotAskForTheStaffReports()
    {
        var text = ReplyText.Of(await app.SayAsync(Audience.Resident, "r1", "答えられなかった質問"));

        Assert.DoesNotContain("答えられなかった住民の質問", text, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output)> RunImportAsync(string file)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var command = scope.ServiceProvider.GetServices<IBotCommand>().Single(c => c.Verb.SequenceEqual(["import", "procedures"]));
        var output = new StringWriter();
        var code = await command.RunAsync([file], output, CancellationToken.None);
        return (code, output.ToString());
    }
}

/// <summary>Start-up seeding reads the file only when it changed, and keeps an operator's import until then.</summary>
public sealed class ProcedureSeedingTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "seed-" + Guid.NewGuid().ToString("N"));

    public ProcedureSeedingTests()
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Content")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS temp cleaner
        }
    }

    [Fact]
    public async Task Restart_KeepsAnImportedCatalog_UntilTheSeedFileChanges()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(folder, "bot.db")}",
            ["Content:Path"] = folder,
        };
        var seedFile = Path.Combine(folder, ProcedureFile.FileName);
        var imported = Path.Combine(folder, "imported.yaml");
        await File.WriteAllTextAsync(imported, (await File.ReadAllTextAsync(seedFile)).Replace("name: 犬の登録", "name: 犬の登録（市の版）", StringComparison.Ordinal));

        using (var first = new BotApplication(settings))
        {
            await using var scope = first.Services.CreateAsyncScope();
            var command = scope.ServiceProvider.GetServices<IBotCommand>().Single(c => c.Verb is ["import", "procedures"]);
            Assert.Equal(0, await command.RunAsync([imported], TextWriter.Null, CancellationToken.None));
        }

        using (var second = new BotApplication(settings))
        {
            Assert.Equal("犬の登録（市の版）", DogName(second));
        }

        await File.AppendAllTextAsync(seedFile, "\n# edited by the city\n");
        using (var third = new BotApplication(settings))
        {
            Assert.Equal("犬の登録", DogName(third));
        }
    }

    [Fact]
    public void Start_WithABrokenSeedFile_FailsNamingFileAndLine()
    {
        var seedFile = Path.Combine(folder, ProcedureFile.FileName);
        File.WriteAllText(seedFile, File.ReadAllText(seedFile).Replace("myNumberCard: required", "myNumberCard: yes", StringComparison.Ordinal));
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(folder, "bot.db")}",
            ["Content:Path"] = folder,
        };

        using var app = new BotApplication(settings);
        var ex = Assert.Throws<ContentFileException>(() => app.Services);

        Assert.Contains("procedures.yaml:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("myNumberCard 'yes' must be required, optional or none", ex.Message, StringComparison.Ordinal);
    }

    private static string DogName(BotApplication app) =>
        app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Procedure>().AsNoTracking().Single(p => p.Id == "inu-toroku").Name);
}
