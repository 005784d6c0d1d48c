using k8s.Models;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Controllers;
using static Pyrometer.Operator.Tests.TestObjects;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class SpecValidatorTests
{
    [Fact]
    public void Validate_Defaults_Accepts()
    {
        Assert.Null(SpecValidator.Validate(Request(), Options(), out var duration));
        Assert.Equal(TimeSpan.FromSeconds(30), duration);
    }

    [Theory]
    [InlineData("0s", "duration 0s must be between 1s and 1h")]
    [InlineData("2h", "duration 2h must be between 1s and 1h")]
    [InlineData("soon", "duration 'soon' is not a duration")]
    public void Validate_BadDuration_SaysWhy(string duration, string expected)
    {
        var problem = SpecValidator.Validate(Request(configure: s => s.Duration = duration), Options(), out _);

        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("latest", 5)]
    [InlineData("checkout-3", 0.01)]
    [InlineData("v1.2.checkout", 100)]
    public void Validate_BaselineAndThreshold_Accepts(string baseline, double threshold)
    {
        Assert.Null(SpecValidator.Validate(Request(configure: s => { s.Baseline = baseline; s.RegressionThreshold = threshold; }), Options(), out _));
    }

    [Theory]
    [InlineData("Latest", 5, "baseline 'Latest' must be the name of a ProfileRequest in this namespace or latest")]
    [InlineData("../x", 5, "baseline '../x' must be the name of a ProfileRequest")]
    [InlineData("", 5, "baseline '' must be the name of a ProfileRequest")]
    [InlineData("search", 5, "baseline must name another ProfileRequest, not this one (or be latest)")]
    [InlineData("latest", 0, "regressionThreshold 0 must be above 0 and at most 100 (percentage points)")]
    [InlineData("latest", -1, "regressionThreshold -1 must be above 0")]
    [InlineData("latest", 100.5, "regressionThreshold 100.5 must be above 0 and at most 100")]
    [InlineData("latest", double.NaN, "regressionThreshold NaN must be above 0")]
    public void Validate_BadBaselineOrThreshold_SaysWhy(string baseline, double threshold, string expected)
    {
        var problem = SpecValidator.Validate(Request("search", configure: s => { s.Baseline = baseline; s.RegressionThreshold = threshold; }), Options(), out _);

        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RequestNamedLatestWithBaselineLatest_Accepts()
    {
        Assert.Null(SpecValidator.Validate(Request("latest", configure: s => s.Baseline = "latest"), Options(), out _));
    }

    [Fact]
    public void Validate_HugeBaseline_QuotesOnlyItsStart()
    {
        var problem = SpecValidator.Validate(Request(configure: s => s.Baseline = new string('a', 10_000)), Options(), out _);

        Assert.Contains("baseline '" + new string('a', 64) + "...' must be", problem, StringComparison.Ordinal);
        Assert.True(problem!.Length < 300);
    }

    [Fact]
    public void Validate_OperatorCaps_LowerTheLimits()
    {
        var options = Options();
        options.MaxDuration = TimeSpan.FromMinutes(5);
        options.MaxRate = 200;
        options.AllowedFormats = [ProfileFormats.FlameGraph];
        options.AllowedNamespaces = ["dev"];
        var request = Request(configure: s =>
        {
            s.Duration = "10m";
            s.Rate = 500;
            s.Formats = [ProfileFormats.Pprof];
        });

        var problem = SpecValidator.Validate(request, options, out _);

        Assert.Contains("namespace shop is not served by this operator (allowed: dev)", problem, StringComparison.Ordinal);
        Assert.Contains("duration 10m must be between 1s and 5m", problem, StringComparison.Ordinal);
        Assert.Contains("rate 500 must be between 1 and 200", problem, StringComparison.Ordinal);
        Assert.Contains("format 'pprof' is not allowed by this operator", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@/proc/1/root/var/run/secrets/kubernetes.io/serviceaccount/token", "process.commandMatch must not start with '@'; write [@]")]
    [InlineData("--help", "process.commandMatch must not start with '-'; write [-]")]
    [InlineData("-o/tmp/x", "process.commandMatch must not start with '-'")]
    public void Validate_CommandMatchLikeAnOptionOrFile_Refuses(string match, string expected)
    {
        var problem = SpecValidator.Validate(Request(configure: s => s.Target.Process = new ProcessSelector { CommandMatch = match }), Options(), out _);

        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[-]-worker")]
    [InlineData("gunicorn: master -w 4 @ x")]
    [InlineData("")]
    public void Validate_CommandMatchWithDashOrAtInside_Accepts(string match)
    {
        Assert.Null(SpecValidator.Validate(Request(configure: s => s.Target.Process = new ProcessSelector { CommandMatch = match }), Options(), out _));
    }

    [Fact]
    public void Validate_StructuralMistakes_ListsEach()
    {
        var request = Request(configure: s =>
        {
            s.Target.MaxPods = 3;
            s.Target.Process = new ProcessSelector { Pid = 7, CommandMatch = "(" };
            s.Mode = "gpu";
            s.Formats = ["svg", "svg"];
        });

        var problem = SpecValidator.Validate(request, Options(), out _)!;

        Assert.StartsWith("Invalid spec: ", problem, StringComparison.Ordinal);
        Assert.Contains("target.maxPods is only allowed with target.selector", problem, StringComparison.Ordinal);
        Assert.Contains("at most one of process.pid and process.commandMatch", problem, StringComparison.Ordinal);
        Assert.Contains("not a valid regular expression", problem, StringComparison.Ordinal);
        Assert.Contains("mode 'gpu' must be one of cpu, wall, gil", problem, StringComparison.Ordinal);
        Assert.Contains("formats must not repeat a format", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadSelectorOperator_ReportsSelectorProblem()
    {
        var request = Request(pod: null, configure: s => s.Target.Selector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = "Like" }],
        });

        Assert.Contains("unknown operator 'Like'", SpecValidator.Validate(request, Options(), out _), StringComparison.Ordinal);
    }
}
