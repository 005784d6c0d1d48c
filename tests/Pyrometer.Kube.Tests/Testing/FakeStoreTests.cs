using System.Globalization;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Testing;

/// <summary>The fake API server deletes objects with finalizers the way Kubernetes does; the operator's tests rely on it.</summary>
public sealed class FakeStoreTests : IAsyncLifetime
{
    private static readonly ObjectKey Key = new("shop", "api-1");

    private readonly ManualTimeProvider _time = new();
    private FakeApiServer _server = null!;
    private KubeApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _server.Store.Time = _time;
        _api = TestApi.Create(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private void SeedPod(string finalizers) =>
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1","finalizers":""" + finalizers + """},"spec":{"containers":[]}}""");

    private string Since() => _server.Store.Version.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Delete_ObjectWithFinalizers_SetsDeletionTimestampAndKeepsIt()
    {
        SeedPod("""["example.com/a"]""");
        _time.Advance(TimeSpan.FromMinutes(7));
        await using var watch = _api.WatchAsync<V1Pod>(ListScope.InNamespace("shop"), Since(), CancellationToken.None).GetAsyncEnumerator();

        var accepted = await _api.DeleteAsync<V1Pod>(Key, CancellationToken.None);
        var stored = await _api.GetAsync<V1Pod>(Key, CancellationToken.None);

        Assert.True(accepted);
        Assert.NotNull(stored);
        Assert.Equal(new DateTime(2026, 11, 21, 6, 7, 0, DateTimeKind.Utc), stored.Metadata.DeletionTimestamp);
        Assert.Equal(["example.com/a"], stored.Metadata.Finalizers!);
        Assert.True(await watch.MoveNextAsync().AsTask().Guard());
        Assert.Equal(WatchEventType.Modified, watch.Current.Type);
        Assert.NotNull(watch.Current.Value.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Delete_WithoutFinalizers_RemovesAtOnce()
    {
        SeedPod("[]");

        await _api.DeleteAsync<V1Pod>(Key, CancellationToken.None);

        Assert.Null(await _api.GetAsync<V1Pod>(Key, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_AlreadyWaitingForFinalizers_ChangesNothing()
    {
        SeedPod("""["example.com/a"]""");
        await _api.DeleteAsync<V1Pod>(Key, CancellationToken.None);
        var first = await _api.GetAsync<V1Pod>(Key, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));

        await _api.DeleteAsync<V1Pod>(Key, CancellationToken.None);
        var second = await _api.GetAsync<V1Pod>(Key, CancellationToken.None);

        Assert.Equal(first!.Metadata.ResourceVersion, second!.Metadata.ResourceVersion);
        Assert.Equal(first.Metadata.DeletionTimestamp, second.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Patch_LastFinalizerRemovedWhileDeleting_RemovesObject()
    {
        SeedPod("""["example.com/a","example.com/b"]""");
        await _api.DeleteAsync<V1Pod>(Key, CancellationToken.None);
        await using var watch = _api.WatchAsync<V1Pod>(ListScope.InNamespace("shop"), Since(), CancellationToken.None).GetAsyncEnumerator();

        await _api.PatchAsync<V1Pod>(Key, KubePatch.Merge("""{"metadata":{"finalizers":["example.com/b"]}}"""), CancellationToken.None);
        var afterOne = await _api.GetAsync<V1Pod>(Key, CancellationToken.None);
        await _api.PatchAsync<V1Pod>(Key, KubePatch.Merge("""{"metadata":{"finalizers":[]}}"""), CancellationToken.None);
        var events = new List<WatchEvent<V1Pod>>();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await watch.MoveNextAsync().AsTask().Guard());
            events.Add(watch.Current);
        }

        Assert.Equal(["example.com/b"], afterOne!.Metadata.Finalizers!);
        Assert.Null(await _api.GetAsync<V1Pod>(Key, CancellationToken.None));
        Assert.Equal([WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.NotNull(events[1].Value.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Patch_FinalizersRemovedAsNullWhileDeleting_RemovesObject()
    {
        SeedPod("""["example.com/a"]""");
        await _api.DeleteAsync<V1Pod>(Key, CancellationToken.None);

        await _api.PatchAsync<V1Pod>(Key, KubePatch.Merge("""{"metadata":{"finalizers":null}}"""), CancellationToken.None);

        Assert.Null(await _api.GetAsync<V1Pod>(Key, CancellationToken.None));
    }

    [Fact]
    public async Task Patch_FinalizersEmptiedWithoutDeletion_KeepsObject()
    {
        SeedPod("""["example.com/a"]""");

        await _api.PatchAsync<V1Pod>(Key, KubePatch.Merge("""{"metadata":{"finalizers":[]}}"""), CancellationToken.None);
        var stored = await _api.GetAsync<V1Pod>(Key, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Empty(stored.Metadata.Finalizers!);
        Assert.Null(stored.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Patch_NewFinalizerWhileDeleting_IsRefused()
    {
        SeedPod("""["example.com/a"]""");
        await _api.DeleteAsync<V1Pod>(Key, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<KubeApiException>(() =>
            _api.PatchAsync<V1Pod>(Key, KubePatch.Merge("""{"metadata":{"finalizers":["example.com/a","example.com/new"]}}"""), CancellationToken.None));

        Assert.True(refused.IsInvalid);
        Assert.Contains("no new finalizers can be added", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["example.com/a"], (await _api.GetAsync<V1Pod>(Key, CancellationToken.None))!.Metadata.Finalizers!);
    }

    [Fact]
    public async Task Patch_DeletionTimestampFromClient_IsIgnored()
    {
        SeedPod("""["example.com/a"]""");

        await _api.PatchAsync<V1Pod>(Key, KubePatch.Merge("""{"metadata":{"deletionTimestamp":"2026-11-21T06:00:00Z","labels":{"a":"b"}}}"""), CancellationToken.None);
        var stored = await _api.GetAsync<V1Pod>(Key, CancellationToken.None);

        Assert.Null(stored!.Metadata.DeletionTimestamp);
        Assert.Equal("b", stored.Metadata.Labels!["a"]);
    }

    [Fact]
    public async Task Patch_StaleResourceVersionWhileDeleting_IsConflict()
    {
        SeedPod("""["example.com/a"]""");
        var before = await _api.GetAsync<V1Pod>(Key, CancellationToken.None);
        await _api.DeleteAsync<V1Pod>(Key, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<KubeApiException>(() => _api.PatchAsync<V1Pod>(
            Key, KubePatch.Merge($$$"""{"metadata":{"resourceVersion":"{{{before!.Metadata.ResourceVersion}}}","finalizers":[]}}"""),
            CancellationToken.None));

        Assert.True(conflict.IsConflict);
        Assert.NotNull(await _api.GetAsync<V1Pod>(Key, CancellationToken.None));
    }
}
