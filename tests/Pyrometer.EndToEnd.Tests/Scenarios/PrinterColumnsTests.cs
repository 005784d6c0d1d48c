using System.Text.RegularExpressions;
using Pyrometer.EndToEnd.Tests.Support;

namespace Pyrometer.EndToEnd.Tests.Scenarios;

[Collection(ClusterScenarios.Name)]
public sealed class PrinterColumnsTests(ClusterFixture cluster)
{
    // ../shared/design/profilerequest-api.md: "kubectl get profilerequests prints: NAME, PHASE, TARGET, DURATION,
    // SAMPLES, TOP (the top function), AGE."
    private static readonly string[] Columns = ["NAME", "PHASE", "TARGET", "DURATION", "SAMPLES", "TOP", "AGE"];

    [EndToEndFact]
    public async Task KubectlGet_PrintsTheApiDocumentsColumns_WithAFinishedRequestsValues()
    {
        await cluster.Operator.EnsureRunningAsync(ArtifactStoreKind.S3);
        var pod = await cluster.DemoPodAsync();
        var name = ProfileRequests.UniqueName("columns");
        await cluster.Requests.CreateForPodAsync(name, pod, seconds: 3, "folded");
        var status = await cluster.Requests.WaitForPhaseAsync(name, TimeSpan.FromSeconds(40), "Succeeded", "Failed");

        var output = (await cluster.Kubectl.RunAsync("get", "profilerequests", name)).EnsureSuccess().Stdout;

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Columns, Regex.Split(lines[0].Trim(), @"\s+"));
        var values = Regex.Split(lines[1].Trim(), @"\s+");
        Assert.Equal(Columns.Length, values.Length);
        Assert.Equal([name, "Succeeded", pod, "3s"], values[..4]);
        Assert.Equal(status.GetProperty("summary").GetProperty("samples").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), values[4]);
        Assert.Equal(ProfileRequests.TopFunction(status), values[5]);
    }
}
