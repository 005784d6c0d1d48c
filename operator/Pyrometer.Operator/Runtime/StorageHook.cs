using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Pyrometer.Operator.Runtime;

/// <summary>
/// HOOK for the storage component (operator/Pyrometer.Operator/Storage/, another engineer's): once
/// <c>StorageServiceCollectionExtensions</c> exists, <see cref="AddStorage"/> calls <c>services.AddArtifactStorage(configuration)</c>
/// and <see cref="MapStorage"/> calls <c>app.MapArtifactStore()</c>. Until then no IArtifactStore is registered and the
/// host fails at start-up with DI's "unable to resolve IArtifactStore", which names what is missing.
/// </summary>
internal static class StorageHook
{
    public static void AddStorage(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
    }

    public static void MapStorage(WebApplication app) => ArgumentNullException.ThrowIfNull(app);
}
