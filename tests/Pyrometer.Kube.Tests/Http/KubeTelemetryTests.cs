using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using k8s.Models;
using Pyrometer.Kube.Http;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Http;

public sealed class KubeTelemetryTests
{
    [Fact]
    public async Task Record_ApiCalls_ReportsDurationAndErrorsByVerbResourceAndCode()
    {
        var durations = new ConcurrentBag<string>();
        var errors = new ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KubeTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => durations.Add(Describe(instrument, tags)));
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => errors.Add(Describe(instrument, tags)));
        listener.Start();
        await using var server = await FakeApiServer.StartAsync();
        server.Seed("pods", "telemetry", """{"metadata":{"name":"p"},"spec":{"containers":[]}}""");
        var api = TestApi.Create(server);

        await api.GetAsync<V1Pod>(new ObjectKey("telemetry", "p"), CancellationToken.None);
        await api.GetAsync<V1Pod>(new ObjectKey("telemetry", "missing"), CancellationToken.None);

        Assert.Contains("pyrometer.kube.request.duration get pods 200", durations);
        Assert.Contains("pyrometer.kube.request.duration get pods 404", durations);
        Assert.Contains("pyrometer.kube.request.errors get pods 404", errors);
    }

    private static string Describe(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? verb = null, resource = null, code = null;
        foreach (var (key, value) in tags)
        {
            switch (key)
            {
                case "verb":
                    verb = value as string;
                    break;
                case "resource":
                    resource = value as string;
                    break;
                case "code":
                    code = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }
        return $"{instrument.Name} {verb} {resource} {code}";
    }
}
