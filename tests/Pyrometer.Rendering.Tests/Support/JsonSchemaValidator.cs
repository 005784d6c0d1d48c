using System.Text.Json;

namespace Pyrometer.Rendering.Tests.Support;

/// <summary>
/// The subset of JSON Schema (draft 7) that speedscope's schema uses: type, properties, required, items,
/// enum, const, anyOf, additionalProperties and $ref to #/definitions. Unknown keywords (title, $schema)
/// are ignored; a keyword this validator does not know but that constrains values makes it fail loudly.
/// </summary>
internal sealed class JsonSchemaValidator
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "$schema", "$ref", "definitions", "title", "description", "type", "properties", "required", "items", "enum", "const", "anyOf", "additionalProperties",
    };

    private readonly JsonElement _root;

    public JsonSchemaValidator(JsonElement root) => _root = root;

    /// <summary>Every violation as "path: message"; empty when the document is valid.</summary>
    public List<string> Validate(JsonElement document)
    {
        var errors = new List<string>();
        Check(_root, document, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }
        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: no value is allowed here");
            return;
        }
        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Known.Contains(keyword.Name))
            {
                throw new NotSupportedException($"Schema keyword '{keyword.Name}' at {path} is not supported by this validator.");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(Resolve(reference.GetString()!), value, path, errors);
        }
        if (schema.TryGetProperty("type", out var type) && !MatchesType(type, value))
        {
            errors.Add($"{path}: expected type {type.GetRawText()}, found {value.ValueKind}");
            return;
        }
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
        {
            errors.Add($"{path}: expected the constant {constant.GetRawText()}, found {value.GetRawText()}");
        }
        if (schema.TryGetProperty("enum", out var options) && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
        {
            errors.Add($"{path}: {value.GetRawText()} is not one of {options.GetRawText()}");
        }
        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            var branches = anyOf.EnumerateArray().Select(branch =>
            {
                var branchErrors = new List<string>();
                Check(branch, value, path, branchErrors);
                return branchErrors;
            }).ToList();
            if (branches.All(b => b.Count > 0))
            {
                errors.Add($"{path}: matches none of the anyOf branches ({string.Join("; ", branches.Select(b => b[0]))})");
            }
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            CheckObject(schema, value, path, errors);
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, $"{path}[{index++}]", errors);
            }
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{path}: missing required property '{name}'");
                }
            }
        }
        schema.TryGetProperty("properties", out var properties);
        schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(propertySchema, property.Value, $"{path}.{property.Name}", errors);
            }
            else if (additional.ValueKind is JsonValueKind.False or JsonValueKind.Object)
            {
                Check(additional, property.Value, $"{path}.{property.Name}", errors);
            }
        }
    }

    private JsonElement Resolve(string reference)
    {
        const string Prefix = "#/definitions/";
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local #/definitions references are supported, not '{reference}'.");
        }
        return _root.GetProperty("definitions").GetProperty(reference[Prefix.Length..]);
    }

    private static bool MatchesType(JsonElement type, JsonElement value)
    {
        if (type.ValueKind == JsonValueKind.Array)
        {
            return type.EnumerateArray().Any(t => MatchesType(t, value));
        }
        return type.GetString() switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "number" => value.ValueKind == JsonValueKind.Number,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "null" => value.ValueKind == JsonValueKind.Null,
            var other => throw new NotSupportedException($"Schema type '{other}' is not supported."),
        };
    }
}
