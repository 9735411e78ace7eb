using System.Diagnostics;
using Microsoft.Playwright;

namespace ShiogamaDx.Bot.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium driven by Playwright (never its downloaded browsers), installed by .ci/run: a test
/// run never installs packages; without it the browser tests are skipped and say how to install it.
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

    private readonly IPlaywright playwright;
    private readonly string userDataDir;

    private Chromium(IPlaywright playwright, IBrowserContext context, string userDataDir)
    {
        this.playwright = playwright;
        Context = context;
        this.userDataDir = userDataDir;
    }

    public IBrowserContext Context { get; }

    /// <summary>Null when Chromium is there; else why not, for a skip (the tests never install packages).</summary>
    public static Task<string?> EnsureInstalledAsync() => Task.FromResult(
        File.Exists(ExecutablePath)
            ? null
            : $"{ExecutablePath} is missing: run .ci/run once (it installs the Debian packages the tests use) or `sudo apt-get install chromium fonts-noto-cjk`.");

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
}
