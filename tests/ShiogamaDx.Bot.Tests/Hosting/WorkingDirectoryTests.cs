using System.Diagnostics;
using System.Net;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Hosting;

/// <summary>
/// The built host started as systemd starts it: <c>dotnet /path/to/ShiogamaDx.Bot.dll</c> from another working
/// directory. Its settings (Serilog included) come from its own folder, its state goes to DataDirectory, and the
/// working directory is left untouched.
/// </summary>
public sealed class WorkingDirectoryTests
{
    [Fact]
    public async Task BuiltHost_StartedFromAnotherDirectory_LogsRequests_AndKeepsItsStateInTheDataDirectory()
    {
        var data = Path.Combine(Path.GetTempPath(), "shiogama-dx-proc", Guid.NewGuid().ToString("N"));
        try
        {
            await using var host = HostProcess.Start(new Dictionary<string, string> { ["DataDirectory"] = data, ["Admin__ApiKey"] = "operations-key-of-this-test" });
            await host.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

            var response = await http.GetAsync(new Uri("api/admin/classes", UriKind.Relative));

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            // The console sink and its template are in appsettings.json beside the DLL: without it the log is empty.
            await WaitUntilAsync(() => host.Output.Contains("HTTP GET /api/admin/classes responded 401", StringComparison.Ordinal), host);
            Assert.Matches(@"\[\d\d:\d\d:\d\d INF\] \S+ \S+: HTTP GET /api/admin/classes responded 401", host.Output);
            Assert.True(File.Exists(Path.Combine(data, "data", "shiogama-dx.db")), "the database is under DataDirectory");
            Assert.True(File.Exists(Path.Combine(data, "data", "privacy.key")), "the generated privacy key is under DataDirectory");
            Assert.Empty(Directory.EnumerateFileSystemEntries(host.Folder));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>The host writes its log line after the response; the pipe brings it a moment later.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, HostProcess host)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "not in the log:\n" + host.Output);
            await Task.Delay(50);
        }
    }
}
