using System.Diagnostics;
using System.Net;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Pyrometer.Kube.Http;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Metrics;
using Pyrometer.Operator.Storage;
using Pyrometer.Operator.Tests.Fakes;

namespace Pyrometer.Operator.Tests.Metrics;

/// <summary>
/// The operator's telemetry as the host registers it, read back through OpenTelemetry's in-memory exporters while a
/// request runs against the fake API server. Other tests run alongside, so spans are picked out by this test's namespace.
/// </summary>
public sealed class TelemetryTests
{
    private const string Namespace = "otel-telemetry";

    private static ServiceProvider Telemetry(IConfiguration configuration, LockedList<Activity> spans, LockedList<Metric> metrics)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddOperatorTelemetry(configuration);
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<TracerProvider>();
        _ = provider.GetRequiredService<MeterProvider>();
        return provider;
    }

    /// <summary>Flushes the meters until what was exported satisfies <paramref name="done"/> (guarded against a hang, not timed).</summary>
    private static async Task ExportedAsync(ServiceProvider telemetry, LockedList<Metric> metrics, Func<IReadOnlyList<Metric>, bool> done)
    {
        var meters = telemetry.GetRequiredService<MeterProvider>();
        using var hang = new CancellationTokenSource(TestTimeouts.Hang);
        while (meters.ForceFlush() && !done(metrics.Snapshot()))
        {
            await Task.Delay(20, hang.Token);
        }
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public async Task Reconcile_SelectorOverTwoPods_SpansForReconcilesApiCallsAndTheMergedUpload_AndItsMetrics()
    {
        var spans = new LockedList<Activity>();
        var metrics = new LockedList<Metric>();
        await using var telemetry = Telemetry(Configuration(), spans, metrics);
        await using (var harness = await OperatorHarness.StartAsync())
        {
            harness.SeedPod("api-a", ns: Namespace, labels: """{"app":"api"}""");
            harness.SeedPod("api-b", ns: Namespace, labels: """{"app":"api"}""");
            harness.CreateRequest("search", """{"target":{"selector":{"matchLabels":{"app":"api"}},"maxPods":2},"formats":["flamegraph"]}""", Namespace);
            await harness.WaitAsync("search", r => r.Status?.Targets?.Count(t => t.Phase == ProfilePhases.Running) == 2, Namespace);
            await harness.FinishAgentAsync("api-a", Namespace, samples: 1000);
            await harness.FinishAgentAsync("api-b", Namespace, samples: 3000);
            await harness.WaitForPhaseAsync("search", ProfilePhases.Succeeded, Namespace);
            // Counted after the status write and the event: wait for both before the controller stops (a race seen under
            // load). The meter is shared by every test running at once, so another test's finished request is not enough.
            await ExportedAsync(telemetry, metrics, exported => exported.Any(m => m.Name == "pyrometer.completion.latency")
                && exported.Any(m => m.Name == "pyrometer.requests.finished" && Points(m).Any(p => Tag(p, "phase") == ProfilePhases.Succeeded && p.GetSumLong() >= 1)));
        }
        telemetry.GetRequiredService<TracerProvider>().ForceFlush();
        telemetry.GetRequiredService<MeterProvider>().ForceFlush();

        var ours = spans.Snapshot();
        var reconciles = ours
            .Where(s => s.Source.Name == OperatorMetrics.Name && s.DisplayName == "reconcile ProfileRequest" && Equals(s.GetTagItem("k8s.namespace.name"), Namespace))
            .ToList();
        Assert.NotEmpty(reconciles);
        Assert.All(reconciles, r => Assert.Equal("search", r.GetTagItem("pyrometer.request")));
        var reconcileIds = reconciles.Select(r => r.SpanId).ToHashSet();

        // Kubernetes API calls made by those reconciles are their children: the status patch, the agent's injection.
        var apiCalls = ours.Where(s => s.Source.Name == KubeTelemetry.Name && reconcileIds.Contains(s.ParentSpanId)).ToList();
        Assert.Contains(apiCalls, s => s.Kind == ActivityKind.Client && s.DisplayName.StartsWith("patch profilerequests", StringComparison.Ordinal));
        Assert.Contains(apiCalls, s => ((string?)s.GetTagItem("url.path"))?.Contains("/namespaces/" + Namespace + "/", StringComparison.Ordinal) == true);

        // The merged profile, in the asked format and in folded (kept for every merge); a retried reconcile writes again.
        var uploads = ours.Where(s => s.Source.Name == StorageTelemetry.Name && reconcileIds.Contains(s.ParentSpanId)).ToList();
        Assert.Equal(2, uploads.Select(u => u.GetTagItem("pyrometer.artifact.path")).Distinct().Count());
        Assert.All(uploads, u => Assert.Equal("upload operator artifact", u.DisplayName));
        Assert.All(uploads, u => Assert.Contains("/search/", (string?)u.GetTagItem("pyrometer.artifact.path"), StringComparison.Ordinal));

        // The existing instruments, under their existing names.
        var exported = metrics.Snapshot();
        var names = exported.Select(m => m.Name).ToHashSet();
        Assert.Contains("pyrometer.reconciles", names);
        Assert.Contains("pyrometer.requests.finished", names);
        Assert.Contains("pyrometer.injection.latency", names);
        Assert.Contains("pyrometer.completion.latency", names);
        Assert.Contains("pyrometer.kube.request.duration", names);
        Assert.Contains(exported.Where(m => m.Name == "pyrometer.requests.finished"), m => Points(m).Any(p => Tag(p, "phase") == ProfilePhases.Succeeded && p.GetSumLong() >= 1));
    }

    [Fact]
    public async Task StandardEndpointVariable_SpansAndMetricsArriveOverOtlpHttp()
    {
        using var collector = new HttpListener();
        var port = FreePort();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new List<(string Path, string? ContentType, long Bytes)>();
        var serving = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using (var body = new MemoryStream())
                {
                    await context.Request.InputStream.CopyToAsync(body);
                    lock (received)
                    {
                        received.Add((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.Length));
                    }
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });
        var configuration = Configuration(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{port}"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));

        await using (var telemetry = Telemetry(configuration, new LockedList<Activity>(), new LockedList<Metric>()))
        {
            using (var metrics = new OperatorMetrics())
            using (OperatorMetrics.Tracing.StartActivity("reconcile ProfileRequest"))
            {
                metrics.Reconciled("ok");
            }
            Assert.True(telemetry.GetRequiredService<TracerProvider>().ForceFlush(), "the trace export did not finish");
            Assert.True(telemetry.GetRequiredService<MeterProvider>().ForceFlush(), "the metric export did not finish");
        }
        collector.Stop();
        await serving;

        lock (received)
        {
            Assert.Contains(received, r => r.Path == "/v1/traces" && r.ContentType == "application/x-protobuf" && r.Bytes > 0);
            Assert.Contains(received, r => r.Path == "/v1/metrics" && r.ContentType == "application/x-protobuf" && r.Bytes > 0);
        }
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public void ExportFrom_NoEndpoint_ExportsNothing()
    {
        Assert.Null(TelemetryServiceCollectionExtensions.ExportFrom(Configuration()));
        Assert.Null(TelemetryServiceCollectionExtensions.ExportFrom(Configuration(("OTEL_EXPORTER_OTLP_ENDPOINT", " "))));
    }

    [Fact]
    public void ExportFrom_StandardVariable_LeavesTheExporterToReadIt()
    {
        var export = TelemetryServiceCollectionExtensions.ExportFrom(Configuration(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")));
        var options = new OtlpExporterOptions();
        var before = (options.Endpoint, options.Protocol);

        Assert.NotNull(export);
        export(options, "v1/traces");

        Assert.Equal(before, (options.Endpoint, options.Protocol));
    }

    [Theory]
    [InlineData("http://collector:4317", "http://collector:4317/", OtlpExportProtocol.Grpc)]
    [InlineData("http://collector:4318", "http://collector:4318/v1/traces", OtlpExportProtocol.HttpProtobuf)]
    [InlineData("http://collector:4318/otlp/", "http://collector:4318/otlp/v1/traces", OtlpExportProtocol.HttpProtobuf)]
    public void ExportFrom_OperatorSetting_PointsTheExporter(string endpoint, string expected, OtlpExportProtocol protocol)
    {
        var export = TelemetryServiceCollectionExtensions.ExportFrom(Configuration(("Operator:OtlpEndpoint", endpoint)));
        var options = new OtlpExporterOptions();

        Assert.NotNull(export);
        export(options, "v1/traces");

        Assert.Equal((new Uri(expected), protocol), (options.Endpoint, options.Protocol));
    }

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            points.Add(point);
        }
        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }
        return null;
    }

    /// <summary>The exporters add from the threads that end spans; other tests' spans keep arriving while this one reads.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public List<T> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item)
        {
            lock (_items)
            {
                return _items.Contains(item);
            }
        }

        public void CopyTo(T[] array, int arrayIndex)
        {
            lock (_items)
            {
                _items.CopyTo(array, arrayIndex);
            }
        }

        public bool Remove(T item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
