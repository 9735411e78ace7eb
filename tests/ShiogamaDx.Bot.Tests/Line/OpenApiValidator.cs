using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Tests.Line;

/// <summary>
/// Validates JSON against a schema of LINE's OpenAPI documents: $ref, allOf, discriminator mappings, required,
/// unknown properties, types, enums, min/max length and items, numeric ranges, uri format. Enough to catch any
/// body LINE would refuse for its shape.
/// </summary>
public sealed class OpenApiValidator
{
    private static readonly Lazy<OpenApiValidator> MessagingApi = new(() => Load("messaging-api.yml"));
    private static readonly Lazy<OpenApiValidator> WebhookApi = new(() => Load("webhook.yml"));

    private readonly YamlMappingNode schemas;

    private OpenApiValidator(YamlMappingNode schemas) => this.schemas = schemas;

    public static OpenApiValidator Messaging => MessagingApi.Value;

    public static OpenApiValidator Webhook => WebhookApi.Value;

    public static OpenApiValidator Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Line", "Spec", file);
        var yaml = new YamlStream();
        using var reader = new StreamReader(path);
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var components = (YamlMappingNode)root.Children[new YamlScalarNode("components")];
        return new OpenApiValidator((YamlMappingNode)components.Children[new YamlScalarNode("schemas")]);
    }

    public bool HasSchema(string name) => schemas.Children.ContainsKey(new YamlScalarNode(name));

    public List<string> Validate(JsonNode? json, string schemaName)
    {
        var errors = new List<string>();
        Validate(json, Schema(schemaName), "$", errors);
        return errors;
    }

    private YamlMappingNode Schema(string name) =>
        schemas.Children.TryGetValue(new YamlScalarNode(name), out var node) ? (YamlMappingNode)node : throw new KeyNotFoundException("No schema " + name);

    private YamlMappingNode Deref(YamlMappingNode schema) =>
        Str(schema, "$ref") is { } reference ? Deref(Schema(reference[(reference.LastIndexOf('/') + 1)..])) : schema;

    private sealed class Flat
    {
        public Dictionary<string, YamlMappingNode> Properties { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Required { get; } = new(StringComparer.Ordinal);

        public List<YamlMappingNode> Constraints { get; } = [];

        public YamlMappingNode? Discriminator { get; set; }

        public bool AdditionalProperties { get; set; }
    }

    private Flat Flatten(YamlMappingNode schema, Flat? into = null)
    {
        var flat = into ?? new Flat();
        schema = Deref(schema);
        flat.Constraints.Add(schema);
        if (Map(schema, "properties") is { } props)
        {
            foreach (var (k, v) in props.Children)
            {
                flat.Properties.TryAdd(((YamlScalarNode)k).Value!, (YamlMappingNode)v);
            }
        }

        if (Seq(schema, "required") is { } required)
        {
            foreach (var r in required)
            {
                flat.Required.Add(((YamlScalarNode)r).Value!);
            }
        }

        if (schema.Children.ContainsKey(new YamlScalarNode("additionalProperties")))
        {
            flat.AdditionalProperties = true;
        }

        flat.Discriminator ??= Map(schema, "discriminator");
        if (Seq(schema, "allOf") is { } allOf)
        {
            foreach (var part in allOf)
            {
                Flatten((YamlMappingNode)part, flat);
            }
        }

        return flat;
    }

    private void Validate(JsonNode? node, YamlMappingNode schema, string path, List<string> errors)
    {
        var flat = Flatten(schema);
        if (node is JsonObject obj && flat.Discriminator is { } disc)
        {
            var propertyName = Str(disc, "propertyName")!;
            if (obj[propertyName] is JsonValue v && v.TryGetValue<string>(out var kind) && Map(disc, "mapping") is { } mapping)
            {
                if (mapping.Children.TryGetValue(new YamlScalarNode(kind), out var target))
                {
                    var reference = ((YamlScalarNode)target).Value!;
                    Flatten(Schema(reference[(reference.LastIndexOf('/') + 1)..]), flat);
                }
                else
                {
                    errors.Add($"{path}.{propertyName}: '{kind}' is not a known type");
                }
            }
        }

        foreach (var c in flat.Constraints)
        {
            CheckScalar(node, c, path, errors);
        }

        if (node is JsonObject o)
        {
            foreach (var r in flat.Required.Where(r => o[r] is null))
            {
                errors.Add($"{path}.{r}: required");
            }

            foreach (var (name, value) in o)
            {
                if (flat.Properties.TryGetValue(name, out var propSchema))
                {
                    Validate(value, propSchema, path + "." + name, errors);
                }
                else if (!flat.AdditionalProperties)
                {
                    errors.Add($"{path}.{name}: not in the schema");
                }
            }
        }
    }

    private void CheckScalar(JsonNode? node, YamlMappingNode schema, string path, List<string> errors)
    {
        var type = Str(schema, "type");
        switch (type)
        {
            case "object" when node is not JsonObject && Map(schema, "properties") is not null:
                errors.Add($"{path}: must be an object");
                return;
            case "array" when node is not JsonArray:
                errors.Add($"{path}: must be an array");
                return;
            case "string" when node is not JsonValue sv || !sv.TryGetValue<string>(out _):
                errors.Add($"{path}: must be a string");
                return;
            case "boolean" when node is not JsonValue bv || !bv.TryGetValue<bool>(out _):
                errors.Add($"{path}: must be a boolean");
                return;
            case "integer" when node is not JsonValue iv || !iv.TryGetValue<long>(out _):
                errors.Add($"{path}: must be an integer");
                return;
            case "number" when node is not JsonValue nv || !nv.TryGetValue<double>(out _):
                errors.Add($"{path}: must be a number");
                return;
        }

        if (node is JsonArray array)
        {
            if (Int(schema, "maxItems") is { } maxItems && array.Count > maxItems)
            {
                errors.Add($"{path}: {array.Count} items, at most {maxItems}");
            }

            if (Int(schema, "minItems") is { } minItems && array.Count < minItems)
            {
                errors.Add($"{path}: {array.Count} items, at least {minItems}");
            }

            if (Map(schema, "items") is { } items)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Validate(array[i], items, $"{path}[{i}]", errors);
                }
            }
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var s))
        {
            if (Int(schema, "maxLength") is { } max && s.Length > max)
            {
                errors.Add($"{path}: length {s.Length}, at most {max}");
            }

            if (Int(schema, "minLength") is { } min && s.Length < min)
            {
                errors.Add($"{path}: length {s.Length}, at least {min}");
            }

            if (Seq(schema, "enum") is { } values && values.All(e => ((YamlScalarNode)e).Value != s))
            {
                errors.Add($"{path}: '{s}' is not one of the allowed values");
            }

            if (Str(schema, "format") == "uri" && !Uri.TryCreate(s, UriKind.Absolute, out _))
            {
                errors.Add($"{path}: not an absolute URI");
            }

            if (Str(schema, "format") == "uuid" && !Guid.TryParse(s, out _))
            {
                errors.Add($"{path}: not a UUID");
            }
        }

        if (node is JsonValue number && number.TryGetValue<double>(out var d))
        {
            if (Int(schema, "maximum") is { } maximum && d > maximum)
            {
                errors.Add($"{path}: {d} above {maximum}");
            }

            if (Int(schema, "minimum") is { } minimum && d < minimum)
            {
                errors.Add($"{path}: {d} below {minimum}");
            }
        }
    }

    private static string? Str(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    private static long? Int(YamlMappingNode node, string key) =>
        Str(node, key) is { } s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    private static YamlMappingNode? Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v as YamlMappingNode : null;

    private static YamlSequenceNode? Seq(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v as YamlSequenceNode : null;
}

/// <summary>Limits LINE documents in its reference but not in the OpenAPI file.</summary>
public static class LineDocumentedLimits
{
    public static List<string> Check(JsonNode? body)
    {
        var errors = new List<string>();
        if (body?["messages"] is JsonArray messages)
        {
            foreach (var m in messages)
            {
                var type = (string?)m?["type"];
                if (type == "text" && ((string?)m!["text"])?.Length is not (> 0 and <= 5000))
                {
                    errors.Add("text message: 1 to 5000 characters");
                }

                if (type == "flex" && ((string?)m!["altText"])?.Length is not (> 0 and <= 1500))
                {
                    errors.Add("flex altText: 1 to 1500 characters");
                }

                if (m?["contents"] is JsonObject { } contents && (string?)contents["type"] == "carousel" && contents["contents"] is JsonArray { Count: > 12 })
                {
                    errors.Add("carousel: at most 12 bubbles");
                }

                if (m?["quickReply"]?["items"] is JsonArray items)
                {
                    foreach (var item in items)
                    {
                        var label = (string?)item?["action"]?["label"] ?? string.Empty;
                        if (new StringInfo(label).LengthInTextElements is 0 or > 20)
                        {
                            errors.Add($"quick reply label '{label}': 1 to 20 characters");
                        }
                    }
                }
            }
        }

        return errors;
    }
}
