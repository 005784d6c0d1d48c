using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pyrometer.Operator.Crd;

/// <summary>Writes a JSON tree as block-style YAML, keeping property order, so the CRD file diffs cleanly.</summary>
internal static partial class YamlWriter
{
    public static string Write(JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        WriteObject(text, root, 0);
        return text.ToString();
    }

    private static void WriteObject(StringBuilder text, JsonObject value, int indent)
    {
        foreach (var (name, child) in value)
        {
            text.Append(' ', indent).Append(Scalar(name)).Append(':');
            WriteValue(text, child, indent);
        }
    }

    private static void WriteValue(StringBuilder text, JsonNode? child, int indent)
    {
        switch (child)
        {
            case JsonObject { Count: 0 }:
                text.Append(" {}\n");
                break;
            case JsonObject obj:
                text.Append('\n');
                WriteObject(text, obj, indent + 2);
                break;
            case JsonArray { Count: 0 }:
                text.Append(" []\n");
                break;
            case JsonArray array:
                text.Append('\n');
                WriteArray(text, array, indent);
                break;
            default:
                text.Append(' ').Append(Scalar(child)).Append('\n');
                break;
        }
    }

    private static void WriteArray(StringBuilder text, JsonArray array, int indent)
    {
        foreach (var item in array)
        {
            text.Append(' ', indent).Append('-');
            if (item is JsonObject { Count: > 0 } obj)
            {
                // The first property shares the dash's line; the rest line up under it.
                var first = true;
                foreach (var (name, child) in obj)
                {
                    if (first)
                    {
                        text.Append(' ');
                        first = false;
                    }
                    else
                    {
                        text.Append(' ', indent + 2);
                    }
                    text.Append(Scalar(name)).Append(':');
                    WriteValue(text, child, indent + 2);
                }
            }
            else if (item is JsonArray { Count: > 0 })
            {
                throw new NotSupportedException("Nested sequences are not used in CRDs.");
            }
            else
            {
                WriteValue(text, item, indent);
            }
        }
    }

    private static string Scalar(JsonNode? node)
    {
        if (node is null)
        {
            return "null";
        }
        return node.GetValueKind() switch
        {
            JsonValueKind.String => Scalar(node.GetValue<string>()),
            JsonValueKind.Number => node.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "null",
        };
    }

    private static string Scalar(string text) =>
        PlainScalar().IsMatch(text) && !Reserved.Contains(text) && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? text
            : Quote(text);

    /// <summary>A double-quoted YAML scalar: backslash and quote escaped, control characters as \uXXXX.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }
        return quoted.Append('"').ToString();
    }

    // Words YAML 1.1 readers turn into booleans or null.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    [GeneratedRegex(@"^[A-Za-z_/.][A-Za-z0-9_/.\-]*( [A-Za-z0-9_/.\-]+)*$")]
    private static partial Regex PlainScalar();
}
