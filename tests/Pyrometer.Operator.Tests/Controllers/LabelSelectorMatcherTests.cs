using k8s.Models;
using Pyrometer.Operator.Controllers;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class LabelSelectorMatcherTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "api", ["tier"] = "web" };

    [Theory]
    [InlineData("In", "web,db", true)]
    [InlineData("In", "db", false)]
    [InlineData("NotIn", "db", true)]
    [InlineData("NotIn", "web", false)]
    [InlineData("Exists", "", true)]
    [InlineData("DoesNotExist", "", false)]
    public void Matches_Expression_FollowsKubernetesSemantics(string op, string values, bool expected)
    {
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "api" },
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = op, Values = [.. values.Split(',', StringSplitOptions.RemoveEmptyEntries)] }],
        };

        Assert.Equal(expected, LabelSelectorMatcher.Matches(selector, Labels));
    }

    [Fact]
    public void Matches_MissingLabel_IsFalse()
    {
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "worker" } };

        Assert.False(LabelSelectorMatcher.Matches(selector, Labels));
        Assert.False(LabelSelectorMatcher.Matches(selector, null));
    }
}
