using System.Diagnostics.Metrics;
using Pyrometer.Operator.Metrics;

namespace Pyrometer.Operator.Tests.Metrics;

public sealed class OperatorMetricsTests
{
    [Fact]
    public void Instruments_Record_WithPhaseReasonTagsAndQueueDepth()
    {
        using var metrics = new OperatorMetrics();
        var seen = new List<(string Name, double Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Add((i.Name, v, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Add((i.Name, v, "")));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => seen.Add((i.Name, v, "")));
        listener.Start();

        metrics.Finished("Failed", "PodNotFound");
        metrics.Injected(TimeSpan.FromSeconds(2));
        metrics.Completed(TimeSpan.FromMilliseconds(500));
        metrics.ObserveQueueDepth(() => 7);
        listener.RecordObservableInstruments();

        Assert.Contains(("pyrometer.requests.finished", 1.0, "phase=Failed,reason=PodNotFound"), seen);
        Assert.Contains(("pyrometer.injection.latency", 2.0, ""), seen);
        Assert.Contains(("pyrometer.completion.latency", 0.5, ""), seen);
        Assert.Contains(("pyrometer.queue.depth", 7.0, ""), seen);
    }
}
