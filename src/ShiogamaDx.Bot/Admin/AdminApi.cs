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
/// The operations API under <c>/api/admin</c>. Features add their endpoints to <see cref="AdminApi.Group"/>
/// through <c>MapXxx</c>; the key check is here once.
/// </summary>
public static class AdminApi
{
    public static IHostApplicationBuilder AddAdminApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName);
        return builder;
    }

    /// <summary>The admin route group with the key check; call from a feature's Map method.</summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/admin").AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
            if (string.IsNullOrEmpty(options.ApiKey))
            {
                return TypedResults.NotFound();
            }

            var given = context.HttpContext.Request.Headers["X-Api-Key"].ToString();
            var ok = CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(options.ApiKey)));
            return ok ? await next(context) : TypedResults.Unauthorized();
        });

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("ShiogamaDx.Bot.Admin");
        if (string.IsNullOrEmpty(app.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKey))
        {
            logger.LogInformation("Operations API is off: Admin:ApiKey is not set");
        }

        return app;
    }
}
