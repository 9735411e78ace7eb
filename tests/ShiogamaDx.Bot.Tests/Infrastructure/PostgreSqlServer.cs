using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ShiogamaDx.Bot.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server on loopback for the provider tests: the one named by SHIOGAMA_TEST_POSTGRES
/// (CI or a developer's own), else a private throw-away cluster started from Debian's `postgresql` package, which
/// .ci/run installs: a test run never installs packages; without it the provider tests are skipped and say how.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    private string? dataDir;
    private string? binDir;

    public string AdminConnectionString { get; private set; } = string.Empty;

    /// <summary>Why there is no server, for a skip; null when there is one.</summary>
    public string? Missing { get; private set; }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("SHIOGAMA_TEST_POSTGRES") is { Length: > 0 } configured)
        {
            AdminConnectionString = configured;
            return;
        }

        binDir = FindBinDir();
        if (binDir is null)
        {
            Missing = "PostgreSQL is not installed: run .ci/run once (it installs the Debian packages the tests use) or `sudo apt-get install postgresql`, or set SHIOGAMA_TEST_POSTGRES.";
            return;
        }

        var port = FreePorts.Next();
        dataDir = Path.Combine(Path.GetTempPath(), $"shiogama-pg-{Environment.ProcessId}-{port}");
        Directory.CreateDirectory(dataDir);
        var asPostgres = Environment.UserName == "root" ? new[] { "runuser", "-u", "postgres", "--" } : [];
        if (asPostgres.Length > 0)
        {
            await RunAsync("chown", "postgres:postgres", dataDir);
        }

        await RunAsync([.. asPostgres, Path.Combine(binDir, "initdb"), "-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
        await RunAsync([.. asPostgres, Path.Combine(binDir, "pg_ctl"), "-D", dataDir, "-w", "-l", Path.Combine(dataDir, "log"),
            "-o", $"-p {port} -k {dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start"]);
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    /// <summary>A fresh, empty database for one test.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        Skip.If(Missing is not null, Missing);
        var name = "t" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await cmd.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (dataDir is not null && binDir is not null)
        {
            var asPostgres = Environment.UserName == "root" ? new[] { "runuser", "-u", "postgres", "--" } : [];
            await RunAsync([.. asPostgres, Path.Combine(binDir, "pg_ctl"), "-D", dataDir, "-m", "immediate", "stop"]);
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static string? FindBinDir() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;

    private static async Task RunAsync(params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}): {await stderr} {await stdout}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL";
}
