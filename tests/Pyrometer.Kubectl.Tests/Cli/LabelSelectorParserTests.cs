using Pyrometer.Kubectl.Api;
using Pyrometer.Kubectl.Cli;

namespace Pyrometer.Kubectl.Tests.Cli;

public sealed class LabelSelectorParserTests
{
    [Fact]
    public void Parse_EqualityTerms_BecomeMatchLabels()
    {
        var selector = LabelSelectorParser.Parse("app=shop, tier==web", out var error);

        Assert.NotNull(selector);
        Assert.Equal("", error);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "shop", ["tier"] = "web" }, selector.MatchLabels);
        Assert.Null(selector.MatchExpressions);
    }

    [Fact]
    public void Parse_SetAndExistenceTerms_BecomeMatchExpressions()
    {
        var selector = LabelSelectorParser.Parse("env in (prod, staging),track notin (canary),example.com/owned,!legacy,zone!=a", out _);

        Assert.NotNull(selector);
        Assert.Equal(
            [
                new LabelRequirement("env", "In", ["prod", "staging"]),
                new LabelRequirement("track", "NotIn", ["canary"]),
                new LabelRequirement("example.com/owned", "Exists", null),
                new LabelRequirement("legacy", "DoesNotExist", null),
                new LabelRequirement("zone", "NotIn", ["a"]),
            ],
            selector.MatchExpressions!.Select(r => r with { Values = r.Values?.ToArray() }),
            new RequirementComparer());
    }

    [Theory]
    [InlineData("")]
    [InlineData("=shop")]
    [InlineData("app=sh op")]
    [InlineData("app in ()")]
    [InlineData("app in prod")]
    [InlineData("a/b/c=d")]
    [InlineData("app=shop,app=cart")]
    [InlineData("app=$(rm)")]
    public void Parse_BadSelectors_AreRefusedWithAReason(string text)
    {
        var selector = LabelSelectorParser.Parse(text, out var error);

        Assert.Null(selector);
        Assert.NotEqual("", error);
    }

    [Fact]
    public void Parse_EmptyValue_IsAllowedAsKubectlDoes()
    {
        Assert.Equal("", LabelSelectorParser.Parse("app=", out _)!.MatchLabels!["app"]);
    }

    [Fact]
    public void ToQuery_RoundTrips()
    {
        var selector = LabelSelectorParser.Parse("tier=web,app=shop,env in (a,b),!old", out _)!;
        var again = LabelSelectorParser.Parse(selector.ToQuery(), out _)!;

        Assert.Equal("app=shop,tier=web,env in (a,b),!old", selector.ToQuery());
        Assert.Equal(selector.ToQuery(), again.ToQuery());
    }

    private sealed class RequirementComparer : IEqualityComparer<LabelRequirement>
    {
        public bool Equals(LabelRequirement? x, LabelRequirement? y) =>
            x?.Key == y?.Key && x?.Operator == y?.Operator && (x?.Values ?? []).SequenceEqual(y?.Values ?? []);

        public int GetHashCode(LabelRequirement obj) => obj.Key.GetHashCode(StringComparison.Ordinal);
    }
}
