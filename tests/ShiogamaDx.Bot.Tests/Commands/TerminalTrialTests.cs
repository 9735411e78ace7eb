using ShiogamaDx.Bot.Tests.Classes;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Commands;

/// <summary>The terminal chat as a real trial, each session its own process as an operator runs it.</summary>
public sealed class TerminalTrialTests
{
    [Fact]
    public async Task ResidentsAskingInTheTerminal_AreCountedForStaff_AndAnEmptyReportSaysSo()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-proc", Guid.NewGuid().ToString("N"));

        var empty = await SessionAsync(folder, "staff", "オンライン化されていない手続きでよく聞かれるもの");
        var asked = await SessionAsync(folder, "resident", "印鑑登録をしたい");
        var report = await SessionAsync(folder, "staff", "オンライン化されていない手続きでよく聞かれるもの");

        Assert.Contains("まだありません。", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("手続き | 担当課 | 件数", empty, StringComparison.Ordinal);
        Assert.Contains("【印鑑登録】", asked, StringComparison.Ordinal);
        Assert.True(report.Contains("印鑑登録 | 市民課 | 1", StringComparison.Ordinal), asked + "\n----\n" + report);
    }

    [Fact]
    public async Task New_StartsAsSomeoneTheBotHasNotMet()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-proc", Guid.NewGuid().ToString("N"));
        // A process runs on the real clock, so the bundled sample schedule (fixed dates) would close; its own class, a
        // month ahead, keeps the trial about the session and not about today's date.
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "classes.yaml"), ClassesTestApp.ScheduleFor(DateTime.Today.AddDays(30)));
        var started = await SessionAsync(folder, "resident", "スマホ教室に申し込む", "1", "いいえ", "はい");
        Assert.Contains("申し込みを受け付けました。", started, StringComparison.Ordinal);

        var same = await SessionAsync(folder, "resident", "申し込みの確認");
        var fresh = await SessionAsync(folder, "resident --new", "申し込みの確認");

        Assert.True(same.Contains("お申し込みは1件です。", StringComparison.Ordinal), started + "\n----\n" + same);
        Assert.Contains("いま、スマホ教室のお申し込みはありません。", fresh, StringComparison.Ordinal);
    }

    /// <summary>One session; the database and the privacy key outlive it, as on the operator's machine.</summary>
    private static async Task<string> SessionAsync(string folder, string who, params string[] lines)
    {
        Directory.CreateDirectory(folder);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Bot"] = $"Data Source={Path.Combine(folder, "bot.db")}",
            ["Privacy__Key"] = "terminal-trial-key",
        };
        if (File.Exists(Path.Combine(folder, "classes.yaml")))
        {
            environment["Classes__ScheduleFile"] = Path.Combine(folder, "classes.yaml");
        }
        await using var host = HostProcess.Start(environment, args: ["chat", "--as", .. who.Split(' ')]);
        foreach (var line in lines)
        {
            await host.WriteLineAsync(line);
        }

        host.CloseInput();
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        return host.Output;
    }
}
