using System.Globalization;
using System.Text.RegularExpressions;
using Pyrometer.Chart.Tests.Support;
using Pyrometer.Chart.Tests.Templates;

namespace Pyrometer.Chart.Tests.Values;

/// <summary>
/// The optional tunables values.yaml shows commented out: uncommented, they are valid values, and the defaults
/// they show are the operator's own (compared with the options' initialisers in the source).
/// </summary>
public sealed partial class ValuesDefaultsTests
{
    /// <summary>Settings where the chart's value differs from the options class's initialiser on purpose.</summary>
    private static readonly Dictionary<string, string> Deliberate = new(StringComparer.Ordinal)
    {
        ["LeaderElection__LeaseNamespace"] = "the release's namespace, not \"default\"",
        ["Operator__DefaultTtlSecondsAfterFinished"] = "values.yaml shows an example; the default is unset",
    };

    private static readonly (string Prefix, string File)[] OptionFiles =
    [
        ("Operator__", "operator/Pyrometer.Operator/OperatorOptions.cs"),
        ("Storage__S3__", "operator/Pyrometer.Operator.Storage/S3StoreOptions.cs"),
        ("Storage__BuiltIn__", "operator/Pyrometer.Operator.Storage/BuiltInStoreOptions.cs"),
        ("Storage__Viewer__", "operator/Pyrometer.Operator.Storage/ViewerOptions.cs"),
        ("LeaderElection__", "operator/Pyrometer.Kube/LeaderElection/LeaderElectionOptions.cs"),
        ("Kubernetes__", "operator/Pyrometer.Kube/Api/KubeApiOptions.cs"),
    ];

    [GoFact]
    public void ValuesYaml_CommentedTunablesUncommented_AreValidAndRender()
    {
        var values = Uncommented();

        var errors = new SchemaValidator(System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Chart, "values.schema.json"))).RootElement)
            .Validate(ChartRenderer.Values(values));

        Assert.Empty(errors);
        Assert.NotEmpty(ChartRenderer.Render(valueFiles: values));
    }

    [GoFact]
    public void ValuesYaml_ShownDefaults_EqualTheOperatorsInitialisers()
    {
        var environment = ChartRenderer.Render(valueFiles: Uncommented()).OperatorContainer().Environment();
        var initialisers = OptionFiles.SelectMany(f => Initialisers(f.Prefix, f.File)).ToDictionary(StringComparer.Ordinal);
        var compared = 0;
        var mismatches = new List<string>();

        foreach (var (name, value) in environment)
        {
            if (Deliberate.ContainsKey(name) || !initialisers.TryGetValue(name, out var initialiser))
            {
                continue;
            }
            compared++;
            if (!SameSetting(value, initialiser))
            {
                mismatches.Add($"{name}: chart {value}, operator {initialiser}");
            }
        }

        Assert.Empty(mismatches);
        Assert.True(compared >= 20, $"only {compared} defaults could be compared");
    }

    /// <summary>values.yaml with every "# key: value" tunable line uncommented, written to a temporary file.</summary>
    private static string Uncommented()
    {
        var text = TunablePattern().Replace(File.ReadAllText(Path.Combine(TestPaths.Chart, "values.yaml")), "$1$2: ");
        // Tunables under a section written as "{}" (nothing set by default) need the section opened up.
        text = Regex.Replace(text, @"^(\w+): \{\}(?=\n(?:\s*#.*\n)*  \w)", "$1:", RegexOptions.Multiline);
        return ChartTemplateTests.WriteValues(text);
    }

    /// <summary>Property initialisers we can evaluate: literals, strings, TimeSpan.FromX(n), new("…").</summary>
    private static IEnumerable<KeyValuePair<string, object>> Initialisers(string prefix, string relativePath)
    {
        foreach (Match match in InitialiserPattern().Matches(File.ReadAllText(TestPaths.InRepository(relativePath))))
        {
            var expression = match.Groups[2].Value.Trim();
            object? value = expression switch
            {
                _ when StringLiteral().Match(expression) is { Success: true } s => s.Groups[1].Value,
                _ when TimeSpanFactory().Match(expression) is { Success: true } t => TimeSpanFrom(t.Groups[1].Value, double.Parse(t.Groups[2].Value, CultureInfo.InvariantCulture)),
                _ when double.TryParse(expression.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
                _ => null,
            };
            if (value is not null)
            {
                yield return new(prefix + match.Groups[1].Value, value);
            }
        }
    }

    private static TimeSpan TimeSpanFrom(string unit, double amount) => unit switch
    {
        "Days" => TimeSpan.FromDays(amount),
        "Hours" => TimeSpan.FromHours(amount),
        "Minutes" => TimeSpan.FromMinutes(amount),
        "Seconds" => TimeSpan.FromSeconds(amount),
        _ => TimeSpan.FromMilliseconds(amount),
    };

    private static bool SameSetting(string chartValue, object initialiser) => initialiser switch
    {
        TimeSpan span => TimeSpan.TryParse(chartValue, CultureInfo.InvariantCulture, out var parsed) && parsed == span,
        double number => double.TryParse(chartValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed == number,
        _ => string.Equals(chartValue, initialiser.ToString(), StringComparison.Ordinal),
    };

    [GeneratedRegex(@"^(\s*)# ([a-z][A-Za-z]*): ", RegexOptions.Multiline)]
    private static partial Regex TunablePattern();

    [GeneratedRegex(@"public\s+[\w<>?.]+\s+(\w+)\s*\{\s*get;\s*set;\s*\}\s*=\s*([^;]+);")]
    private static partial Regex InitialiserPattern();

    [GeneratedRegex("^(?:new\\()?\"([^\"]*)\"\\)?$")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^TimeSpan\.From(Days|Hours|Minutes|Seconds|Milliseconds)\(([\d.]+)\)$")]
    private static partial Regex TimeSpanFactory();
}
