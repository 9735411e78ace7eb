using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace ShiogamaDx.Bot.Assistant;

public static class AssistantExtensions
{
    public const string HttpClientName = "ai";

    public static IHostApplicationBuilder AddAssistant(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan); // the deadline is AssistantClient's
        services.AddSingleton(sp => PromptCatalog.Load(sp.GetRequiredService<IOptions<AiOptions>>().Value.PromptsFullPath));
        services.AddSingleton(sp => new AssistantClient(
            CreateKernel(sp),
            sp.GetRequiredService<PromptCatalog>(),
            sp.GetRequiredService<IOptions<AiOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AssistantClient>>()));
        return builder;
    }

    private static Kernel? CreateKernel(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AiOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AssistantExtensions));
        if (options.Provider == AiProvider.None)
        {
            logger.LogInformation("No LLM configured (Ai:Provider None): guideline answers are extractive");
            return null;
        }

        // A custom HttpClient also makes Semantic Kernel turn off the OpenAI SDK's own retries: one deadline rules.
        var kernel = BuildKernel(options, services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName));
        if (kernel is not null)
        {
            logger.LogInformation("LLM enabled: {Provider} model {Model}", options.Provider, options.Model);
        }

        return kernel;
    }

    // A method of its own so that the connectors' assemblies load only when an LLM is configured (the JIT loads what a
    // method names when it compiles it).
    private static Kernel? BuildKernel(AiOptions options, HttpClient http)
    {
        var kernel = Kernel.CreateBuilder();
        switch (options.Provider)
        {
            case AiProvider.OpenAI:
                kernel.AddOpenAIChatCompletion(options.Model!, options.ApiKey!, httpClient: http);
                break;
            case AiProvider.AzureOpenAI:
                kernel.AddAzureOpenAIChatCompletion(options.Model!, options.Endpoint!, options.ApiKey!, httpClient: http);
                break;
            case AiProvider.OpenAICompatible:
#pragma warning disable SKEXP0010 // custom endpoint: the way to reach Ollama and other OpenAI-compatible servers
                kernel.AddOpenAIChatCompletion(options.Model!, new Uri(options.Endpoint!), string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey, httpClient: http);
#pragma warning restore SKEXP0010
                break;
            default:
                return null;
        }

        return kernel.Build();
    }
}
