using Pyrometer.Kubectl.Cli;
using Pyrometer.Kubectl.Kube;
using Pyrometer.Kubectl.Record;

namespace Pyrometer.Kubectl.Tests.Kube;

public sealed class ClusterConnectionTests : IDisposable
{
    private static readonly string Contexts = Path.Combine(AppContext.BaseDirectory, "Assets", "kubeconfig-contexts.yaml");
    private static readonly string Second = Path.Combine(AppContext.BaseDirectory, "Assets", "kubeconfig-second.yaml");
    private readonly string _directory = Directory.CreateTempSubdirectory("kubectl-pyrometer-kc-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Configure_CurrentContext_GivesItsServerAndNamespace()
    {
        var configuration = ClusterConnection.Configure(new ConnectionSettings(Contexts, null, null), out var ns);

        Assert.Equal("https://staging.example:6443", configuration.Host.TrimEnd('/'));
        Assert.Equal("shop", ns);
    }

    [Fact]
    public void Configure_ContextFlag_SwitchesContextAndDefaultsTheNamespace()
    {
        ClusterConnection.Configure(new ConnectionSettings(Contexts, "bare", null), out var ns);

        Assert.Equal("default", ns);
    }

    [Fact]
    public void Configure_NamespaceFlag_Wins()
    {
        ClusterConnection.Configure(new ConnectionSettings(Contexts, "shop", "orders"), out var ns);

        Assert.Equal("orders", ns);
    }

    [Fact]
    public void Configure_UnknownContext_OneLine()
    {
        var error = Assert.Throws<PluginException>(() => ClusterConnection.Configure(new ConnectionSettings(Contexts, "nope", null), out _));

        Assert.StartsWith("cannot use the kubeconfig: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_MissingFile_SaysSo()
    {
        var error = Assert.Throws<PluginException>(() => ClusterConnection.Configure(new ConnectionSettings("/nonexistent/kubeconfig", null, null), out _));

        Assert.Equal("kubeconfig /nonexistent/kubeconfig does not exist", error.Message);
    }

    [Fact]
    public void KubeconfigFiles_Variable_KeepsOrderAndSkipsMissingFiles()
    {
        var files = ClusterConnection.KubeconfigFiles(null, string.Join(Path.PathSeparator, Second, "/nonexistent", Contexts));

        Assert.Equal([Second, Contexts], files);
    }

    [Fact]
    public void KubeconfigFile_ReadsWhatTheClientsOwnReaderReads()
    {
        foreach (var path in new[] { Contexts, Second })
        {
            var client = k8s.KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));

            var ours = KubeconfigFile.Read(path);

            Assert.NotEmpty(ours.Contexts);
            Assert.Equal(path, ours.FileName);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(client), System.Text.Json.JsonSerializer.Serialize(ours));
        }
    }

    [Fact]
    public void KubeconfigFile_LargerThanTheCap_IsRefusedNamingTheFile()
    {
        var path = Path.Combine(_directory, "huge.yaml");
        File.WriteAllText(path, "clusters: []\n" + new string('#', KubeconfigFile.MaxBytes));

        var error = Assert.Throws<PluginException>(() => ClusterConnection.Configure(new ConnectionSettings(path, null, null), out _));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_FirstFileWins_AndContextsOfLaterFilesAreUsable()
    {
        var merged = ClusterConnection.Merge([KubeconfigFile.Read(Contexts), KubeconfigFile.Read(Second)]);

        Assert.Equal("shop", merged.CurrentContext);
        var cart = k8s.KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, "cart");
        Assert.Equal("https://prod.example:6443", cart.Host.TrimEnd('/'));
        Assert.Equal("cart", cart.Namespace);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Connect_ExecCredentialPlugin_AuthenticatesWithItsToken()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Server.RequiredToken = "from-the-exec-plugin";
        var kubeconfig = Path.Combine(_directory, "exec.yaml");
        var plugin = Path.Combine(_directory, "credential-plugin");
        await File.WriteAllTextAsync(plugin, """
            #!/bin/sh
            printf '%s' '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"from-the-exec-plugin"}}'
            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // An exec credential plugin as cloud CLIs install them: a command printing an ExecCredential.
        await File.WriteAllTextAsync(kubeconfig, $$$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster: {server: "{{{cluster.Server.BaseAddress}}}"}
            users:
            - name: exec
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: {{{plugin}}}
            contexts:
            - name: fake
              context: {cluster: fake, user: exec, namespace: shop}
            current-context: fake
            """);
        using var connection = ClusterConnection.Connect(new ConnectionSettings(kubeconfig, null, null));

        var pod = await TargetResolver.ReadPodAsync(connection.Client, connection.Namespace, FakeCluster.Pod, CancellationToken.None);

        Assert.Equal(FakeCluster.Pod, pod.Metadata.Name);
    }

    [Fact]
    public async Task Connect_WrongToken_SaysUnauthorized()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Server.RequiredToken = "right";
        var kubeconfig = Path.Combine(_directory, "token.yaml");
        await File.WriteAllTextAsync(kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster: {server: "{{cluster.Server.BaseAddress}}"}
            users:
            - name: u
              user: {token: wrong}
            contexts:
            - name: fake
              context: {cluster: fake, user: u}
            current-context: fake
            """);
        using var connection = ClusterConnection.Connect(new ConnectionSettings(kubeconfig, null, "shop"));

        var error = await Assert.ThrowsAsync<PluginException>(() => TargetResolver.ReadPodAsync(connection.Client, connection.Namespace, FakeCluster.Pod, CancellationToken.None));

        Assert.StartsWith("unauthorized:", error.Message, StringComparison.Ordinal);
    }
}
