using System.Text.RegularExpressions;
using Pyrometer.EndToEnd.Tests.Support;

namespace Pyrometer.EndToEnd.Tests.Scenarios;

/// <summary><c>kubectl pyrometer</c> as a user runs it against the cluster: record a Deployment, dump a pod's stacks.</summary>
[Collection(ClusterScenarios.Name)]
public sealed partial class KubectlPluginTests(ClusterFixture cluster) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("e2e-kubectl-pyrometer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [EndToEndFact]
    public async Task Record_Deployment_PrintsTheSummaryAndDownloadsTheArtifacts()
    {
        await cluster.Operator.EnsureRunningAsync(ArtifactStoreKind.S3);
        var plugin = new KubectlPlugin(cluster.Kubectl.Namespace);
        var name = ProfileRequests.UniqueName("plugin");

        var result = await plugin.RunAsync(TimeSpan.FromMinutes(3),
            "record", "deploy/demo", "-d", "10s", "--max-pods", "2", "-f", "flamegraph,folded", "--name", name, "-o", _directory);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains($"profilerequest.pyrometer.dev/{name} created", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Succeeded (Completed)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(DemoPod.HotFunction, result.Stdout, StringComparison.Ordinal);
        // The request the plugin made targets the Deployment's selector, over both replicas.
        var request = await cluster.Kubectl.GetJsonAsync("profilerequest", name);
        Assert.Equal("demo", request.GetProperty("spec").GetProperty("target").GetProperty("selector").GetProperty("matchLabels").GetProperty("app").GetString());
        var merged = new FoldedProfile(await File.ReadAllBytesAsync(Path.Combine(_directory, "merged-folded.folded")));
        var svg = new FlameGraphSvg(await File.ReadAllBytesAsync(Path.Combine(_directory, "merged-flamegraph.svg")));
        Assert.Equal(request.GetProperty("status").GetProperty("summary").GetProperty("samples").GetInt64(), merged.Samples);
        Assert.Equal(DemoPod.HotFunction, merged.TopSelfFunction);
        Assert.Equal(DemoPod.HotFunction, svg.TopSelfFunction);
        foreach (var pod in await cluster.Kubectl.PodNamesAsync(ClusterFixture.DemoSelector))
        {
            Assert.True(File.Exists(Path.Combine(_directory, $"{pod}-folded.folded")), $"no per-pod profile for {pod}");
        }
    }

    [EndToEndFact]
    public async Task Dump_DemoPod_PrintsThePythonStacks()
    {
        var plugin = new KubectlPlugin(cluster.Kubectl.Namespace);
        var pod = await cluster.DemoPodAsync();

        var result = await plugin.RunAsync(TimeSpan.FromMinutes(3),
            "dump", "pod/" + pod, "-s", "--image", KubectlPlugin.AgentImage, "--image-pull-policy", "Never");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains($"to pod {pod}, targeting container app", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Python v3.11", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(ThreadLine(), result.Stdout);
        // gunicorn's own code runs in the master and every worker: a real stack, read from the pod's interpreter.
        Assert.Matches(GunicornFrame(), result.Stdout);
        var containers = await cluster.Kubectl.RunAsync("get", "pod", pod, "-o", "jsonpath={.spec.ephemeralContainers[*].name}");
        Assert.Contains("kubectl-pyrometer-dump-", containers.EnsureSuccess().Stdout, StringComparison.Ordinal);
    }

    [EndToEndFact]
    public async Task Top_DemoPod_AttachesAndShowsTheHotFunction()
    {
        var plugin = new KubectlPlugin(cluster.Kubectl.Namespace);
        var pod = await cluster.DemoPodAsync();

        // Piped, as in CI: no TTY, so the agent prints a table per refresh and stops after ten of them.
        var result = await plugin.RunAsync(TimeSpan.FromMinutes(3),
            "top", "pod/" + pod, "-s", "--iterations", "10", "--image", KubectlPlugin.AgentImage, "--image-pull-policy", "Never");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.DoesNotContain("Attach failed", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("%Own  %Total", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(DemoPod.HotFunction + " (", result.Stdout, StringComparison.Ordinal);
    }

    [EndToEndFact]
    public async Task Record_MissingDeployment_OneLineError()
    {
        var plugin = new KubectlPlugin(cluster.Kubectl.Namespace);

        var result = await plugin.RunAsync(TimeSpan.FromMinutes(1), "record", "deploy/no-such-demo", "-d", "5s");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: deployment no-such-demo not found in namespace {cluster.Kubectl.Namespace}", result.Stderr.Trim());
    }

    [GeneratedRegex(@"^Thread \d+ \(0x[0-9a-f]+\)", RegexOptions.Multiline)]
    private static partial Regex ThreadLine();

    [GeneratedRegex(@"^    \S.* \(/\S*/gunicorn/\S+\.py:\d+\)$", RegexOptions.Multiline)]
    private static partial Regex GunicornFrame();
}
