using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pyrometer.Operator.Storage;

/// <summary>Registers the artifact store chosen by configuration, and the viewer's catalog placeholder.</summary>
public static class StorageServiceCollectionExtensions
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
        // A signed URL's query string is a credential. ASP.NET Core's request lines ("Request starting HTTP/1.1
        // PUT http://…/artifacts/…?expires=…&signature=…", Information) and Kestrel's bad-request details print it
        // in full, so both categories are capped at Warning, which they do not use for URLs (issue #12, finding 8).
        services.Configure<LoggerFilterOptions>(filters =>
        {
            filters.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
            filters.AddFilter("Microsoft.AspNetCore.Server.Kestrel.BadRequests", LogLevel.Warning);
        });

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
