using Pyrometer.Kubectl.Debug;
using Pyrometer.Kubectl.Kube;

namespace Pyrometer.Kubectl.Tests.Debug;

public sealed class AgentImageResolverTests
{
    [Fact]
    public async Task Resolve_FromTheOperatorDeployment_TakesItsAgentImageSetting()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Server.Seed("deployments", "pyrometer", """
            {"metadata": {"name": "pyrometer-operator", "labels": {"app.kubernetes.io/name": "pyrometer", "app.kubernetes.io/component": "operator"}},
             "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": "pyrometer"}},
                      "template": {"spec": {"containers": [{"name": "operator", "image": "pyrometer/operator:0.1.0",
                        "env": [{"name": "Operator__AgentImage", "value": "pyrometer/agent:0.1.0"}, {"name": "Operator__AgentImagePullPolicy", "value": "Always"}]}]}}}}
            """);

        var image = await AgentImageResolver.ResolveAsync(cluster.Connection.Client, null, null, CancellationToken.None);

        Assert.Equal(new AgentImage("pyrometer/agent:0.1.0", "Always"), image);
    }

    [Fact]
    public async Task Resolve_ExplicitImage_WinsWithoutAsking()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Server.ForbidClusterWide("/apis/apps/v1/deployments");

        var image = await AgentImageResolver.ResolveAsync(cluster.Connection.Client, "mine:1", "Never", CancellationToken.None);

        Assert.Equal(new AgentImage("mine:1", "Never"), image);
        Assert.DoesNotContain(cluster.Server.Requests, r => r.Contains("/deployments", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_NoOperator_SaysToPassImage()
    {
        await using var cluster = await FakeCluster.StartAsync();

        var error = await Assert.ThrowsAsync<PluginException>(() => AgentImageResolver.ResolveAsync(cluster.Connection.Client, null, null, CancellationToken.None));

        Assert.EndsWith("pass --image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_ClusterWideListForbidden_SaysToPassImage()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Server.ForbidClusterWide("/apis/apps/v1/deployments");

        var error = await Assert.ThrowsAsync<PluginException>(() => AgentImageResolver.ResolveAsync(cluster.Connection.Client, null, null, CancellationToken.None));

        Assert.Equal("cannot look up the operator's agent image (listing deployments cluster-wide is forbidden): pass --image", error.Message);
    }
}
