using System.Text.Json.Nodes;
using Pyrometer.Kubectl.Cli;
using Pyrometer.Kubectl.Debug;
using Pyrometer.Kubectl.Kube;

namespace Pyrometer.Kubectl.Tests.Debug;

public sealed class EphemeralAgentTests
{
    private static readonly AgentImage Image = new("registry.example/pyrometer/agent:1.2", "IfNotPresent");

    [Theory]
    [InlineData("EphemeralContainers", "Legacy")]
    [InlineData("Pod", "Pod")]
    public async Task DetectMode_ReadsTheSubresourceKind(string kind, string mode)
    {
        await using var cluster = await FakeCluster.StartAsync(kind);

        Assert.Equal(Enum.Parse<InjectionMode>(mode), await EphemeralAgentInjector.DetectModeAsync(cluster.Connection.Client, CancellationToken.None));
    }

    [Fact]
    public async Task Inject_LegacyServer_AddsTheAgentWithoutSecurityContext()
    {
        await using var cluster = await FakeCluster.StartAsync("EphemeralContainers");
        var settings = DebugOptions.Bind("dump", "pod/" + FakeCluster.Pod, "sidecar", null, null, async: true, json: true, subprocesses: true, [])!;
        var container = EphemeralAgentBuilder.Container("kubectl-pyrometer-dump-abcde", "sidecar", Image, EphemeralAgentBuilder.Args(settings), interactive: false, InjectionMode.Legacy);

        await EphemeralAgentInjector.InjectAsync(cluster.Connection.Client, FakeCluster.Namespace, FakeCluster.Pod, container, InjectionMode.Legacy, CancellationToken.None);

        var added = Stored(cluster).Single()!.AsObject();
        Assert.Equal("kubectl-pyrometer-dump-abcde", (string?)added["name"]);
        Assert.Equal("registry.example/pyrometer/agent:1.2", (string?)added["image"]);
        Assert.Equal("IfNotPresent", (string?)added["imagePullPolicy"]);
        Assert.Equal("sidecar", (string?)added["targetContainerName"]);
        Assert.Equal(["dump", "--pid=auto", "--subprocesses", "--async", "--json"], added["args"]!.AsArray().Select(a => (string)a!));
        Assert.Null(added["securityContext"]);
        Assert.Null(added["tty"]);
    }

    [Fact]
    public async Task Inject_CurrentServer_AddsPtraceOnlyAndATtyForTop()
    {
        await using var cluster = await FakeCluster.StartAsync("Pod");
        var settings = DebugOptions.Bind("top", FakeCluster.Pod, null, null, null, async: false, json: false, subprocesses: false, [])!;
        var container = EphemeralAgentBuilder.Container("kubectl-pyrometer-top-abcde", "app", Image, EphemeralAgentBuilder.Args(settings), interactive: true, InjectionMode.Pod);

        await EphemeralAgentInjector.InjectAsync(cluster.Connection.Client, FakeCluster.Namespace, FakeCluster.Pod, container, InjectionMode.Pod, CancellationToken.None);

        var added = Stored(cluster).Single()!.AsObject();
        Assert.Equal(["top", "--pid=auto"], added["args"]!.AsArray().Select(a => (string)a!));
        Assert.True((bool)added["tty"]!);
        Assert.True((bool)added["stdin"]!);
        Assert.Equal(["SYS_PTRACE"], added["securityContext"]!["capabilities"]!["add"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(["ALL"], added["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(a => (string)a!));
        Assert.False((bool)added["securityContext"]!["allowPrivilegeEscalation"]!);
    }

    [Fact]
    public void Container_TopWithoutTerminal_TakesStdinButNoTtyAndStopsAfterItsIterations()
    {
        var settings = DebugOptions.Bind("top", FakeCluster.Pod, null, null, null, false, false, false, [], iterations: 10)!;

        var container = EphemeralAgentBuilder.Container("c", "app", Image, EphemeralAgentBuilder.Args(settings), interactive: true, InjectionMode.Legacy, tty: false);

        Assert.Equal(["top", "--pid=auto", "--iterations=10"], container["args"]!.AsArray().Select(a => (string)a!));
        Assert.True((bool)container["stdin"]!);
        Assert.Null(container["tty"]);
    }

    [Fact]
    public async Task Inject_PodGone_OneLine()
    {
        await using var cluster = await FakeCluster.StartAsync("Pod");
        var container = EphemeralAgentBuilder.Container("kubectl-pyrometer-dump-abcde", "app", Image, ["dump", "--pid=auto"], interactive: false, InjectionMode.Pod);

        var error = await Assert.ThrowsAsync<PluginException>(() =>
            EphemeralAgentInjector.InjectAsync(cluster.Connection.Client, FakeCluster.Namespace, "gone", container, InjectionMode.Pod, CancellationToken.None));

        Assert.Equal("pod gone not found in namespace shop", error.Message);
    }

    [Fact]
    public void NewName_NeverUsesTheOperatorsPrefix()
    {
        var name = EphemeralAgentBuilder.NewName("dump");

        Assert.Matches("^kubectl-pyrometer-dump-[a-z0-9]{5}$", name);
        Assert.True(KubeNames.IsLabel(name));
    }

    [Theory]
    [InlineData("deploy/shop", null, null, "name a pod")]
    [InlineData("pod/a", "--rm", null, "is not an image reference")]
    [InlineData("pod/a", "my image", null, "is not an image reference")]
    [InlineData("pod/a", null, "Sometimes", "--image-pull-policy must be")]
    [InlineData("pod/a", null, null, "--iterations must be", 0)]
    public void Bind_BadArguments_AreRefused(string target, string? image, string? pullPolicy, string message, int? iterations = null)
    {
        var errors = new List<string>();

        Assert.Null(DebugOptions.Bind("top", target, null, image, pullPolicy, false, false, false, errors, iterations));
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    private static JsonArray Stored(FakeCluster cluster) =>
        cluster.Server.Stored("pods", FakeCluster.Namespace, FakeCluster.Pod)!["spec"]!["ephemeralContainers"]!.AsArray();
}
