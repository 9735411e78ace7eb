using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Classes;

/// <summary>The host with a small schedule of its own (a class of 2 seats, one of 10) and the job not on a timer.</summary>
internal sealed class ClassesTestApp : IDisposable
{
    public const string ApiKey = "test-admin-key";

    /// <summary>
    /// One class on <paramref name="day"/>, for a host started as its own process: a process runs on the real clock, so
    /// the bundled sample schedule's fixed dates would pass and close.
    /// </summary>
    public static string ScheduleFor(DateTime day, string id = "test-class") => $"""
        classes:
          - id: {id}
            title: はじめてのスマホ教室
            topic: 基本の操作
            date: {day:yyyy-MM-dd}
            start: "10:00"
            end: "12:00"
            venue: 塩竈市公民館
            address: 宮城県塩竈市東玉川町9-1
            capacity: 12
            bring: スマートフォン
        """;

    public const string Schedule = """
        classes:
          - id: small
            title: 少人数のLINE教室
            topic: LINEの使い方
            date: 2026-12-05
            start: "10:00"
            end: "12:00"
            venue: 塩竈市公民館
            address: 宮城県塩竈市東玉川町9-1
            capacity: 2
            bring: スマートフォン
          - id: big
            title: はじめてのスマホ教室
            topic: 基本の操作
            date: 2026-12-12
            start: "13:30"
            end: "15:00"
            venue: 壱番館
            address: 宮城県塩竈市本町1-1
            capacity: 10
            bring: スマートフォン、筆記用具
          - id: gone
            title: 中止の教室
            topic: 中止
            date: 2026-12-20
            start: "10:00"
            end: "11:00"
            venue: 壱番館
            address: 宮城県塩竈市本町1-1
            capacity: 10
            bring: なし
            status: cancelled
        """;

    private readonly string folder;

    public ClassesTestApp(IDictionary<string, string?>? settings = null, string schedule = Schedule, string? databaseFile = null)
    {
        folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "classes-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "classes.yaml");
        File.WriteAllText(file, schedule);
        var all = new Dictionary<string, string?>
        {
            ["Classes:ScheduleFile"] = file,
            ["Classes:BackgroundJobs"] = "false",
            ["Admin:ApiKey"] = ApiKey,
        };
        if (databaseFile is not null)
        {
            all["ConnectionStrings:Bot"] = $"Data Source={databaseFile}";
        }

        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        App = new BotApplication(all);
    }

    public BotApplication App { get; }

    public Task<IReadOnlyList<Reply>> SayAsync(string user, string text) => App.SayAsync(Audience.Resident, user, text);

    public Task<IReadOnlyList<Reply>> PressAsync(string user, IReadOnlyList<Reply> replies, string label, string? card = null) =>
        Buttons.PressAsync(App, Audience.Resident, user, replies, label, card);

    /// <summary>The whole registration by buttons: list → 申し込む on the class's card → companions → はい.</summary>
    public async Task<IReadOnlyList<Reply>> RegisterAsync(string user, string classTitle, int companions = 0)
    {
        var list = await SayAsync(user, "スマホ教室");
        var step = await PressAsync(user, list, Buttons.Find(list, "申し込む", classTitle) is not null ? "申し込む" : "キャンセル待ち", classTitle);
        if (companions > 0)
        {
            step = await PressAsync(user, step, "はい");
            step = await SayAsync(user, companions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            step = await PressAsync(user, step, "いいえ");
        }

        return await PressAsync(user, step, "はい");
    }

    public T Db<T>(Func<BotDbContext, T> query) => App.WithScope(sp => query(sp.GetRequiredService<BotDbContext>()));

    public SmartphoneClass Class(string id) => Db(db => db.Set<SmartphoneClass>().AsNoTracking().Single(c => c.Id == id));

    public List<ClassRegistration> Registrations(string classId) =>
        Db(db => db.Set<ClassRegistration>().AsNoTracking().Where(r => r.ClassId == classId).OrderBy(r => r.Id).ToList());

    public List<OutboxMessage> Outbox(string keyPrefix) =>
        Db(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.IdempotencyKey.StartsWith(keyPrefix)).OrderBy(m => m.Id).ToList());

    public Task<ClassJobResult> TickAsync() => App.Services.GetRequiredService<ClassJobs>().TickAsync(CancellationToken.None);

    public void Dispose()
    {
        App.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // left to the OS temp cleaner
        }
    }
}
