using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Tests.Models;

public sealed class LabelSelectorTests
{
    [Fact]
    public void ToSelectorString_LabelsAndExpressions_RendersSortedTerms()
    {
        var selector = new LabelSelector
        {
            MatchLabels = new() { ["tier"] = "web", ["app"] = "api" },
            MatchExpressions =
            [
                new LabelSelectorRequirement { Key = "env", Operator = "In", Values = ["prod", "canary"] },
                new LabelSelectorRequirement { Key = "legacy", Operator = "DoesNotExist" },
                new LabelSelectorRequirement { Key = "zone", Operator = "NotIn", Values = ["b"] },
                new LabelSelectorRequirement { Key = "owner", Operator = "Exists" },
            ],
        };

        Assert.Equal("!legacy,app=api,env in (canary,prod),owner,tier=web,zone notin (b)", selector.ToSelectorString());
    }

    [Fact]
    public void ToSelectorString_Empty_MatchesEverything()
    {
        Assert.Equal("", new LabelSelector().ToSelectorString());
    }

    [Theory]
    [InlineData("Equals", null)]
    [InlineData("In", null)]
    [InlineData("Exists", "x")]
    public void ToSelectorString_InvalidRequirement_ThrowsFormatException(string op, string? value)
    {
        var selector = new LabelSelector
        {
            MatchExpressions = [new LabelSelectorRequirement { Key = "k", Operator = op, Values = value is null ? null : [value] }],
        };

        var error = Assert.Throws<FormatException>(selector.ToSelectorString);

        Assert.Contains("'k'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToSelectorString_EmptyKey_ThrowsFormatException()
    {
        var selector = new LabelSelector { MatchLabels = new() { [""] = "x" } };

        Assert.Throws<FormatException>(selector.ToSelectorString);
    }
}
