using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Inbox;

namespace ShiogamaDx.Bot.Line;

public static class LineExtensions
{
    public static IHostApplicationBuilder AddLine(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LineOptions>().BindConfiguration(LineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LinePushGate>();
        services.AddSingleton<LineUserRateLimiter>();
        services.AddSingleton<KnownLineUsers>();
        services.AddSingleton<LineProfileLanguages>();
        services.AddHttpClient(LineProfileLanguages.HttpClientName, LineProfileLanguages.Configure).RemoveAllLoggers();
        services.AddScoped<LineChannel>();
        services.AddKeyedScoped<IInboxChannel>(LineChannel.Channel, (sp, _) => sp.GetRequiredService<LineChannel>());
        services.AddKeyedScoped<IOutboxChannel>(LineChannel.Channel, (sp, _) => sp.GetRequiredService<LineChannel>());
        services.AddScoped<IPersonalDataEraser, LineDataEraser>();
        services.AddScoped<IRecipientDirectory, LineRecipientDirectory>();
        services.AddScoped<IMessageQuota, LineMessageQuota>();
        services.AddOutboxDelivery<LineOptions>(LineChannel.Channel, o => (o.Enabled, o.PollInterval));
        services.AddOptions<LineForwardOptions>().BindConfiguration(LineForwardOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(LineWebhookForwarder.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers(); // each attempt has its own timeout
        services.AddSingleton<LineWebhookForwarder>();
        services.AddHostedService(sp => sp.GetRequiredService<LineWebhookForwarder>());

        services.AddHttpClient<LineMessagingClient>((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<LineOptions>>().Value;
                http.BaseAddress = new Uri(o.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times each attempt
                if (!string.IsNullOrWhiteSpace(o.ChannelAccessToken))
                {
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.ChannelAccessToken);
                }
            })
            .RemoveAllLoggers() // LineMessagingClient logs outcomes itself; a log scope per call cost more than the call at load
            .AddResilienceHandler("line", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<LineOptions>>().Value;
                pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>(); // backoff, Retry-After and timeouts on the host's clock
                if (o.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(500),
                        MaxDelay = TimeSpan.FromSeconds(30),
                        ShouldRetryAfterHeader = true,
                        ShouldHandle = ShouldRetryAsync,
                    });
                }

                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 20,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = TimeSpan.FromSeconds(15),
                    // 4xx are answers, not an outage; a rate limit is not LINE being down either.
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException or TimeoutRejectedException
                                                                || args.Outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError }),
                });
                pipeline.AddTimeout(o.RequestTimeout);
            });
        return builder;
    }

    public static IEndpointRouteBuilder MapLine(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/line").MapPost("/webhook", LineWebhookEndpoint.HandleAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>Retry what may heal (429 rate limit, 5xx, timeouts); never 400/401/403, a monthly limit, or a reply.</summary>
    private static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        if (args.Context.GetRequestMessage() is { } request && request.Options.TryGetValue(LineMessagingClient.NoRetry, out var noRetry) && noRetry)
        {
            return false;
        }

        if (args.Outcome.Exception is HttpRequestException or TimeoutRejectedException)
        {
            return true;
        }

        if (args.Outcome.Result is not { } response)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return !LineMessagingClient.IsMonthlyLimit(await LineMessagingClient.ReadErrorAsync(response, args.Context.CancellationToken));
        }

        return response.StatusCode is >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout;
    }
}
