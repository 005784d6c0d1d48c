using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pyrometer.Chart.Tests.Support;

/// <summary>
/// The part of JSON Schema draft 7 that values.schema.json uses: type, properties, required,
/// additionalProperties, items, enum, pattern, minLength, maxLength, minimum, maximum. Annotations
/// ($schema, title, description) are ignored; any other keyword throws, so the chart cannot rely on a
/// rule this checker would silently skip.
/// </summary>
internal sealed class SchemaValidator
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "$schema", "title", "description" };

    private static readonly HashSet<string> Rules = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum",
    };

    private readonly JsonElement _schema;

    public SchemaValidator(JsonElement schema) => _schema = schema;

    /// <summary>Every violation as "path: problem"; empty when the value conforms.</summary>
    public List<string> Validate(JsonElement value)
    {
        var errors = new List<string>();
        Check(_schema, value, "values", errors);
        return errors;
    }

    private static void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        foreach (var keyword in schema.EnumerateObject().Where(k => !Annotations.Contains(k.Name) && !Rules.Contains(k.Name)))
        {
            throw new NotSupportedException($"values.schema.json uses '{keyword.Name}' at {path}, which this validator does not check.");
        }
        if (schema.TryGetProperty("type", out var type) && !HasType(type, value))
        {
            errors.Add($"{path}: must be {type.GetRawText()}, not {value.ValueKind} {value.GetRawText()}");
            return;
        }
        if (schema.TryGetProperty("enum", out var choices) && !choices.EnumerateArray().Any(c => JsonElement.DeepEquals(c, value)))
        {
            errors.Add($"{path}: {value.GetRawText()} is not one of {choices.GetRawText()}");
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                CheckString(schema, value.GetString()!, path, errors);
                break;
            case JsonValueKind.Number:
                CheckNumber(schema, value.GetDouble(), path, errors);
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(items, item, $"{path}[{index++}]", errors);
                }
                break;
            case JsonValueKind.Object:
                CheckObject(schema, value, path, errors);
                break;
        }
    }

    private static void CheckString(JsonElement schema, string text, string path, List<string> errors)
    {
        if (schema.TryGetProperty("minLength", out var min) && text.Length < min.GetInt32())
        {
            errors.Add($"{path}: shorter than {min.GetInt32()} characters");
        }
        if (schema.TryGetProperty("maxLength", out var max) && text.Length > max.GetInt32())
        {
            errors.Add($"{path}: longer than {max.GetInt32()} characters");
        }
        if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(5)))
        {
            errors.Add($"{path}: \"{text}\" does not match {pattern.GetString()}");
        }
    }

    private static void CheckNumber(JsonElement schema, double number, string path, List<string> errors)
    {
        if (schema.TryGetProperty("minimum", out var min) && number < min.GetDouble())
        {
            errors.Add($"{path}: {number} is below the minimum {min.GetRawText()}");
        }
        if (schema.TryGetProperty("maximum", out var max) && number > max.GetDouble())
        {
            errors.Add($"{path}: {number} is above the maximum {max.GetRawText()}");
        }
    }

    private static void CheckObject(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(n => !value.TryGetProperty(n, out _)))
            {
                errors.Add($"{path}: '{name}' is required");
            }
        }
        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in value.EnumerateObject())
        {
            var child = $"{path}.{property.Name}";
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(propertySchema, property.Value, child, errors);
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.False)
            {
                errors.Add($"{child}: unknown key (allowed here: {string.Join(", ", properties.EnumerateObject().Select(p => p.Name))})");
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.Object)
            {
                Check(additional, property.Value, child, errors);
            }
        }
    }

    private static bool HasType(JsonElement type, JsonElement value) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => HasType(t, value))
        : type.GetString() switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "number" => value.ValueKind == JsonValueKind.Number,
            "integer" => value.ValueKind == JsonValueKind.Number && value.GetDouble() == Math.Floor(value.GetDouble()),
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "null" => value.ValueKind == JsonValueKind.Null,
            var other => throw new NotSupportedException($"schema type '{other}'"),
        };
}
