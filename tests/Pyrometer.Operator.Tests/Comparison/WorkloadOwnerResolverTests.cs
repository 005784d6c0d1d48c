using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Serialization;
using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Api;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Comparison;

namespace Pyrometer.Operator.Tests.Comparison;

/// <summary>Owner resolution against the fake API server, which serves ReplicaSets as the real one does.</summary>
public sealed class WorkloadOwnerResolverTests
{
    private static KubeApi Api(FakeApiServer server) =>
        new(new HttpClient { BaseAddress = server.BaseAddress }, TestApi.FastOptions(),
            ResourceRegistry.CreateDefault().Register<ProfileRequest>(ProfileRequest.Resource));

    private static string Owner(string apiVersion, string kind, string name, bool controller = true) =>
        $$"""{"apiVersion":"{{apiVersion}}","kind":"{{kind}}","name":"{{name}}","uid":"uid-{{name}}","controller":{{(controller ? "true" : "false")}}}""";

    private static V1OwnerReference Ref(string kind, string name, bool controller = true) =>
        new() { ApiVersion = "apps/v1", Kind = kind, Name = name, Uid = "uid-" + name, Controller = controller };

    private static V1Pod Pod(string name, string phase = "Running", params V1OwnerReference[] owners)
    {
        var pod = TestObjects.Pod(name, phase: phase);
        pod.Metadata.OwnerReferences = [.. owners];
        return pod;
    }

    [Fact]
    public async Task ResolveAsync_PodsOfTwoReplicaSets_BothLeadToTheirDeployment()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Seed("replicasets", "shop", """{"metadata":{"name":"demo-5b8d","ownerReferences":[""" + Owner("apps/v1", "Deployment", "demo") + """]}}""");
        server.Seed("replicasets", "shop", """{"metadata":{"name":"demo-7c9f","ownerReferences":[""" + Owner("apps/v1", "Deployment", "demo") + """]}}""");

        var owners = await new WorkloadOwnerResolver(Api(server)).ResolveAsync(
            [Pod("demo-5b8d-aaaaa", owners: Ref("ReplicaSet", "demo-5b8d")), Pod("demo-7c9f-bbbbb", owners: Ref("ReplicaSet", "demo-7c9f"))],
            CancellationToken.None);

        Assert.Equal(["Deployment/demo", "Deployment/demo"], owners.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Value.ToString()));
    }

    [Fact]
    public async Task ResolveAsync_OtherOwners_TheControllerItselfOrNothing()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Seed("replicasets", "shop", """{"metadata":{"name":"bare-rs"}}""");

        var owners = await new WorkloadOwnerResolver(Api(server)).ResolveAsync(
        [
            Pod("db-0", owners: Ref("StatefulSet", "db")),
            Pod("bare-rs-x", owners: Ref("ReplicaSet", "bare-rs")),
            Pod("gone-rs-x", owners: Ref("ReplicaSet", "gone-rs")),
            Pod("not-controller", owners: Ref("Deployment", "x", controller: false)),
            Pod("standalone"),
            Pod("pending", phase: "Pending", owners: Ref("StatefulSet", "db")),
        ], CancellationToken.None);

        Assert.Equal(
            ["bare-rs-x=ReplicaSet/bare-rs", "db-0=StatefulSet/db", "gone-rs-x=ReplicaSet/gone-rs"],
            owners.Select(o => $"{o.Key}={o.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ResolveAsync_ReplicaSetsForbidden_FallsBackToTheReplicaSet()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Seed("replicasets", "shop", """{"metadata":{"name":"demo-5b8d","ownerReferences":[""" + Owner("apps/v1", "Deployment", "demo") + """]}}""");
        server.Fail((_, path) => path.Contains("/replicasets/", StringComparison.Ordinal), 403, "Forbidden", "replicasets is forbidden");

        var owners = await new WorkloadOwnerResolver(Api(server)).ResolveAsync(
            [Pod("demo-5b8d-aaaaa", owners: Ref("ReplicaSet", "demo-5b8d"))], CancellationToken.None);

        Assert.Equal("ReplicaSet/demo-5b8d", owners["demo-5b8d-aaaaa"].ToString());
    }

    [Fact]
    public async Task ResolveAsync_ManyPodsOfOneReplicaSet_ReadsItOnce()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Seed("replicasets", "shop", """{"metadata":{"name":"demo-5b8d","ownerReferences":[""" + Owner("apps/v1", "Deployment", "demo") + """]}}""");
        var pods = Enumerable.Range(0, 5).Select(i => Pod($"demo-5b8d-{i}", owners: Ref("ReplicaSet", "demo-5b8d"))).ToList();

        var owners = await new WorkloadOwnerResolver(Api(server)).ResolveAsync(pods, CancellationToken.None);

        Assert.Equal(5, owners.Values.Count(o => o.ToString() == "Deployment/demo"));
        Assert.Single(server.Requests, r => r.Contains("/replicasets/", StringComparison.Ordinal));
    }
}
