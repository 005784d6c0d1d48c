using System.Security.Cryptography.X509Certificates;
using Pyrometer.Kube.Connection;

namespace Pyrometer.Kube.Tests.Connection;

public sealed class KubeconfigParserTests
{
    private static string Asset(string name) => Path.Combine(AppContext.BaseDirectory, "Assets", name);

    [Fact]
    public void Load_Token_ReadsServerTokenNamespaceAndInsecureFlag()
    {
        var connection = KubeconfigParser.Load([Asset("kubeconfig-token.yaml")], null);

        Assert.Equal(new Uri("https://dev.example.test:6443/"), connection.Server);
        Assert.Equal("static-token-abc", connection.Token);
        Assert.Null(connection.TokenFile);
        Assert.Equal("shop", connection.Namespace);
        Assert.True(connection.InsecureSkipTlsVerify);
        Assert.Null(connection.CertificateAuthorities);
        Assert.Null(connection.ClientCertificate);
    }

    [Fact]
    public void Load_TokenFileAndCaFile_ResolvesPathsAgainstKubeconfigDirectory()
    {
        var connection = KubeconfigParser.Load([Asset("kubeconfig-token-file.yaml")], null);

        Assert.Equal(Asset(Path.Combine("tokens", "prod-token")), connection.TokenFile);
        Assert.Equal("CN=pyrometer-test-ca", Assert.Single(connection.CertificateAuthorities!).Subject);
        Assert.Equal("default", connection.Namespace);
        Assert.Equal("https://10.0.0.1/", connection.Server.AbsoluteUri);
    }

    [Fact]
    public void Load_CaDataAndRsaClientCertData_DecodesInlinePem()
    {
        var connection = KubeconfigParser.Load([Asset("kubeconfig-ca-data.yaml")], null);

        Assert.Single(connection.CertificateAuthorities!);
        Assert.NotNull(connection.ClientCertificate);
        Assert.True(connection.ClientCertificate.HasPrivateKey);
        Assert.NotNull(connection.ClientCertificate.GetRSAPrivateKey());
        Assert.Contains("CN=alice", connection.ClientCertificate.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClientCertFilesWithEcKey_LoadsEcCertificate()
    {
        var connection = KubeconfigParser.Load([Asset("kubeconfig-client-cert-files.yaml")], null);

        Assert.NotNull(connection.ClientCertificate!.GetECDsaPrivateKey());
    }

    [Fact]
    public void Load_InsecureQuotedFlag_SkipsVerificationWithoutCa()
    {
        var connection = KubeconfigParser.Load([Asset("kubeconfig-insecure.yaml")], null);

        Assert.True(connection.InsecureSkipTlsVerify);
        Assert.Null(connection.CertificateAuthorities);
        Assert.Equal("https://0.0.0.0:6550/", connection.Server.AbsoluteUri);
    }

    [Fact]
    public void Load_ExplicitContext_OverridesCurrentContext()
    {
        var connection = KubeconfigParser.Load([Asset("kubeconfig-missing-context.yaml")], "prod");

        Assert.Equal("t", connection.Token);
    }

    [Fact]
    public void Load_CurrentContextMissing_ThrowsNamingKnownContexts()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigParser.Load([Asset("kubeconfig-missing-context.yaml")], null));

        Assert.Equal("Context 'staging' is not in the kubeconfig (contexts: dev, prod).", error.Message);
    }

    [Fact]
    public void Load_NoCurrentContext_ThrowsAskingForOne()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigParser.Load([Asset("kubeconfig-no-current-context.yaml")], null));

        Assert.Contains("no current-context", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExecCredentials_ThrowsUnsupported()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigParser.Load([Asset("kubeconfig-exec.yaml")], null));

        Assert.Contains("'exec'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InsecureAndCa_ThrowsChooseOne()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigParser.Load([Asset("kubeconfig-insecure-with-ca.yaml")], null));

        Assert.Contains("choose one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateWithoutKey_ThrowsNeedsBoth()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigParser.Load([Asset("kubeconfig-missing-key.yaml")], null));

        Assert.Contains("needs both a client certificate and a client key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralFiles_FirstDefinitionWins()
    {
        string[] paths = [Asset("kubeconfig-merge-first.yaml"), Asset("kubeconfig-merge-second.yaml")];

        var current = KubeconfigParser.Load(paths, null);
        var second = KubeconfigParser.Load(paths, "second");

        Assert.Equal("first-token", current.Token);
        Assert.Equal("https://first.example.test/", current.Server.AbsoluteUri);
        Assert.Equal("second-token", second.Token);
        Assert.Equal("two", second.Namespace);
        Assert.Equal("https://first.example.test/", second.Server.AbsoluteUri);   // cluster "shared" from the first file
    }

    [Fact]
    public void Load_NoFileExists_ThrowsNamingPaths()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigParser.Load(["/nonexistent/kubeconfig"], null));

        Assert.Contains("/nonexistent/kubeconfig", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidYaml_ThrowsNamingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "pyrometer-kubeconfig-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, "contexts: [\n  - name: a\n    context: {cluster: \n");
        try
        {
            var error = Assert.Throws<KubeConfigException>(() => KubeconfigParser.Load([path], null));
            Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DefaultPaths_KubeconfigVariable_SplitsOnPathSeparator()
    {
        var paths = KubeconfigParser.DefaultPaths(name => name == "KUBECONFIG" ? $"/a/config{Path.PathSeparator}/b/config" : null, "/home/me");

        Assert.Equal(["/a/config", "/b/config"], paths);
    }

    [Fact]
    public void DefaultPaths_NoVariable_UsesHomeKubeConfig()
    {
        var paths = KubeconfigParser.DefaultPaths(_ => null, "/home/me");

        Assert.Equal([Path.Combine("/home/me", ".kube", "config")], paths);
    }

    [Fact]
    public void FromKubeconfigFile_PublicEntryPoint_UsesParser()
    {
        var connection = KubeConnection.FromKubeconfigFile(Asset("kubeconfig-token.yaml"), "dev");

        Assert.Equal("static-token-abc", connection.Token);
        Assert.IsType<X509Certificate2Collection>(KubeConnection.FromKubeconfigFile(Asset("kubeconfig-ca-data.yaml")).CertificateAuthorities);
    }
}
