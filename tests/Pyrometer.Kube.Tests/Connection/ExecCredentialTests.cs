using System.Globalization;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Connection;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Connection;

/// <summary>
/// A kubeconfig whose user runs an exec credential plugin (a real script), read through the official client and
/// used against the fake API server, which accepts only the newest token the plugin issued.
/// </summary>
public sealed class ExecCredentialTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("pyrometer-exec-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Kubeconfig_ExecPlugin_AuthenticatesWithItsToken()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.AcceptsToken = IsNewestIssued;
        var api = Api(WriteKubeconfig(server.BaseAddress, lifetimeSeconds: 3600));

        var version = await api.GetServerVersionAsync(CancellationToken.None);
        var runsAfterFirst = Runs();
        await api.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("1", version.Major);
        Assert.Single(server.ReceivedTokens.Distinct());
        Assert.StartsWith("exec-token-", server.ReceivedTokens[0], StringComparison.Ordinal);
        Assert.Equal(runsAfterFirst, Runs());   // an hour-long token is not renewed between calls
        // The plugin learns which protocol version to answer in, as client-go tells it.
        Assert.Contains("client.authentication.k8s.io/v1", File.ReadAllText(Path.Combine(_state, "exec-info")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubeconfig_ExecTokenAboutToExpire_RunsPluginAgainBeforeNextCall()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.AcceptsToken = IsNewestIssued;
        // Five seconds is inside the client's renewal margin (30 s before expiry), so every call finds it expiring.
        var api = Api(WriteKubeconfig(server.BaseAddress, lifetimeSeconds: 5));

        await api.GetServerVersionAsync(CancellationToken.None);
        await api.GetServerVersionAsync(CancellationToken.None);

        var tokens = server.ReceivedTokens;
        Assert.Equal(2, tokens.Count);
        Assert.NotEqual(tokens[0], tokens[1]);
        Assert.True(Number(tokens[1]) > Number(tokens[0]), $"tokens in order of issue: {string.Join(", ", tokens)}");
    }

    [Fact]
    public async Task Kubeconfig_ConcurrentCallsWhileTokenExpiring_RunPluginOneAtATime()
    {
        await using var server = await FakeApiServer.StartAsync();
        var api = Api(WriteKubeconfig(server.BaseAddress, lifetimeSeconds: 5));
        var runsBefore = Runs();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => api.GetServerVersionAsync(CancellationToken.None)));

        // Each call renews (the token is always expiring), but the runs never overlap: each got its own number.
        Assert.Equal(runsBefore + 8, Runs());
        Assert.Equal(8, server.ReceivedTokens.Distinct().Count());
    }

    [Fact]
    public async Task Kubeconfig_ExecTokenRefusedBeforeExpiry_RunsPluginAgainForNextCall()
    {
        await using var server = await FakeApiServer.StartAsync();
        var (api, revoked) = await FirstTokenRevokedAsync(server);
        var runsBefore = Runs();

        var refused = await Assert.ThrowsAsync<KubeApiException>(() => api.GetServerVersionAsync(CancellationToken.None));
        var version = await api.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal(401, (int)refused.StatusCode);
        Assert.Equal("1", version.Major);
        Assert.Equal(runsBefore + 1, Runs());   // the hour-long token was not renewed until the server refused it
        Assert.Equal([revoked, revoked], server.ReceivedTokens.Take(2));
        Assert.NotEqual(revoked, server.ReceivedTokens[2]);
    }

    [Fact]
    public async Task Kubeconfig_ConcurrentCallsRefusedWithOneToken_RunPluginAgainOnce()
    {
        await using var server = await FakeApiServer.StartAsync();
        var (api, revoked) = await FirstTokenRevokedAsync(server);
        var runsBefore = Runs();

        var calls = Enumerable.Range(0, 6).Select(_ => api.GetServerVersionAsync(CancellationToken.None)).ToList();
        await Assert.ThrowsAnyAsync<KubeApiException>(() => Task.WhenAll(calls));
        await api.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal(runsBefore + 1, Runs());
    }

    [Fact]
    public async Task Kubeconfig_ExecPluginFails_ThrowsConfigErrorNamingContext()
    {
        await using var server = await FakeApiServer.StartAsync();
        var kubeconfig = WriteKubeconfig(server.BaseAddress, lifetimeSeconds: 3600, state: "/nonexistent/pyrometer-state");

        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load([kubeconfig], null));

        Assert.StartsWith("Context 'exec':", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Kubeconfig_TokenFile_AuthenticatesWithFileContents()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.RequiredToken = "from-the-file";
        var tokenFile = Path.Combine(_state, "token");
        await File.WriteAllTextAsync(tokenFile, "from-the-file\n");
        var kubeconfig = Path.Combine(_state, "config");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            current-context: robot
            contexts:
              - name: robot
                context: {"{"}cluster: fake, user: robot{"}"}
            clusters:
              - name: fake
                cluster: {"{"}server: "{server.BaseAddress}"{"}"}
            users:
              - name: robot
                user: {"{"}tokenFile: token{"}"}
            """);

        var version = await Api(kubeconfig).GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("1", version.Major);
        Assert.Equal(["from-the-file"], server.ReceivedTokens);
    }

    /// <summary>An hour-long plugin token, used once, then refused by the server as if revoked.</summary>
    private async Task<(KubeApi Api, string Revoked)> FirstTokenRevokedAsync(FakeApiServer server)
    {
        string? revoked = null;
        server.AcceptsToken = token => IsNewestIssued(token) && token != revoked;
        var api = Api(WriteKubeconfig(server.BaseAddress, lifetimeSeconds: 3600));
        await api.GetServerVersionAsync(CancellationToken.None);
        revoked = server.ReceivedTokens[0];
        return (api, revoked);
    }

    private bool IsNewestIssued(string token) =>
        File.Exists(Path.Combine(_state, "issued")) && File.ReadAllText(Path.Combine(_state, "issued")) == token;

    private int Runs() => int.Parse(File.ReadAllText(Path.Combine(_state, "runs")).Trim(), CultureInfo.InvariantCulture);

    private static int Number(string token) => int.Parse(token["exec-token-".Length..], CultureInfo.InvariantCulture);

    private static KubeApi Api(string kubeconfig) =>
        new(KubeClientFactory.Create(KubeconfigLoader.Load([kubeconfig], null), TestApi.FastOptions(maxRetries: 0)));

    private string WriteKubeconfig(Uri server, int lifetimeSeconds, string? state = null)
    {
        var plugin = Path.Combine(AppContext.BaseDirectory, "Scripts", "exec-credential-plugin.sh");
        var path = Path.Combine(_state, "config");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: exec
            contexts:
              - name: exec
                context:
                  cluster: fake
                  user: plugin
            clusters:
              - name: fake
                cluster:
                  server: "{server}"
            users:
              - name: plugin
                user:
                  exec:
                    apiVersion: client.authentication.k8s.io/v1
                    command: "{plugin}"
                    interactiveMode: Never
                    env:
                      - name: PLUGIN_STATE
                        value: "{state ?? _state}"
                      - name: PLUGIN_LIFETIME_SECONDS
                        value: "{lifetimeSeconds.ToString(CultureInfo.InvariantCulture)}"
            """);
        return path;
    }
}
