using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pyrometer.Kube.Connection;
using Pyrometer.Kube.Serialization;

namespace Pyrometer.Kube.Api;

/// <summary>Registers the Kubernetes client with a host's services.</summary>
public static class KubeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IKubeApi"/> as a singleton: <see cref="KubeApiOptions"/> bound from the
    /// <c>Kubernetes</c> section and validated at start-up, the connection from
    /// <see cref="KubeConnection.Discover"/> (unless a <see cref="KubeConnection"/> is already
    /// registered), and JSON metadata from this assembly plus <paramref name="resolvers"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The host configuration.</param>
    /// <param name="resources">The resource registry, with the host's own kinds registered.</param>
    /// <param name="resolvers">The host's source-generated JSON contexts.</param>
    public static IServiceCollection AddKubeApi(
        this IServiceCollection services, IConfiguration configuration, ResourceRegistry resources, params IJsonTypeInfoResolver[] resolvers)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(resolvers);

        services.AddOptions<KubeApiOptions>()
            .Bind(configuration.GetSection(KubeApiOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => KubeConnection.Discover());
        services.TryAddSingleton(resources);
        services.TryAddSingleton<IKubeApi>(provider =>
        {
            var time = provider.GetRequiredService<TimeProvider>();
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var client = KubeHttpHandler.CreateClient(
                provider.GetRequiredService<KubeConnection>(), time, loggers.CreateLogger(typeof(KubeHttpHandler).FullName!));
            return new KubeApi(
                client,
                provider.GetRequiredService<IOptions<KubeApiOptions>>().Value,
                KubeJson.CreateOptions(resolvers),
                provider.GetRequiredService<ResourceRegistry>(),
                loggers.CreateLogger<KubeApi>(),
                time);
        });
        return services;
    }
}
