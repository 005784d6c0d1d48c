using System.Threading.Channels;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;
using Pyrometer.Kube.Watch;

namespace Pyrometer.Kube.Tests.Watch;

public sealed class NamespacedListWatcherTests : IAsyncLifetime, IDisposable
{
    private static readonly ListWatcherOptions Fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(5),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
    };

    private readonly Channel<WatchEvent<V1Pod>> _events = Channel.CreateUnbounded<WatchEvent<V1Pod>>();
    private readonly CancellationTokenSource _stop = new();
    private FakeApiServer _server = null!;
    private Task _run = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        // As for a ServiceAccount bound only through Roles in shop and search.
        _server.ForbidClusterWide("/api/v1/pods");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.Guard();
        await _server.DisposeAsync();
    }

    public void Dispose() => _stop.Dispose();

    [Fact]
    public async Task RunAsync_OnlyNamespacedRights_ListsAndWatchesEachNamespace()
    {
        Seed("shop", "a");
        Seed("search", "b");
        Seed("kube-system", "secret-keeper");
        var watcher = new NamespacedListWatcher<V1Pod>(TestApi.Create(_server, TestApi.FastOptions(maxRetries: 0)), ["shop", "search"], Fast);

        Start(watcher);
        await watcher.WaitForSyncAsync(CancellationToken.None).Guard();
        var listed = await NextAsync(2);
        Seed("search", "c");
        Seed("kube-system", "d");
        Seed("shop", "e");
        var watched = await NextAsync(2);

        Assert.Equal(["Added search/b", "Added shop/a"], listed.Order(StringComparer.Ordinal));
        Assert.Equal(["Added search/c", "Added shop/e"], watched.Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b", "c", "e"], watcher.Snapshot().Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal));
        Assert.True(watcher.TryGet(new ObjectKey("search", "c"), out _));
        Assert.False(watcher.TryGet(new ObjectKey("kube-system", "d"), out _));
        Assert.DoesNotContain(_server.Requests, r => r.StartsWith("GET /api/v1/pods", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_NoNamespaces_WatchesClusterWide()
    {
        _server.ClearFaults();
        Seed("shop", "a");
        Seed("kube-system", "b");
        var watcher = new NamespacedListWatcher<V1Pod>(TestApi.Create(_server, TestApi.FastOptions(maxRetries: 0)), [], Fast);

        Start(watcher);
        var listed = await NextAsync(2);

        Assert.Equal(["Added kube-system/b", "Added shop/a"], listed.Order(StringComparer.Ordinal));
        Assert.Empty(watcher.Namespaces);
        Assert.Contains(_server.Requests, r => r.StartsWith("GET /api/v1/pods?", StringComparison.Ordinal));
    }

    private void Seed(string ns, string name) =>
        _server.Seed("pods", ns, $$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"containers":[]}}""");

    private void Start(NamespacedListWatcher<V1Pod> watcher) =>
        _run = watcher.RunAsync((change, _) => { _events.Writer.TryWrite(change); return ValueTask.CompletedTask; }, _stop.Token);

    private async Task<List<string>> NextAsync(int count)
    {
        var result = new List<string>();
        while (result.Count < count)
        {
            var change = await _events.Reader.ReadAsync().AsTask().Guard();
            if (change.Type != WatchEventType.Bookmark)
            {
                result.Add(change.Type + " " + change.Value.Metadata.NamespaceProperty + "/" + change.Value.Metadata.Name);
            }
        }
        return result;
    }
}
