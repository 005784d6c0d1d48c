using System.Globalization;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;
using Pyrometer.Kube.Watch;

namespace Pyrometer.Kube.Tests.Watch;

public sealed class ListWatcherTests : IAsyncLifetime, IDisposable
{
    private static readonly ListWatcherOptions Fast = new()
    {
        PageSize = 2,
        InitialBackoff = TimeSpan.FromMilliseconds(5),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
    };

    private readonly Channel<WatchEvent<V1Pod>> _events = Channel.CreateUnbounded<WatchEvent<V1Pod>>();
    private readonly CancellationTokenSource _stop = new();
    private FakeApiServer _server = null!;
    private ListWatcher<V1Pod> _watcher = null!;
    private Task _run = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _watcher = new ListWatcher<V1Pod>(TestApi.Create(_server, TestApi.FastOptions(maxRetries: 0)), ListScope.InNamespace("shop"), Fast);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.Guard();
        await _server.DisposeAsync();
    }

    public void Dispose() => _stop.Dispose();

    [Fact]
    public async Task RunAsync_InitialListAcrossPages_DeliversAddedAndSyncs()
    {
        Seed("a");
        Seed("b");
        Seed("c");

        var before = _watcher.HasSynced;
        Start();
        await _watcher.WaitForSyncAsync(CancellationToken.None).Guard();
        var events = await NextAsync(3);

        Assert.False(before);
        Assert.Equal(["Added a", "Added b", "Added c"], events);
        Assert.True(_watcher.HasSynced);
        Assert.Equal(3, _watcher.Snapshot().Count);
        Assert.Equal(2, _server.Requests.Count(r => r.StartsWith("GET /api/v1/namespaces/shop/pods?limit=2", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_DisconnectMidStream_ResumesWithoutMissingOrDuplicating()
    {
        Seed("a");
        Start();
        await NextAsync(1);
        var beforeDrop = Seed("b");
        await NextAsync(1);
        var resumeFrom = (string)beforeDrop["metadata"]!["resourceVersion"]!;

        // Hold reconnects off until the changes below are made, so they happen while disconnected.
        _server.Fail("GET", "watch=true", 503, "ServiceUnavailable", times: -1);
        _server.Store.DropWatches(abort: true);
        Seed("c");
        _server.Store.Patch(FakeApiServer.Resource("pods"), "shop", "a", System.Text.Json.Nodes.JsonNode.Parse("""{"spec":{"nodeName":"n"}}""")!.AsObject(), null);
        _server.ClearFaults();
        var afterReconnect = await NextAsync(2);
        Seed("z");
        var sentinel = await NextAsync(1);

        Assert.Equal(["Added c", "Modified a"], afterReconnect);
        Assert.Equal(["Added z"], sentinel);
        Assert.Equal("n", _watcher.TryGet(new ObjectKey("shop", "a"), out var a) ? a.Spec!.NodeName : null);
        Assert.Contains(_server.Requests, r => r.Contains("watch=true", StringComparison.Ordinal) && r.Contains("resourceVersion=" + resumeFrom + "&", StringComparison.Ordinal));
        Assert.Equal(1, _server.Requests.Count(r => r.Contains("limit=", StringComparison.Ordinal)));   // resumed, never re-listed
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_HistoryExpiredOnResume_RelistsAndReportsWhatWasMissed(bool goneAsEvent)
    {
        _server.Options.GoneAsWatchEvent = goneAsEvent;
        Seed("a");
        Seed("b");
        Start();
        await NextAsync(2);

        _server.Fail("GET", "watch=true", 503, "ServiceUnavailable", times: -1);
        _server.Store.DropWatches(abort: false);
        _server.Store.Delete(FakeApiServer.Resource("pods"), "shop", "b");
        Seed("c");
        _server.Store.Compact();
        _server.ClearFaults();
        var missed = await NextAsync(2);

        Assert.Equal(["Added c", "Deleted b"], missed);
        Assert.Equal(["a", "c"], _watcher.Snapshot().Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal));
        Assert.Equal(2, _server.Requests.Count(r => r.StartsWith("GET /api/v1/namespaces/shop/pods?limit=2", StringComparison.Ordinal) && !r.Contains("continue", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_Bookmark_DeliveredAndRemembered()
    {
        Seed("a");
        Start();
        await NextAsync(1);
        await WaitForWatchAsync();

        _server.Store.SendBookmarks();
        var bookmark = await _events.Reader.ReadAsync().AsTask().Guard();

        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(_server.Store.Version.ToString(CultureInfo.InvariantCulture), _watcher.LastResourceVersion);
    }

    [Fact]
    public async Task RunAsync_ConnectionGoesSilentMidWatch_GivesUpAndDeliversChangesMadeAfter()
    {
        // The API client's clock is manual (it times the idle limit); the watcher's backoff keeps the real one.
        var clock = new ManualTimeProvider();
        var options = TestApi.FastOptions(maxRetries: 0);
        options.WatchTimeout = TimeSpan.FromMinutes(1);
        options.WatchIdleMargin = TimeSpan.FromSeconds(10);
        _watcher = new ListWatcher<V1Pod>(TestApi.Create(_server, options, clock), ListScope.InNamespace("shop"), Fast);
        Seed("a");
        Start();
        await NextAsync(1);
        await WaitForWatchAsync();

        Assert.Equal(1, _server.Store.StallWatches());   // the connection stays open; nothing more comes through it
        Seed("b");
        var next = NextAsync(1);
        while (!next.IsCompleted)
        {
            // Only the idle limit (over WatchTimeout; ordinary calls time out sooner) can end the silent watch. The
            // clock jumps past its longest value (2 × WatchTimeout + margin) once the pending read has armed it;
            // repeated because a jump may come just before a read re-arms, and the resumed watch arms its own.
            var armed = clock.NextTimerAsync(due => due > options.WatchTimeout);
            if (await Task.WhenAny(next, armed).Guard() == armed)
            {
                clock.Advance(TimeSpan.FromMinutes(3));
                await Task.Yield();
            }
        }

        Assert.Equal(["Added b"], await next);
        Assert.True(_server.Requests.Count(r => r.Contains("watch=true", StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public async Task RunAsync_ObjectDeleted_RemovedFromCache()
    {
        Seed("a");
        Start();
        await NextAsync(1);

        _server.Store.Delete(FakeApiServer.Resource("pods"), "shop", "a");
        var deleted = await NextAsync(1);

        Assert.Equal(["Deleted a"], deleted);
        Assert.False(_watcher.TryGet(new ObjectKey("shop", "a"), out _));
    }

    [Fact]
    public async Task RunAsync_Cancelled_ReturnsWithoutThrowing()
    {
        Start();
        await WaitForWatchAsync();

        await _stop.CancelAsync();

        await _run.Guard();
        Assert.True(_run.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task RunAsync_ListFailsFirst_RetriesAfterBackoff()
    {
        Seed("a");
        _server.Fail("GET", "limit=", 500, "InternalError", times: 2);

        Start();
        var events = await NextAsync(1);

        Assert.Equal(["Added a"], events);
    }

    private System.Text.Json.Nodes.JsonObject Seed(string name) =>
        _server.Seed("pods", "shop", $$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"containers":[]}}""");

    private void Start() =>
        _run = _watcher.RunAsync((change, _) => { _events.Writer.TryWrite(change); return ValueTask.CompletedTask; }, _stop.Token);

    private async Task<List<string>> NextAsync(int count)
    {
        var result = new List<string>();
        while (result.Count < count)
        {
            var change = await _events.Reader.ReadAsync().AsTask().Guard();
            if (change.Type != WatchEventType.Bookmark)
            {
                result.Add(change.Type + " " + change.Value.Metadata.Name);
            }
        }
        return result;
    }

    private async Task WaitForWatchAsync()
    {
        // Polls the fake's own state (not time): the watcher has connected once a watch is registered.
        while (_server.Store.OpenWatches == 0)
        {
            await Task.Yield();
            await Task.Delay(1);
        }
    }
}
