using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Pyrometer.Operator.Storage;

/// <summary>Registers the artifact store chosen by configuration, and the viewer's catalog placeholder.</summary>
internal static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="StorageOptions"/> from the "Storage" section (checked at start-up) and registers
    /// <see cref="IArtifactStore"/>: <see cref="S3ArtifactStore"/> when <c>Storage:S3:Bucket</c> is set, else
    /// <see cref="BuiltInArtifactStore"/>. Register the controller's <see cref="IProfileRequestCatalog"/> with
    /// AddSingleton (before or after this call); without one the viewer lists nothing. The viewer also needs an
    /// <c>IKubeApi</c> (for TokenReviews and SubjectAccessReviews) when it is enabled.
    /// </summary>
    public static IServiceCollection AddArtifactStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(StorageOptions.SectionName);
        services.AddOptions<StorageOptions>()
            .Bind(section)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IProfileRequestCatalog, EmptyProfileRequestCatalog>();
        // Resolved only when a viewer request arrives: it needs the host's IKubeApi.
        services.TryAddSingleton<ViewerAuthenticator>();

        // Decided from configuration at registration: the store cannot change without a restart anyway.
        var usesS3 = !string.IsNullOrWhiteSpace(section.GetSection(nameof(StorageOptions.S3)).GetValue<string>(nameof(S3StoreOptions.Bucket)));
        if (usesS3)
        {
            services.TryAddSingleton<S3ArtifactStore>();
            services.TryAddSingleton<IArtifactStore>(provider => provider.GetRequiredService<S3ArtifactStore>());
        }
        else
        {
            services.TryAddSingleton<BuiltInArtifactStore>();
            services.TryAddSingleton<IArtifactStore>(provider => provider.GetRequiredService<BuiltInArtifactStore>());
        }
        return services;
    }
}
