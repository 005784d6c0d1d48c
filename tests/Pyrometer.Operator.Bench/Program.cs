using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Pyrometer.Agent.Contracts;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Serialization;
using Pyrometer.Kube.Testing;
using Pyrometer.Kube.Watch;
using Pyrometer.Operator;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Bench;
using Pyrometer.Operator.Controllers;
using Pyrometer.Operator.Injection;
using Pyrometer.Operator.Metrics;

// Operator benchmark: N requests (default 1 000) created at once against the in-process fake API server.
// The bench plays the kubelet: the moment an agent appears in a pod it reports it terminated with a result.
// Prints created→injected and agent exit→Succeeded percentiles, wall time, and memory once all are done.
// Usage: Pyrometer.Operator.Bench [requests] [workers]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
if (count < 1 || workers < 1)
{
    await Console.Error.WriteLineAsync("usage: Pyrometer.Operator.Bench [requests >= 1] [workers >= 1]");
    return 2;
}

await using var server = await FakeApiServer.StartAsync();
var resources = ResourceRegistry.CreateDefault().Register<ProfileRequest>(ProfileRequest.Resource);
var options = new OperatorOptions { Workers = workers, MaxConcurrentPerNamespace = count, MaxConcurrentTotal = count };
var api = new KubeApi(new HttpClient { BaseAddress = server.BaseAddress }, TestApi.FastOptions(), resources);
using var metrics = new OperatorMetrics();
var ledger = new CapacityLedger(options.MaxConcurrentPerNamespace, options.MaxConcurrentTotal);
var reconciler = new ProfileRequestReconciler(api, new BenchArtifactStore(), options, ledger, new EphemeralContainerInjector(api, InjectionMode.Pod),
    TimeProvider.System, NullLogger<ProfileRequestReconciler>.Instance, metrics);
using var controller = new ProfileRequestController(api, reconciler, ledger, options, TimeProvider.System, NullLoggerFactory.Instance, metrics);

var pods = FakeApiServer.Resource("pods");
for (var i = 0; i < count; i++)
{
    server.Seed("pods", "bench", $$$"""{"metadata":{"name":"p-{{{i}}}"},"spec":{"containers":[{"name":"app"}]},"status":{"phase":"Running"}}""");
}

var clock = Stopwatch.StartNew();
var created = new ConcurrentDictionary<string, TimeSpan>();
var injected = new ConcurrentDictionary<string, TimeSpan>();
var exited = new ConcurrentDictionary<string, TimeSpan>();
var succeeded = new ConcurrentDictionary<string, TimeSpan>();
var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var result = Encoding.UTF8.GetString(AgentResultWriter.ToUtf8(new AgentResult
{
    Samples = 3000,
    Processes = [new ResultProcess(1, "python app.py", "3.12.7", 3000)],
    Top = [new ResultFunction("handle", "app.py", 10, 50)],
    Artifacts = [new ResultArtifact("flamegraph", 1000, "00", true)],
}));

using var stop = new CancellationTokenSource();
var kubelet = new ListWatcher<V1Pod>(api, ListScope.InNamespace("bench"));
var kubeletTask = kubelet.RunAsync((change, _) =>
{
    var pod = change.Value;
    var name = pod.Metadata.Name!;
    if (pod.Spec?.EphemeralContainers is [var agent, ..] && injected.TryAdd(name, clock.Elapsed))
    {
        var state = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 0, ["message"] = result } };
        var patch = new JsonObject { ["status"] = new JsonObject { ["ephemeralContainerStatuses"] = new JsonArray(new JsonObject { ["name"] = agent.Name, ["state"] = state }) } };
        exited[name] = clock.Elapsed;
        server.Store.Patch(pods, "bench", name, patch, "status");
    }
    return ValueTask.CompletedTask;
}, stop.Token);
var observer = new ListWatcher<ProfileRequest>(api, ListScope.InNamespace("bench"));
var observerTask = observer.RunAsync((change, _) =>
{
    var request = change.Value;
    if (request.Status?.Phase is ProfilePhases.Succeeded or ProfilePhases.Failed && succeeded.TryAdd(request.Metadata.Name!, clock.Elapsed) && succeeded.Count == count)
    {
        allDone.TrySetResult();
    }
    return ValueTask.CompletedTask;
}, stop.Token);
await kubelet.WaitForSyncAsync(CancellationToken.None);
await observer.WaitForSyncAsync(CancellationToken.None);
var run = controller.RunAsync(stop.Token);
await controller.Started;

clock.Restart();
for (var i = 0; i < count; i++)
{
    created["r-" + i.ToString(CultureInfo.InvariantCulture)] = clock.Elapsed;
    server.Seed("profilerequests", "bench", $$$"""{"apiVersion":"pyrometer.dev/v1alpha1","kind":"ProfileRequest","metadata":{"name":"r-{{{i}}}"},"spec":{"target":{"pod":"p-{{{i}}}"},"duration":"5s"}}""");
}
await allDone.Task.WaitAsync(TimeSpan.FromMinutes(10));
var wall = clock.Elapsed;
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
var heap = GC.GetTotalMemory(forceFullCollection: true);
var failed = 0;
foreach (var request in observer.Snapshot())
{
    failed += request.Status?.Phase == ProfilePhases.Failed ? 1 : 0;
}

double[] Sorted(IEnumerable<double> values) => [.. values.Order()];
double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
var injection = Sorted(Enumerable.Range(0, count).Select(i => (injected["p-" + i] - created["r-" + i]).TotalMilliseconds));
var completion = Sorted(Enumerable.Range(0, count).Select(i => (succeeded["r-" + i] - exited["p-" + i]).TotalMilliseconds));

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requests {count}, workers {workers}, failed {failed}, wall {wall.TotalSeconds:0.00} s"));
Console.WriteLine("metric                       p50 ms    p95 ms    max ms");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"created -> injected     {Percentile(injection, 0.5),10:0.0}{Percentile(injection, 0.95),10:0.0}{injection[^1],10:0.0}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agent exit -> Succeeded {Percentile(completion, 0.5),10:0.0}{Percentile(completion, 0.95),10:0.0}{completion[^1],10:0.0}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"memory after {count} requests: managed heap {heap / 1048576.0:0.0} MiB, peak working set {Environment.WorkingSet / 1048576.0:0.0} MiB now / {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0.0} MiB peak (includes the in-process fake API server)"));

await stop.CancelAsync();
await run;
await Task.WhenAll(kubeletTask, observerTask);
return failed == 0 ? 0 : 1;
