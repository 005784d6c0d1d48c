using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Api;

/// <summary>TokenReview and SubjectAccessReview round trips against the fake API server, which answers them and stores nothing.</summary>
public sealed class KubeAccessReviewExtensionsTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private KubeApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _api = TestApi.Create(_server);
        _server.Reviews.AddToken("good-token", "jane@example.com", "developers", "system:authenticated");
        _server.Reviews.Allow("jane@example.com", "get", "pyrometer.dev", "profilerequests", "shop");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReviewTokenAsync_KnownToken_ReturnsTheUserAndGroups()
    {
        var status = await _api.ReviewTokenAsync("good-token", CancellationToken.None);

        Assert.True(status.Authenticated);
        Assert.Equal("jane@example.com", status.User!.Username);
        Assert.Equal(["developers", "system:authenticated"], status.User.Groups!);
        Assert.Contains("POST /apis/authentication.k8s.io/v1/tokenreviews", _server.Requests);
    }

    [Fact]
    public async Task ReviewTokenAsync_UnknownToken_IsNotAuthenticated()
    {
        var status = await _api.ReviewTokenAsync("made-up", CancellationToken.None);

        Assert.False(status.Authenticated);
        Assert.Null(status.User);
    }

    [Fact]
    public async Task MayAsync_GrantedNamespaceOnly_IsAllowed()
    {
        var user = (await _api.ReviewTokenAsync("good-token", CancellationToken.None)).User!;
        V1ResourceAttributes Get(string ns) => new() { NamespaceProperty = ns, Verb = "get", Group = "pyrometer.dev", Resource = "profilerequests" };

        Assert.True(await _api.MayAsync(user, Get("shop"), CancellationToken.None));
        Assert.False(await _api.MayAsync(user, Get("bank"), CancellationToken.None));
        Assert.Contains("POST /apis/authorization.k8s.io/v1/subjectaccessreviews", _server.Requests);
    }
}
