using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Api;

public sealed class KubeApiWatchTests : IAsyncLifetime
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
    public async Task WatchAsync_FromListVersion_YieldsEachLaterChangeOnce()
    {
        _server.Seed("pods", "shop", """{"metadata":{"name":"old"},"spec":{"containers":[]}}""");
        var list = await _api.ListAsync<V1Pod>(ListScope.InNamespace("shop"), CancellationToken.None);
        await using var watch = _api.WatchAsync<V1Pod>(ListScope.InNamespace("shop"), list.Metadata.ResourceVersion!, CancellationToken.None)
            .GetAsyncEnumerator();

        var created = await _api.CreateAsync(
            new V1Pod { Metadata = new V1ObjectMeta { Name = "new", NamespaceProperty = "shop" }, Spec = new V1PodSpec() }, CancellationToken.None);
        await _api.PatchStatusAsync<V1Pod>(new ObjectKey("shop", "new"), KubePatch.Merge("""{"status":{"phase":"Running"}}"""), CancellationToken.None);
        await _api.DeleteAsync<V1Pod>(new ObjectKey("shop", "new"), CancellationToken.None);
        var events = new List<WatchEvent<V1Pod>>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await watch.MoveNextAsync().AsTask().Guard());
            events.Add(watch.Current);
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("new", e.Value.Metadata.Name));
        Assert.Equal(created.Metadata.ResourceVersion, events[0].Value.Metadata.ResourceVersion);
        Assert.Equal("Running", events[1].Value.Status!.Phase);
        Assert.Contains(_server.Requests, r => r.Contains("watch=true&allowWatchBookmarks=true&resourceVersion=" + list.Metadata.ResourceVersion, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WatchAsync_AnyWatch_AsksTheServerToCloseItWithinOneToTwoWatchTimeouts()
    {
        var options = TestApi.FastOptions();
        options.WatchTimeout = TimeSpan.FromSeconds(90);
        var api = TestApi.Create(_server, options);
        var since = _server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

        for (var i = 0; i < 5; i++)
        {
            await using var watch = api.WatchAsync<V1Pod>(ListScope.InNamespace("shop"), since, CancellationToken.None).GetAsyncEnumerator();
            _server.Seed("pods", "shop", $$$"""{"metadata":{"name":"p{{{i}}}"},"spec":{"containers":[]}}""");
            Assert.True(await watch.MoveNextAsync().AsTask().Guard());
        }

        var timeouts = _server.Requests.Where(r => r.Contains("watch=true", StringComparison.Ordinal))
            .Select(r => int.Parse(System.Text.RegularExpressions.Regex.Match(r, "[?&]timeoutSeconds=([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(5, timeouts.Count);
        Assert.All(timeouts, t => Assert.InRange(t, 90, 179));
    }

    [Fact]
    public async Task WatchAsync_ServerNeverAnswers_TimesOutAfterRequestTimeout()
    {
        _server.Hang("GET", "watch=true");
        var clock = new ManualTimeProvider();
        var options = TestApi.FastOptions(maxRetries: 0);
        var api = TestApi.Create(_server, options, clock);
        var since = _server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var watch = Task.Run(async () =>
        {
            await foreach (var change in api.WatchAsync<V1Pod>(ListScope.InNamespace("shop"), since, CancellationToken.None))
            {
                _ = change;
            }
        });
        await clock.NextTimerAsync(due => due == options.RequestTimeout).Guard();
        clock.Advance(options.RequestTimeout);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => watch.Guard());
        Assert.Contains("no response headers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_OtherNamespace_IsNotDelivered()
    {
        var since = _server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var watch = _api.WatchAsync<V1Pod>(ListScope.InNamespace("shop"), since, CancellationToken.None).GetAsyncEnumerator();

        _server.Seed("pods", "elsewhere", """{"metadata":{"name":"x"},"spec":{"containers":[]}}""");
        _server.Seed("pods", "shop", """{"metadata":{"name":"y"},"spec":{"containers":[]}}""");

        Assert.True(await watch.MoveNextAsync().AsTask().Guard());
        Assert.Equal("y", watch.Current.Value.Metadata.Name);
    }

    [Fact]
    public async Task WatchAsync_BookmarkSent_YieldsBookmarkWithVersion()
    {
        var since = _server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var watch = _api.WatchAsync<V1Pod>(ListScope.AllNamespaces, since, CancellationToken.None).GetAsyncEnumerator();
        _server.Seed("pods", "shop", """{"metadata":{"name":"y"},"spec":{"containers":[]}}""");
        Assert.True(await watch.MoveNextAsync().AsTask().Guard());

        _server.Store.SendBookmarks();

        Assert.True(await watch.MoveNextAsync().AsTask().Guard());
        Assert.Equal(WatchEventType.Bookmark, watch.Current.Type);
        Assert.Equal(_server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), watch.Current.Value.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task WatchAsync_ServerEndsStream_CompletesNormally()
    {
        var since = _server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var watch = _api.WatchAsync<V1Pod>(ListScope.AllNamespaces, since, CancellationToken.None).GetAsyncEnumerator();
        _server.Seed("pods", "shop", """{"metadata":{"name":"y"},"spec":{"containers":[]}}""");
        Assert.True(await watch.MoveNextAsync().AsTask().Guard());

        _server.Store.DropWatches(abort: false);

        Assert.False(await watch.MoveNextAsync().AsTask().Guard());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WatchAsync_ExpiredVersion_ThrowsGoneInBothForms(bool asEvent)
    {
        _server.Options.GoneAsWatchEvent = asEvent;
        var stale = _server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _server.Seed("pods", "shop", """{"metadata":{"name":"y"},"spec":{"containers":[]}}""");
        _server.Store.Compact();

        var error = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var _ in _api.WatchAsync<V1Pod>(ListScope.AllNamespaces, stale, CancellationToken.None))
            {
            }
        });

        Assert.True(error.IsGone);
        Assert.Equal("Expired", error.Reason);
    }
}
