using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Http;

/// <summary>An ordinary call's body is read up to <see cref="KubeApiOptions.MaxResponseBytes"/>; a watch is bounded per event instead.</summary>
public sealed class ResponseSizeLimitTests : IAsyncLifetime
{
    private const int OneMiB = 1 << 20;
    private static readonly ObjectKey Key = new("shop", "big");
    private FakeApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _server.Seed("pods", "shop", PodWithAnnotation("big", OneMiB + (OneMiB / 2)));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetAsync_BodyLongerThanTheLimit_FailsOnceWithTheLimitNamed()
    {
        var options = TestApi.FastOptions();
        options.MaxResponseBytes = OneMiB;
        var api = TestApi.Create(_server, options);

        var error = await Assert.ThrowsAsync<KubeResponseTooLargeException>(() => api.GetAsync<V1Pod>(Key, CancellationToken.None));

        Assert.Contains("/api/v1/namespaces/shop/pods/big", error.Message, StringComparison.Ordinal);
        Assert.Contains($"longer than {OneMiB} bytes (Kubernetes:MaxResponseBytes)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.Requests.Count(r => r.StartsWith("GET /api/v1/namespaces/shop/pods/big", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetAsync_BodyWithinTheLimit_IsReadWhole()
    {
        var options = TestApi.FastOptions();
        options.MaxResponseBytes = 2 * OneMiB;
        var api = TestApi.Create(_server, options);

        var pod = await api.GetAsync<V1Pod>(Key, CancellationToken.None);

        Assert.Equal(OneMiB + (OneMiB / 2), pod!.Metadata.Annotations["filler"].Length);
    }

    [Fact]
    public async Task ListAsync_PageLongerThanTheLimit_Fails()
    {
        _server.Seed("pods", "shop", PodWithAnnotation("small", 1024));
        var options = TestApi.FastOptions();
        options.MaxResponseBytes = OneMiB;
        var api = TestApi.Create(_server, options);

        await Assert.ThrowsAsync<KubeResponseTooLargeException>(() => api.ListAsync<V1Pod>(ListScope.InNamespace("shop"), CancellationToken.None));
    }

    [Fact]
    public async Task WatchAsync_EventLongerThanTheLimit_IsDelivered()
    {
        var options = TestApi.FastOptions();
        options.MaxResponseBytes = OneMiB;
        var api = TestApi.Create(_server, options);

        var since = _server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var watch = api.WatchAsync<V1Pod>(ListScope.InNamespace("shop"), since, CancellationToken.None).GetAsyncEnumerator();
        _server.Seed("pods", "shop", PodWithAnnotation("bigger", 2 * OneMiB));

        Assert.True(await watch.MoveNextAsync().AsTask().Guard());
        Assert.Equal(2 * OneMiB, watch.Current.Value.Metadata.Annotations["filler"].Length);
    }

    [Fact]
    public void Validate_LimitOutsideOneMiBToOneGiB_IsRefused()
    {
        foreach (var bytes in new[] { OneMiB - 1L, (1L << 30) + 1 })
        {
            var options = TestApi.FastOptions();
            options.MaxResponseBytes = bytes;
            var error = Assert.Throws<ArgumentException>(() => TestApi.Create(_server, options));
            Assert.Contains("MaxResponseBytes between 1 MiB and 1 GiB", error.Message, StringComparison.Ordinal);
        }
    }

    private static string PodWithAnnotation(string name, int length) =>
        $$$"""{"metadata":{"name":"{{{name}}}","annotations":{"filler":"{{{new string('x', length)}}}"}},"spec":{"containers":[]}}""";
}
