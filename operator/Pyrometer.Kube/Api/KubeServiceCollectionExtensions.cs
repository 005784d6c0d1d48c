using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pyrometer.Kube.Connection;

namespace Pyrometer.Kube.Api;

/// <summary>Registers the Kubernetes client with a host's services.</summary>
public static class KubeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the official client (<see cref="Kubernetes"/>, built by <see cref="KubeClientFactory"/>) and
    /// <see cref="IKubeApi"/> over it as singletons: <see cref="KubeApiOptions"/> bound from the
    /// <c>Kubernetes</c> section and validated at start-up, the connection from
    /// <see cref="KubeConnection.Discover"/> (unless a <see cref="KubeConnection"/> is already
    /// registered). Objects are read and written with the client's own serializer (see <see cref="Serialization.KubeJson"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The host configuration.</param>
    /// <param name="resources">The resource registry, with the host's own kinds registered.</param>
    public static IServiceCollection AddKubeApi(
        this IServiceCollection services, IConfiguration configuration, ResourceRegistry resources)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(resources);

        services.AddOptions<KubeApiOptions>()
            .Bind(configuration.GetSection(KubeApiOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => KubeConnection.Discover());
        services.TryAddSingleton(resources);
        services.TryAddSingleton(provider => KubeClientFactory.Create(
            provider.GetRequiredService<KubeConnection>(),
            provider.GetRequiredService<IOptions<KubeApiOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<IKubeApi>(provider => new KubeApi(
            provider.GetRequiredService<Kubernetes>(),
            provider.GetRequiredService<IOptions<KubeApiOptions>>().Value,
            provider.GetRequiredService<ResourceRegistry>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
