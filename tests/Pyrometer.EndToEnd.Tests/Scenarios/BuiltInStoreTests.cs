using Pyrometer.EndToEnd.Tests.Support;

namespace Pyrometer.EndToEnd.Tests.Scenarios;

/// <summary>
/// The default install's storage: the agent uploads to the operator's upload port, status carries signed,
/// expiring links to its read port, and nothing there is readable without a signature.
/// </summary>
[Collection(ClusterScenarios.Name)]
public sealed class BuiltInStoreTests(ClusterFixture cluster)
{
    [EndToEndFact]
    public async Task BuiltInStore_AgentUploadsToTheUploadPort_SignedLinksServeThemAndNothingElseDoes()
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
            var url = artifact.GetProperty("url").GetString()!;
            Assert.StartsWith(cluster.Operator.BaseAddress.ToString(), url, StringComparison.Ordinal);
            Assert.Contains("signature=", url, StringComparison.Ordinal);
            Assert.True(artifact.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(6), "links last 7 days by default");
            await Artifacts.DownloadVerifiedAsync(artifact);
        }
        var folded = new FoldedProfile(await Artifacts.DownloadVerifiedAsync(artifacts.Single(a => a.Format == "folded").Artifact));
        Assert.Equal(DemoPod.HotFunction, folded.TopSelfFunction);
        using var http = new HttpClient();
        var unsigned = artifacts[0].Artifact.GetProperty("url").GetString()!.Split('?')[0];
        using var withoutSignature = await http.GetAsync(new Uri(unsigned));
        using var viewer = await http.GetAsync(cluster.Operator.BaseAddress);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, withoutSignature.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, viewer.StatusCode);   // the viewer is off by default
    }
}
