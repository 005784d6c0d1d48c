using System.Text.Json;

namespace Pyrometer.Rendering.Tests.Support;

/// <summary>The validator must catch what it claims to, or a passing schema test would mean nothing.</summary>
public sealed class JsonSchemaValidatorTests
{
    private const string Schema = """
        {
          "definitions": {
            "Unit": { "enum": ["none", "seconds"], "type": "string" },
            "Thing": {
              "type": "object",
              "properties": { "kind": { "const": "thing", "type": "string" }, "unit": { "$ref": "#/definitions/Unit" },
                              "values": { "type": "array", "items": { "type": "number" } } },
              "required": ["kind", "unit"]
            },
            "Other": { "type": "object", "properties": { "kind": { "const": "other" } }, "required": ["kind"] }
          },
          "anyOf": [ { "$ref": "#/definitions/Thing" }, { "$ref": "#/definitions/Other" } ]
        }
        """;

    [Theory]
    [InlineData("""{"kind":"thing","unit":"none","values":[1,2.5]}""")]
    [InlineData("""{"kind":"other"}""")]
    public void Validate_ConformingDocument_NoErrors(string json)
    {
        Assert.Empty(Validate(json));
    }

    [Theory]
    [InlineData("""{"kind":"thing","unit":"hours"}""")]
    [InlineData("""{"kind":"thing"}""")]
    [InlineData("""{"kind":"thing","unit":"none","values":["x"]}""")]
    [InlineData("""{"kind":"nothing"}""")]
    [InlineData("""[]""")]
    public void Validate_ViolatingDocument_ReportsErrors(string json)
    {
        Assert.NotEmpty(Validate(json));
    }

    private static List<string> Validate(string json)
    {
        using var schema = JsonDocument.Parse(Schema);
        using var document = JsonDocument.Parse(json);
        return new JsonSchemaValidator(schema.RootElement).Validate(document.RootElement);
    }
}
