using System.Globalization;

namespace ShiogamaDx.Bot.LoadGenerator;

/// <summary>Command line of the load generator; every option has a default so `dotnet run` alone does a short run.</summary>
internal sealed record LoadOptions
{
    /// <summary>Events per second offered in the fixed-rate phase (open loop). 0: skip it and only measure the maximum.</summary>
    public int Rate { get; init; } = 2000;

    public int DurationSeconds { get; init; } = 15;

    public int WarmupSeconds { get; init; } = 5;

    /// <summary>Closed-loop "as fast as it can" phase against both bare Kestrel and the host, for the ratio. 0: skip.</summary>
    public int MaxSeconds { get; init; } = 10;

    /// <summary>Requests in flight in the closed-loop phase.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Client connections at most (HTTP/1.1 keep-alive, like LINE's many connections).</summary>
    public int Connections { get; init; } = 256;

    public int Users { get; init; } = 5000;

    /// <summary>How long to wait for the last answers after the sending stopped.</summary>
    public int DrainSeconds { get; init; } = 120;

    /// <summary>The host's built dll; default: the Release build of src/ShiogamaDx.Bot under the repository.</summary>
    public string? HostDll { get; init; }

    /// <summary>A host already running (its Line:ApiBaseUrl must point at http://127.0.0.1:{FakePort}); no memory or start figures then.</summary>
    public Uri? Url { get; init; }

    public int FakePort { get; init; }

    public string Secret { get; init; } = "load-test-channel-secret";

    public bool SkipBare { get; init; }

    /// <summary>Also drive the official-SDK peer (an Express echo bot on @line/bot-sdk) with the same load, after the host.</summary>
    public bool Peer { get; init; }

    public string? KeepFolder { get; init; }

    /// <summary>Extra environment for the host only (e.g. GC settings), so the generator's own runtime stays as it is.</summary>
    public IReadOnlyDictionary<string, string> HostEnvironment { get; init; } = new Dictionary<string, string>();

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--rate" => o with { Rate = Int() },
                "--duration" => o with { DurationSeconds = Int() },
                "--warmup" => o with { WarmupSeconds = Int() },
                "--max-seconds" => o with { MaxSeconds = Int() },
                "--concurrency" => o with { Concurrency = Int() },
                "--connections" => o with { Connections = Int() },
                "--users" => o with { Users = Int() },
                "--drain" => o with { DrainSeconds = Int() },
                "--host-dll" => o with { HostDll = Next() },
                "--url" => o with { Url = new Uri(Next()) },
                "--fake-port" => o with { FakePort = Int() },
                "--secret" => o with { Secret = Next() },
                "--skip-bare" => o with { SkipBare = true },
                "--peer" => o with { Peer = true },
                "--keep" => o with { KeepFolder = Next() },
                "--host-env" => Next().Split('=', 2) is [var key, var value] && key.Length > 0
                    ? o with { HostEnvironment = new Dictionary<string, string>(o.HostEnvironment) { [key] = value } }
                    : throw new ArgumentException("--host-env needs NAME=VALUE"),
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        if (o.Rate < 0 || o.DurationSeconds < 1 || o.Users < 1 || o.Concurrency < 1 || o.Connections < 1)
        {
            throw new ArgumentException("rate ≥ 0, duration ≥ 1, users ≥ 1, concurrency ≥ 1, connections ≥ 1");
        }

        return o;
    }

    public const string Usage = """
        ShiogamaDx.Bot load generator: signed LINE webhooks against the host over loopback, answers collected by a fake LINE API.

          dotnet run -c Release --project tests/ShiogamaDx.Bot.LoadGenerator -- [options]

          --rate N          events/s offered in the fixed-rate phase (open loop; 0 = skip)      2000
          --duration S      seconds of the fixed-rate phase                                      15
          --warmup S        seconds at a quarter of the rate first (JIT, caches), not reported    5
          --max-seconds S   closed-loop "as fast as it can" phase, bare Kestrel and host (0=skip) 10
          --concurrency N   requests in flight in the closed-loop phase                          64
          --connections N   client connections at most                                          256
          --users N         distinct LINE users the events come from                           5000
          --drain S         seconds to wait for the last answers                                120
          --host-dll PATH   the host to start (default: src/ShiogamaDx.Bot/bin/Release/net10.0/ShiogamaDx.Bot.dll)
          --url URL         drive a host already running instead (its Line__ApiBaseUrl = http://127.0.0.1:<fake-port>)
          --fake-port N     port of the fake LINE API (with --url)
          --secret S        LINE channel secret the host was given (with --url)
          --skip-bare       don't measure bare Kestrel
          --peer            also drive the official-SDK peer (Express + @line/bot-sdk echo bot, installed with npm
                            into a temp folder, pinned versions) with the same load, and compare
          --keep DIR        keep the host's folder (database, log) in DIR
          --host-env K=V    an environment variable for the host only (repeatable), e.g. DOTNET_gcServer=0
        """;
}
