using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ShiogamaDx.Bot.LoadGenerator;

/// <summary>A server started as its own process (`dotnet x.dll`, or `node peer.js`), with its start time, memory and CPU read from /proc.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter logFile;
    private readonly long startedAt;
    private readonly CancellationTokenSource sampling = new();
    private readonly Task sampler;
    private long peakRssKb;

    private ServerProcess(Process process, StreamWriter logFile, int port, string logPath)
    {
        this.process = process;
        this.logFile = logFile;
        Port = port;
        LogPath = logPath;
        startedAt = Stopwatch.GetTimestamp();
        sampler = SampleAsync(sampling.Token);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string LogPath { get; }

    public int Pid => process.Id;

    /// <summary>Highest VmRSS seen by the 100 ms sampler since the last <see cref="ResetPeak"/>.</summary>
    public long PeakRssKb => Interlocked.Read(ref peakRssKb);

    public static ServerProcess Start(string dll, IEnumerable<string> args, IDictionary<string, string> environment, string workingDirectory, string logPath, string command = "dotnet")
    {
        var port = FreePort();
        var info = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        var log = new StreamWriter(logPath) { AutoFlush = false };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, log, port, logPath);
    }

    /// <summary>Time from process start until <paramref name="path"/> answers 200.</summary>
    public async Task<TimeSpan> WaitReadyAsync(string path, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (Stopwatch.GetElapsedTime(startedAt) < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{path}: the server exited with {process.ExitCode}; see {LogPath}");
            }

            try
            {
                using var response = await http.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(startedAt);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"not ready within {timeout}; see {LogPath}");
    }

    public void ResetPeak() => Interlocked.Exchange(ref peakRssKb, 0);

    /// <summary>VmHWM: the kernel's own high-water mark of resident memory since the process started.</summary>
    public long HighWaterMarkKb => Status("VmHWM:");

    public long RssKb => Status("VmRSS:");

    /// <summary>User + system CPU time of the process so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                process.Refresh();
                return process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    private long Status(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // exited
        }

        return 0;
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var rss = RssKb;
                long seen;
                while (rss > (seen = Interlocked.Read(ref peakRssKb)) && Interlocked.CompareExchange(ref peakRssKb, rss, seen) != seen)
                {
                    // another sample raced; try again
                }

                await Task.Delay(100, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await sampling.CancelAsync();
        await sampler;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.WaitForExit();
        lock (logFile)
        {
            logFile.Dispose();
        }

        process.Dispose();
        sampling.Dispose();
    }
}
