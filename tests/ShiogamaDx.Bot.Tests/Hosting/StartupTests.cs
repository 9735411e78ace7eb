using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Hosting;

/// <summary>The host as a separate process, as CONTRACT.md's start command runs it.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Start_WithNoConfiguration_ServesHealthzAndCreatesItsDatabase()
    {
        await using var host = HostProcess.Start();

        await host.WaitHealthyAsync(TimeSpan.FromSeconds(120));

        Assert.True(File.Exists(Path.Combine(host.Folder, "data", "shiogama-dx.db")));
    }

    /// <summary>
    /// The start builds every intent handler (the dialog check), the KPI handler's chart renderer among them; the
    /// drawing library is loaded by the first chart, not by the start.
    /// </summary>
    [SkippableFact]
    public async Task Start_LoadsNoChartLibrary()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads the process's mapped files from /proc");
        await using var host = HostProcess.Start();

        await host.WaitHealthyAsync(TimeSpan.FromSeconds(120));

        var mapped = await File.ReadAllTextAsync($"/proc/{host.Id}/maps");
        Assert.Contains("ShiogamaDx.Bot.dll", mapped, StringComparison.Ordinal);
        Assert.DoesNotContain("SkiaSharp", mapped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithABrokenDialogFile_RefusesToStart_NamingFileAndLine()
    {
        var dialogs = Path.Combine(Path.GetTempPath(), "shiogama-dx-dialogs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dialogs);
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Dialogs, "*.yaml"))
        {
            File.Copy(file, Path.Combine(dialogs, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(dialogs, "zz-broken.yaml"), "id: broken\nsteps:\n  - id: a\n    type: choice\n    prompt: どれ？\n");
        await using var host = HostProcess.Start(new Dictionary<string, string> { ["Dialogs__Path"] = dialogs });

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(1, exitCode);
        Assert.Contains("zz-broken.yaml:3:", host.Output, StringComparison.Ordinal);
        Assert.Contains("needs choices", host.Output, StringComparison.Ordinal);
        Directory.Delete(dialogs, recursive: true);
    }

    [Fact]
    public async Task Start_WithAReadOnlyDatabase_ExitsNonZeroWithAClearMessage()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-proc", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "readonly.db");
        await File.WriteAllBytesAsync(file, []);

        await using var host = HostProcess.Start(new Dictionary<string, string> { ["ConnectionStrings__Bot"] = $"Data Source={file};Mode=ReadOnly" }, folder);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(1, exitCode);
        Assert.Contains("cannot be opened, written or migrated", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCommand_AnswersAResidentInTheTerminal()
    {
        await using var host = HostProcess.Start(args: ["chat", "--as", "resident"]);
        await host.WriteLineAsync("6"); // お問い合わせ (5, 職員に相談する, starts a handoff a staff terminal can answer)
        await host.WriteLineAsync("exit");

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(0, exitCode);
        Assert.Contains("1. オンライン手続き", host.Output, StringComparison.Ordinal);
        Assert.Contains("022-355-5284", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ExitsWithUsage()
    {
        await using var host = HostProcess.Start(args: ["frobnicate"]);

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(2, exitCode);
        Assert.Contains("chat --as resident|staff", host.Output, StringComparison.Ordinal);
    }
}
