using System.Text.Json;
using Pyrometer.EndToEnd.Tests.Support;

namespace Pyrometer.EndToEnd.Tests.Scenarios;

[Collection(ClusterScenarios.Name)]
public sealed class OperatorRestartTests(ClusterFixture cluster)
{
    [EndToEndFact]
    public async Task OperatorKilledWhileProfiling_SuccessorTakesTheLease_NoSecondInjection_Succeeds()
    {
        await cluster.Operator.EnsureRunningAsync(ArtifactStoreKind.S3);
        var pod = await cluster.DemoPodAsync(1);
        var before = await EphemeralContainerNamesAsync(pod);
        var name = ProfileRequests.UniqueName("restart");

        await cluster.Requests.CreateForPodAsync(name, pod, seconds: 20, "folded");
        var sampling = await cluster.Requests.WaitForReasonAsync(name, TimeSpan.FromSeconds(30), "Sampling");
        Assert.True(ProfileRequests.Reason(sampling) == "Sampling", sampling.ToString());
        cluster.Operator.Kill();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await cluster.Operator.StartAsync(ArtifactStoreKind.S3);
        var status = await cluster.Requests.WaitForPhaseAsync(name, TimeSpan.FromSeconds(90), "Succeeded", "Failed");

        Assert.True(ProfileRequests.Reason(status) == "Completed", status.ToString());
        var added = (await EphemeralContainerNamesAsync(pod)).Except(before).ToList();
        var injected = status.GetProperty("targets")[0].GetProperty("ephemeralContainer").GetString() ?? "";
        Assert.Equal([injected], added);
        var folded = ProfileRequests.Artifacts(status).Single(a => a.Pod == pod && a.Format == "folded");
        Assert.True(new FoldedProfile(await Artifacts.DownloadVerifiedAsync(folded.Artifact)).Samples > 0);
    }

    private async Task<IReadOnlyList<string>> EphemeralContainerNamesAsync(string pod)
    {
        var json = await cluster.Kubectl.GetJsonAsync("pod", pod);
        return json.GetProperty("spec").TryGetProperty("ephemeralContainers", out var containers)
            ? containers.EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList()
            : [];
    }
}
