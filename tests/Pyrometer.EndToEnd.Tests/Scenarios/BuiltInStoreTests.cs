using Pyrometer.EndToEnd.Tests.Support;

namespace Pyrometer.EndToEnd.Tests.Scenarios;

/// <summary>The default install's storage: the agent uploads to the operator itself, which serves the links and the viewer.</summary>
[Collection(ClusterScenarios.Name)]
public sealed class BuiltInStoreTests(ClusterFixture cluster)
{
    [EndToEndFact]
    public async Task BuiltInStore_AgentUploadsToTheOperator_LinksAndViewerServeThem()
    {
        await cluster.Operator.EnsureRunningAsync(ArtifactStoreKind.BuiltIn);
        var pod = await cluster.DemoPodAsync();
        var name = ProfileRequests.UniqueName("built-in");

        await cluster.Requests.CreateForPodAsync(name, pod, seconds: 6, "flamegraph", "folded");
        var status = await cluster.Requests.WaitForPhaseAsync(name, TimeSpan.FromSeconds(6 + 15), "Succeeded", "Failed");

        Assert.True(ProfileRequests.Reason(status) == "Completed", status.ToString());
        var artifacts = ProfileRequests.Artifacts(status).Where(a => a.Pod == pod).ToList();
        Assert.Equal(["flamegraph", "folded"], artifacts.Select(a => a.Format).Order(StringComparer.Ordinal));
        foreach (var (_, _, artifact) in artifacts)
        {
            Assert.StartsWith(cluster.Operator.BaseAddress.ToString(), artifact.GetProperty("url").GetString(), StringComparison.Ordinal);
            await Artifacts.DownloadVerifiedAsync(artifact);
        }
        var folded = new FoldedProfile(await Artifacts.DownloadVerifiedAsync(artifacts.Single(a => a.Format == "folded").Artifact));
        Assert.Equal(DemoPod.HotFunction, folded.TopSelfFunction);
        using var http = new HttpClient();
        var viewer = await http.GetStringAsync(cluster.Operator.BaseAddress);
        Assert.Contains(name, viewer, StringComparison.Ordinal);
    }
}
