using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace ShiogamaDx.Bot.Assistant;

/// <summary>
/// Runs one prompt template through Semantic Kernel with a deadline. Never throws for the model's sake: an error,
/// a timeout or an empty answer returns null and the caller keeps its own answer (the extractive one).
/// </summary>
public sealed class AssistantClient(Kernel? kernel, PromptCatalog prompts, IOptions<AiOptions> options, TimeProvider clock, ILogger<AssistantClient> logger)
{
    public bool IsEnabled => kernel is not null;

    public async Task<string?> CompleteAsync(string promptName, IReadOnlyDictionary<string, string> arguments, CancellationToken ct)
    {
        if (kernel is null)
        {
            return null;
        }

        var config = prompts.Get(promptName);
        var function = KernelFunctionFactory.CreateFromPrompt(config, new KernelPromptTemplateFactory());
        var args = new KernelArguments();
        foreach (var (key, value) in arguments)
        {
            args[key] = value;
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.TimeoutSeconds), clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            var result = await function.InvokeAsync(kernel, args, linked.Token);
            var text = result.GetValue<string>();
            return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            logger.LogWarning("LLM prompt {Prompt} timed out after {Seconds} s; using the fallback answer", promptName, options.Value.TimeoutSeconds);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception message of an HTTP failure carries no secrets (keys travel in headers only).
            logger.LogWarning("LLM prompt {Prompt} failed ({Error}); using the fallback answer", promptName, ex.GetType().Name + ": " + ex.Message);
            return null;
        }
    }
}
