using Serilog;

namespace ShiogamaDx.Bot.Hosting;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog from configuration (section "Serilog"). Request logging records method, path, status and time
    /// only: never bodies, query strings or headers, which can carry residents' messages and tokens.
    /// </summary>
    /// <param name="quiet">Terminal chat: only warnings, so logs don't interleave with the conversation.</param>
    public static IHostApplicationBuilder AddBotLogging(this IHostApplicationBuilder builder, bool quiet = false)
    {
        builder.Services.AddSerilog((services, config) =>
        {
            config.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext();
            if (quiet)
            {
                config.MinimumLevel.Warning();
            }
        });
        return builder;
    }

    public static IApplicationBuilder UseBotRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (http, _, ex) => ex is not null || http.Response.StatusCode >= 500
                ? Serilog.Events.LogEventLevel.Error
                : http.Request.Path.StartsWithSegments("/healthz") ? Serilog.Events.LogEventLevel.Verbose
                // LINE delivers up to thousands of webhooks a second in a burst: a line each would cost more than the request.
                : http.Request.Path.StartsWithSegments("/api/line/webhook") && http.Response.StatusCode < 400 ? Serilog.Events.LogEventLevel.Debug
                : Serilog.Events.LogEventLevel.Information;
        });
}
