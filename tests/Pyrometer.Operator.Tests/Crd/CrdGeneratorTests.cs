using Pyrometer.Kube.Serialization;
using System.Reflection;
using System.Text.Json;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Controllers;
using Pyrometer.Operator.Crd;
using YamlDotNet.RepresentationModel;
using static Pyrometer.Operator.Tests.TestObjects;

namespace Pyrometer.Operator.Tests.Crd;

public sealed class CrdGeneratorTests
{
    private static string CrdPath => Path.Combine(RepoPaths.Crds, CrdGenerator.FileName);

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }
        return (YamlMappingNode)node;
    }

    private static YamlMappingNode Schema(YamlMappingNode crd) =>
        Map(((YamlSequenceNode)Map(crd, "spec").Children[new YamlScalarNode("versions")]).Children[0], "schema", "openAPIV3Schema");

    [Fact]
    public void GenerateYaml_CommittedCrd_IsCurrent()
    {
        var expected = CrdGenerator.GenerateYaml();
        var actual = File.Exists(CrdPath) ? File.ReadAllText(CrdPath) : "";

        Assert.True(expected == actual,
            $"{CrdPath} is stale: regenerate it with `dotnet run --project operator/Pyrometer.Operator -- crd --output crds/{CrdGenerator.FileName}`.");
    }

    [Theory]
    [InlineData(typeof(ProfileRequestSpec), "spec")]
    [InlineData(typeof(ProfileRequestStatus), "status")]
    public void CommittedCrd_EveryCSharpProperty_HasASchemaCounterpart(Type type, string root)
    {
        var schema = Map(Schema(Load(CrdPath)), "properties", root);
        var missing = new List<string>();
        Walk(type, schema, root, missing);

        Assert.True(missing.Count == 0, "No schema for: " + string.Join(", ", missing));
    }

    private static void Walk(Type type, YamlMappingNode schema, string path, List<string> missing)
    {
        var properties = Map(schema, "properties");
        foreach (var property in CrdGenerator.SerializedProperties(type))
        {
            var name = CrdGenerator.JsonName(property);
            if (!properties.Children.TryGetValue(new YamlScalarNode(name), out var child))
            {
                missing.Add(path + "." + name);
                continue;
            }
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(List<>))
            {
                propertyType = propertyType.GetGenericArguments()[0];
                child = Map(child, "items");
            }
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                continue;   // a map (matchLabels): additionalProperties, no named properties
            }
            if (propertyType.IsClass && propertyType != typeof(string))
            {
                Walk(propertyType, (YamlMappingNode)child, path + "." + name, missing);
            }
        }
    }

    [Fact]
    public void Generate_Schema_CarriesBoundsEnumsDefaultsAndCelRules()
    {
        var crd = CrdGenerator.Generate();
        var version = crd["spec"]!["versions"]![0]!;
        var spec = version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!;
        var properties = spec["properties"]!;

        Assert.Equal(1000, (double)properties["rate"]!["maximum"]!);
        Assert.Equal(100, (int)properties["rate"]!["default"]!);
        Assert.Equal("30s", (string)properties["duration"]!["default"]!);
        Assert.Equal(["cpu", "wall", "gil", "async"], properties["mode"]!["enum"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(20, (double)properties["target"]!["properties"]!["maxPods"]!["maximum"]!);
        var rules = spec["x-kubernetes-validations"]!.AsArray().Select(r => (string)r!["rule"]!).ToList();
        Assert.Contains("self == oldSelf", rules);
        var targetRules = properties["target"]!["x-kubernetes-validations"]!.AsArray().Select(r => (string)r!["rule"]!).ToList();
        Assert.Contains("has(self.pod) != has(self.selector)", targetRules);
        Assert.Contains("!has(self.maxPods) || has(self.selector)", targetRules);
        Assert.NotNull(version["subresources"]!["status"]);
        var columns = version["additionalPrinterColumns"]!.AsArray();
        Assert.Equal(["Phase", "Target", "Duration", "Samples", "Top", "Age", "Regressed"], columns.Select(c => (string)c!["name"]!));
        // REGRESSED only in -o wide: most requests have no baseline, and the default listing stays as it was.
        Assert.Equal([0, 0, 0, 0, 0, 0, 1], columns.Select(c => (int?)c!["priority"] ?? 0));
        Assert.Equal(".status.conditions[?(@.type==\"Regressed\")].status", (string)columns[6]!["jsonPath"]!);
        Assert.Equal(5, (double)properties["regressionThreshold"]!["default"]!);
        Assert.True((bool)properties["regressionThreshold"]!["exclusiveMinimum"]!);
        Assert.Equal(0, (double)properties["regressionThreshold"]!["minimum"]!);
        Assert.Matches((string)properties["baseline"]!["pattern"]!, "latest");
        Assert.DoesNotMatch((string)properties["baseline"]!["pattern"]!, "Latest");
        Assert.Equal("prof", (string)crd["spec"]!["names"]!["shortNames"]![0]!);
    }

    [Theory]
    [InlineData("@/var/run/secrets/kubernetes.io/serviceaccount/token", false)]
    [InlineData("--help", false)]
    [InlineData("-x", false)]
    [InlineData("[-]-worker", true)]
    [InlineData("gunicorn: master", true)]
    [InlineData("", true)]
    public void Generate_CommandMatch_PatternAndCelRefuseALeadingDashOrAt(string match, bool allowed)
    {
        var commandMatch = CrdGenerator.Generate()["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!
            ["properties"]!["target"]!["properties"]!["process"]!["properties"]!["commandMatch"]!;

        // The pattern is what a 1.20–1.24 server (no CEL) enforces; it is plain enough to mean the same in .NET and RE2.
        Assert.Equal(allowed, System.Text.RegularExpressions.Regex.IsMatch(match, (string)commandMatch["pattern"]!));
        Assert.Equal("!self.startsWith('-') && !self.startsWith('@')", (string)commandMatch["x-kubernetes-validations"]![0]!["rule"]!);
    }

    [Theory]
    [InlineData("by-pod.yaml")]
    [InlineData("by-selector.yaml")]
    public void Samples_ParseAndPassValidation(string file)
    {
        var root = Load(Path.Combine(RepoPaths.Crds, "samples", file));
        var json = JsonSerializer.Serialize(ToPlain(root), SampleJsonContext.Default.Object);
        var request = KubeJson.Deserialize<ProfileRequest>(json);
        request.Metadata.NamespaceProperty ??= "default";

        Assert.Equal("pyrometer.dev/v1alpha1", request.ApiVersion);
        Assert.Null(SpecValidator.Validate(request, Options(), out _));
    }

    [Fact]
    public void CrdCommand_Output_WritesFileAndBadArgumentFails()
    {
        var path = Path.Combine(Path.GetTempPath(), "crd-" + Guid.NewGuid().ToString("N") + ".yaml");
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            Assert.Equal(0, CrdCommand.Run(["--output", path], output, error));
            Assert.Equal(CrdGenerator.GenerateYaml(), File.ReadAllText(path));
            Assert.Equal(2, CrdCommand.Run(["--bogus"], output, error));
            Assert.Contains("unexpected argument '--bogus'", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static object? ToPlain(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ToPlain(p.Value)),
        YamlSequenceNode list => list.Children.Select(ToPlain).ToList(),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar when long.TryParse(scalar.Value, out var number) => number,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } scalar => scalar.Value == "true",
        YamlScalarNode scalar => scalar.Value,
        _ => null,
    };
}
