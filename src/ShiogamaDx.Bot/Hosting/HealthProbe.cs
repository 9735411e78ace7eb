using System.Globalization;

namespace ShiogamaDx.Bot.Hosting;

/// <summary>
/// <c>healthcheck [--url URL]</c>: asks the running host's <c>/healthz</c> and exits 0 when it answers 200. For the
/// container's HEALTHCHECK: the ASP.NET runtime image has no curl or wget, and this needs nothing but the app.
/// Without --url it asks the first address the host listens on (ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS) on loopback.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IConfiguration configuration, TextWriter output, TimeSpan? timeout = null)
    {
        var at = args.ToList().IndexOf("--url");
        var url = at >= 0 && at + 1 < args.Count ? args[at + 1] : LocalHealthUrl(configuration);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            await output.WriteLineAsync($"unhealthy: '{url}' is not an address");
            return 1;
        }

        using var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(uri);
            var healthy = response.IsSuccessStatusCode;
            await output.WriteLineAsync($"{(healthy ? "healthy" : "unhealthy")}: {uri} answered {(int)response.StatusCode}");
            return healthy ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"unhealthy: {uri} did not answer ({ex.GetType().Name})");
            return 1;
        }
    }

    /// <summary>The host's own listening address, with a wildcard host (+, *, 0.0.0.0, [::]) read as loopback.</summary>
    public static string LocalHealthUrl(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .OrderBy(u => u.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 1 : 0) // plain http needs no certificate check
                .First();
            var scheme = first[..first.IndexOf("://", StringComparison.Ordinal)];
            var rest = first[(scheme.Length + 3)..];
            var port = rest.LastIndexOf(':') is var colon and > 0 && !rest[colon..].Contains(']', StringComparison.Ordinal) ? rest[(colon + 1)..].TrimEnd('/') : (scheme == "https" ? "443" : "80");
            return $"{scheme}://127.0.0.1:{port}/healthz";
        }

        var ports = configuration["http_ports"];
        var httpPort = string.IsNullOrWhiteSpace(ports) ? "5000" : ports.Split(';', ',')[0].Trim();
        return string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}/healthz");
    }
}
