using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Admin;

/// <summary>
/// Guessing the operations key is slowed per client address (the real one behind the trusted proxy): every
/// <c>POST /dashboard/login</c> and every /api/admin request without the right X-Api-Key take one of
/// <see cref="Attempts"/> a <see cref="Window"/>; beyond that the answer is 429 with Retry-After. The right key is
/// never slowed. One warning per burst and address, not one per request.
/// </summary>
public static class KeyGuessLimits
{
    public const int Attempts = 5;
    public const string LoginPath = "/dashboard/login";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IHostApplicationBuilder AddKeyGuessLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<TimeProvider, IOptions<AdminOptions>>((o, clock, admin) =>
        {
            var key = admin.Value.ApiKey;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => IsGuess(http, key)
                ? RateLimitPartition.Get(ClientAddress(http), _ => new ClockWindowLimiter(clock, Attempts, Window))
                : RateLimitPartition.GetNoLimiter(string.Empty));
            o.OnRejected = RejectedAsync;
        });
        return builder;
    }

    public static IApplicationBuilder UseKeyGuessLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>Nothing to guess while the key is unset (the operations API and the key sign-in are off).</summary>
    private static bool IsGuess(HttpContext http, string? key) =>
        !string.IsNullOrEmpty(key)
        && ((HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments(LoginPath, StringComparison.OrdinalIgnoreCase))
            || (AdminApi.IsAdminRequest(http) && !AdminApi.HasKey(http, key)));

    /// <summary>An IPv6 client is its /64: one home or phone line holds a whole /64 and could rotate through it.</summary>
    internal static string ClientAddress(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static async ValueTask RejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : (int)Window.TotalSeconds;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.Lease.TryGetMetadata(ClockWindowLimiter.FirstRefusal, out var first) && first)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ShiogamaDx.Bot.Admin")
                .LogWarning("Operations key: more than {Attempts} attempts a minute from {Client}; refused for {Seconds} s", Attempts, ClientAddress(http), seconds);
        }

        if (http.Request.Path.StartsWithSegments(LoginPath, StringComparison.OrdinalIgnoreCase))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            var texts = http.RequestServices.GetRequiredService<Messages.MessageCatalog>().Current;
            await http.Response.WriteAsync(
                Kpis.DashboardPages.Message(texts, texts[AdminTexts.WaitTitle], texts.Format(AdminTexts.WaitText, seconds), "/dashboard", texts[AdminTexts.WaitLink]),
                cancellationToken);
        }
    }
}
