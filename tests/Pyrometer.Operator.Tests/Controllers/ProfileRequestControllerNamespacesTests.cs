using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Tests.Fakes;

namespace Pyrometer.Operator.Tests.Controllers;

/// <summary>The controller with <c>allowedNamespaces</c>, holding only the namespaced rights the chart then grants.</summary>
public sealed class ProfileRequestControllerNamespacesTests
{
    private static readonly string[] ClusterWideCollections =
    [
        "/api/v1/pods",
        "/api/v1/events",
        "/apis/pyrometer.dev/v1alpha1/profilerequests",
    ];

    [Fact]
    public async Task Run_AllowedNamespacesWithOnlyRoles_ProfilesWithoutAnyClusterWideCall()
    {
        var options = TestObjects.Options();
        options.AllowedNamespaces = ["shop", "search"];
        // RBAC with a Role per allowed namespace and no ClusterRole: every cluster-wide list or watch gets 403.
        await using var harness = await OperatorHarness.StartAsync(options, prepare: server => server.ForbidClusterWide(ClusterWideCollections));
        harness.SeedPod("api-1");
        harness.SeedPod("api-1", ns: "search");
        harness.CreateRequest("shop-profile", """{"target":{"pod":"api-1"},"duration":"30s","formats":["folded"]}""");
        harness.CreateRequest("search-profile", """{"target":{"pod":"api-1"},"duration":"30s","formats":["folded"]}""", ns: "search");

        await harness.WaitAsync("shop-profile", r => r.Status?.Targets?.Any(t => t.Phase == ProfilePhases.Running) == true);
        await harness.WaitAsync("search-profile", r => r.Status?.Targets?.Any(t => t.Phase == ProfilePhases.Running) == true, ns: "search");

        Assert.Single(await harness.AgentsAsync("api-1"));
        Assert.Single(await harness.AgentsAsync("api-1", ns: "search"));
        Assert.DoesNotContain(harness.Server.Requests, r => ClusterWideCollections.Any(c => r.StartsWith("GET " + c, StringComparison.Ordinal)));
        Assert.Contains(harness.Server.Requests, r => r.StartsWith("GET /api/v1/namespaces/search/pods?", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal));
        Assert.Contains(harness.Server.Requests, r => r.StartsWith("GET /apis/pyrometer.dev/v1alpha1/namespaces/shop/profilerequests?", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal));
    }
}
