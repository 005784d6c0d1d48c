using System.Text;
using System.Text.Json;
using k8s.Models;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Comparison;
using Pyrometer.Operator.Tests.Fakes;

namespace Pyrometer.Operator.Tests.Comparison;

/// <summary>
/// Baselines through the controller against the fake API server: requests succeed one after another on a Deployment's
/// pods, across a rollout, and the later ones are compared with the earlier ones.
/// </summary>
public sealed class BaselineComparisonControllerTests
{
    private const string Thread = "pid 7 gunicorn;thread 140 MainThread";
    private static readonly string V1 = $"{Thread};main (app.py:3);handle (app.py:10);compute_similarity (app.py:57) 600\n{Thread};main (app.py:3);handle (app.py:10);load (db.py:4) 400\n";

    // The same code one line lower and with other ids: by function and file, nothing changed.
    private static readonly string V1Moved = V1.Replace("pid 7 ", "pid 9 ", StringComparison.Ordinal).Replace("app.py:57", "app.py:58", StringComparison.Ordinal);

    // A rollout adds audit_records under handle: 40% of the samples.
    private static readonly string V2 =
        $"{Thread};main (app.py:3);handle (app.py:10);compute_similarity (app.py:57) 360\n{Thread};main (app.py:3);handle (app.py:10);load (db.py:4) 240\n" +
        $"{Thread};main (app.py:3);handle (app.py:10);audit_records (app.py:80) 400\n";

    private static string Owner(string kind, string name) =>
        $$"""[{"apiVersion":"apps/v1","kind":"{{kind}}","name":"{{name}}","uid":"uid-{{name}}","controller":true}]""";

    private static void SeedDeploymentPods(OperatorHarness harness)
    {
        harness.Server.Seed("replicasets", "shop", """{"metadata":{"name":"demo-5b8d","ownerReferences":""" + Owner("Deployment", "demo") + """}}""");
        harness.Server.Seed("replicasets", "shop", """{"metadata":{"name":"demo-7c9f","ownerReferences":""" + Owner("Deployment", "demo") + """}}""");
        harness.SeedPod("demo-5b8d-old", labels: """{"app":"demo"}""", owners: Owner("ReplicaSet", "demo-5b8d"));
    }

    private static async Task<ProfileRequest> ProfileAsync(OperatorHarness harness, string name, string spec, string pod, string folded)
    {
        harness.CreateRequest(name, spec);
        var running = await harness.WaitAsync(name, r => r.Status?.Targets?.All(t => t.Phase == ProfilePhases.Running) == true);
        await harness.FinishAgentAsync(pod, folded: folded, agentName: running.Status!.Targets![0].EphemeralContainer);
        var done = await harness.WaitForPhaseAsync(name, ProfilePhases.Succeeded);
        harness.Time.Advance(TimeSpan.FromMinutes(1));   // the next request completes later
        return done;
    }

    private static Condition Regressed(ProfileRequest request) => Assert.Single(request.Status!.Conditions!, c => c.Type == Conditions.Regressed);

    [Fact]
    public async Task Baselines_AcrossARollout_FirstUnknownThenNoRegressionThenTheNewFunctionGrew()
    {
        await using var harness = await OperatorHarness.StartAsync();
        SeedDeploymentPods(harness);

        var first = await ProfileAsync(harness, "v1-a", """{"target":{"pod":"demo-5b8d-old"},"formats":["flamegraph"],"baseline":"latest"}""", "demo-5b8d-old", V1);
        var second = await ProfileAsync(harness, "v1-b", """{"target":{"pod":"demo-5b8d-old"},"formats":["flamegraph"],"baseline":"latest"}""", "demo-5b8d-old", V1Moved);
        harness.SeedPod("demo-7c9f-new", labels: """{"app":"demo"}""", owners: Owner("ReplicaSet", "demo-7c9f"));
        var third = await ProfileAsync(harness, "v2", """{"target":{"pod":"demo-7c9f-new"},"formats":["flamegraph"],"baseline":"latest"}""", "demo-7c9f-new", V2);

        // The first has nothing to compare with, yet succeeds, and keeps folded for the next one.
        Assert.Equal((Condition.Unknown, Conditions.BaselineNotFound), (Regressed(first).Status, Regressed(first).Reason));
        Assert.Contains("Deployment/demo", Regressed(first).Message, StringComparison.Ordinal);
        Assert.Equal([ProfileFormats.FlameGraph, ProfileFormats.Folded], first.Status!.Artifacts!.Select(a => a.Format));
        Assert.Null(first.Status.Comparison);
        Assert.Equal("Deployment/demo", first.Status.Targets![0].Owner!.ToString());

        // Same code, moved a line, other pids: no change at all by function.
        Assert.Equal((Condition.False, Conditions.NoRegression), (Regressed(second).Status, Regressed(second).Reason));
        Assert.Equal("Compared with v1-a: no function grew more than 5 pp (none grew).", Regressed(second).Message);
        Assert.Equal(("v1-a", 1000L, 1000L), (second.Status!.Comparison!.Baseline, second.Status.Comparison.BeforeSamples, second.Status.Comparison.AfterSamples));
        Assert.Empty(second.Status.Comparison.Grew);
        Assert.Empty(second.Status.Comparison.Shrank);

        // After the rollout: another pod of another ReplicaSet, matched through the Deployment; the latest is v1-b.
        var verdict = Regressed(third);
        Assert.Equal((Condition.True, Conditions.FunctionGrew), (verdict.Status, verdict.Reason));
        Assert.Equal("Compared with v1-b: audit_records (app.py) grew 40 pp total, over the 5 pp threshold.", verdict.Message);
        Assert.Equal(ProfilePhases.Succeeded, third.Status!.Phase);
        Assert.EndsWith("; " + verdict.Message, third.Status.Message, StringComparison.Ordinal);
        var comparison = third.Status.Comparison!;
        Assert.Equal(("v1-b", 5.0), (comparison.Baseline, comparison.Threshold));
        var grew = Assert.Single(comparison.Grew);
        Assert.Equal(("audit_records", "app.py", 40.0, 40.0, 0.0, 40.0), (grew.Function, grew.File, grew.SelfChange, grew.TotalChange, grew.TotalBefore, grew.TotalAfter));
        Assert.Equal(["compute_similarity", "load"], comparison.Shrank.Select(f => f.Function));
        Assert.Equal((-24.0, -16.0), (comparison.Shrank[0].SelfChange, comparison.Shrank[1].SelfChange));
    }

    [Fact]
    public async Task Baselines_Regressed_StoresTheThreeDiffArtifacts()
    {
        await using var harness = await OperatorHarness.StartAsync();
        SeedDeploymentPods(harness);
        await ProfileAsync(harness, "v1", """{"target":{"pod":"demo-5b8d-old"},"formats":["folded"]}""", "demo-5b8d-old", V1);
        var done = await ProfileAsync(harness, "v2", """{"target":{"pod":"demo-5b8d-old"},"formats":["flamegraph"],"baseline":"v1","regressionThreshold":50}""", "demo-5b8d-old", V2);

        Assert.Equal(Condition.False, Regressed(done).Status);   // 40 pp is under a 50 pp threshold
        var merged = done.Status!.Artifacts!.Where(a => a.Pod.Length == 0).ToList();
        Assert.Equal(ComparisonFormats.All, merged.Select(a => a.Format));
        foreach (var artifact in merged)
        {
            var stored = harness.Store.Read($"shop/v2/merged/{artifact.Format}.{ComparisonFormats.Extension(artifact.Format)}")!;
            Assert.Equal(stored.Length, artifact.Bytes);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored)), artifact.Sha256);
            Assert.StartsWith("https://store.test/view/shop/v2/merged/", artifact.Url, StringComparison.Ordinal);
        }
        var after = Encoding.UTF8.GetString(harness.Store.Read("shop/v2/merged/diff.svg")!);
        var before = Encoding.UTF8.GetString(harness.Store.Read("shop/v2/merged/diff-before.svg")!);
        // New code has a box only in AFTER's shape; both headers list it in their table (<g><title>).
        Assert.Contains("\"><title>audit_records (app.py)", after, StringComparison.Ordinal);
        Assert.DoesNotContain("\"><title>audit_records (app.py)", before, StringComparison.Ordinal);
        Assert.Contains("\"><title>compute_similarity (app.py)", before, StringComparison.Ordinal);
        Assert.Contains("(what grew or is new)", after, StringComparison.Ordinal);
        Assert.Contains("(what shrank or went away)", before, StringComparison.Ordinal);

        using var changes = JsonDocument.Parse(harness.Store.Read("shop/v2/merged/changes.json")!);
        var root = changes.RootElement;
        Assert.Equal("function", root.GetProperty("matchedBy").GetString());
        Assert.Equal(done.Status.Comparison!.BeforeSamples, root.GetProperty("beforeSamples").GetInt64());
        Assert.Equal(done.Status.Comparison.Grew.Select(f => f.Function), root.GetProperty("grew").EnumerateArray().Select(f => f.GetProperty("function").GetString()));
        Assert.Equal(done.Status.Comparison.Grew[0].TotalChange, root.GetProperty("grew")[0].GetProperty("total").GetProperty("change").GetDouble(), 2);
    }

    [Fact]
    public async Task Baselines_OverTwoPods_ComparesTheMergedProfile()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-a", labels: """{"app":"api"}""");
        harness.SeedPod("api-b", labels: """{"app":"api"}""");
        const string Spec = """{"target":{"selector":{"matchLabels":{"app":"api"}},"maxPods":2},"formats":["flamegraph"],"baseline":"latest"}""";

        harness.CreateRequest("one", Spec);
        await harness.WaitAsync("one", r => r.Status?.Targets is { Count: 2 } t && t.All(x => x.Phase == ProfilePhases.Running));
        await harness.FinishAgentAsync("api-a", folded: V1);
        await harness.FinishAgentAsync("api-b", folded: V1);
        await harness.WaitForPhaseAsync("one", ProfilePhases.Succeeded);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        harness.CreateRequest("two", Spec);
        var running = await harness.WaitAsync("two", r => r.Status?.Targets is { Count: 2 } t && t.All(x => x.Phase == ProfilePhases.Running));
        var agent = running.Status!.Targets![0].EphemeralContainer;
        await harness.FinishAgentAsync("api-a", folded: V1, agentName: agent);
        await harness.FinishAgentAsync("api-b", folded: V2, agentName: agent);
        var done = await harness.WaitForPhaseAsync("two", ProfilePhases.Succeeded);

        // Matched by selector; the merged profiles hold 2000 samples each, and audit_records is 400 of "two"'s: 20 pp.
        var comparison = done.Status!.Comparison!;
        Assert.Equal(("one", 2000L, 2000L), (comparison.Baseline, comparison.BeforeSamples, comparison.AfterSamples));
        Assert.Equal(("audit_records", 20.0), (comparison.Grew[0].Function, comparison.Grew[0].TotalChange));
        Assert.Equal(Condition.True, Regressed(done).Status);
        Assert.Equal(
            [ProfileFormats.FlameGraph, ProfileFormats.Folded, .. ComparisonFormats.All],
            done.Status.Artifacts!.Where(a => a.Pod.Length == 0).Select(a => a.Format));
    }

    [Theory]
    [InlineData("missing", Conditions.BaselineNotFound, "Baseline ProfileRequest shop/missing does not exist.")]
    [InlineData("failed", Conditions.BaselineNotSucceeded, "Baseline ProfileRequest shop/failed is Failed (PodNotFound), not Succeeded: it has no profile to compare with.")]
    [InlineData("svg-only", Conditions.BaselineUnreadable, "Baseline svg-only cannot be compared with: pod api-1's profile was stored as flamegraph only; comparing needs folded or pprof")]
    public async Task Baselines_NamedBaselineUnusable_RegressedUnknownAndStillSucceeded(string baseline, string reason, string message)
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.CreateRequest("failed", """{"target":{"pod":"gone"}}""");
        await harness.WaitForPhaseAsync("failed", ProfilePhases.Failed);
        await ProfileAsync(harness, "svg-only", """{"target":{"pod":"api-1"},"formats":["flamegraph"]}""", "api-1", V1);

        var done = await ProfileAsync(harness, "now", $$"""{"target":{"pod":"api-1"},"baseline":"{{baseline}}"}""", "api-1", V2);

        Assert.Equal(Conditions.Completed, done.Status!.Reason);
        Assert.Equal((Condition.Unknown, reason), (Regressed(done).Status, Regressed(done).Reason));
        Assert.StartsWith(message, Regressed(done).Message, StringComparison.Ordinal);
        Assert.Null(done.Status.Comparison);
        Assert.DoesNotContain(done.Status.Artifacts!, a => ComparisonFormats.All.Contains(a.Format));
        Assert.Contains(done.Status.Conditions!, c => c.Type == Conditions.Ready && c.Status == Condition.True);
    }

    [Fact]
    public async Task Baselines_BaselineProfileDeletedFromStore_Unknown()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        await ProfileAsync(harness, "v1", """{"target":{"pod":"api-1"},"formats":["folded"]}""", "api-1", V1);
        await harness.Store.DeleteRequestAsync("shop", "v1", CancellationToken.None);

        var done = await ProfileAsync(harness, "v2", """{"target":{"pod":"api-1"},"baseline":"latest"}""", "api-1", V2);

        Assert.Equal(Conditions.BaselineUnreadable, Regressed(done).Reason);
        Assert.Equal("Baseline v1 cannot be compared with: its artifact shop/v1/api-1/folded.folded is not in the store (deleted, or never uploaded).", Regressed(done).Message);
    }
}
