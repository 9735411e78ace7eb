using System.Diagnostics;
using Microsoft.Playwright;

namespace ShiogamaDx.Bot.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium driven by Playwright (never its downloaded browsers). Installed here with apt-get
/// when missing, as root or through password-less sudo, like <see cref="PostgreSqlServer"/> installs PostgreSQL.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // The machine's closed network: nothing may try to reach Google, and there is no GPU or user namespace.
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private readonly IPlaywright playwright;
    private readonly string userDataDir;

    private Chromium(IPlaywright playwright, IBrowserContext context, string userDataDir)
    {
        this.playwright = playwright;
        Context = context;
        this.userDataDir = userDataDir;
    }

    public IBrowserContext Context { get; }

    /// <summary>Null when Chromium is there (installed now if need be); else why it cannot be, for a skip.</summary>
    public static async Task<string?> EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(ExecutablePath))
            {
                return null;
            }

            if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get"))
            {
                return $"{ExecutablePath} is missing and this is not a Debian-like system with apt-get: install Chromium to run the browser test.";
            }

            string[]? asRoot = Environment.UserName == "root" ? [] : await RunAsync("sudo", "-n", "true") == 0 ? ["sudo", "-n"] : null;
            if (asRoot is null)
            {
                return $"{ExecutablePath} is missing and this user is neither root nor allowed password-less sudo to install it: run `sudo apt-get install chromium fonts-noto-cjk` (CI runs as root and installs it).";
            }

            const string install = "export DEBIAN_FRONTEND=noninteractive; (apt-get install -y -q chromium fonts-noto-cjk || (apt-get update -q && apt-get install -y -q chromium fonts-noto-cjk)) >/dev/null 2>&1";
            var exit = await RunAsync([.. asRoot, "bash", "-c", install]);
            return File.Exists(ExecutablePath)
                ? null
                : throw new InvalidOperationException($"apt-get install chromium failed ({exit}): the browser test needs {ExecutablePath}.");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>A fresh browser with an empty profile (its own --user-data-dir).</summary>
    public static async Task<Chromium> LaunchAsync(int width = 1280, int height = 900)
    {
        var userDataDir = Path.Combine(Path.GetTempPath(), "shiogama-chromium", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(userDataDir);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(userDataDir, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Flags,
                ViewportSize = new ViewportSize { Width = width, Height = height },
                Locale = "ja-JP",
                AcceptDownloads = true,
                Timeout = 60_000,
            });
            context.SetDefaultTimeout(30_000);
            return new Chromium(playwright, context, userDataDir);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        playwright.Dispose();
        try
        {
            Directory.Delete(userDataDir, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the OS temp cleaner takes it
        }
    }

    private static async Task<int> RunAsync(params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            await Task.WhenAll(stdout, stderr);
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1; // no such program (e.g. no sudo)
        }
    }
}
