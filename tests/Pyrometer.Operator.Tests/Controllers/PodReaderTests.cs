using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;
using Pyrometer.Kube.Watch;
using Pyrometer.Operator.Controllers;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class PodReaderTests : IAsyncLifetime
{
    private static readonly ObjectKey Key = new("shop", "api-1");

    private readonly ManualTimeProvider _time = new();
    private FakeApiServer _server = null!;
    private KubeApi _api = null!;
    private PodReader _reader = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _api = TestApi.Create(_server);
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[{"name":"api"}]},"status":{"phase":"Running"}}""");
        _reader = new PodReader(_api, _time);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A synced cache whose watch has stopped: it keeps what it listed, so every later change leaves it stale.</summary>
    private async Task<NamespacedListWatcher<V1Pod>> FrozenCacheAsync()
    {
        var cache = new NamespacedListWatcher<V1Pod>(_api, ["shop"]);
        using var stop = new CancellationTokenSource();
        var run = cache.RunAsync((change, _) =>
        {
            _reader.Observed(change.Value, change.Type == k8s.WatchEventType.Deleted);
            return ValueTask.CompletedTask;
        }, stop.Token);
        await cache.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        _reader.UseCache(cache);
        return cache;
    }

    private async Task<string> LabelAsync()
    {
        var patched = await _api.PatchAsync<V1Pod>(Key, KubePatch.Merge("""{"metadata":{"labels":{"changed":"yes"}}}"""), CancellationToken.None);
        return patched.Metadata.ResourceVersion;
    }

    private int PodGets => _server.Requests.Count(r => r == "GET /api/v1/namespaces/shop/pods/api-1");

    [Fact]
    public async Task GetAsync_NoCache_ReadsTheServer()
    {
        var pod = await _reader.GetAsync(Key, CancellationToken.None);

        Assert.Equal("api-1", pod!.Metadata.Name);
        Assert.Equal(1, PodGets);
    }

    [Fact]
    public async Task GetAsync_SyncedCache_ServesTheCachedPodWithoutACall()
    {
        await FrozenCacheAsync();
        await LabelAsync();

        var pod = await _reader.GetAsync(Key, CancellationToken.None);

        Assert.Null(pod!.Metadata.Labels);   // the cached (listed) state: the cache was read, not the server
        Assert.Equal(0, PodGets);
    }

    [Fact]
    public async Task GetAsync_AfterOurWriteTheWatchHasNotShown_ReadsTheServer()
    {
        await FrozenCacheAsync();
        _reader.Writing(Key);
        _reader.Wrote(Key, await LabelAsync());

        var pod = await _reader.GetAsync(Key, CancellationToken.None);

        Assert.Equal("yes", pod!.Metadata.Labels["changed"]);
        Assert.Equal(1, PodGets);
    }

    [Fact]
    public async Task GetAsync_WatchDeliveredOurWrite_ServesTheCacheAgain()
    {
        await FrozenCacheAsync();
        _reader.Writing(Key);
        var version = await LabelAsync();
        _reader.Wrote(Key, version);
        var fresh = (await _api.GetAsync<V1Pod>(Key, CancellationToken.None))!;

        _reader.Observed(fresh, deleted: false);
        var pod = await _reader.GetAsync(Key, CancellationToken.None);

        Assert.Equal(version, fresh.Metadata.ResourceVersion);
        Assert.Null(pod!.Metadata.Labels);   // frozen cache again: it is trusted once the write was observed
    }

    [Fact]
    public async Task GetAsync_OtherVersionObserved_KeepsReadingTheServer()
    {
        var cache = await FrozenCacheAsync();
        Assert.True(cache.TryGet(Key, out var listed));
        _reader.Writing(Key);
        _reader.Wrote(Key, await LabelAsync());

        _reader.Observed(listed, deleted: false);   // an event from before our write, still in flight
        var pod = await _reader.GetAsync(Key, CancellationToken.None);

        Assert.Equal("yes", pod!.Metadata.Labels["changed"]);
    }

    [Fact]
    public async Task GetAsync_WriteWithoutAnswerPastTheLimit_TrustsTheCacheAgain()
    {
        await FrozenCacheAsync();
        _reader.Writing(Key);   // the write failed or its answer carried no version
        await LabelAsync();

        var during = await _reader.GetAsync(Key, CancellationToken.None);
        _time.Advance(PodReader.PendingLimit);
        var after = await _reader.GetAsync(Key, CancellationToken.None);

        Assert.NotNull(during!.Metadata.Labels);
        Assert.Null(after!.Metadata.Labels);
    }

    [Fact]
    public async Task GetAsync_PodNotInCache_ReadsTheServer()
    {
        await FrozenCacheAsync();
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-2"},"spec":{"containers":[{"name":"api"}]}}""");

        var pod = await _reader.GetAsync(new ObjectKey("shop", "api-2"), CancellationToken.None);

        Assert.Equal("api-2", pod!.Metadata.Name);
    }

    [Fact]
    public async Task GetAsync_NamespaceTheCacheDoesNotWatch_ReadsTheServer()
    {
        await FrozenCacheAsync();
        _server.Seed("pods", "bank", """{"metadata":{"name":"api-1"},"spec":{"containers":[{"name":"api"}]}}""");

        var pod = await _reader.GetAsync(new ObjectKey("bank", "api-1"), CancellationToken.None);

        Assert.Equal("bank", pod!.Metadata.NamespaceProperty);
    }
}
