using YamlDotNet.RepresentationModel;

namespace Pyrometer.Chart.Tests.Support;

/// <summary>Small lookups over parsed manifests.</summary>
internal static class Yaml
{
    /// <summary>The node at a dotted path ("spec.template.spec"), or null when any step is missing.</summary>
    public static YamlNode? At(this YamlNode node, string path)
    {
        YamlNode? current = node;
        foreach (var step in path.Split('.'))
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(step), out current))
            {
                return null;
            }
        }
        return current;
    }

    public static string? Text(this YamlNode node, string path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, string path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children : [];

    public static List<string> Strings(this YamlNode node, string path) =>
        node.Items(path).Cast<YamlScalarNode>().Select(s => s.Value ?? "").ToList();

    public static string Kind(this YamlNode document) => document.Text("kind") ?? "";

    public static string Name(this YamlNode document) => document.Text("metadata.name") ?? "";

    public static YamlMappingNode Single(this IEnumerable<YamlMappingNode> documents, string kind, string name) =>
        documents.SingleOrDefault(d => d.Kind() == kind && d.Name() == name)
            ?? throw new InvalidOperationException($"no {kind} named {name} was rendered");

    public static YamlMappingNode OperatorContainer(this IEnumerable<YamlMappingNode> documents) =>
        (YamlMappingNode)documents.Where(d => d.Kind() == "Deployment").Single().Items("spec.template.spec.containers").Single();

    /// <summary>The container's environment as name → literal value ("(secret name/key)" for secretKeyRef).</summary>
    public static Dictionary<string, string> Environment(this YamlNode container) =>
        container.Items("env").ToDictionary(
            e => e.Text("name")!,
            e => e.Text("value") ?? $"(secret {e.Text("valueFrom.secretKeyRef.name")}/{e.Text("valueFrom.secretKeyRef.key")})",
            StringComparer.Ordinal);
}
