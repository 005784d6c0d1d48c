namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>
/// Shared by every scenario: the operator process, kubectl in the demo namespace, and wrk load on each demo
/// pod's /slow for the whole run. The demo Deployment (app=demo, 2 replicas, its /listings on the PostgreSQL
/// pod), the database and the busybox pod are hack/e2e.sh's.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime, IDisposable
{
    public const string DemoSelector = "app=demo";

    private readonly LoadGenerator _load = new();

    internal EndToEndEnvironment Environment { get; private set; } = null!;

    internal Kubectl Kubectl { get; private set; } = null!;

    internal OperatorProcess Operator { get; private set; } = null!;

    internal ProfileRequests Requests { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!EndToEndEnvironment.Enabled)
        {
            return;
        }
        Environment = EndToEndEnvironment.FromVariables();
        Kubectl = new Kubectl(Environment.Namespace);
        Operator = new OperatorProcess(Environment);
        Requests = new ProfileRequests(Kubectl);
        var pods = await Kubectl.PodNamesAsync(DemoSelector);
        if (pods.Count != 2)
        {
            throw new InvalidOperationException($"expected 2 Running demo pods ({DemoSelector}), found {pods.Count}");
        }
        var addresses = new List<string>();
        foreach (var pod in pods)
        {
            addresses.Add(await PodAddressAsync(pod));
        }
        _load.Start(addresses, "/slow?records=2000", connections: 8, TimeSpan.FromMinutes(20));
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _load.Dispose();
        Operator?.Dispose();
    }

    /// <summary>The first demo pod, by name.</summary>
    internal async Task<string> DemoPodAsync(int index = 0) => (await Kubectl.PodNamesAsync(DemoSelector))[index];

    /// <summary>The pod's IP address, which the node reaches directly (this node has no kube-proxy).</summary>
    internal async Task<string> PodAddressAsync(string pod) =>
        (await Kubectl.RunAsync("get", "pod", pod, "-o", "jsonpath={.status.podIP}")).EnsureSuccess().Stdout;
}

[CollectionDefinition(Name)]
public sealed class ClusterScenarios : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
