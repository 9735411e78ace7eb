using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Assistant;

public enum AiProvider
{
    None,
    OpenAI,
    AzureOpenAI,
    OpenAICompatible,
}

public sealed class AiOptions : IValidatableObject
{
    public const string SectionName = "Ai";

    /// <summary>None: answers stay extractive and nothing leaves the host.</summary>
    public AiProvider Provider { get; set; } = AiProvider.None;

    /// <summary>Base URL: Azure resource endpoint, or an OpenAI-compatible base such as http://localhost:11434/v1 (Ollama).</summary>
    public string? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Model name (Azure: the deployment name).</summary>
    public string? Model { get; set; }

    /// <summary>After this the answer falls back to the extractive one.</summary>
    [Range(0.1, 120)]
    public double TimeoutSeconds { get; set; } = 8;

    /// <summary>Folder of prompt templates (YAML); relative paths are under the app folder.</summary>
    [Required]
    public string PromptsPath { get; set; } = "prompts";

    /// <summary>Hosts whose links may stay in an LLM answer; every other link and every image is removed.</summary>
    public IReadOnlyList<string> AllowedLinkHosts { get; set; } = [];

    public string PromptsFullPath => Path.IsPathRooted(PromptsPath) ? PromptsPath : Path.Combine(AppContext.BaseDirectory, PromptsPath);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == AiProvider.None)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            yield return new ValidationResult($"Ai:Model is required when Ai:Provider is {Provider}.", [nameof(Model)]);
        }

        if (Provider is AiProvider.AzureOpenAI or AiProvider.OpenAICompatible && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _))
        {
            yield return new ValidationResult($"Ai:Endpoint must be an absolute URL when Ai:Provider is {Provider}.", [nameof(Endpoint)]);
        }

        if (Provider is AiProvider.OpenAI or AiProvider.AzureOpenAI && string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return new ValidationResult($"Ai:ApiKey is required when Ai:Provider is {Provider}.", [nameof(ApiKey)]);
        }
    }
}
