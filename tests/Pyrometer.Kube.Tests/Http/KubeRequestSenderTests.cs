using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Http;

/// <summary>Retry behaviour, exercised through <see cref="KubeApi"/> against the fake server.</summary>
public sealed class KubeRequestSenderTests : IAsyncLifetime
{
    private static readonly ObjectKey Key = new("shop", "api-1");
    private FakeApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[]}}""");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SendAsync_ServerErrorsThenSuccess_RetriesUntilSuccess()
    {
        _server.Fail("GET", "/pods/api-1", 500, "InternalError", times: 2);
        var api = TestApi.Create(_server);

        var pod = await api.GetAsync<V1Pod>(Key, CancellationToken.None);

        Assert.NotNull(pod);
        Assert.Equal(3, CountRequests("GET /api/v1/namespaces/shop/pods/api-1"));
    }

    [Fact]
    public async Task SendAsync_TooManyRequestsWithRetryAfter_WaitsThatLong()
    {
        _server.Fail("GET", "/pods/api-1", 429, "TooManyRequests", times: 1, retryAfterSeconds: 7);
        var time = new ManualTimeProvider();
        var options = new KubeApiOptions { Qps = 1000, Burst = 1000, MaxBackoff = TimeSpan.FromSeconds(10) };
        var api = TestApi.Create(_server, options, time);

        var call = api.GetAsync<V1Pod>(Key, CancellationToken.None);
        var delay = await time.NextTimerAsync(d => d != options.RequestTimeout).Guard();
        time.Advance(delay);
        var pod = await call.Guard();

        Assert.Equal(TimeSpan.FromSeconds(7), delay);
        Assert.NotNull(pod);
        Assert.Equal(2, CountRequests("GET /api/v1/namespaces/shop/pods/api-1"));
    }

    [Fact]
    public async Task SendAsync_RetryAfterBeyondMaxBackoff_WaitsOnlyMaxBackoff()
    {
        _server.Fail("GET", "/pods/api-1", 429, "TooManyRequests", times: 1, retryAfterSeconds: 3600);
        var time = new ManualTimeProvider();
        var options = new KubeApiOptions { Qps = 1000, Burst = 1000, MaxBackoff = TimeSpan.FromSeconds(10) };
        var api = TestApi.Create(_server, options, time);

        var call = api.GetAsync<V1Pod>(Key, CancellationToken.None);
        var delay = await time.NextTimerAsync(d => d != options.RequestTimeout).Guard();
        time.Advance(delay);
        await call.Guard();

        Assert.Equal(TimeSpan.FromSeconds(10), delay);
    }

    [Fact]
    public async Task SendAsync_ServerErrorWithoutRetryAfter_BacksOffWithJitterWithinFirstStep()
    {
        _server.Fail("GET", "/pods/api-1", 503, "ServiceUnavailable", times: 1);
        var time = new ManualTimeProvider();
        var options = new KubeApiOptions { Qps = 1000, Burst = 1000, InitialBackoff = TimeSpan.FromMilliseconds(400) };
        var api = TestApi.Create(_server, options, time);

        var call = api.GetAsync<V1Pod>(Key, CancellationToken.None);
        var delay = await time.NextTimerAsync(d => d != options.RequestTimeout).Guard();
        time.Advance(delay);
        await call.Guard();

        Assert.InRange(delay, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public async Task SendAsync_PatchGetsServerError_DoesNotRetry()
    {
        _server.Fail("PATCH", "/pods/api-1", 500, "InternalError", times: 1);
        var api = TestApi.Create(_server);

        var error = await Assert.ThrowsAsync<KubeApiException>(
            () => api.PatchAsync<V1Pod>(Key, KubePatch.Merge("""{"metadata":{"labels":{"a":"b"}}}"""), CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(1, CountRequests("PATCH /api/v1/namespaces/shop/pods/api-1"));
    }

    [Fact]
    public async Task SendAsync_PatchGetsTooManyRequests_Retries()
    {
        _server.Fail("PATCH", "/pods/api-1", 429, "TooManyRequests", times: 1);
        var api = TestApi.Create(_server);

        var pod = await api.PatchAsync<V1Pod>(Key, KubePatch.Merge("""{"metadata":{"labels":{"a":"b"}}}"""), CancellationToken.None);

        Assert.Equal("b", pod.Metadata.Labels!["a"]);
        Assert.Equal(2, CountRequests("PATCH /api/v1/namespaces/shop/pods/api-1"));
    }

    [Theory]
    [InlineData(400, "BadRequest")]
    [InlineData(403, "Forbidden")]
    [InlineData(409, "Conflict")]
    [InlineData(422, "Invalid")]
    public async Task SendAsync_ClientError_DoesNotRetry(int code, string reason)
    {
        _server.Fail("GET", "/pods/api-1", code, reason, times: 1);
        var api = TestApi.Create(_server);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => api.GetAsync<V1Pod>(Key, CancellationToken.None));

        Assert.Equal(code, (int)error.StatusCode);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(1, CountRequests("GET /api/v1/namespaces/shop/pods/api-1"));
    }

    [Fact]
    public async Task SendAsync_ForbiddenStatus_IsForbidden()
    {
        _server.Fail("PATCH", "/ephemeralcontainers", 403, "Forbidden", times: 1);
        var api = TestApi.Create(_server);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => api.SendSubresourceAsync<V1Pod>(
            Key, "ephemeralcontainers", HttpMethod.Patch, KubePatch.Merge("{}").Content, CancellationToken.None));

        Assert.True(error.IsForbidden);
    }

    [Fact]
    public async Task SendAsync_PersistentServerError_GivesUpAfterMaxRetries()
    {
        _server.Fail("GET", "/pods/api-1", 503, "ServiceUnavailable", times: -1);
        var api = TestApi.Create(_server, TestApi.FastOptions(maxRetries: 2));

        var error = await Assert.ThrowsAsync<KubeApiException>(() => api.GetAsync<V1Pod>(Key, CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(3, CountRequests("GET /api/v1/namespaces/shop/pods/api-1"));
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_RetriesThenThrowsHttpRequestException()
    {
        var address = _server.BaseAddress;
        await _server.DisposeAsync();
        var api = new KubeApi(new HttpClient { BaseAddress = address }, TestApi.FastOptions(maxRetries: 1));

        await Assert.ThrowsAsync<HttpRequestException>(() => api.GetAsync<V1Pod>(Key, CancellationToken.None));
        _server = await FakeApiServer.StartAsync();   // so DisposeAsync has something to stop
    }

    private int CountRequests(string prefix) =>
        _server.Requests.Count(r => r == prefix || r.StartsWith(prefix + "?", StringComparison.Ordinal));
}
