using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Staff;

/// <summary>
/// The staff channel in Microsoft's own Teams emulator, the Microsoft 365 Agents Playground (npm, pinned; it runs
/// offline and speaks the Teams channel to /api/messages), driven in Debian's headless Chromium: what a staff
/// member sees, not only the JSON. Screenshots go to the test output (screenshots/), copied to docs/images/.
/// </summary>
public sealed partial class PlaygroundBrowserTests
{
    private const string PlaygroundVersion = "0.2.28";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    [SkippableFact]
    public async Task StaffAnswers_InTheAgentsPlayground_ReadLineByLine_WithOneSetOfButtons_AndASurveyByClicks()
    {
        var missing = await Chromium.EnsureInstalledAsync();
        Skip.If(missing is not null, missing);
        var (cli, why) = await InstallPlaygroundAsync();
        Skip.If(cli is null, why);

        await using var app = new BotApplication(new Dictionary<string, string?> { ["Staff:AllowUnauthenticated"] = "true" });
        var bot = app.StartOnLoopback();
        await using var playground = await Playground.StartAsync(cli, new Uri(bot, "api/messages"));
        await using var browser = await Chromium.LaunchAsync(1280, 1000);
        var page = browser.Context.Pages.Count > 0 ? browser.Context.Pages[0] : await browser.Context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(playground.Url.ToString(), new() { WaitUntil = WaitUntilState.Load });

        // The greeting's menu: its buttons once. (The Playground draws no suggested actions beside a card, as Teams
        // does; that the bot sends none there is asserted on the JSON in TeamsLayoutTests.)
        await page.GetByRole(AriaRole.Button, new() { Name = "研修アンケート", Exact = true }).First.WaitForAsync();
        await page.WaitForTimeoutAsync(1000);
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "KPI一覧", Exact = true }).CountAsync());
        await ScreenshotAsync(page, "teams-menu.png");

        // A KPI answer: its first line a paragraph, its figures a list of their own lines.
        var kpi = await AskAsync(page, "電子申請が可能な手続数の令和8年度の目標は？", "の目標は");
        Assert.StartsWith("電子申請が可能な手続数", await kpi.Locator("p").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await kpi.Locator("ul > li").CountAsync() >= 4, await kpi.InnerHTMLAsync());
        await ScreenshotAsync(page, "teams-kpi-answer.png");

        // A guideline answer: heading, body and citation as paragraphs; the paragraph after a numbered list outside it.
        var guideline = await AskAsync(page, "生成AIの回答をそのまま使ってもいいですか", "（出典: "); // several sections answer it
        var paragraphs = await guideline.Locator("p").AllInnerTextsAsync();
        Assert.Matches("^【.+】$", paragraphs[0]);
        Assert.StartsWith("（出典: ", paragraphs[^1], StringComparison.Ordinal);
        var afterList = await page.Locator(".fai-OutputCard ol + p").AllInnerTextsAsync();
        Assert.NotEmpty(afterList);
        Assert.All(await page.Locator(".fai-OutputCard ol > li").AllInnerTextsAsync(), item => Assert.DoesNotContain("\n", item.Trim(), StringComparison.Ordinal));
        await page.Locator(".fai-OutputCard ol + p").First.ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "teams-guideline-answer.png");

        // The other sections of the same answer, folded under one button of the same message.
        var more = page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^他の該当箇所（[0-9]+件）$") }).Last;
        await more.ClickAsync();
        var second = page.GetByText(new Regex("^（出典: ")).Nth(1);
        await second.WaitForAsync();
        await second.ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "teams-guideline-more.png");

        // The KPI table: this indicator name took five lines (112 px) in equal columns; now two.
        await SendAsync(page, "KPI一覧");
        var cell = page.GetByText("電子申請が可能な手続数（電子申請の推進）", new() { Exact = true }).First;
        await cell.WaitForAsync();
        await cell.ScrollIntoViewIfNeededAsync();
        var box = await cell.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Height < 80, $"the indicator name is {box.Height}px tall ({box.Width}px wide)");
        var figure = await page.GetByText("68件", new() { Exact = true }).First.BoundingBoxAsync();
        Assert.True(figure is { Height: < 50 }, $"a target figure is {figure?.Height}px tall ({figure?.Width}px wide)");
        await ScreenshotAsync(page, "teams-kpi-table.png");

        // The survey by button clicks, to its thanks.
        await AskAsync(page, "研修アンケート", "どの研修");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("生成AI活用研修") }).Last.ClickAsync();
        var thanks = page.GetByText("ご回答ありがとうございました").First;
        for (var step = 0; step < 12 && !await thanks.IsVisibleAsync(); step++)
        {
            var shown = await page.Locator(".fai-OutputCard").CountAsync();
            var buttons = page.Locator(".fai-OutputCard").Last.GetByRole(AriaRole.Button);
            if (await buttons.CountAsync() > 0)
            {
                await buttons.First.ClickAsync();
            }
            else
            {
                await SendAsync(page, "なし"); // the free-text question
            }

            await page.WaitForFunctionAsync("n => document.querySelectorAll('.fai-OutputCard').length > n", shown);
            await page.WaitForTimeoutAsync(1000); // the rest of the same answer
        }

        await thanks.First.WaitForAsync();
        await ScreenshotAsync(page, "teams-survey-thanks.png");
        Assert.Empty(errors);
    }

    /// <summary>Types into the Playground's compose box (a Lexical editor) and waits for the answer holding <paramref name="expect"/>.</summary>
    private static async Task<ILocator> AskAsync(IPage page, string text, string expect)
    {
        await SendAsync(page, text);
        var answer = page.Locator(".fai-OutputCard").Filter(new() { HasText = expect }).Last;
        await answer.WaitForAsync();
        await page.WaitForTimeoutAsync(1500); // the other messages of the same answer
        return answer;
    }

    private static async Task SendAsync(IPage page, string text)
    {
        var input = page.Locator("[data-lexical-editor=true][role=textbox]");
        await input.ClickAsync();
        await page.Keyboard.InsertTextAsync(text);
        await page.Keyboard.PressAsync("Enter");
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), Type = ScreenshotType.Png });
    }

    /// <summary>The Playground from the npm registry into a temp folder, pinned; null and why when npm is not there.</summary>
    internal static async Task<(string? Cli, string? Why)> InstallPlaygroundAsync()
    {
        var prefix = Path.Combine(Path.GetTempPath(), "shiogama-agents-playground-" + PlaygroundVersion);
        var cli = Path.Combine(prefix, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(cli))
            {
                return (cli, null);
            }

            Directory.CreateDirectory(prefix);
            var (exit, output) = await RunAsync("npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", "@microsoft/m365agentsplayground@" + PlaygroundVersion);
            return exit switch
            {
                -1 => (null, "npm is not installed: the Agents Playground test needs Node.js and npm."),
                0 when File.Exists(cli) => (cli, null),
                _ => throw new InvalidOperationException($"npm install @microsoft/m365agentsplayground@{PlaygroundVersion} failed ({exit}): {output}"),
            };
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, string.Empty);
        }
    }

    /// <summary>The Playground's server (node cli.js) on a free port, stopped with its children.</summary>
    internal sealed partial class Playground(Process process, Uri url) : IAsyncDisposable
    {
        public Uri Url { get; } = url;

        public static async Task<Playground> StartAsync(string cli, Uri endpoint)
        {
            int port;
            var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(cli)! };
            using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            }

            foreach (var arg in new[] { cli, "--app-endpoint", endpoint.ToString(), "--channel-id", "msteams", "--disable-telemetry", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                info.ArgumentList.Add(arg);
            }

            var process = Process.Start(info)!;
            var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                log.Enqueue(e.Data);
                if (Listening().Match(e.Data) is { Success: true } m)
                {
                    listening.TrySetResult(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    log.Enqueue(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var started = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            if (started != listening.Task)
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                throw new InvalidOperationException("The Agents Playground did not start: " + string.Join('\n', log));
            }

            return new Playground(process, new Uri($"http://127.0.0.1:{await listening.Task}/"));
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        [GeneratedRegex(@"Listening on (\d+)")]
        private static partial Regex Listening();
    }
}
