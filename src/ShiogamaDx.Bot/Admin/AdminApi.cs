using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Admin;

public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>Key for the operations API (header X-Api-Key). Empty: the operations API is off (404).</summary>
    public string? ApiKey { get; set; }
}

/// <summary>
/// The operations API under <c>/api/admin</c>. Features add their endpoints to <see cref="MapAdminGroup"/>; the key
/// is checked once, by <see cref="UseAdminApi"/>, for every path under /api/admin.
/// </summary>
public static class AdminApi
{
    public const string KeyHeader = "X-Api-Key";
    public const string PathPrefix = "/api/admin";

    public static IHostApplicationBuilder AddAdminApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName);
        builder.AddKeyGuessLimits();
        return builder;
    }

    /// <summary>The admin route group; call from a feature's Map method. Its key check is <see cref="UseAdminApi"/>.</summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app) => app.MapGroup(PathPrefix);

    /// <summary>
    /// Slows key guessing (<see cref="KeyGuessLimits"/>), then checks the key of every request under /api/admin.
    /// A middleware, not an endpoint filter: it answers 401 before routing's own answers (415 for a content type the
    /// endpoint does not accept, 405 for a method) and before any body is read or bound.
    /// </summary>
    public static WebApplication UseAdminApi(this WebApplication app)
    {
        var key = app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKey;
        if (string.IsNullOrEmpty(key))
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ShiogamaDx.Bot.Admin").LogInformation("Operations API is off: Admin:ApiKey is not set");
        }

        app.UseKeyGuessLimits();
        app.Use(async (http, next) =>
        {
            if (!IsAdminRequest(http))
            {
                await next(http);
            }
            else if (string.IsNullOrEmpty(key))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
            }
            else if (!HasKey(http, key))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }
            else
            {
                await next(http);
            }
        });
        return app;
    }

    /// <summary>Whether the request carries the operations key (compared in constant time).</summary>
    public static bool HasKey(HttpContext http, string key) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers[KeyHeader].ToString())), SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>By path (routing ignores case) and, should a route ever be mapped oddly, by the matched endpoint's pattern.</summary>
    public static bool IsAdminRequest(HttpContext http) =>
        http.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase)
        || (http.GetEndpoint() is RouteEndpoint endpoint && ("/" + endpoint.RoutePattern.RawText?.Trim('/') + "/").StartsWith(PathPrefix + "/", StringComparison.OrdinalIgnoreCase));
}
