using System.Security.Cryptography.X509Certificates;
using Pyrometer.Kube.Connection;

namespace Pyrometer.Kube.Tests.Connection;

public sealed class KubeconfigLoaderTests
{
    private static string Asset(string name) => Path.Combine(AppContext.BaseDirectory, "Assets", name);

    [Fact]
    public void Load_Token_ReadsServerTokenNamespaceAndInsecureFlag()
    {
        var connection = KubeconfigLoader.Load([Asset("kubeconfig-token.yaml")], null);

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
        var connection = KubeconfigLoader.Load([Asset("kubeconfig-token-file.yaml")], null);

        Assert.Equal(Asset(Path.Combine("tokens", "prod-token")), connection.TokenFile);
        Assert.Equal("CN=pyrometer-test-ca", Assert.Single(connection.CertificateAuthorities!).Subject);
        Assert.Equal("default", connection.Namespace);
        Assert.Equal("https://10.0.0.1/", connection.Server.AbsoluteUri);
    }

    [Fact]
    public void Load_CaDataAndRsaClientCertData_DecodesInlinePem()
    {
        var connection = KubeconfigLoader.Load([Asset("kubeconfig-ca-data.yaml")], null);

        Assert.Single(connection.CertificateAuthorities!);
        Assert.NotNull(connection.ClientCertificate);
        Assert.True(connection.ClientCertificate.HasPrivateKey);
        Assert.NotNull(connection.ClientCertificate.GetRSAPrivateKey());
        Assert.Contains("CN=alice", connection.ClientCertificate.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClientCertFilesWithEcKey_LoadsEcCertificate()
    {
        var connection = KubeconfigLoader.Load([Asset("kubeconfig-client-cert-files.yaml")], null);

        Assert.NotNull(connection.ClientCertificate!.GetECDsaPrivateKey());
    }

    [Fact]
    public void Load_InsecureQuotedFlag_SkipsVerificationWithoutCa()
    {
        var connection = KubeconfigLoader.Load([Asset("kubeconfig-insecure.yaml")], null);

        Assert.True(connection.InsecureSkipTlsVerify);
        Assert.Null(connection.CertificateAuthorities);
        // The client, like kubectl, dials loopback for a wildcard address.
        Assert.Equal("https://127.0.0.1:6550/", connection.Server.AbsoluteUri);
    }

    [Fact]
    public void Load_ExplicitContext_OverridesCurrentContext()
    {
        var connection = KubeconfigLoader.Load([Asset("kubeconfig-missing-context.yaml")], "prod");

        Assert.Equal("t", connection.Token);
    }

    [Fact]
    public void Load_CurrentContextMissing_ThrowsNamingKnownContexts()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([Asset("kubeconfig-missing-context.yaml")], null));

        Assert.Equal("Context 'staging' is not in the kubeconfig (contexts: dev, prod).", error.Message);
    }

    [Fact]
    public void Load_NoCurrentContext_ThrowsAskingForOne()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([Asset("kubeconfig-no-current-context.yaml")], null));

        Assert.Contains("no current-context", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExecPluginNotInstalled_ThrowsNamingContext()
    {
        // kubeconfig-exec.yaml runs "aws", which this machine does not have: the failure must say so, not hang.
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([Asset("kubeconfig-exec.yaml")], null));

        Assert.StartsWith("Context 'eks':", error.Message, StringComparison.Ordinal);
        Assert.Contains("exec", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TokenFileOnly_KeepsTokenFileForOurHandler()
    {
        var connection = KubeconfigLoader.Load([Asset("kubeconfig-token-file.yaml")], null);

        Assert.Null(connection.Token);
        Assert.Null(connection.TokenProvider);
        Assert.True(File.Exists(connection.TokenFile));
    }

    [Fact]
    public void Load_TokenFileBesideClientCertificate_KeepsBoth()
    {
        var connection = KubeconfigLoader.Load([Asset("kubeconfig-token-file-and-cert.yaml")], null);

        Assert.Equal(Asset(Path.Combine("tokens", "prod-token")), connection.TokenFile);
        Assert.NotNull(connection.ClientCertificate!.GetECDsaPrivateKey());
    }

    [Fact]
    public void Load_TokenFileMissing_ThrowsNamingPath()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([Asset("kubeconfig-token-file-missing.yaml")], null));

        Assert.Contains(Asset(Path.Combine("tokens", "no-such-token")), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BasicAuth_ThrowsUnsupported()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([Asset("kubeconfig-basic-auth.yaml")], null));

        Assert.Contains("username and password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GcpAuthProvider_ThrowsAskingForExecPlugin()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([Asset("kubeconfig-auth-provider-gcp.yaml")], null));

        Assert.Contains("'gcp' auth-provider", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ContextNameDiffersInCase_DoesNotMatch()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([Asset("kubeconfig-token.yaml")], "DEV"));

        Assert.Contains("Context 'DEV' is not in the kubeconfig", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InsecureAndCa_ThrowsChooseOne()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([Asset("kubeconfig-insecure-with-ca.yaml")], null));

        Assert.Contains("choose one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateWithoutKey_ThrowsNeedsBoth()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([Asset("kubeconfig-missing-key.yaml")], null));

        Assert.Contains("needs both a client certificate and a client key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralFiles_FirstDefinitionWins()
    {
        string[] paths = [Asset("kubeconfig-merge-first.yaml"), Asset("kubeconfig-merge-second.yaml")];

        var current = KubeconfigLoader.Load(paths, null);
        var second = KubeconfigLoader.Load(paths, "second");

        Assert.Equal("first-token", current.Token);
        Assert.Equal("https://first.example.test/", current.Server.AbsoluteUri);
        Assert.Equal("second-token", second.Token);
        Assert.Equal("two", second.Namespace);
        Assert.Equal("https://first.example.test/", second.Server.AbsoluteUri);   // cluster "shared" from the first file
    }

    [Fact]
    public void Load_SecondFileInAnotherDirectory_ResolvesItsPathsAgainstItsOwnDirectory()
    {
        string[] paths = [Asset("kubeconfig-token.yaml"), Asset(Path.Combine("nested", "kubeconfig-nested.yaml"))];

        var connection = KubeconfigLoader.Load(paths, "nested");

        Assert.Equal("CN=pyrometer-test-ca", Assert.Single(connection.CertificateAuthorities!).Subject);
        Assert.Equal(Asset(Path.Combine("tokens", "prod-token")), connection.TokenFile);
    }

    [Fact]
    public void Load_NoFileExists_ThrowsNamingPaths()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load(["/nonexistent/kubeconfig"], null));

        Assert.Contains("/nonexistent/kubeconfig", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidYaml_ThrowsNamingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "pyrometer-kubeconfig-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, "contexts: [\n  - name: a\n    context: {cluster: \n");
        try
        {
            var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([path], null));
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
        var paths = KubeconfigLoader.DefaultPaths(name => name == "KUBECONFIG" ? $"/a/config{Path.PathSeparator}/b/config" : null, "/home/me");

        Assert.Equal(["/a/config", "/b/config"], paths);
    }

    [Fact]
    public void DefaultPaths_NoVariable_UsesHomeKubeConfig()
    {
        var paths = KubeconfigLoader.DefaultPaths(_ => null, "/home/me");

        Assert.Equal([Path.Combine("/home/me", ".kube", "config")], paths);
    }

    [Fact]
    public void FromKubeconfigFile_PublicEntryPoint_UsesLoader()
    {
        var connection = KubeConnection.FromKubeconfigFile(Asset("kubeconfig-token.yaml"), "dev");

        Assert.Equal("static-token-abc", connection.Token);
        Assert.IsType<X509Certificate2Collection>(KubeConnection.FromKubeconfigFile(Asset("kubeconfig-ca-data.yaml")).CertificateAuthorities);
    }
}
