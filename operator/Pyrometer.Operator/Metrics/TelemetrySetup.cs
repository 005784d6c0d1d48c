using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pyrometer.Operator.Metrics;

/// <summary>
/// OTLP export of the operator's meter and trace source, only when an endpoint is configured. Built by hand because the
/// OpenTelemetry.Extensions.Hosting package is not available here; the host disposes the providers at shutdown.
/// </summary>
internal sealed class TelemetrySetup : IDisposable
{
    private readonly MeterProvider? _meters;
    private readonly TracerProvider? _tracers;

    public TelemetrySetup(Uri? endpoint)
    {
        if (endpoint is null)
        {
            return;
        }
        var resource = ResourceBuilder.CreateDefault().AddService("pyrometer-operator");
        _meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(OperatorMetrics.Name, "Pyrometer.Kube")
            .AddOtlpExporter(o => Configure(o, endpoint))
            .Build();
        _tracers = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(OperatorMetrics.Name)
            .AddOtlpExporter(o => Configure(o, endpoint))
            .Build();
    }

    public bool Exporting => _meters is not null;

    public void Dispose()
    {
        _meters?.Dispose();
        _tracers?.Dispose();
    }

    private static void Configure(OtlpExporterOptions options, Uri endpoint)
    {
        options.Endpoint = endpoint;
        options.Protocol = endpoint.Port == 4318 ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
    }
}
