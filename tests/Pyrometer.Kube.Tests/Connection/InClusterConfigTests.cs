using Pyrometer.Kube.Connection;

namespace Pyrometer.Kube.Tests.Connection;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pyrometer-sa-" + Guid.NewGuid().ToString("N"));

    public InClusterConfigTests()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "token"), "sa-token\n");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Assets", "pki", "ca.crt"), Path.Combine(_directory, "ca.crt"));
        File.WriteAllText(Path.Combine(_directory, "namespace"), "pyrometer-system");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_FullMount_UsesServiceAddressTokenFileCaAndNamespace()
    {
        var connection = InClusterConfig.Load(_directory, Environment("10.96.0.1", "443"));

        Assert.Equal("https://10.96.0.1/", connection.Server.AbsoluteUri);
        Assert.Equal(443, connection.Server.Port);
        Assert.Equal(Path.Combine(_directory, "token"), connection.TokenFile);
        Assert.Null(connection.Token);
        Assert.Single(connection.CertificateAuthorities!);
        Assert.Equal("pyrometer-system", connection.Namespace);
        Assert.False(connection.InsecureSkipTlsVerify);
    }

    [Fact]
    public void Load_Ipv6ServiceHost_BracketsAddress()
    {
        var connection = InClusterConfig.Load(_directory, Environment("fd00:10:96::1", "6443"));

        Assert.Equal("https://[fd00:10:96::1]:6443/", connection.Server.AbsoluteUri);
    }

    [Fact]
    public void Load_NoNamespaceFile_UsesDefault()
    {
        File.Delete(Path.Combine(_directory, "namespace"));

        Assert.Equal("default", InClusterConfig.Load(_directory, Environment("10.96.0.1", "443")).Namespace);
    }

    [Fact]
    public void Load_EnvironmentMissing_ThrowsNotInCluster()
    {
        var error = Assert.Throws<KubeConfigException>(() => InClusterConfig.Load(_directory, _ => null));

        Assert.Contains("KUBERNETES_SERVICE_HOST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PortNotNumber_Throws()
    {
        var error = Assert.Throws<KubeConfigException>(() => InClusterConfig.Load(_directory, Environment("10.96.0.1", "https")));

        Assert.Contains("'https'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TokenMissing_ThrowsMentioningAutomount()
    {
        File.Delete(Path.Combine(_directory, "token"));

        var error = Assert.Throws<KubeConfigException>(() => InClusterConfig.Load(_directory, Environment("10.96.0.1", "443")));

        Assert.Contains("automountServiceAccountToken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CaNotPem_Throws()
    {
        File.WriteAllText(Path.Combine(_directory, "ca.crt"), "not a certificate");

        Assert.Throws<KubeConfigException>(() => InClusterConfig.Load(_directory, Environment("10.96.0.1", "443")));
    }

    private static Func<string, string?> Environment(string host, string port) => name => name switch
    {
        "KUBERNETES_SERVICE_HOST" => host,
        "KUBERNETES_SERVICE_PORT" => port,
        _ => null,
    };
}
