using System.Net;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Api;

/// <summary>Custom resources go through the client's custom-object calls; these pin that they behave as our own calls did.</summary>
public sealed class KubeApiCustomObjectTests : IAsyncLifetime
{
    private const string Collection = "/apis/pyrometer.dev/v1alpha1/namespaces/shop/profilerequests";

    private FakeApiServer _server = null!;
    private KubeApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _api = Api(TestProfile.Resource());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private KubeApi Api(ResourceInfo resource) =>
        new(new HttpClient { BaseAddress = _server.BaseAddress }, TestApi.FastOptions(),
            ResourceRegistry.CreateDefault().Register<TestProfile>(resource));

    private static TestProfile Profile(string name, string? app = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "shop",
            Labels = app is null ? null : new Dictionary<string, string> { ["app"] = app },
        },
        Spec = new TestProfileSpec { Target = "api-1", DurationSeconds = 30 },
    };

    [Fact]
    public void IsCustom_TellsCustomGroupsFromKubernetesOwn()
    {
        Assert.True(TestProfile.Resource().IsCustom);
        Assert.True(new ResourceInfo("widgets.example.com", "v1", "widgets", "Widget", true).IsCustom);
        Assert.False(new ResourceInfo("", "v1", "pods", "Pod", true).IsCustom);
        Assert.False(new ResourceInfo("apps", "v1", "replicasets", "ReplicaSet", true).IsCustom);
        Assert.False(new ResourceInfo("coordination.k8s.io", "v1", "leases", "Lease", true).IsCustom);
        Assert.False(new ResourceInfo("k8s.io", "v1", "things", "Thing", true).IsCustom);
        Assert.False(new ResourceInfo("policy.kubernetes.io", "v1", "things", "Thing", true).IsCustom);
    }

    [Fact]
    public async Task CreateThenGet_RoundTripsOurOwnType()
    {
        var created = await _api.CreateAsync(Profile("p1"), CancellationToken.None);
        var read = await _api.GetAsync<TestProfile>(new ObjectKey("shop", "p1"), CancellationToken.None);

        Assert.Equal("pyrometer.dev/v1alpha1", created.ApiVersion);
        Assert.Equal("ProfileRequest", created.Kind);
        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));
        Assert.NotNull(read);
        Assert.Equal("api-1", read.Spec!.Target);
        Assert.Equal(30, read.Spec.DurationSeconds);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Contains("POST " + Collection, _server.Requests);
        Assert.Contains("GET " + Collection + "/p1", _server.Requests);
    }

    [Fact]
    public async Task GetAndDelete_MissingObject_ReturnNullAndFalse()
    {
        Assert.Null(await _api.GetAsync<TestProfile>(new ObjectKey("shop", "nope"), CancellationToken.None));
        Assert.False(await _api.DeleteAsync<TestProfile>(new ObjectKey("shop", "nope"), CancellationToken.None));
    }

    [Fact]
    public async Task Delete_ExistingObject_RemovesIt()
    {
        await _api.CreateAsync(Profile("p1"), CancellationToken.None);

        Assert.True(await _api.DeleteAsync<TestProfile>(new ObjectKey("shop", "p1"), CancellationToken.None));

        Assert.Null(_server.Stored("profilerequests", "shop", "p1"));
        Assert.Contains("DELETE " + Collection + "/p1", _server.Requests);
    }

    [Fact]
    public async Task EveryCall_CrdNotInstalled_ThrowsNotFoundWithoutStatus()
    {
        var api = Api(TestProfile.Resource("missing.example.com"));
        var key = new ObjectKey("shop", "p1");
        var path = "/apis/missing.example.com/v1alpha1/namespaces/shop/profilerequests";

        var get = await Assert.ThrowsAsync<KubeApiException>(() => api.GetAsync<TestProfile>(key, CancellationToken.None));
        var delete = await Assert.ThrowsAsync<KubeApiException>(() => api.DeleteAsync<TestProfile>(key, CancellationToken.None));
        var list = await Assert.ThrowsAsync<KubeApiException>(() => api.ListAsync<TestProfile>(ListScope.InNamespace("shop"), CancellationToken.None));
        var create = await Assert.ThrowsAsync<KubeApiException>(() => api.CreateAsync(Profile("p1"), CancellationToken.None));

        Assert.All([get, delete, list, create], e => Assert.True(e.IsNotFound && e.Status is null, e.Message));
        Assert.Equal(("GET", path + "/p1"), (get.Verb, get.Path));
        Assert.Equal(("DELETE", path + "/p1"), (delete.Verb, delete.Path));
        Assert.Equal(("GET", path), (list.Verb, list.Path));
        Assert.Equal(("POST", path), (create.Verb, create.Path));
        Assert.Equal($"GET {path}/p1 failed with 404 NotFound", get.Message);
    }

    [Fact]
    public async Task List_LabelSelectorAndPaging_ReturnsMatchingItemsWithKind()
    {
        for (var i = 0; i < 3; i++)
        {
            await _api.CreateAsync(Profile($"a{i}", "api"), CancellationToken.None);
        }
        await _api.CreateAsync(Profile("d0", "db"), CancellationToken.None);

        var scope = ListScope.InNamespace("shop") with { LabelSelector = "app=api", Limit = 2 };
        var names = new List<string>();
        string? next;
        do
        {
            var page = await _api.ListAsync<TestProfile>(scope, CancellationToken.None);
            Assert.All(page.Items, p => Assert.Equal(("pyrometer.dev/v1alpha1", "ProfileRequest"), (p.ApiVersion, p.Kind)));
            Assert.False(string.IsNullOrEmpty(page.Metadata.ResourceVersion));
            names.AddRange(page.Items.Select(p => p.Metadata.Name!));
            next = page.Metadata.ContinueProperty;
            scope = scope with { Continue = next };
        }
        while (!string.IsNullOrEmpty(next));
        var everywhere = await _api.ListAsync<TestProfile>(ListScope.AllNamespaces, CancellationToken.None);

        Assert.Equal(["a0", "a1", "a2"], names);
        Assert.Equal(4, everywhere.Items.Count);
        Assert.Contains(_server.Requests, r => r.StartsWith("GET /apis/pyrometer.dev/v1alpha1/profilerequests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PatchAndPatchStatus_MergePatches_UpdateSpecAndStatusSeparately()
    {
        var created = await _api.CreateAsync(Profile("p1"), CancellationToken.None);
        var key = new ObjectKey("shop", "p1");

        var patched = await _api.PatchAsync<TestProfile>(
            key, KubePatch.Merge($$$"""{"metadata":{"resourceVersion":"{{{created.Metadata.ResourceVersion}}}"},"spec":{"durationSeconds":60}}"""),
            CancellationToken.None);
        var withStatus = await _api.PatchStatusAsync<TestProfile>(key, KubePatch.Merge("""{"status":{"phase":"Running"}}"""), CancellationToken.None);

        Assert.Equal(60, patched.Spec!.DurationSeconds);
        Assert.Null(patched.Status);
        Assert.Equal("Running", withStatus.Status!.Phase);
        Assert.Equal(60, withStatus.Spec!.DurationSeconds);
        Assert.Contains("PATCH " + Collection + "/p1/status", _server.Requests);
    }

    [Fact]
    public async Task Create_Existing_ThrowsConflictWithServerStatus()
    {
        await _api.CreateAsync(Profile("p1"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.CreateAsync(Profile("p1"), CancellationToken.None));

        Assert.True(error.IsConflict);
        Assert.Equal("AlreadyExists", error.Reason);
        Assert.Equal("p1", error.Status!.Details!.Name);
        Assert.Equal(("POST", Collection), (error.Verb, error.Path));
        Assert.Equal($"POST {Collection} failed with 409 AlreadyExists: profilerequests \"p1\" already exists", error.Message);
    }

    [Fact]
    public async Task Patch_StaleResourceVersion_ThrowsConflict()
    {
        await _api.CreateAsync(Profile("p1"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.PatchAsync<TestProfile>(
            new ObjectKey("shop", "p1"), KubePatch.Merge("""{"metadata":{"resourceVersion":"1"},"spec":{"target":"x"}}"""), CancellationToken.None));

        Assert.True(error.IsConflict);
        Assert.Equal("Conflict", error.Reason);
        Assert.Equal(("PATCH", Collection + "/p1"), (error.Verb, error.Path));
    }

    [Fact]
    public async Task Create_WithoutName_ThrowsInvalid()
    {
        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.CreateAsync(Profile(""), CancellationToken.None));

        Assert.True(error.IsInvalid);
        Assert.Equal("Invalid", error.Reason);
    }

    [Fact]
    public async Task Get_Refused_ThrowsForbiddenWithMessage()
    {
        _server.Fail("GET", "/profilerequests/p1", 403, "Forbidden", message: "profilerequests \"p1\" is forbidden");

        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.GetAsync<TestProfile>(new ObjectKey("shop", "p1"), CancellationToken.None));

        Assert.True(error.IsForbidden);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal($"GET {Collection}/p1 failed with 403 Forbidden: profilerequests \"p1\" is forbidden", error.Message);
    }

    [Fact]
    public async Task Patch_JsonPatch_IsSentAsJsonPatch()
    {
        await _api.CreateAsync(Profile("p1"), CancellationToken.None);

        // The fake server applies merge patches only, so its refusal shows the content type the client sent.
        var error = await Assert.ThrowsAsync<KubeApiException>(() => _api.PatchAsync<TestProfile>(
            new ObjectKey("shop", "p1"), KubePatch.Json("""[{"op":"replace","path":"/spec/target","value":"x"}]"""), CancellationToken.None));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, error.StatusCode);
        Assert.Contains("application/json-patch+json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyWithoutNamespace_ThrowsArgumentExceptionBeforeAnyCall()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _api.GetAsync<TestProfile>(ObjectKey.Cluster("p1"), CancellationToken.None));

        Assert.DoesNotContain(_server.Requests, r => r.Contains("profilerequests", StringComparison.Ordinal));
    }
}
