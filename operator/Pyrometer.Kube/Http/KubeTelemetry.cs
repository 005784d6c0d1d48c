using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pyrometer.Kube.Http;

/// <summary>The tracing source and meter of the Kubernetes client, for hosts to subscribe to.</summary>
public static class KubeTelemetry
{
    /// <summary>The name of both the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "Pyrometer.Kube";

    internal static readonly ActivitySource Source = new(Name);

    internal static readonly Meter Meter = new(Name);

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "pyrometer.kube.request.duration", "s", "Duration of Kubernetes API calls by verb, resource and status code.");

    internal static readonly Counter<long> Errors = Meter.CreateCounter<long>(
        "pyrometer.kube.request.errors", "{error}", "Failed Kubernetes API calls by verb, resource and status code.");

    internal static void Record(string verb, string resource, int code, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "verb", verb },
            { "resource", resource },
            { "code", code },
        };
        Duration.Record(elapsed.TotalSeconds, tags);
        if (code is 0 or >= 400)
        {
            Errors.Add(1, tags);
        }
    }
}
