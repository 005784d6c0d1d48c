using System.Text.RegularExpressions;
using Pyrometer.Chart.Tests.Support;

namespace Pyrometer.Chart.Tests.Values;

/// <summary>
/// Every property the operator binds from configuration reaches it from a chart value, and every setting the
/// chart passes names a real property. The options are read from their source files (this project links no
/// product code); the chart's settings from the rendered Deployment's environment (Section__Key).
/// </summary>
public sealed partial class OptionsCoverageTests
{
    private static readonly (string Section, string File)[] OptionFiles =
    [
        ("Operator", "operator/Pyrometer.Operator/OperatorOptions.cs"),
        ("Storage:S3", "operator/Pyrometer.Operator.Storage/S3StoreOptions.cs"),
        ("Storage:BuiltIn", "operator/Pyrometer.Operator.Storage/BuiltInStoreOptions.cs"),
        ("Storage:Viewer", "operator/Pyrometer.Operator.Storage/ViewerOptions.cs"),
        ("LeaderElection", "operator/Pyrometer.Kube/LeaderElection/LeaderElectionOptions.cs"),
        ("Kubernetes", "operator/Pyrometer.Kube/Api/KubeApiOptions.cs"),
    ];

    private static readonly string[] FullValues = ["values-s3-full.yaml", "values-builtin-full.yaml"];

    /// <summary>Bound properties the chart deliberately does not set, and why.</summary>
    private static readonly Dictionary<string, string> NotFromChart = new(StringComparer.Ordinal)
    {
        ["Storage:S3:AccessKeyId"] = "the chart mounts the credentials Secret as files (AccessKeyIdFile) so rotation needs no restart",
        ["Storage:S3:SecretAccessKey"] = "as AccessKeyId: from the mounted Secret's file instead",
        ["LeaderElection:Identity"] = "one per pod: the default (pod name plus a random suffix) is the only correct value in a Deployment",
    };

    [Fact]
    public void StorageOptions_SettableProperties_AreTheTwoStoreSectionsAndTheViewer()
    {
        Assert.Equal(["BuiltIn", "S3", "Viewer"], SettableProperties("operator/Pyrometer.Operator.Storage/StorageOptions.cs").Order(StringComparer.Ordinal));
    }

    [GoFact]
    public void Chart_FullValues_SetsEveryBoundPropertyExceptTheListedOnes()
    {
        var bound = BoundKeys();
        var fromChart = ChartKeys();

        var missing = bound.Where(k => !fromChart.Contains(k) && !NotFromChart.ContainsKey(k)).ToList();

        Assert.Empty(missing);
        Assert.All(NotFromChart.Keys, k => Assert.Contains(k, bound));
        Assert.All(NotFromChart.Keys, k => Assert.DoesNotContain(k, fromChart));
    }

    [GoFact]
    public void Chart_AnyValues_SetsOnlyPropertiesThatExist()
    {
        var bound = BoundKeys();
        var sections = OptionFiles.Select(f => f.Section.Split(':')[0]).ToHashSet(StringComparer.Ordinal);

        var unknown = ChartKeys().Where(k => sections.Contains(k.Split(':')[0]) && !bound.Contains(k)).ToList();

        Assert.Empty(unknown);
    }

    private static HashSet<string> BoundKeys() => OptionFiles
        .SelectMany(f => SettableProperties(f.File).Select(p => f.Section + ":" + p))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Configuration keys from the operator container's environment over the S3 and the built-in renders.</summary>
    private static HashSet<string> ChartKeys() =>
        FullValues
            .SelectMany(file => ChartRenderer.Render(valueFiles: TestPaths.Asset(file)).OperatorContainer().Environment().Keys)
            .Where(name => name.Contains("__", StringComparison.Ordinal))
            .Select(name => string.Join(':', name.Split("__").Where(part => !part.All(char.IsAsciiDigit))))
            .ToHashSet(StringComparer.Ordinal);

    private static List<string> SettableProperties(string relativePath)
    {
        var source = File.ReadAllText(TestPaths.InRepository(relativePath));
        var properties = SettablePattern().Matches(source).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(properties);
        return properties;
    }

    [GeneratedRegex(@"public\s+[\w<>?.,\s]+?\s+(\w+)\s*\{\s*get;\s*set;\s*\}")]
    private static partial Regex SettablePattern();
}
