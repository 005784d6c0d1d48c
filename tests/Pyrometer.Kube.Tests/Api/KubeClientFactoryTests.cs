using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Connection;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Api;

/// <summary>The official client's typed calls go through our pipeline: TLS checks, token, rate limiter and retries.</summary>
public sealed class KubeClientFactoryTests
{
    [Fact]
    public async Task Create_TypedAndRawCalls_PassOurTlsCheckAndCarryToken()
    {
        using var ca = TestCertificates.CreateAuthority("cluster-ca");
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { ServerCertificate = TestCertificates.IssueServer(ca) });
        server.RequiredToken = "robot";
        server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[{"name":"app","image":"python:3.12"}]}}""");
        var connection = new KubeConnection
        {
            Server = server.BaseAddress,
            CertificateAuthorities = [X509CertificateLoader.LoadCertificate(ca.RawData)],
            Token = "robot",
        };
        using var client = KubeClientFactory.Create(connection, TestApi.FastOptions());

        var typed = await client.CoreV1.ReadNamespacedPodAsync("api-1", "shop");
        var raw = await new KubeApi(client, TestApi.FastOptions()).GetAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None);

        Assert.Equal("python:3.12", Assert.Single(typed.Spec.Containers).Image);
        Assert.Equal("api-1", raw!.Metadata.Name);
        Assert.Equal(["robot", "robot"], server.ReceivedTokens);
    }

    [Fact]
    public async Task Create_ServerSignedByAnotherCa_TypedCallRefused()
    {
        using var ca = TestCertificates.CreateAuthority("cluster-ca");
        using var other = TestCertificates.CreateAuthority("someone-else");
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { ServerCertificate = TestCertificates.IssueServer(ca) });
        var connection = new KubeConnection { Server = server.BaseAddress, CertificateAuthorities = [X509CertificateLoader.LoadCertificate(other.RawData)] };
        using var client = KubeClientFactory.Create(connection, TestApi.FastOptions(maxRetries: 0));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.Version.GetCodeAsync());
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Create_TypedCallGetsServerErrors_RetriedByOurHandler()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Fail("GET", "/version", 503, "ServiceUnavailable", times: 2);
        using var client = KubeClientFactory.Create(new KubeConnection { Server = server.BaseAddress }, TestApi.FastOptions());

        var version = await new KubeApi(client, TestApi.FastOptions()).GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("1", version.Major);
        Assert.Equal(3, server.Requests.Count(r => r.StartsWith("GET /version", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetServerVersion_PersistentError_ThrowsKubeApiExceptionWithStatus()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Fail("GET", "/version", 403, "Forbidden", times: -1);
        using var client = KubeClientFactory.Create(new KubeConnection { Server = server.BaseAddress }, TestApi.FastOptions());

        var error = await Assert.ThrowsAsync<KubeApiException>(
            () => new KubeApi(client, TestApi.FastOptions()).GetServerVersionAsync(CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("Forbidden", error.Reason);
    }
}
