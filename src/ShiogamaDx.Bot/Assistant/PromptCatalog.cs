using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;
using ShiogamaDx.Bot.Conversations;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Assistant;

/// <summary>
/// Prompt templates in Semantic Kernel's YAML format, one file per LLM task in prompts/. Microsoft.SemanticKernel.Yaml
/// is not available here, so YAML is read with YamlDotNet, turned into JSON and loaded with PromptTemplateConfig.FromJson.
/// </summary>
public sealed class PromptCatalog(IReadOnlyDictionary<string, PromptTemplateConfig> prompts)
{
    public IReadOnlyDictionary<string, PromptTemplateConfig> Prompts { get; } = prompts;

    public PromptTemplateConfig Get(string name) =>
        Prompts.TryGetValue(name, out var config) ? config : throw new KeyNotFoundException($"No prompt template named '{name}' in prompts/.");

    public static PromptCatalog Load(string folder)
    {
        var prompts = new Dictionary<string, PromptTemplateConfig>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return new PromptCatalog(prompts);
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.yaml").Concat(Directory.EnumerateFiles(folder, "*.yml")).Order(StringComparer.Ordinal))
        {
            var config = Parse(File.ReadAllText(file), file);
            prompts[config.Name ?? Path.GetFileNameWithoutExtension(file)] = config;
        }

        return new PromptCatalog(prompts);
    }

    public static PromptTemplateConfig Parse(string yaml, string file)
    {
        JsonNode? json;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            json = stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode);
        }
        catch (YamlException ex)
        {
            throw new ContentFileException(file, (int)ex.Start.Line, ex.InnerException?.Message ?? ex.Message);
        }

        if (json is not JsonObject root || root["template"] is null)
        {
            throw new ContentFileException(file, 1, "a prompt template needs at least 'name' and 'template'");
        }

        try
        {
            var config = PromptTemplateConfig.FromJson(root.ToJsonString());
            if (string.IsNullOrWhiteSpace(config.Name))
            {
                throw new ContentFileException(file, 1, "a prompt template needs a 'name'");
            }

            return config;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or NotSupportedException)
        {
            throw new ContentFileException(file, 1, ex.Message);
        }
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    /// <summary>Plain (unquoted) numbers and booleans become JSON numbers and booleans; everything else stays text.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain || value is null)
        {
            return JsonValue.Create(value);
        }

        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }

        if (value is "null" or "~")
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);
    }
}
