using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Pyrometer.EndToEnd.Tests.Support;

namespace Pyrometer.EndToEnd.Tests.Scenarios;

[Collection(ClusterScenarios.Name)]
public sealed class ProfileByPodNameTests(ClusterFixture cluster)
{
    [EndToEndFact]
    public async Task ByPodName_SucceedsInTime_ArtifactsVerified_HotFunctionOnTop_AllWorkersSampled()
    {
        await cluster.Operator.EnsureRunningAsync(ArtifactStoreKind.S3);
        var pod = await cluster.DemoPodAsync();
        var workers = await DemoPod.WorkerPidsAsync(cluster.Kubectl, pod);
        Assert.Equal(4, workers.Count);
        var name = ProfileRequests.UniqueName("by-name");
        var clock = Stopwatch.StartNew();

        await cluster.Requests.CreateForPodAsync(name, pod, seconds: 10, "flamegraph", "speedscope", "folded");
        var status = await cluster.Requests.WaitForPhaseAsync(name, TimeSpan.FromSeconds(10 + 15), "Succeeded", "Failed");

        Assert.True(ProfileRequests.Reason(status) == "Completed", $"{clock.Elapsed}: {status}");
        var artifacts = ProfileRequests.Artifacts(status).Where(a => a.Pod == pod).ToDictionary(a => a.Format, a => a.Artifact);
        Assert.Equal(["flamegraph", "folded", "speedscope"], artifacts.Keys.Order(StringComparer.Ordinal));
        var folded = new FoldedProfile(await Artifacts.DownloadVerifiedAsync(artifacts["folded"]));
        var svg = new FlameGraphSvg(await Artifacts.DownloadVerifiedAsync(artifacts["flamegraph"]));
        var speedscope = await Artifacts.DownloadVerifiedAsync(artifacts["speedscope"]);

        Assert.Equal(DemoPod.HotFunction, ProfileRequests.TopFunction(status));
        Assert.Equal(DemoPod.HotFunction, folded.TopSelfFunction);
        Assert.Equal(DemoPod.HotFunction, svg.TopSelfFunction);
        Assert.Contains($"\"{DemoPod.HotFunction}\"", Encoding.UTF8.GetString(speedscope), StringComparison.Ordinal);
        using (JsonDocument.Parse(speedscope))
        {
            // well-formed; its schema is checked by the rendering tests
        }

        // every worker under load is in the profile, each as its own root "pid N …" frame, in the SVG too
        Assert.Superset(workers.ToHashSet(), folded.SamplesByPid.Keys.ToHashSet());
        foreach (var worker in workers)
        {
            Assert.Contains(svg.FrameTexts, text => text.StartsWith($"pid {worker} ", StringComparison.Ordinal));
        }
        Assert.Equal(folded.Samples, status.GetProperty("summary").GetProperty("samples").GetInt64());
    }
}
