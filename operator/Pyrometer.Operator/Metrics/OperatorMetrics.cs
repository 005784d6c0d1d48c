using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pyrometer.Operator.Metrics;

/// <summary>The operator's instruments (System.Diagnostics.Metrics; exported over OTLP when configured) and its trace source.</summary>
internal sealed class OperatorMetrics : IDisposable
{
    public const string Name = "Pyrometer.Operator";

    public static ActivitySource Tracing { get; } = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _reconciles;
    private readonly Histogram<double> _injection;
    private readonly Histogram<double> _completion;

    public OperatorMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(Name) ?? new Meter(Name);
        _finished = _meter.CreateCounter<long>("pyrometer.requests.finished", "{request}", "Requests that reached Succeeded or Failed, by phase and reason.");
        _reconciles = _meter.CreateCounter<long>("pyrometer.reconciles", "{reconcile}", "Reconciles, by outcome.");
        _injection = _meter.CreateHistogram<double>("pyrometer.injection.latency", "s", "From the request's creation to its agent being added to the pod.");
        _completion = _meter.CreateHistogram<double>("pyrometer.completion.latency", "s", "From the agent's exit to the request's final status.");
    }

    public Meter Meter => _meter;

    /// <summary>Reports the queue depth through an observable gauge read at collection time.</summary>
    public void ObserveQueueDepth(Func<int> depth) =>
        _meter.CreateObservableGauge("pyrometer.queue.depth", depth, "{request}", "Requests waiting for a reconcile worker.");

    public void Finished(string phase, string reason) =>
        _finished.Add(1, new KeyValuePair<string, object?>("phase", phase), new KeyValuePair<string, object?>("reason", reason));

    public void Reconciled(string outcome) => _reconciles.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Injected(TimeSpan sinceCreation) => _injection.Record(sinceCreation.TotalSeconds);

    public void Completed(TimeSpan sinceAgentExit) => _completion.Record(sinceAgentExit.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
