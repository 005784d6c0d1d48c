using Pyrometer.Kube.Http;

namespace Pyrometer.Kube.Tests.Http;

public sealed class KubeRequestInfoTests
{
    [Theory]
    [InlineData("GET", "/apis/pyrometer.dev/v1alpha1/namespaces/shop/profilerequests?labelSelector=a%3Db", "list", "profilerequests")]
    [InlineData("GET", "/apis/pyrometer.dev/v1alpha1/profilerequests", "list", "profilerequests")]
    [InlineData("GET", "/apis/pyrometer.dev/v1alpha1/namespaces/shop/profilerequests/p1", "get", "profilerequests")]
    [InlineData("GET", "/api/v1/namespaces", "list", "namespaces")]
    [InlineData("GET", "/api/v1/namespaces/shop", "get", "namespaces")]
    [InlineData("POST", "/apis/pyrometer.dev/v1alpha1/namespaces/shop/profilerequests", "create", "profilerequests")]
    [InlineData("PATCH", "/apis/pyrometer.dev/v1alpha1/namespaces/shop/profilerequests/p1/status", "patch", "profilerequests/status")]
    [InlineData("PUT", "/apis/coordination.k8s.io/v1/namespaces/ops/leases/pyrometer", "update", "leases")]
    [InlineData("DELETE", "/apis/pyrometer.dev/v1alpha1/namespaces/shop/profilerequests/p1", "delete", "profilerequests")]
    [InlineData("GET", "/api/v1/namespaces/shop/pods?watch=true", "watch", "pods")]
    public void Of_ClientTypedCall_NamesTheKubernetesVerb(string method, string path, string verb, string resource)
    {
        using var message = new HttpRequestMessage(new HttpMethod(method), new Uri(new Uri("https://api.example/"), path));

        var info = KubeRequestInfo.Of(message);

        Assert.Equal((verb, resource), (info.Verb, info.Resource));
    }
}
