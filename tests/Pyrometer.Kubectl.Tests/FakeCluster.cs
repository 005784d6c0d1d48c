using k8s;
using Pyrometer.Kube.Testing;
using Pyrometer.Kubectl.Kube;

namespace Pyrometer.Kubectl.Tests;

/// <summary>The fake API server with a namespace, a Running pod and a Deployment, and a plugin connection to it.</summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    public const string Namespace = "shop";
    public const string Pod = "shop-7d9f-x2";

    private FakeCluster(FakeApiServer server)
    {
        Server = server;
        Connection = ClusterConnection.FromConfiguration(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() }, Namespace);
    }

    public FakeApiServer Server { get; }

    public ClusterConnection Connection { get; }

    public static async Task<FakeCluster> StartAsync(string ephemeralKind = "Pod")
    {
        var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { EphemeralContainersKind = ephemeralKind });
        server.Seed("pods", Namespace, $$$"""
            {"metadata": {"name": "{{{Pod}}}", "labels": {"app": "shop"}},
             "spec": {"containers": [{"name": "app", "image": "shop:1"}, {"name": "sidecar", "image": "proxy:1"}]},
             "status": {"phase": "Running"}}
            """);
        server.Seed("deployments", Namespace, """
            {"metadata": {"name": "shop"},
             "spec": {"selector": {"matchLabels": {"app": "shop"}, "matchExpressions": [{"key": "track", "operator": "NotIn", "values": ["canary"]}]},
                      "template": {"metadata": {"labels": {"app": "shop"}}, "spec": {"containers": [{"name": "app", "image": "shop:1"}]}}}}
            """);
        return new FakeCluster(server);
    }

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        await Server.DisposeAsync();
    }
}
