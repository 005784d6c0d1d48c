using k8s.Models;
using Pyrometer.Kube.Api;

namespace Pyrometer.Kube.Tests.Api;

public sealed class LabelSelectorExtensionsTests
{
    [Fact]
    public void ToSelectorString_LabelsAndExpressions_RendersSortedTerms()
    {
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["tier"] = "web", ["app"] = "api" },
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "In", Values = ["prod", "canary"] },
                new V1LabelSelectorRequirement { Key = "legacy", OperatorProperty = "DoesNotExist" },
                new V1LabelSelectorRequirement { Key = "zone", OperatorProperty = "NotIn", Values = ["b"] },
                new V1LabelSelectorRequirement { Key = "owner", OperatorProperty = "Exists" },
            ],
        };

        Assert.Equal("!legacy,app=api,env in (canary,prod),owner,tier=web,zone notin (b)", selector.ToSelectorString());
    }

    [Fact]
    public void ToSelectorString_Empty_MatchesEverything()
    {
        Assert.Equal("", new V1LabelSelector().ToSelectorString());
    }

    [Theory]
    [InlineData("Equals", null)]
    [InlineData("In", null)]
    [InlineData("Exists", "x")]
    public void ToSelectorString_InvalidRequirement_ThrowsFormatException(string op, string? value)
    {
        var selector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "k", OperatorProperty = op, Values = value is null ? null : [value] }],
        };

        var error = Assert.Throws<FormatException>(selector.ToSelectorString);

        Assert.Contains("'k'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToSelectorString_EmptyKey_ThrowsFormatException()
    {
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [""] = "x" } };

        Assert.Throws<FormatException>(selector.ToSelectorString);
    }
}
