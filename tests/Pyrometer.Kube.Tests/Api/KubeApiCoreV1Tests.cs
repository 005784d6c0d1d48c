using System.Net;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Api;

/// <summary>Pods, events and namespaces go through the client's typed CoreV1 calls; failures read as our own calls' did.</summary>
public sealed class KubeApiCoreV1Tests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private KubeApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _api = TestApi.Create(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetPod_Refused_ThrowsForbiddenWithVerbPathAndMessage()
    {
        _server.Fail("GET", "/pods/api-1", 403, "Forbidden", message: "pods \"api-1\" is forbidden");

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.GetAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None));

        Assert.True(error.IsForbidden);
        Assert.Equal(("GET", "/api/v1/namespaces/shop/pods/api-1"), (error.Verb, error.Path));
        Assert.Equal("GET /api/v1/namespaces/shop/pods/api-1 failed with 403 Forbidden: pods \"api-1\" is forbidden", error.Message);
    }

    [Fact]
    public async Task CreatePod_Existing_ThrowsConflictOnTheCollectionPath()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[]}}""");
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "api-1", NamespaceProperty = "shop" }, Spec = new V1PodSpec() };

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.CreateAsync(pod, CancellationToken.None));

        Assert.Equal((HttpStatusCode.Conflict, "POST", "/api/v1/namespaces/shop/pods"), (error.StatusCode, error.Verb, error.Path));
        Assert.Equal("api-1", error.Status!.Details!.Name);
    }

    [Fact]
    public async Task PatchPod_StrategicMerge_IsApplied()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[]}}""");

        var pod = await _api.PatchAsync<V1Pod>(
            new ObjectKey("shop", "api-1"), KubePatch.StrategicMerge("""{"metadata":{"labels":{"tier":"web"}}}"""), CancellationToken.None);

        Assert.Equal("web", pod.Metadata.Labels["tier"]);
        Assert.Equal(("v1", "Pod"), (pod.ApiVersion, pod.Kind));
    }

    [Fact]
    public async Task DeletePod_Refused_ThrowsRatherThanReportingGone()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[]}}""");
        _server.Fail("DELETE", "/pods/api-1", 403, "Forbidden");

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.DeleteAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None));

        Assert.Equal(("DELETE", "/api/v1/namespaces/shop/pods/api-1"), (error.Verb, error.Path));
        Assert.NotNull(_server.Stored("pods", "shop", "api-1"));
    }

    [Fact]
    public async Task Namespace_CreateGetPatch_UseTheClusterPath()
    {
        await _api.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } }, CancellationToken.None);

        var patched = await _api.PatchAsync<V1Namespace>(
            ObjectKey.Cluster("team-a"), KubePatch.Merge("""{"metadata":{"labels":{"owner":"a"}}}"""), CancellationToken.None);
        var read = await _api.GetAsync<V1Namespace>(ObjectKey.Cluster("team-a"), CancellationToken.None);
        var missing = await _api.GetAsync<V1Namespace>(ObjectKey.Cluster("team-b"), CancellationToken.None);

        Assert.Equal("a", patched.Metadata.Labels["owner"]);
        Assert.Equal("a", read!.Metadata.Labels["owner"]);
        Assert.Null(missing);
        Assert.Contains("POST /api/v1/namespaces", _server.Requests);
        Assert.Contains("GET /api/v1/namespaces/team-a", _server.Requests);
    }

    [Fact]
    public async Task CreateEvent_InItsNamespace_IsStoredWithKindFilled()
    {
        var change = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "e1", NamespaceProperty = "ops" },
            InvolvedObject = new V1ObjectReference { Name = "api-1" },
        };

        var created = await _api.CreateAsync(change, CancellationToken.None);

        Assert.Equal(("v1", "Event", "ops"), (created.ApiVersion, created.Kind, created.Metadata.NamespaceProperty));
        Assert.Contains("POST /api/v1/namespaces/ops/events", _server.Requests);
    }

    [Fact]
    public async Task Pod_RegisteredAtAnotherVersion_IsNotSentToTheTypedCalls()
    {
        var registry = ResourceRegistry.CreateDefault().Register<V1Pod>(new ResourceInfo("", "v2", "pods", "Pod", true));
        var api = new KubeApi(new HttpClient { BaseAddress = _server.BaseAddress }, TestApi.FastOptions(), resources: registry);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => api.GetAsync<V1Pod>(new ObjectKey("shop", "x"), CancellationToken.None));

        Assert.Equal(("GET", "/api/v2/namespaces/shop/pods/x"), (error.Verb, error.Path));
        Assert.True(error.IsNotFound);
        Assert.Null(error.Status);
    }
}
