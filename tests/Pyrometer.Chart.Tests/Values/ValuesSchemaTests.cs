using System.Text.Json;
using System.Text.RegularExpressions;
using Pyrometer.Chart.Tests.Support;
using Pyrometer.Chart.Tests.Templates;

namespace Pyrometer.Chart.Tests.Values;

public sealed partial class ValuesSchemaTests
{
    private static readonly SchemaValidator Schema = new(JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Chart, "values.schema.json"))).RootElement.Clone());

    [GoTheory]
    [InlineData("")]
    [InlineData("values-s3-full.yaml")]
    [InlineData("values-builtin-full.yaml")]
    public void Validate_ShippedAndExampleValues_Pass(string valuesFile)
    {
        var values = ChartRenderer.Values(valuesFile.Length == 0 ? [] : [TestPaths.Asset(valuesFile)]);

        Assert.Empty(Schema.Validate(values));
    }

    [GoTheory]
    [InlineData("replicas: 2\n", "values.replicas: unknown key")]
    [InlineData("storage:\n  s3:\n    buckets: x\n", "values.storage.s3.buckets: unknown key")]
    [InlineData("limits:\n  maxRate: 5000\n", "values.limits.maxRate: 5000 is above the maximum 1000")]
    [InlineData("limits:\n  maxDuration: \"30\"\n", "values.limits.maxDuration: \"30\" does not match")]
    [InlineData("limits:\n  allowedFormats: [svg]\n", "values.limits.allowedFormats[0]: \"svg\" is not one of")]
    [InlineData("image:\n  pullPolicy: Sometimes\n", "values.image.pullPolicy: \"Sometimes\" is not one of")]
    [InlineData("agent:\n  runAsUser: \"0\"\n", "values.agent.runAsUser: must be \"integer\"")]
    [InlineData("controller:\n  workers: 2.5\n", "values.controller.workers: must be \"integer\"")]
    [InlineData("telemetry:\n  otlpEndpoint: collector:4317\n", "values.telemetry.otlpEndpoint: \"collector:4317\" does not match")]
    public void Validate_BadValue_IsRefusedWithItsPath(string yaml, string expected)
    {
        var values = ChartRenderer.Values(ChartTemplateTests.WriteValues(yaml));

        var errors = Schema.Validate(values);

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_EveryObjectWithProperties_RefusesUnknownKeys()
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Chart, "values.schema.json"))).RootElement;
        var missing = new List<string>();
        Walk(root, "values", missing);

        Assert.Empty(missing);

        static void Walk(JsonElement schema, string path, List<string> missing)
        {
            if (schema.TryGetProperty("properties", out var properties))
            {
                if (!schema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
                {
                    missing.Add(path);
                }
                foreach (var property in properties.EnumerateObject())
                {
                    Walk(property.Value, path + "." + property.Name, missing);
                }
            }
            if (schema.TryGetProperty("items", out var items))
            {
                Walk(items, path + "[]", missing);
            }
        }
    }

    [Fact]
    public void Templates_EveryValuesPath_ExistsInTheSchema()
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Chart, "values.schema.json"))).RootElement;
        var unknown = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.Chart, "templates")))
        {
            var text = File.ReadAllText(file);
            // {{- $s3 := .Values.storage.s3 -}} makes "$s3.bucket" mean ".Values.storage.s3.bucket".
            var aliases = AliasPattern().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            var paths = ValuesPattern().Matches(text).Select(m => m.Groups[1].Value)
                .Concat(VariablePattern().Matches(text).Where(m => aliases.ContainsKey(m.Groups[1].Value))
                    .Select(m => aliases[m.Groups[1].Value] + m.Groups[2].Value));
            unknown.AddRange(paths.Where(p => !InSchema(root, p)).Select(p => $"{Path.GetFileName(file)}: .Values{p}"));
        }

        Assert.Empty(unknown);
    }

    [Fact]
    public void ValuesYaml_EveryKey_HasAComment()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.Chart, "values.yaml"));
        var uncommented = new List<string>();
        var freeForm = -1;  // below "resources:" the keys are Kubernetes' own (requests, cpu, …)
        for (var i = 0; i < lines.Length; i++)
        {
            var match = KeyPattern().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }
            var indent = match.Groups[1].Length;
            if (freeForm >= 0 && indent > freeForm)
            {
                continue;
            }
            freeForm = match.Groups[2].Value == "resources" ? indent : -1;
            if (i == 0 || !lines[i - 1].TrimStart().StartsWith('#'))
            {
                uncommented.Add($"line {i + 1}: {lines[i].Trim()}");
            }
        }

        Assert.Empty(uncommented);
    }

    private static bool InSchema(JsonElement schema, string dottedPath)
    {
        foreach (var step in dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!schema.TryGetProperty("properties", out var properties) || !properties.TryGetProperty(step, out schema))
            {
                return false;
            }
        }
        return true;
    }

    [GeneratedRegex(@"\.Values((?:\.[A-Za-z0-9_]+)+)")]
    private static partial Regex ValuesPattern();

    [GeneratedRegex(@"(\$[A-Za-z0-9_]+) := \.Values((?:\.[A-Za-z0-9_]+)+)")]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"(\$[A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+)+)")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^( *)([A-Za-z][A-Za-z0-9]*):")]
    private static partial Regex KeyPattern();
}
