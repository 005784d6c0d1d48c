using Pyrometer.EndToEnd.Tests.Support;

namespace Pyrometer.EndToEnd.Tests.Scenarios;

/// <summary>Requests that cannot succeed end with the reason the API document gives, or never get in.</summary>
[Collection(ClusterScenarios.Name)]
public sealed class RejectedRequestTests(ClusterFixture cluster)
{
    [EndToEndFact]
    public async Task MissingPod_FailsWithPodNotFound()
    {
        await cluster.Operator.EnsureRunningAsync(ArtifactStoreKind.S3);
        var name = ProfileRequests.UniqueName("missing-pod");

        await cluster.Requests.CreateAsync(name, """
              target:
                pod: no-such-pod
              duration: 5s
            """);
        var status = await cluster.Requests.WaitForPhaseAsync(name, TimeSpan.FromSeconds(30), "Succeeded", "Failed");

        Assert.Equal("Failed", status.GetProperty("phase").GetString());
        Assert.Equal("PodNotFound", ProfileRequests.Reason(status));
        Assert.Contains("no-such-pod", ProfileRequests.Message(status), StringComparison.Ordinal);
    }

    [EndToEndFact]
    public async Task NonPythonContainer_FailsWithNotPython()
    {
        await cluster.Operator.EnsureRunningAsync(ArtifactStoreKind.S3);
        var name = ProfileRequests.UniqueName("not-python");

        await cluster.Requests.CreateAsync(name, """
              target:
                pod: not-python
              duration: 5s
            """);
        var status = await cluster.Requests.WaitForPhaseAsync(name, TimeSpan.FromSeconds(60), "Succeeded", "Failed");

        Assert.Equal("Failed", status.GetProperty("phase").GetString());
        Assert.True(ProfileRequests.Reason(status) == "NotPython", status.ToString());
    }

    [EndToEndFact]
    public async Task InvalidSpec_IsRejectedByTheSchema_WithTheFieldAndTheRule()
    {
        var name = ProfileRequests.UniqueName("invalid");
        var manifest = $"""
            apiVersion: pyrometer.dev/v1alpha1
            kind: ProfileRequest
            metadata:
              name: {name}
            spec:
              target:
                pod: anything
              duration: 10s
              rate: 5000
              mode: sometimes
            """;

        var result = await cluster.Kubectl.RunWithInputAsync(manifest, "apply", "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("spec.rate", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("less than or equal to 1000", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.mode", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Unsupported value: \"sometimes\"", result.Stderr, StringComparison.Ordinal);
        var lookup = await cluster.Kubectl.RunAsync("get", "profilerequest", name);
        Assert.Contains("NotFound", lookup.Stderr, StringComparison.Ordinal);
    }
}
