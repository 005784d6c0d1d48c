using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pyrometer.Kube.Http;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Metrics;

/// <summary>
/// Registers the operator's metrics and traces with the host (OpenTelemetry.Extensions.Hosting): reconciles, Kubernetes
/// API calls and artifact uploads. They are exported over OTLP only when an endpoint is configured, by the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>_HEADERS</c> and the per-signal
/// variables, read by the exporter) or by <c>Operator:OtlpEndpoint</c>, which the chart sets; with neither, nothing leaves.
/// </summary>
internal static class TelemetryServiceCollectionExtensions
{
    public const string ServiceName = "pyrometer-operator";
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The operator's own setting (<c>OperatorOptions.OtlpEndpoint</c>), read here so that telemetry needs no options.</summary>
    public const string OperatorEndpointKey = "Operator:OtlpEndpoint";

    /// <summary>The trace sources and meters the operator reports: its own, the Kubernetes layer's and storage's.</summary>
    public static IReadOnlyList<string> Sources { get; } = [OperatorMetrics.Name, KubeTelemetry.Name, StorageTelemetry.Name];

    public static IServiceCollection AddOperatorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var export = ExportFrom(configuration);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. Sources]);
                if (export is not null)
                {
                    metrics.AddOtlpExporter(options => export(options, "v1/metrics"));
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource([.. Sources]);
                if (export is not null)
                {
                    tracing.AddOtlpExporter(options => export(options, "v1/traces"));
                }
            });
        return services;
    }

    /// <summary>How to point the OTLP exporter, or null to export nothing.</summary>
    internal static Action<OtlpExporterOptions, string>? ExportFrom(IConfiguration configuration)
    {
        var configured = configuration[OperatorEndpointKey];
        if (!string.IsNullOrWhiteSpace(configured) && Uri.TryCreate(configured, UriKind.Absolute, out var endpoint))
        {
            return (options, signalPath) => UseEndpoint(options, endpoint, signalPath);
        }
        // The exporter reads the standard variables (endpoint, protocol, headers, per-signal overrides) itself.
        return string.IsNullOrWhiteSpace(configuration[StandardEndpointVariable]) ? null : (_, _) => { };
    }

    /// <summary>
    /// <c>Operator:OtlpEndpoint</c>: gRPC, or OTLP/HTTP on port 4318. An endpoint set in code is used as it is, so the
    /// signal's path is added here for HTTP, as the exporter does for the standard variable.
    /// </summary>
    private static void UseEndpoint(OtlpExporterOptions options, Uri endpoint, string signalPath)
    {
        options.Protocol = endpoint.Port == 4318 ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
            : endpoint;
    }
}
