using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Hosting;

/// <summary>The HTTPS reverse proxy in front of the host (nginx, a load balancer) whose X-Forwarded-* headers are believed.</summary>
public sealed class ReverseProxyOptions
{
    public const string SectionName = "ReverseProxy";

    /// <summary>Off: X-Forwarded-* are ignored (anyone could send them). On: believed from the proxies below only.</summary>
    public bool Enabled { get; set; }

    /// <summary>Proxy addresses, e.g. "10.0.0.5". Loopback (127.0.0.1, ::1) is always trusted when enabled.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Proxy networks in CIDR, e.g. "172.18.0.0/16" (a Docker network).</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies stand in front (each adds one X-Forwarded-For entry).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;
}

public static class ReverseProxyExtensions
{
    public static IHostApplicationBuilder AddReverseProxy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "ReverseProxy:KnownProxies must be IP addresses")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "ReverseProxy:KnownNetworks must be CIDR networks like 172.18.0.0/16")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            forwarded.ForwardLimit = proxy.Value.ForwardLimit;
            foreach (var address in proxy.Value.KnownProxies)
            {
                if (IPAddress.TryParse(address, out var ip))
                {
                    forwarded.KnownProxies.Add(ip);
                }
            }

            foreach (var network in proxy.Value.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                {
                    forwarded.KnownIPNetworks.Add(parsed);
                }
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so the scheme, host and client address are the public ones for everything after.</summary>
    public static IApplicationBuilder UseReverseProxy(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<ReverseProxyOptions>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
