using System.Text.Json.Nodes;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Injection;
using static Pyrometer.Operator.Tests.TestObjects;

namespace Pyrometer.Operator.Tests.Injection;

public sealed class EphemeralContainerInjectorTests
{
    private static readonly AgentLaunch Launch = new(["record"], "flamegraph=https://store.test/up/a.svg?sig=1");

    private const string PodJson = """{"metadata":{"name":"api-1"},"spec":{"containers":[{"name":"api"}]},"status":{"phase":"Running"}}""";

    private static async Task<(FakeApiServer Server, KubeApi Api)> StartAsync(string kind)
    {
        var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { EphemeralContainersKind = kind });
        server.Seed("pods", "shop", PodJson);
        return (server, TestApi.Create(server));
    }

    [Theory]
    [InlineData("Pod", "Pod")]
    [InlineData("EphemeralContainers", "Legacy")]
    public async Task DetectModeAsync_DiscoveryKind_PicksBody(string kind, string mode)
    {
        var expected = Enum.Parse<InjectionMode>(mode);
        var (server, api) = await StartAsync(kind);
        await using var _ = server;

        Assert.Equal(expected, await EphemeralContainerInjector.DetectModeAsync(api, CancellationToken.None));
    }

    [Theory]
    [InlineData("Pod", "Pod")]
    [InlineData("EphemeralContainers", "Legacy")]
    public async Task InjectAsync_Twice_AddsOneContainer(string kind, string modeName)
    {
        var mode = Enum.Parse<InjectionMode>(modeName);
        var (server, api) = await StartAsync(kind);
        await using var _ = server;
        var injector = new EphemeralContainerInjector(api, mode);
        var container = EphemeralContainerBuilder.Build("pyrometer-3f9c2a", "api", Launch, Options(), mode);

        await injector.InjectAsync(new ObjectKey("shop", "api-1"), container, CancellationToken.None);
        if (mode == InjectionMode.Pod)
        {
            // Only the strategic merge is idempotent by itself; the reconciler checks the pod before a legacy JSON patch.
            await injector.InjectAsync(new ObjectKey("shop", "api-1"), container, CancellationToken.None);
        }
        var pod = await api.GetAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None);

        var added = Assert.Single(pod!.Spec!.EphemeralContainers!);
        Assert.Equal(("pyrometer-3f9c2a", "api"), (added.Name, added.TargetContainerName));
        Assert.Equal(mode == InjectionMode.Pod, added.SecurityContext is not null);
    }

    [Fact]
    public void BuildPatch_Legacy_IsJsonPatchOnEphemeralContainersList()
    {
        var container = EphemeralContainerBuilder.Build("pyrometer-3f9c2a", "api", Launch, Options(), InjectionMode.Legacy);

        var patch = EphemeralContainerInjector.BuildPatch(container, InjectionMode.Legacy);

        Assert.Equal(KubePatchType.JsonPatch, patch.Type);
        var operation = Assert.Single(JsonNode.Parse(patch.ToString())!.AsArray())!;
        Assert.Equal(("add", "/ephemeralContainers/-"), ((string?)operation["op"], (string?)operation["path"]));
        Assert.Equal("pyrometer-3f9c2a", (string?)operation["value"]!["name"]);
        Assert.Equal("api", (string?)operation["value"]!["targetContainerName"]);
    }

    [Fact]
    public async Task InjectAsync_ModernBodyOnLegacyServer_ChangesNothing()
    {
        // Why detection matters: a 1.20 server answers a Pod-shaped patch with 200 and ignores it.
        var (server, api) = await StartAsync("EphemeralContainers");
        await using var _ = server;
        var injector = new EphemeralContainerInjector(api, InjectionMode.Pod);
        var container = EphemeralContainerBuilder.Build("pyrometer-3f9c2a", "api", Launch, Options(), InjectionMode.Pod);

        await injector.InjectAsync(new ObjectKey("shop", "api-1"), container, CancellationToken.None);
        var pod = await api.GetAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None);

        Assert.Null(pod!.Spec!.EphemeralContainers);
    }

    [Fact]
    public async Task InjectAsync_LegacyServerWithSecurityContext_IsRejectedLikeTheRealServer()
    {
        var (server, api) = await StartAsync("EphemeralContainers");
        await using var _ = server;
        var injector = new EphemeralContainerInjector(api, InjectionMode.Legacy);
        var container = EphemeralContainerBuilder.Build("pyrometer-3f9c2a", "api", Launch, Options(), InjectionMode.Pod);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => injector.InjectAsync(new ObjectKey("shop", "api-1"), container, CancellationToken.None));

        Assert.True(error.IsInvalid);
        Assert.Contains("securityContext: Forbidden", error.Status!.Message, StringComparison.Ordinal);
    }
}
