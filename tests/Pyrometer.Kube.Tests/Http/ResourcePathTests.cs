using Pyrometer.Kube.Api;
using Pyrometer.Kube.Http;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Tests.Http;

public sealed class ResourcePathTests
{
    private static readonly ResourceInfo Pods = new("", "v1", "pods", "Pod", true);
    private static readonly ResourceInfo Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true);
    private static readonly ResourceInfo Nodes = new("", "v1", "nodes", "Node", false);
    private static readonly ResourceInfo Requests = new("pyrometer.dev", "v1alpha1", "profilerequests", "ProfileRequest", true);

    [Fact]
    public void Item_CoreNamespacedWithSubresource_BuildsApiPath()
    {
        Assert.Equal(
            "/api/v1/namespaces/shop/pods/api-1/ephemeralcontainers",
            ResourcePath.Item(Pods, new ObjectKey("shop", "api-1"), "ephemeralcontainers"));
    }

    [Fact]
    public void Item_GroupResource_BuildsApisPath()
    {
        Assert.Equal("/apis/coordination.k8s.io/v1/namespaces/ops/leases/leader", ResourcePath.Item(Leases, new ObjectKey("ops", "leader")));
        Assert.Equal("/apis/pyrometer.dev/v1alpha1/namespaces/shop/profilerequests/p/status", ResourcePath.Item(Requests, new ObjectKey("shop", "p"), "status"));
    }

    [Fact]
    public void Collection_ClusterScopedAndAllNamespaces_OmitNamespaceSegment()
    {
        Assert.Equal("/api/v1/nodes", ResourcePath.Collection(Nodes, null));
        Assert.Equal("/api/v1/pods", ResourcePath.Collection(Pods, null));
    }

    [Fact]
    public void Collection_ClusterScopedWithNamespace_Throws()
    {
        Assert.Throws<ArgumentException>(() => ResourcePath.Collection(Nodes, "shop"));
    }

    [Fact]
    public void List_SelectorsAndPaging_EscapesQuery()
    {
        var scope = ListScope.InNamespace("shop") with
        {
            LabelSelector = "app=api,tier in (a,b)",
            FieldSelector = "status.phase=Running",
            Limit = 50,
            Continue = "abc+/=",
        };

        Assert.Equal(
            "/api/v1/namespaces/shop/pods?labelSelector=app%3Dapi%2Ctier%20in%20%28a%2Cb%29&fieldSelector=status.phase%3DRunning&limit=50&continue=abc%2B%2F%3D",
            ResourcePath.List(Pods, scope));
    }

    [Fact]
    public void Watch_FromVersion_AsksForBookmarksAndTimeout()
    {
        var path = ResourcePath.Watch(Pods, ListScope.InNamespace("shop") with { LabelSelector = "app=api" }, "1234", TimeSpan.FromMinutes(5));

        Assert.Equal(
            "/api/v1/namespaces/shop/pods?watch=true&allowWatchBookmarks=true&resourceVersion=1234&timeoutSeconds=300&labelSelector=app%3Dapi",
            path);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    public void Item_NameThatChangesPath_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => ResourcePath.Item(Pods, new ObjectKey("shop", name)));
    }

    [Fact]
    public void Item_DefaultKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => ResourcePath.Item(Pods, default));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void List_NonPositiveLimit_Throws(int limit)
    {
        Assert.Throws<ArgumentException>(() => ResourcePath.List(Pods, ListScope.AllNamespaces with { Limit = limit }));
    }
}
