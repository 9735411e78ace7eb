using System.Text.RegularExpressions;
using Serilog;
using Serilog.Context;

namespace ShiogamaDx.Bot.Hosting;

public static partial class LoggingExtensions
{
    public const string CorrelationHeader = "X-Request-Id";

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
        }, preserveStaticLogger: true); // each host its own logger: test hosts in one process must not log into each other's sinks
        return builder;
    }

    public static IApplicationBuilder UseBotRequestLogging(this IApplicationBuilder app)
    {
        // Every log line of a request carries its CorrelationId: the proxy's X-Request-Id when it sent a sane one.
        app.Use(async (http, next) =>
        {
            var given = http.Request.Headers[CorrelationHeader].ToString();
            var id = given.Length is > 0 and <= 64 && SafeId().IsMatch(given) ? given : http.TraceIdentifier;
            http.Response.Headers[CorrelationHeader] = id;
            using (LogContext.PushProperty("CorrelationId", id))
            {
                await next(http);
            }
        });

        return app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>(); // not the static one (see AddBotLogging)
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (http, _, ex) => ex is not null || http.Response.StatusCode >= 500
                ? Serilog.Events.LogEventLevel.Error
                : http.Request.Path.StartsWithSegments("/healthz") || http.Request.Path.StartsWithSegments("/metrics") ? Serilog.Events.LogEventLevel.Verbose
                // LINE delivers up to thousands of webhooks a second in a burst: a line each would cost more than the request.
                : http.Request.Path.StartsWithSegments("/api/line/webhook") && http.Response.StatusCode < 400 ? Serilog.Events.LogEventLevel.Debug
                : Serilog.Events.LogEventLevel.Information;
        });
    }

    /// <summary>
    /// The correlation id of work done outside a request (a stored LINE event, a staff turn): the platform's own
    /// event id, never a person's id or words.
    /// </summary>
    public static IDisposable BeginEventScope(string channel, string? eventId) =>
        LogContext.PushProperty("CorrelationId", channel + ":" + (eventId is { Length: > 0 and <= 100 } ? eventId : "-"));

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex SafeId();
}
