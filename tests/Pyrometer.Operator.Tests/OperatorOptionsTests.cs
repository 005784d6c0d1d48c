using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Pyrometer.Operator.Tests;

public sealed class OperatorOptionsTests
{
    private static List<string> Problems(OperatorOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.Empty(Problems(new OperatorOptions()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Shop")]
    [InlineData("-shop")]
    [InlineData("shop/../kube-system")]
    public void Validate_AllowedNamespaceNotADnsLabel_IsRefused(string name)
    {
        var options = new OperatorOptions { AllowedNamespaces = ["search", name] };

        Assert.Contains(Problems(options), p => p.StartsWith("Operator:AllowedNamespaces has '" + name + "'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:05:01", false)]
    [InlineData("-00:00:01", false)]
    [InlineData("00:05:00", true)]
    [InlineData("00:00:00", true)]
    public void Validate_UploadUrlSlack_AtMostFiveMinutes(string slack, bool valid)
    {
        var options = new OperatorOptions { UploadUrlSlack = TimeSpan.Parse(slack, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(valid, Problems(options).Count == 0);
    }

    [Fact]
    public void Validate_AllowedNamespaces_AcceptsDnsLabels()
    {
        Assert.Empty(Problems(new OperatorOptions { AllowedNamespaces = ["shop", "team-2"] }));
    }

    [Fact]
    public void Validate_InconsistentValues_NameEachSetting()
    {
        var options = new OperatorOptions
        {
            MaxDuration = TimeSpan.FromHours(2),
            GracePeriod = TimeSpan.Zero,
            MaxConcurrentPerNamespace = 100,
            MaxConcurrentTotal = 10,
            AllowedFormats = ["png"],
        };

        var problems = string.Join("\n", Problems(options));

        Assert.Contains("Operator:MaxDuration must be between 1s and 1h.", problems, StringComparison.Ordinal);
        Assert.Contains("GracePeriod", problems, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrentPerNamespace cannot exceed MaxConcurrentTotal", problems, StringComparison.Ordinal);
        Assert.Contains("unknown format 'png'", problems, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OutOfRangeOrMissing_ReportedByAttributes()
    {
        var problems = string.Join("\n", Problems(new OperatorOptions { MaxRate = 5000, AgentImage = "" }));

        Assert.Contains("MaxRate", problems, StringComparison.Ordinal);
        Assert.Contains("AgentImage", problems, StringComparison.Ordinal);
    }

    private static OperatorOptions Bound(string? deleteArtifactsWithRequest)
    {
        var settings = new Dictionary<string, string?>();
        if (deleteArtifactsWithRequest is not null)
        {
            settings["Operator:DeleteArtifactsWithRequest"] = deleteArtifactsWithRequest;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new OperatorOptions();
        configuration.GetSection(OperatorOptions.SectionName).Bind(options);
        return options;
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    public void Bind_DeleteArtifactsWithRequest_KeepsArtifactsUnlessTrue(string? value, bool expected)
    {
        Assert.Equal(expected, Bound(value).DeleteArtifactsWithRequest);
    }

    [Fact]
    public void Bind_DeleteArtifactsWithRequestNotABoolean_NamesTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bound("yes"));

        Assert.Contains("Operator:DeleteArtifactsWithRequest", error.Message, StringComparison.Ordinal);
    }
}
