using Pyrometer.EndToEnd.Tests.Support;

namespace Pyrometer.EndToEnd.Tests.Scenarios;

[Collection(ClusterScenarios.Name)]
public sealed class WorkerRestartTests(ClusterFixture cluster)
{
    [EndToEndFact]
    public async Task WorkerKilledMidProfile_StillSucceeds_AndTheReplacementIsSampled()
    {
        await cluster.Operator.EnsureRunningAsync(ArtifactStoreKind.S3);
        var pod = await cluster.DemoPodAsync();
        var name = ProfileRequests.UniqueName("worker-killed");

        await cluster.Requests.CreateForPodAsync(name, pod, seconds: 14, "folded");
        var sampling = await cluster.Requests.WaitForReasonAsync(name, TimeSpan.FromSeconds(30), "Sampling");
        Assert.True(ProfileRequests.Reason(sampling) == "Sampling", sampling.ToString());
        await Task.Delay(TimeSpan.FromSeconds(3));
        var workers = await DemoPod.WorkerPidsAsync(cluster.Kubectl, pod);
        var victim = workers.Min();
        await DemoPod.KillAsync(cluster.Kubectl, pod, victim);
        var replacement = await ReplacementAsync(pod, workers, victim);
        var status = await cluster.Requests.WaitForPhaseAsync(name, TimeSpan.FromSeconds(14 + 30), "Succeeded", "Failed");

        Assert.True(status.GetProperty("phase").GetString() == "Succeeded", status.ToString());
        var folded = ProfileRequests.Artifacts(status).Single(a => a.Pod == pod && a.Format == "folded");
        var samples = new FoldedProfile(await Artifacts.DownloadVerifiedAsync(folded.Artifact)).SamplesByPid;
        Assert.True(samples.ContainsKey(victim), $"the killed worker {victim} was not sampled before it died: {string.Join(", ", samples.Keys)}");
        Assert.True(samples.ContainsKey(replacement), $"its replacement {replacement} was not sampled: {string.Join(", ", samples.Keys)}");
    }

    private async Task<int> ReplacementAsync(string pod, IReadOnlySet<int> before, int victim)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var now = await DemoPod.WorkerPidsAsync(cluster.Kubectl, pod);
            var fresh = now.Except(before).ToList();
            if (fresh.Count == 1 && !now.Contains(victim))
            {
                return fresh[0];
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"gunicorn did not replace worker {victim} within 10 s");
    }
}
