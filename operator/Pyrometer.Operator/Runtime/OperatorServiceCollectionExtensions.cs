using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.LeaderElection;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Health;
using Pyrometer.Operator.Metrics;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Runtime;

/// <summary>Registers the operator: options (validated at start-up), the Kubernetes client, metrics and traces, and the controller service.</summary>
internal static class OperatorServiceCollectionExtensions
{
    public static IServiceCollection AddPyrometerOperator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<OperatorOptions>()
            .Bind(configuration.GetSection(OperatorOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<LeaderElectionOptions>()
            .Bind(configuration.GetSection(LeaderElectionOptions.SectionName))
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        var resources = ResourceRegistry.CreateDefault()
            .Register<ProfileRequest>(ProfileRequest.Resource);
        services.AddKubeApi(configuration, resources);
        services.AddSingleton<OperatorState>();
        services.AddSingleton<ProfileRequestCatalog>();
        // Registered before storage's TryAdd of its empty placeholder, so the viewer lists the controller's requests.
        services.AddSingleton<IProfileRequestCatalog>(provider => provider.GetRequiredService<ProfileRequestCatalog>());
        services.AddSingleton(provider => new OperatorMetrics());
        services.AddOperatorTelemetry(configuration);
        services.AddHostedService<OperatorService>();
        return services;
    }
}
