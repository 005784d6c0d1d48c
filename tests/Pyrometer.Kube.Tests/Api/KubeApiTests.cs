using System.Text.Json;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Api;

public sealed class KubeApiTests : IAsyncLifetime
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
    public async Task GetAsync_ExistingPod_ReturnsTypedObject()
    {
        _server.Seed("pods", "shop", """
            {"metadata":{"name":"api-1","labels":{"app":"api"}},
             "spec":{"nodeName":"worker-2","containers":[{"name":"api","image":"python:3.12"}]},
             "status":{"phase":"Running","ephemeralContainerStatuses":[{"name":"pyrometer-1","ready":false,"restartCount":0,
               "state":{"terminated":{"exitCode":3,"reason":"Error","message":"{\"status\":\"failed\"}"}}}]}}
            """);

        var pod = await _api.GetAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None);

        Assert.NotNull(pod);
        Assert.Equal("api-1", pod.Metadata.Name);
        Assert.Equal("shop", pod.Metadata.NamespaceProperty);
        Assert.Equal("worker-2", pod.Spec!.NodeName);
        Assert.Equal("api", Assert.Single(pod.Spec.Containers).Name);
        var terminated = Assert.Single(pod.Status!.EphemeralContainerStatuses!).State!.Terminated!;
        Assert.Equal(3, terminated.ExitCode);
        Assert.Equal("Error", terminated.Reason);
        Assert.Equal("{\"status\":\"failed\"}", terminated.Message);
        Assert.False(string.IsNullOrEmpty(pod.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task GetAsync_MissingObject_ReturnsNull()
    {
        var pod = await _api.GetAsync<V1Pod>(new ObjectKey("shop", "nope"), CancellationToken.None);

        Assert.Null(pod);
    }

    [Fact]
    public async Task GetAsync_ResourceTypeNotServed_ThrowsNotFound()
    {
        var registry = ResourceRegistry.CreateDefault().Register<V1Pod>(new ResourceInfo("missing.example.com", "v1", "pods", "Pod", true));
        var api = new KubeApi(new HttpClient { BaseAddress = _server.BaseAddress }, TestApi.FastOptions(), resources: registry);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => api.GetAsync<V1Pod>(new ObjectKey("shop", "x"), CancellationToken.None));

        Assert.True(error.IsNotFound);
        Assert.Null(error.Status);
    }

    [Fact]
    public async Task GetAsync_NamespacedKindWithoutNamespace_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _api.GetAsync<V1Pod>(ObjectKey.Cluster("api-1"), CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_LabelSelectorAndPaging_ReturnsMatchingPagesWithVersion()
    {
        for (var i = 0; i < 5; i++)
        {
            _server.Seed("pods", "shop", $$$"""{"metadata":{"name":"api-{{{i}}}","labels":{"app":"api"}},"spec":{"containers":[]}}""");
        }
        _server.Seed("pods", "shop", """{"metadata":{"name":"db-0","labels":{"app":"db"}},"spec":{"containers":[]}}""");
        _server.Seed("pods", "other", """{"metadata":{"name":"api-9","labels":{"app":"api"}},"spec":{"containers":[]}}""");

        var scope = ListScope.InNamespace("shop") with { LabelSelector = "app=api", Limit = 2 };
        var names = new List<string>();
        KubernetesList<V1Pod> page;
        do
        {
            page = await _api.ListAsync<V1Pod>(scope, CancellationToken.None);
            names.AddRange(page.Items.Select(p => p.Metadata.Name!));
            scope = scope with { Continue = page.Metadata.ContinueProperty };
        }
        while (!string.IsNullOrEmpty(page.Metadata.ContinueProperty));

        Assert.Equal(["api-0", "api-1", "api-2", "api-3", "api-4"], names);
        Assert.Equal(_server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Metadata.ResourceVersion);
        Assert.All(page.Items, p => Assert.Equal("Pod", p.Kind));
    }

    [Fact]
    public async Task ListAsync_AllNamespacesWithFieldSelector_FiltersAcrossNamespaces()
    {
        _server.Seed("pods", "a", """{"metadata":{"name":"p"},"spec":{"nodeName":"n1","containers":[]}}""");
        _server.Seed("pods", "b", """{"metadata":{"name":"q"},"spec":{"nodeName":"n2","containers":[]}}""");

        var list = await _api.ListAsync<V1Pod>(ListScope.AllNamespaces with { FieldSelector = "spec.nodeName=n2" }, CancellationToken.None);

        Assert.Equal("q", Assert.Single(list.Items).Metadata.Name);
    }

    [Fact]
    public async Task CreateAsync_NewEvent_StoresItWithServerFields()
    {
        var change = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "started", NamespaceProperty = "ops" },
            InvolvedObject = new V1ObjectReference { Name = "api-1" },
            Reason = "a",
            EventTime = new DateTimeOffset(2026, 11, 21, 6, 0, 0, 123, TimeSpan.Zero).UtcDateTime,
        };

        var created = await _api.CreateAsync(change, CancellationToken.None);

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal("a", created.Reason);
        var stored = _server.Stored("events", "ops", "started")!;
        Assert.Equal("2026-11-21T06:00:00.123000Z", (string?)stored["eventTime"]);
        Assert.False(stored.ContainsKey("message"));   // nulls are omitted, not sent as null
    }

    [Fact]
    public async Task CreateAsync_AlreadyExists_ThrowsConflict()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[]}}""");
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "api-1", NamespaceProperty = "shop" }, Spec = new V1PodSpec() };

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.CreateAsync(pod, CancellationToken.None));

        Assert.True(error.IsConflict);
        Assert.Equal("AlreadyExists", error.Reason);
    }

    [Fact]
    public async Task CreateAsync_NoName_ThrowsInvalidWithCauses()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { NamespaceProperty = "shop" }, Spec = new V1PodSpec() };

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.CreateAsync(pod, CancellationToken.None));

        Assert.True(error.IsInvalid);
        Assert.Equal("metadata.name", Assert.Single(error.Status!.Details!.Causes!).Field);
        Assert.Contains("422 Invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_NamespacedKindWithoutNamespace_ThrowsArgumentException()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "x" } };

        await Assert.ThrowsAsync<ArgumentException>(() => _api.CreateAsync(pod, CancellationToken.None));
    }

    [Fact]
    public async Task PatchAsync_MergePatch_ChangesSpecButNotStatus()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[],"nodeName":"n1"},"status":{"phase":"Pending"}}""");

        var patched = await _api.PatchAsync<V1Pod>(
            new ObjectKey("shop", "api-1"),
            KubePatch.Merge("""{"metadata":{"labels":{"profiled":"yes"}},"spec":{"nodeName":"n2"},"status":{"phase":"Running"}}"""),
            CancellationToken.None);

        Assert.Equal("yes", patched.Metadata.Labels!["profiled"]);
        Assert.Equal("n2", patched.Spec!.NodeName);
        Assert.Equal("Pending", patched.Status!.Phase);
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task PatchStatusAsync_StatusPatch_ChangesOnlyStatus()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[],"nodeName":"n1"},"status":{"phase":"Pending"}}""");

        var patched = await _api.PatchStatusAsync<V1Pod>(
            new ObjectKey("shop", "api-1"),
            KubePatch.Merge("""{"spec":{"nodeName":"n2"},"status":{"phase":"Running"}}"""),
            CancellationToken.None);

        Assert.Equal("Running", patched.Status!.Phase);
        Assert.Equal("n1", patched.Spec!.NodeName);
        Assert.Contains(_server.Requests, r => r.StartsWith("PATCH /api/v1/namespaces/shop/pods/api-1/status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PatchAsync_StaleResourceVersion_ThrowsConflict()
    {
        var seeded = _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[]}}""");
        var staleVersion = (string)seeded["metadata"]!["resourceVersion"]!;
        await _api.PatchAsync<V1Pod>(new ObjectKey("shop", "api-1"), KubePatch.Merge("""{"metadata":{"labels":{"a":"1"}}}"""), CancellationToken.None);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.PatchStatusAsync<V1Pod>(
            new ObjectKey("shop", "api-1"),
            KubePatch.Merge($$$"""{"metadata":{"resourceVersion":"{{{staleVersion}}}"},"status":{"phase":"Failed"}}"""),
            CancellationToken.None));

        Assert.True(error.IsConflict);
        Assert.Null(_server.Stored("pods", "shop", "api-1")!["status"]);
    }

    [Fact]
    public async Task PatchAsync_JsonPatchContentType_SendsJsonPatchMediaType()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[]}}""");

        // The fake applies only merge patches; what matters here is the media type on the wire.
        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.PatchAsync<V1Pod>(
            new ObjectKey("shop", "api-1"), KubePatch.Json("""[{"op":"add","path":"/metadata/labels","value":{}}]"""), CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.UnsupportedMediaType, error.StatusCode);
        Assert.Contains("application/json-patch+json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAsync_ExistingThenMissing_ReturnsTrueThenFalse()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[]}}""");

        Assert.True(await _api.DeleteAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None));
        Assert.False(await _api.DeleteAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None));
        Assert.Null(_server.Stored("pods", "shop", "api-1"));
    }

    [Fact]
    public async Task DeleteAsync_ClusterScopedNamespace_UsesClusterPath()
    {
        _server.Seed("namespaces", null, """{"metadata":{"name":"shop","labels":{"pyrometer.dev/allowed":"true"}}}""");

        var ns = await _api.GetAsync<V1Namespace>(ObjectKey.Cluster("shop"), CancellationToken.None);
        var deleted = await _api.DeleteAsync<V1Namespace>(ObjectKey.Cluster("shop"), CancellationToken.None);

        Assert.Equal("true", ns!.Metadata.Labels!["pyrometer.dev/allowed"]);
        Assert.True(deleted);
        Assert.Contains("DELETE /api/v1/namespaces/shop", _server.Requests);
    }

    [Fact]
    public async Task SendSubresourceAsync_PatchEphemeralContainers_ReturnsRawPod()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[{"name":"api"}]}}""");
        var patch = KubePatch.StrategicMerge("""
            {"spec":{"ephemeralContainers":[{"name":"pyrometer-3f9c","image":"pyrometer:0.1","targetContainerName":"api",
              "securityContext":{"capabilities":{"add":["SYS_PTRACE"]}}}]}}
            """);

        var raw = await _api.SendSubresourceAsync<V1Pod>(
            new ObjectKey("shop", "api-1"), "ephemeralcontainers", HttpMethod.Patch, patch.Content, CancellationToken.None);
        var pod = await _api.GetAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None);

        Assert.Equal("Pod", raw.GetProperty("kind").GetString());
        var container = Assert.Single(pod!.Spec!.EphemeralContainers!);
        Assert.Equal("api", container.TargetContainerName);
        Assert.Equal(["SYS_PTRACE"], container.SecurityContext!.Capabilities!.Add!);
    }

    [Fact]
    public async Task SendSubresourceAsync_GetThenPut_ReadsAndReplacesEphemeralContainers()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[{"name":"api"}]}}""");
        var key = new ObjectKey("shop", "api-1");

        var current = await _api.SendSubresourceAsync<V1Pod>(key, "ephemeralcontainers", HttpMethod.Get, null, CancellationToken.None);
        var body = KubeContent.Json($$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"api-1","resourceVersion":"{{{current.GetProperty("metadata").GetProperty("resourceVersion").GetString()}}}"},
             "spec":{"ephemeralContainers":[{"name":"pyrometer-aa","image":"pyrometer:0.1"}]}}
            """);
        await _api.SendSubresourceAsync<V1Pod>(key, "ephemeralcontainers", HttpMethod.Put, body, CancellationToken.None);
        var pod = await _api.GetAsync<V1Pod>(key, CancellationToken.None);

        Assert.Equal("api-1", current.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("pyrometer-aa", Assert.Single(pod!.Spec!.EphemeralContainers!).Name);
        Assert.Contains("PUT /api/v1/namespaces/shop/pods/api-1/ephemeralcontainers", _server.Requests);
    }

    [Fact]
    public async Task SendSubresourceAsync_GetWithBody_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _api.SendSubresourceAsync<V1Pod>(
            new ObjectKey("shop", "api-1"), "ephemeralcontainers", HttpMethod.Get, KubeContent.Json("{}"), CancellationToken.None));
    }

    [Fact]
    public async Task GetApiResourcesAsync_CoreGroup_ReportsEphemeralContainersKind()
    {
        var list = await _api.GetApiResourcesAsync("", "v1", CancellationToken.None);

        Assert.Equal("v1", list.GroupVersion);
        Assert.Equal("Pod", list.Resources.Single(r => r.Name == "pods/ephemeralcontainers").Kind);
    }

    [Fact]
    public async Task GetApiResourcesAsync_NamedGroup_ListsLeases()
    {
        var list = await _api.GetApiResourcesAsync("coordination.k8s.io", "v1", CancellationToken.None);

        Assert.True(list.Resources.Single(r => r.Name == "leases").Namespaced);
    }

    [Fact]
    public async Task GetServerVersionAsync_Always_ReturnsVersion()
    {
        var version = await _api.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("1", version.Major);
        Assert.Equal("v1.31.2", version.GitVersion);
    }

    [Fact]
    public void Constructor_ClientWithoutBaseAddress_ThrowsArgumentException()
    {
        using var http = new HttpClient();

        Assert.Throws<ArgumentException>(() => new KubeApi(http));
    }
}
