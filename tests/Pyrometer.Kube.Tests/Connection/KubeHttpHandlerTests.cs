using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Connection;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Connection;

public sealed class KubeHttpHandlerTests
{
    [Fact]
    public async Task Pipeline_ServerSignedByConfiguredCa_Connects()
    {
        using var ca = TestCertificates.CreateAuthority("cluster-ca");
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { ServerCertificate = TestCertificates.IssueServer(ca) });
        var connection = new KubeConnection { Server = server.BaseAddress, CertificateAuthorities = [PublicOnly(ca)] };

        var version = await Api(connection).GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("v1.31.2", version.GitVersion);
        Assert.StartsWith("https://", server.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_ServerSignedByAnotherCa_RejectsServer()
    {
        using var ca = TestCertificates.CreateAuthority("cluster-ca");
        using var other = TestCertificates.CreateAuthority("someone-else");
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { ServerCertificate = TestCertificates.IssueServer(ca) });
        var connection = new KubeConnection { Server = server.BaseAddress, CertificateAuthorities = [PublicOnly(other)] };

        await Assert.ThrowsAsync<HttpRequestException>(() => Api(connection).GetServerVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Pipeline_NoCaConfigured_DoesNotTrustPrivateCa()
    {
        using var ca = TestCertificates.CreateAuthority("cluster-ca");
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { ServerCertificate = TestCertificates.IssueServer(ca) });
        var connection = new KubeConnection { Server = server.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => Api(connection).GetServerVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Pipeline_InsecureSkipTlsVerify_AcceptsAnyServer()
    {
        using var ca = TestCertificates.CreateAuthority("cluster-ca");
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { ServerCertificate = TestCertificates.IssueServer(ca) });
        var connection = new KubeConnection { Server = server.BaseAddress, InsecureSkipTlsVerify = true };

        var version = await Api(connection).GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("1", version.Major);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pipeline_KubeconfigWithClientCertificate_PassesMutualTls(bool ec)
    {
        using var ca = TestCertificates.CreateAuthority("cluster-ca");
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions
        {
            ServerCertificate = TestCertificates.IssueServer(ca),
            ClientCertificateAuthority = ca,
        });
        var (_, certificatePem, keyPem) = TestCertificates.IssueClient(ca, ec);
        var kubeconfig = WriteKubeconfig(server.BaseAddress, ca.ExportCertificatePem(), certificatePem, keyPem);
        try
        {
            var connection = KubeConnection.FromKubeconfigFile(kubeconfig);

            var version = await Api(connection).GetServerVersionAsync(CancellationToken.None);

            Assert.Equal("1", version.Major);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public async Task Pipeline_ClientCertificateRequiredButMissing_Fails()
    {
        using var ca = TestCertificates.CreateAuthority("cluster-ca");
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions
        {
            ServerCertificate = TestCertificates.IssueServer(ca),
            ClientCertificateAuthority = ca,
        });
        var connection = new KubeConnection { Server = server.BaseAddress, CertificateAuthorities = [PublicOnly(ca)] };

        await Assert.ThrowsAnyAsync<Exception>(() => Api(connection).GetServerVersionAsync(CancellationToken.None));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Pipeline_StaticToken_SendsBearerHeader()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.RequiredToken = "static";
        var connection = new KubeConnection { Server = server.BaseAddress, Token = "static" };

        var version = await Api(connection).GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("1", version.Major);
    }

    [Fact]
    public async Task Pipeline_TokenFileRotates_RereadAfterRefreshInterval()
    {
        await using var server = await FakeApiServer.StartAsync();
        var tokenFile = Path.GetTempFileName();
        var time = new ManualTimeProvider();
        try
        {
            await File.WriteAllTextAsync(tokenFile, "token-1\n");
            server.RequiredToken = "token-1";
            var api = Api(new KubeConnection { Server = server.BaseAddress, TokenFile = tokenFile }, time);
            await api.GetServerVersionAsync(CancellationToken.None);

            await File.WriteAllTextAsync(tokenFile, "token-2\n");
            server.RequiredToken = "token-2";
            time.Advance(TimeSpan.FromMinutes(1));
            var afterRotation = await api.GetServerVersionAsync(CancellationToken.None);

            Assert.Equal("1", afterRotation.Major);
            Assert.Equal(2, server.Requests.Count);   // 401s are not retried, so success means the new token went out first time
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Pipeline_TokenRotatedBeforeRefresh_RereadAfterUnauthorized()
    {
        await using var server = await FakeApiServer.StartAsync();
        var tokenFile = Path.GetTempFileName();
        var time = new ManualTimeProvider();
        try
        {
            await File.WriteAllTextAsync(tokenFile, "token-1");
            server.RequiredToken = "token-1";
            var api = Api(new KubeConnection { Server = server.BaseAddress, TokenFile = tokenFile }, time);
            await api.GetServerVersionAsync(CancellationToken.None);
            await File.WriteAllTextAsync(tokenFile, "token-2");
            server.RequiredToken = "token-2";

            var stale = await Assert.ThrowsAsync<KubeApiException>(() => api.GetAsync<V1Pod>(new ObjectKey("a", "b"), CancellationToken.None));
            var fresh = await api.GetServerVersionAsync(CancellationToken.None);

            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, stale.StatusCode);
            Assert.Equal("1", fresh.Major);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Pipeline_TokenFileMissing_ThrowsConfigError()
    {
        await using var server = await FakeApiServer.StartAsync();
        var connection = new KubeConnection { Server = server.BaseAddress, TokenFile = "/nonexistent/token" };

        var error = await Assert.ThrowsAsync<KubeConfigException>(() => Api(connection).GetServerVersionAsync(CancellationToken.None));

        Assert.Contains("/nonexistent/token", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The production path: the official client's pipeline with our TLS checks and token handler.</summary>
    private static KubeApi Api(KubeConnection connection, TimeProvider? time = null) =>
        new(KubeClientFactory.Create(connection, TestApi.FastOptions(maxRetries: 0), time), TestApi.FastOptions(maxRetries: 0), time: time);

    /// <summary>What a kubeconfig or a service-account mount provides: the CA certificate, never its key.</summary>
    private static X509Certificate2 PublicOnly(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadCertificate(certificate.RawData);

    private static string WriteKubeconfig(Uri server, string caPem, string certificatePem, string keyPem)
    {
        static string Encode(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
        var template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Assets", "kubeconfig-tls-template.yaml"));
        var text = template
            .Replace("${SERVER}", server.AbsoluteUri, StringComparison.Ordinal)
            .Replace("${CA_DATA}", Encode(caPem), StringComparison.Ordinal)
            .Replace("${CLIENT_CERT_DATA}", Encode(certificatePem), StringComparison.Ordinal)
            .Replace("${CLIENT_KEY_DATA}", Encode(keyPem), StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), "pyrometer-kubeconfig-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
