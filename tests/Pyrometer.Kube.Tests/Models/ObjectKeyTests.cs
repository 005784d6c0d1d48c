using k8s.Models;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Tests.Models;

public sealed class ObjectKeyTests
{
    [Fact]
    public void ToString_NamespacedAndCluster_FormatsLikeKubectl()
    {
        Assert.Equal("shop/api-1", new ObjectKey("shop", "api-1").ToString());
        Assert.Equal("node-1", ObjectKey.Cluster("node-1").ToString());
    }

    [Fact]
    public void From_Resource_UsesMetadata()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { NamespaceProperty = "shop", Name = "api-1" } };

        Assert.Equal(new ObjectKey("shop", "api-1"), ObjectKey.From(pod));
    }

    [Theory]
    [InlineData("shop", "")]
    [InlineData("", "name")]
    [InlineData(" ", "name")]
    public void Constructor_EmptyParts_Throws(string ns, string name)
    {
        Assert.Throws<ArgumentException>(() => new ObjectKey(ns, name));
    }
}
