using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Pyrometer.Agent.Contracts;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Serialization;
using Pyrometer.Kube.Testing;
using Pyrometer.Kube.Watch;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Controllers;
using Pyrometer.Operator.Injection;
using Pyrometer.Operator.Metrics;

namespace Pyrometer.Operator.Tests.Fakes;

/// <summary>
/// The controller against the fake API server, with a manual clock and an in-memory store; plays the kubelet by patching
/// pod status and the agent by uploading to the presigned URLs it was given.
/// </summary>
internal sealed class OperatorHarness : IAsyncDisposable
{
    private CancellationTokenSource? _stop;
    private Task? _run;
    private ProfileRequestController? _controller;
    private readonly OperatorMetrics _metrics = new();

    private OperatorHarness(FakeApiServer server, OperatorOptions options)
    {
        Server = server;
        Options = options;
        Server.Store.Time = Time;
        var resources = ResourceRegistry.CreateDefault().Register<ProfileRequest>(ProfileRequest.Resource);
        // The API client keeps the system clock: its token bucket must refill; the controller's clock is manual.
        Api = new KubeApi(new HttpClient { BaseAddress = server.BaseAddress }, TestApi.FastOptions(), resources);
    }

    public FakeApiServer Server { get; }

    public KubeApi Api { get; }

    public OperatorOptions Options { get; }

    public ManualTimeProvider Time { get; } = new();

    public InMemoryArtifactStore Store { get; } = new();

    public InjectionMode Mode { get; private set; }

    /// <param name="options">The operator's options; <see cref="TestObjects.Options"/> when null.</param>
    /// <param name="ephemeralKind">The kind the ephemeralcontainers subresource reports.</param>
    /// <param name="prepare">Runs on the fake server before the controller starts (e.g. to refuse some requests).</param>
    public static async Task<OperatorHarness> StartAsync(OperatorOptions? options = null, string ephemeralKind = "Pod", Action<FakeApiServer>? prepare = null)
    {
        var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { EphemeralContainersKind = ephemeralKind });
        prepare?.Invoke(server);
        var harness = new OperatorHarness(server, options ?? TestObjects.Options());
        await harness.StartControllerAsync();
        return harness;
    }

    /// <summary>Starts a fresh controller (new caches, queue and ledger), as a new leader would.</summary>
    public async Task StartControllerAsync()
    {
        Mode = await EphemeralContainerInjector.DetectModeAsync(Api, CancellationToken.None);
        var ledger = new CapacityLedger(Options.MaxConcurrentPerNamespace, Options.MaxConcurrentTotal);
        var reconciler = new ProfileRequestReconciler(
            Api, Store, Options, ledger, new EphemeralContainerInjector(Api, Mode), Time, NullLogger<ProfileRequestReconciler>.Instance, _metrics);
        _controller = new ProfileRequestController(Api, reconciler, ledger, Options, Time, NullLoggerFactory.Instance, _metrics,
            new ListWatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) });
        _stop = new CancellationTokenSource();
        _run = _controller.RunAsync(_stop.Token);
        await _controller.Started.WaitAsync(TestTimeouts.Hang);
    }

    public async Task StopControllerAsync()
    {
        if (_stop is null)
        {
            return;
        }
        await _stop.CancelAsync();
        await _run!.WaitAsync(TestTimeouts.Hang);
        _controller!.Dispose();
        _stop.Dispose();
        _stop = null;
    }

    /// <param name="owners">The pod's metadata.ownerReferences as JSON, e.g. a ReplicaSet's.</param>
    public void SeedPod(string name, string ns = "shop", string phase = "Running", string labels = "{}", string securityContext = "null", string owners = "[]")
    {
        Server.Seed("pods", ns, $$$"""
            {"metadata":{"name":"{{{name}}}","labels":{{{labels}}},"ownerReferences":{{{owners}}}},
             "spec":{"nodeName":"worker-2","securityContext":{{{securityContext}}},"containers":[{"name":"api","image":"python:3.12"}]},
             "status":{"phase":"{{{phase}}}"}}
            """);
    }

    public void CreateRequest(string name, string spec, string ns = "shop") =>
        Server.Seed("profilerequests", ns,
            """{"apiVersion":"pyrometer.dev/v1alpha1","kind":"ProfileRequest","metadata":{"name":""" + JsonValue.Create(name).ToJsonString() + "},\"spec\":" + spec + "}");

    public Task<ProfileRequest?> GetAsync(string name, string ns = "shop") => Api.GetAsync<ProfileRequest>(new ObjectKey(ns, name), CancellationToken.None);

    /// <summary>Waits until the request satisfies <paramref name="until"/>; a hang guard, not a timing assertion.</summary>
    public async Task<ProfileRequest> WaitAsync(string name, Func<ProfileRequest, bool> until, string ns = "shop")
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Hang;
        ProfileRequest? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync(name, ns);
            if (last is not null && until(last))
            {
                return last;
            }
            await Task.Delay(5);
        }
        throw new TimeoutException($"{ns}/{name} never reached the expected state; last status: " +
            (last?.Status is null ? "none" : JsonSerializer.Serialize(last.Status, V1Alpha1JsonContext.Default.ProfileRequestStatus)));
    }

    /// <summary>Waits until the request no longer exists; a hang guard, not a timing assertion.</summary>
    public async Task WaitGoneAsync(string name, string ns = "shop")
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Hang;
        while (await GetAsync(name, ns) is { } last)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{ns}/{name} was never deleted; finalizers: [{string.Join(", ", last.Metadata.Finalizers ?? [])}]");
            }
            await Task.Delay(5);
        }
    }

    /// <summary>Waits for an Event with this reason in the namespace; a hang guard, not a timing assertion.</summary>
    public async Task<Corev1Event> WaitForEventAsync(string reason, string ns = "shop")
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Hang;
        while (DateTime.UtcNow < deadline)
        {
            if ((await EventsAsync(ns)).FirstOrDefault(e => e.Reason == reason) is { } found)
            {
                return found;
            }
            await Task.Delay(5);
        }
        throw new TimeoutException($"No event {reason} in namespace {ns}.");
    }

    public Task<ProfileRequest> WaitForPhaseAsync(string name, string phase, string ns = "shop") =>
        WaitAsync(name, r => r.Status?.Phase == phase, ns);

    public Task<ProfileRequest> WaitForReasonAsync(string name, string reason, string ns = "shop") =>
        WaitAsync(name, r => r.Status?.Reason == reason, ns);

    public async Task<V1Pod> PodAsync(string name, string ns = "shop") =>
        (await Api.GetAsync<V1Pod>(new ObjectKey(ns, name), CancellationToken.None))!;

    /// <summary>The agent containers added to a pod.</summary>
    public async Task<IList<V1EphemeralContainer>> AgentsAsync(string pod, string ns = "shop") =>
        (await PodAsync(pod, ns)).Spec?.EphemeralContainers ?? [];

    /// <summary>The kubelet's view: sets an agent container's state (running, waiting or terminated).</summary>
    public void SetAgentState(string pod, string container, JsonObject state, string ns = "shop")
    {
        var current = Server.Stored("pods", ns, pod)!;
        var statuses = current["status"]?["ephemeralContainerStatuses"]?.AsArray().Select(s => s!.DeepClone()).ToList() ?? [];
        statuses.RemoveAll(s => (string?)s["name"] == container);
        statuses.Add(new JsonObject { ["name"] = container, ["state"] = state });
        var patch = new JsonObject { ["status"] = new JsonObject { ["ephemeralContainerStatuses"] = new JsonArray([.. statuses]) } };
        var result = Server.Store.Patch(FakeApiServer.Resource("pods"), ns, pod, patch, "status");
        if (result.Code != 200)
        {
            throw new InvalidOperationException(result.Body.ToJsonString());
        }
    }

    public void StartAgent(string pod, string container, string ns = "shop") =>
        SetAgentState(pod, container, new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-11-21T06:00:01Z" } }, ns);

    /// <summary>
    /// Plays the agent: uploads a folded profile (or, for other formats, some bytes) to every FORMAT=URL line of its
    /// PYROMETER_UPLOADS environment variable, then the kubelet records its termination message. <paramref name="shape"/>
    /// can change the result.
    /// </summary>
    /// <param name="folded">The folded profile to upload instead of the default two stacks (for every format).</param>
    /// <param name="agentName">The agent to finish when several requests added one to the pod.</param>
    public async Task FinishAgentAsync(
        string pod, string ns = "shop", long samples = 1000, Func<AgentResult, AgentResult>? shape = null, int exitCode = 0, bool upload = true,
        string? folded = null, string? agentName = null)
    {
        var agent = (await AgentsAsync(pod, ns)).Single(a => agentName is null || a.Name == agentName);
        var uploads = agent.Env!.Single(e => e.Name == "PYROMETER_UPLOADS").Value!;
        var artifacts = new List<ResultArtifact>();
        foreach (var line in uploads.Split('\n'))
        {
            var (format, url) = (line[..line.IndexOf('=', StringComparison.Ordinal)], line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            var content = Encoding.UTF8.GetBytes(folded ?? string.Create(CultureInfo.InvariantCulture, $"main;handle;compute_similarity {samples * 41 / 100}\nmain;handle;load {samples - samples * 41 / 100}\n"));
            var sha = upload ? Store.Upload(url, content) : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
            artifacts.Add(new ResultArtifact(format, content.Length, sha, true));
        }
        var result = TestObjects.Result(samples: samples, artifacts: [.. artifacts]);
        result = shape?.Invoke(result) ?? result;
        SetAgentState(pod, agent.Name, new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = exitCode,
                ["reason"] = exitCode == 0 ? "Completed" : "Error",
                ["message"] = TestObjects.Json(result),
                ["finishedAt"] = "2026-11-21T06:00:33Z",
            },
        }, ns);
    }

    public async Task<List<Corev1Event>> EventsAsync(string ns = "shop") =>
        [.. (await Api.ListAsync<Corev1Event>(ListScope.InNamespace(ns), CancellationToken.None)).Items];

    public async ValueTask DisposeAsync()
    {
        await StopControllerAsync();
        await Server.DisposeAsync();
        _metrics.Dispose();
    }
}
