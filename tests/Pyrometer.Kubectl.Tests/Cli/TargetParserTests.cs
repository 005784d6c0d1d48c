using Pyrometer.Kubectl.Cli;

namespace Pyrometer.Kubectl.Tests.Cli;

public sealed class TargetParserTests
{
    [Theory]
    [InlineData("deploy/shop", "Deployment", "shop")]
    [InlineData("deployment/shop", "Deployment", "shop")]
    [InlineData("deployments.apps/shop", "Deployment", "shop")]
    [InlineData("pod/shop-7d9f-x2", "Pod", "shop-7d9f-x2")]
    [InlineData("po/shop", "Pod", "shop")]
    [InlineData("shop-1", "Pod", "shop-1")]
    public void Parse_TypeAndName_AsKubectlWritesThem(string text, string kindName, string name)
    {
        var kind = Enum.Parse<TargetKind>(kindName);
        var target = TargetParser.Parse(text, null, allowDeployment: true, out var error);

        Assert.Equal(new TargetSpec(kind, name, null), target);
        Assert.Equal("", error);
    }

    [Fact]
    public void Parse_Selector_GivesASelectorTarget()
    {
        var target = TargetParser.Parse(null, "app=shop", allowDeployment: true, out _);

        Assert.Equal(TargetKind.Selector, target!.Kind);
        Assert.Equal("app=shop", target.Selector!.ToQuery());
    }

    [Theory]
    [InlineData("deploy/Shop", null, "not a valid deployment name")]
    [InlineData("pod/../etc", null, "not a valid pod name")]
    [InlineData("pod/", null, "not a valid pod name")]
    [InlineData("svc/shop", null, "unsupported target type 'svc'")]
    [InlineData(null, null, "name a target")]
    [InlineData("pod/a", "app=b", "not both")]
    public void Parse_BadTargets_SayWhy(string? text, string? selector, string message)
    {
        Assert.Null(TargetParser.Parse(text, selector, allowDeployment: true, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeploymentWhereOnePodIsNeeded_IsRefused()
    {
        Assert.Null(TargetParser.Parse("deploy/shop", null, allowDeployment: false, out var error));
        Assert.Contains("name a pod", error, StringComparison.Ordinal);
    }
}
