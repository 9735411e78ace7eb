using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ShiogamaDx.Bot.Hosting;

public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// Bearer key a Prometheus server sends to read <see cref="MetricsPath"/>. Empty: no scrape endpoint (404).
    /// A key, not an address rule: behind a reverse proxy every request comes from the proxy's address.
    /// </summary>
    public string? MetricsKey { get; set; }

    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>OTLP collector (metrics and traces); the standard variable OTEL_EXPORTER_OTLP_ENDPOINT also turns it on.</summary>
    public Uri? OtlpEndpoint { get; set; }

    public string ServiceName { get; set; } = "shiogama-dx-bot";
}

/// <summary>
/// OpenTelemetry metrics: the bot's meter (<see cref="BotMetrics"/>), ASP.NET Core, outgoing HTTP and the .NET runtime.
/// Prometheus text at <c>/metrics</c> behind a key; OTLP export (metrics and traces) when an endpoint is configured.
/// </summary>
public static class TelemetryExtensions
{
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<BotMetrics>();

        var section = builder.Configuration.GetSection(TelemetryOptions.SectionName);
        var otlp = section["OtlpEndpoint"] is { Length: > 0 } configured ? configured : builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var serviceName = section["ServiceName"] is { Length: > 0 } name ? name : "shiogama-dx-bot";

        if (string.IsNullOrEmpty(section["MetricsKey"]) && string.IsNullOrEmpty(otlp))
        {
            // Nobody reads the figures: without a listener .NET's and the bot's instruments record nothing, where the
            // OpenTelemetry pipeline put every request and LINE call into histograms no one would ever scrape.
            return builder;
        }

        AddOpenTelemetry(builder.Services, serviceName, otlp);
        return builder;
    }

    /// <summary>In a method of its own: the JIT loads OpenTelemetry's assemblies only when telemetry is configured.</summary>
    private static void AddOpenTelemetry(IServiceCollection services, string serviceName, string? otlp)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(BotMetrics).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BotMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (!string.IsNullOrEmpty(otlp))
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });

        if (!string.IsNullOrEmpty(otlp))
        {
            // Traces only go to a collector the city runs; spans carry paths and status codes, not bodies or queries.
            otel.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/healthz"))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }
    }

    /// <summary>Serves the Prometheus text format at <c>Telemetry:MetricsPath</c> to requests carrying the key.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (string.IsNullOrEmpty(options.MetricsKey))
        {
            app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("ShiogamaDx.Bot.Telemetry")
                .LogInformation("Metrics endpoint is off: set Telemetry:MetricsKey to serve {Path}", options.MetricsPath);
            return app;
        }

        MapScrapingEndpoint(app, options);
        return app;
    }

    private static void MapScrapingEndpoint(IEndpointRouteBuilder app, TelemetryOptions options)
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.MetricsKey!));
        app.MapPrometheusScrapingEndpoint(options.MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (http, next) =>
        {
            var header = http.Request.Headers.Authorization.ToString();
            var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : string.Empty;
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), expected))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }

            await next(http);
        }), optionsName: null);
    }
}
