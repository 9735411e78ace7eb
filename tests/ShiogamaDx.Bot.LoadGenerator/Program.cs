using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ShiogamaDx.Bot.LoadGenerator;
using EventLog = ShiogamaDx.Bot.LoadGenerator.EventLog;

// The bare-Kestrel baseline runs as its own process too, started from this same program.
if (args is ["bare", "--port", var barePort])
{
    var bare = WebApplication.CreateSlimBuilder();
    bare.Logging.ClearProviders();
    bare.WebHost.UseUrls($"http://127.0.0.1:{barePort}");
    var server = bare.Build();
    server.MapGet("/healthz", () => Results.Ok());
    server.MapPost("/" + Webhooks.Path, () => Results.Ok()); // does nothing: this machine's limit for a 200
    await server.RunAsync();
    return 0;
}

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

return await LoadRun.RunAsync(options);

internal static class LoadRun
{
    public static async Task<int> RunAsync(LoadOptions o)
    {
        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        var capacity = (int)Math.Min(int.MaxValue, ((((long)o.Rate * (o.DurationSeconds + o.WarmupSeconds) * 11 / 10) + ((long)o.MaxSeconds * 40_000)) * (o.Peer ? 2 : 1)) + 10_000);
        var log = new EventLog(capacity);
        var webhooks = new Webhooks(o.Secret, o.Users);
        Say($"# ShiogamaDx.Bot load test, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Say($"# args: {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}");
        Say($"# load average before: {LoadAverage()}");

        double? bareRate = null;
        if (!o.SkipBare && o.MaxSeconds > 0)
        {
            bareRate = await MeasureBareAsync(o, webhooks);
            Say($"bare Kestrel (200, nothing else), closed loop {o.Concurrency} in flight: {bareRate:0} requests/s");
        }

        await using var fake = await FakeLineApi.StartAsync(o.Url is null ? 0 : o.FakePort);
        fake.Attach(log);

        var folder = o.KeepFolder ?? Path.Combine(Path.GetTempPath(), "shiogama-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        ServerProcess? host = null;
        double? readySeconds = null;
        try
        {
            Uri target;
            if (o.Url is null)
            {
                var dll = o.HostDll ?? FindHostDll();
                host = ServerProcess.Start(dll, ["--urls", "http://127.0.0.1:{port}"], new Dictionary<string, string>
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["Line__ChannelSecret"] = o.Secret,
                    ["Line__ChannelAccessToken"] = "load-test-access-token",
                    ["Line__ApiBaseUrl"] = fake.Url.ToString(),
                    ["Line__DataApiBaseUrl"] = fake.Url.ToString(),
                    ["ConnectionStrings__Bot"] = $"Data Source={Path.Combine(folder, "bot.db")}",
                    ["Privacy__Key"] = "load-test-privacy-key-0123456789abcdef",
                }.Concat(o.HostEnvironment).ToDictionary(), Path.GetDirectoryName(dll)!, Path.Combine(folder, "host.log")); // content root = the app folder, as deployed (appsettings.json, logging)
                var ready = await host.WaitReadyAsync("healthz", TimeSpan.FromSeconds(180)); // generous: a busy machine starts slowly, and the figure is reported
                readySeconds = ready.TotalSeconds;
                Say($"host ready (process start → /healthz 200): {ready.TotalSeconds:0.00} s; memory after start {host.RssKb / 1024.0:0} MB; log {host.LogPath}");
                target = host.BaseAddress;
            }
            else
            {
                target = o.Url;
            }

            var figures = new List<Figures> { await MeasureAsync("host", o, target, host, readySeconds, log, webhooks, fake, Say) };
            if (o.Peer)
            {
                Say(string.Empty);
                Say($"# the official-SDK peer: Express {SdkPeer.ExpressVersion} + @line/bot-sdk {SdkPeer.SdkVersion} echo bot on node {NodeVersion()}");
                await using var peer = await SdkPeer.StartAsync(Path.Combine(folder, "sdk-peer"), o.Secret, fake.Url);
                var peerReady = await peer.WaitReadyAsync("healthz", TimeSpan.FromSeconds(60));
                Say($"peer ready (process start → /healthz 200): {peerReady.TotalSeconds:0.00} s; memory after start {peer.RssKb / 1024.0:0} MB");
                figures.Add(await MeasureAsync("peer", o, peer.BaseAddress, peer, peerReady.TotalSeconds, log, webhooks, fake, Say));
                Compare(Say, figures[0], figures[1]);
            }

            Say(string.Empty);
            if (bareRate is { } b)
            {
                Say($"webhook throughput / bare Kestrel: {figures[0].MaxAcked:0} / {b:0} = {figures[0].MaxAcked / b * 100:0}%");
            }

            Say($"fake LINE API: {fake.Replies} replies, {fake.Pushes} pushes ({fake.DuplicatedPushes} retry keys seen twice), {fake.Loadings} loading animations, {fake.Unknown} replies to unknown tokens");
            Say($"# load average after: {LoadAverage()}");
            await File.WriteAllTextAsync(Path.Combine(folder, "report.txt"), report.ToString());
            return 0;
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            if (o.KeepFolder is null)
            {
                TryDelete(folder);
            }
        }
    }

    /// <summary>Warm-up, the fixed-rate phase and the closed-loop phase against one server; its key figures.</summary>
    private static async Task<Figures> MeasureAsync(string name, LoadOptions o, Uri target, ServerProcess? server, double? readySeconds, EventLog log, Webhooks webhooks, FakeLineApi fake, Action<string> Say)
    {
    using var driver = new Driver(target, o.Connections, webhooks, log);
    var f = new Figures(name) { ReadySeconds = readySeconds };
        if (o.WarmupSeconds > 0 && o.Rate > 0)
        {
            var w = await driver.FixedRateAsync(Math.Max(1, o.Rate / 4), TimeSpan.FromSeconds(o.WarmupSeconds));
            await DrainAsync(log, w.From, w.To, TimeSpan.FromSeconds(o.DrainSeconds));
            Say($"warm-up: {w.To - w.From} events at {Math.Max(1, o.Rate / 4)}/s (not reported below)");
        }

        if (o.Rate > 0)
        {
            server?.ResetPeak();
            var cpuBefore = server?.CpuTime ?? TimeSpan.Zero;
            var ownCpuBefore = OwnCpu();
            var sent = await driver.FixedRateAsync(o.Rate, TimeSpan.FromSeconds(o.DurationSeconds));
            var cpuSending = (server?.CpuTime ?? TimeSpan.Zero) - cpuBefore;
            var ownCpuSending = OwnCpu() - ownCpuBefore;
            var peakWhileSending = server?.PeakRssKb ?? 0;
            var drained = await DrainAsync(log, sent.From, sent.To, TimeSpan.FromSeconds(o.DrainSeconds));
            var cpuTotal = (server?.CpuTime ?? TimeSpan.Zero) - cpuBefore;
            var r = log.Summarize("fixed rate", sent.From, sent.To, sent.Window);
            Say(string.Empty);
            Say($"## {name}, fixed rate: {o.Rate} events/s offered for {o.DurationSeconds} s, {o.Users} users (open loop)");
            Print(Say, r, fake);
            (f.FixedAcked, f.FixedAckP99, f.FixedLost, f.FixedDuplicated) = (r.AckedPerSecond, r.Ack.P99, r.Lost, r.Duplicated);
            Say($"drained in {drained.TotalSeconds:0.0} s after the last send");
            if (server is not null)
            {
                f.CpuPerEventMs = r.Lost == 0 && r.Failed == 0 ? cpuTotal.TotalMilliseconds / Math.Max(1, r.Answered) : null;
                f.SteadyRssMb = server.RssKb / 1024.0;
                Say($"{name} CPU while sending: {cpuSending.TotalSeconds / sent.Window.TotalSeconds * 100:0}% of one core; RSS peak while sending {peakWhileSending / 1024.0:0} MB, now {server.RssKb / 1024.0:0} MB");
                // The generator and the fake LINE API share the machine with the host: what they take is not the host's.
                Say($"load generator + fake LINE API CPU while sending: {ownCpuSending.TotalSeconds / sent.Window.TotalSeconds * 100:0}% of one core (of {Environment.ProcessorCount * 100}%)");
                // CPU time per event is the figure least distorted by other processes on the machine.
                // Only meaningful when every acknowledged event was answered within the drain.
                Say(r.Lost == 0 && r.Failed == 0
                    ? $"{name} CPU per event (store + answer + deliver, sending and draining): {cpuTotal.TotalMilliseconds / Math.Max(1, r.Answered):0.00} ms, i.e. at most {Environment.ProcessorCount * 1000 / Math.Max(0.001, cpuTotal.TotalMilliseconds / Math.Max(1, r.Answered)):0} events/s on {Environment.ProcessorCount} idle cores"
                    : $"{name} CPU per event: n/a (the backlog did not drain); CPU from the first send to the end of the drain {cpuTotal.TotalSeconds:0.0} s");
            }
        }

        if (o.MaxSeconds > 0)
        {
            var cpuBefore = server?.CpuTime ?? TimeSpan.Zero;
            var sent = await driver.AsFastAsPossibleAsync(o.Concurrency, TimeSpan.FromSeconds(o.MaxSeconds));
            var cpuSending = (server?.CpuTime ?? TimeSpan.Zero) - cpuBefore;
            var drained = await DrainAsync(log, sent.From, sent.To, TimeSpan.FromSeconds(o.DrainSeconds));
            var r = log.Summarize("as fast as possible", sent.From, sent.To, sent.Window);
            Say(string.Empty);
            Say($"## {name}, as fast as possible: closed loop, {o.Concurrency} in flight, {o.MaxSeconds} s");
            Print(Say, r, fake);
            (f.MaxAcked, f.MaxAckP99, f.MaxLost, f.MaxDuplicated) = (r.AckedPerSecond, r.Ack.P99, r.Lost, r.Duplicated);
            Say($"drained in {drained.TotalSeconds:0.0} s after the last send");
            if (server is not null)
            {
                Say($"{name} CPU while sending: {cpuSending.TotalSeconds / sent.Window.TotalSeconds * 100:0}% of one core");
            }

        }
        if (server is not null)
        {
            f.PeakRssMb = server.HighWaterMarkKb / 1024.0;
            Say($"{name} memory: peak RSS (VmHWM) {f.PeakRssMb:0} MB, at the end (VmRSS) {server.RssKb / 1024.0:0} MB");
        }

        return f;
    }

    /// <summary>The issue's targets side by side: throughput at least twice the peer's, ack p99 at most the peer's, nothing lost or doubled.</summary>
    private static void Compare(Action<string> say, Figures host, Figures peer)
    {
        static string Ms(double? v) => v is { } x ? $"{x:0.0}" : "n/a";
        say(string.Empty);
        say("## side by side (same machine, same signed load, one after the other)");
        say("| figure | host | SDK peer | host / peer |");
        say("| --- | ---: | ---: | ---: |");
        say($"| webhooks/s acknowledged, closed loop | {host.MaxAcked:0} | {peer.MaxAcked:0} | {host.MaxAcked / Math.Max(1, peer.MaxAcked):0.00} |");
        say($"| ack p99 ms, closed loop | {host.MaxAckP99:0.0} | {peer.MaxAckP99:0.0} | {host.MaxAckP99 / Math.Max(0.001, peer.MaxAckP99):0.00} |");
        say($"| webhooks/s acknowledged, fixed rate | {host.FixedAcked:0} | {peer.FixedAcked:0} | {host.FixedAcked / Math.Max(1, peer.FixedAcked):0.00} |");
        say($"| ack p99 ms, fixed rate | {host.FixedAckP99:0.0} | {peer.FixedAckP99:0.0} | {host.FixedAckP99 / Math.Max(0.001, peer.FixedAckP99):0.00} |");
        say($"| lost / duplicated (fixed + closed) | {host.FixedLost + host.MaxLost} / {host.FixedDuplicated + host.MaxDuplicated} | {peer.FixedLost + peer.MaxLost} / {peer.FixedDuplicated + peer.MaxDuplicated} | |");
        say($"| CPU ms per answered event | {Ms(host.CpuPerEventMs)} | {Ms(peer.CpuPerEventMs)} | |");
        say($"| ready s / steady RSS MB / peak RSS MB | {Ms(host.ReadySeconds)} / {host.SteadyRssMb:0} / {host.PeakRssMb:0} | {Ms(peer.ReadySeconds)} / {peer.SteadyRssMb:0} / {peer.PeakRssMb:0} | |");
    }

    private static string NodeVersion()
    {
        try
        {
            using var node = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("node", ["--version"]) { RedirectStandardOutput = true, UseShellExecute = false });
            var version = node!.StandardOutput.ReadToEnd().Trim();
            node.WaitForExit();
            return version;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "(not found)";
        }
    }

    private static void Print(Action<string> say, PhaseResult r, FakeLineApi fake)
    {
        say($"sent {r.Sent}, acknowledged 200: {r.Acked}, failed/non-200: {r.Failed}");
        say($"sent over {r.SendWindow.TotalSeconds:0.0} s; acknowledged: {r.AckedPerSecond:0} events/s (first due → last ack {r.AckWindow.TotalSeconds:0.0} s); answered: {r.AnsweredPerSecond:0} events/s (first due → last answer {r.AnswerWindow.TotalSeconds:0.0} s)");
        say($"webhook ack latency: {r.Ack}");
        say($"end-to-end (due → reply at fake LINE): {r.EndToEnd}");
        foreach (var (kind, p) in r.EndToEndByKind)
        {
            say($"  {kind.ToString().ToLowerInvariant()}: {p}");
        }

        // A reply token is good for about a minute; an answer later than that goes by push, which carries no token.
        say(fake.Pushes == 0
            ? $"lost (acknowledged, never answered): {r.Lost}; duplicated (answered twice or more): {r.Duplicated}"
            : $"not answered by reply: {r.Lost} ({fake.Pushes} pushes so far in the run, so lost ≈ {Math.Max(0, r.Lost - fake.Pushes)}); duplicated replies: {r.Duplicated}, duplicated pushes: {fake.DuplicatedPushes}");
    }

    private static async Task<TimeSpan> DrainAsync(EventLog log, int from, int to, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout && (log.Unacked(from, to) > 0 || log.AnsweredOrFailed(from, to) < to - from))
        {
            await Task.Delay(100);
        }

        // A moment more so a late duplicate would still be seen.
        await Task.Delay(500);
        return watch.Elapsed;
    }

    private static async Task<double> MeasureBareAsync(LoadOptions o, Webhooks webhooks)
    {
        var self = typeof(LoadRun).Assembly.Location;
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-bare-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        await using var bare = ServerProcess.Start(self, ["bare", "--port", "{port}"], new Dictionary<string, string>(), folder, Path.Combine(folder, "bare.log"));
        await bare.WaitReadyAsync("healthz", TimeSpan.FromSeconds(30));
        var log = new EventLog((o.MaxSeconds * 60_000) + (o.WarmupSeconds * 20_000) + 1000);
        using var driver = new Driver(bare.BaseAddress, o.Connections, webhooks, log);
        await driver.AsFastAsPossibleAsync(o.Concurrency, TimeSpan.FromSeconds(Math.Min(3, o.WarmupSeconds)));
        var sent = await driver.AsFastAsPossibleAsync(o.Concurrency, TimeSpan.FromSeconds(o.MaxSeconds));
        var r = log.Summarize("bare", sent.From, sent.To, sent.Window);
        TryDelete(folder);
        return r.AckedPerSecond;
    }

    private static TimeSpan OwnCpu()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static string FindHostDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "ShiogamaDx.Bot", "bin", "Release", "net10.0", "ShiogamaDx.Bot.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Build the host first: dotnet build -c Release src/ShiogamaDx.Bot (or pass --host-dll)");
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS temp cleaner
        }
    }
}

/// <summary>One server's key figures, for the side-by-side table.</summary>
internal sealed class Figures(string name)
{
    public string Name { get; } = name;

    public double? ReadySeconds { get; set; }

    public double FixedAcked { get; set; }

    public double FixedAckP99 { get; set; }

    public int FixedLost { get; set; }

    public int FixedDuplicated { get; set; }

    public double MaxAcked { get; set; }

    public double MaxAckP99 { get; set; }

    public int MaxLost { get; set; }

    public int MaxDuplicated { get; set; }

    public double? CpuPerEventMs { get; set; }

    public double SteadyRssMb { get; set; }

    public double PeakRssMb { get; set; }
}
