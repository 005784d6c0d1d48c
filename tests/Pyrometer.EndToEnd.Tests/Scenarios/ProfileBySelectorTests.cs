using Pyrometer.EndToEnd.Tests.Support;

namespace Pyrometer.EndToEnd.Tests.Scenarios;

[Collection(ClusterScenarios.Name)]
public sealed class ProfileBySelectorTests(ClusterFixture cluster)
{
    [EndToEndFact]
    public async Task BySelector_OverTwoReplicas_OneProfilePerPodAndAMergedOne()
    {
        await cluster.Operator.EnsureRunningAsync(ArtifactStoreKind.S3);
        var pods = await cluster.Kubectl.PodNamesAsync(ClusterFixture.DemoSelector);
        var name = ProfileRequests.UniqueName("by-selector");

        await cluster.Requests.CreateAsync(name, """
              target:
                selector: {matchLabels: {app: demo}}
                maxPods: 2
              duration: 8s
              formats: [flamegraph, folded]
            """);
        var status = await cluster.Requests.WaitForPhaseAsync(name, TimeSpan.FromSeconds(8 + 30), "Succeeded", "Failed");

        Assert.True(ProfileRequests.Reason(status) == "Completed", status.ToString());
        var artifacts = ProfileRequests.Artifacts(status);
        Assert.Equal(
            ["", .. pods],
            artifacts.Select(a => a.Pod).Distinct().Order(StringComparer.Ordinal));
        var perPod = new List<FoldedProfile>();
        foreach (var pod in pods)
        {
            var folded = artifacts.Single(a => a.Pod == pod && a.Format == "folded");
            perPod.Add(new FoldedProfile(await Artifacts.DownloadVerifiedAsync(folded.Artifact)));
        }
        var merged = new FoldedProfile(await Artifacts.DownloadVerifiedAsync(artifacts.Single(a => a.Pod == "" && a.Format == "folded").Artifact));
        var mergedSvg = new FlameGraphSvg(await Artifacts.DownloadVerifiedAsync(artifacts.Single(a => a.Pod == "" && a.Format == "flamegraph").Artifact));

        Assert.All(perPod, p => Assert.True(p.Samples > 0));
        Assert.Equal(perPod.Sum(p => p.Samples), merged.Samples);
        Assert.Equal(merged.Samples, status.GetProperty("summary").GetProperty("samples").GetInt64());
        Assert.Equal(DemoPod.HotFunction, merged.TopSelfFunction);
        Assert.Equal(DemoPod.HotFunction, mergedSvg.TopSelfFunction);
    }
}
