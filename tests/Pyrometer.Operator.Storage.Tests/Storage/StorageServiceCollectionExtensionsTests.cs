using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

public sealed class StorageServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AddArtifactStorage_NoBucket_PicksBuiltInStore()
    {
        using var provider = Build(new() { ["Storage:BuiltIn:RootPath"] = _directory.Path });

        Assert.IsType<BuiltInArtifactStore>(provider.GetRequiredService<IArtifactStore>());
        Assert.IsType<EmptyProfileRequestCatalog>(provider.GetRequiredService<IProfileRequestCatalog>());
    }

    [Fact]
    public void AddArtifactStorage_BucketConfigured_PicksS3Store()
    {
        using var provider = Build(new()
        {
            ["Storage:S3:Bucket"] = "profiles",
            ["Storage:S3:Endpoint"] = "http://127.0.0.1:9",
            ["Storage:S3:AccessKeyId"] = "id",
            ["Storage:S3:SecretAccessKey"] = "secret",
        });

        var store = provider.GetRequiredService<IArtifactStore>();

        Assert.IsType<S3ArtifactStore>(store);
        Assert.Equal("s3://profiles/pyrometer/a/b/merged/flamegraph.svg", store.UriOf(new ArtifactKey("a", "b", null, "flamegraph", "svg")));
    }

    [Fact]
    public void AddArtifactStorage_CatalogRegisteredByController_IsKept()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IProfileRequestCatalog, FixedCatalog>();
        services.AddArtifactStorage(new ConfigurationBuilder().Build());

        using var provider = services.BuildServiceProvider();

        Assert.IsType<FixedCatalog>(provider.GetRequiredService<IProfileRequestCatalog>());
    }

    [Fact]
    public async Task HostStart_InvalidStorageOptions_FailsWithTheProblem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:S3:Bucket"] = "Not_A_Bucket" });
        builder.Services.AddArtifactStorage(builder.Configuration);
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Storage:S3:Bucket 'Not_A_Bucket'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapArtifactStore_S3Configured_PutExplainsUploadsGoToS3()
    {
        await using var server = await BuiltInServer.StartAsync(_directory.Path, new Dictionary<string, string?>
        {
            ["Storage:S3:Bucket"] = "profiles",
            ["Storage:S3:Endpoint"] = "http://127.0.0.1:9",
            ["Storage:S3:AccessKeyId"] = "id",
            ["Storage:S3:SecretAccessKey"] = "secret",
        });
        using var http = new HttpClient();

        using var response = await http.PutAsync(new Uri(server.UploadAddress, "/artifacts/a/b/merged/flamegraph.svg"), new ByteArrayContent([1]));
        using var onReadPort = await http.PutAsync(new Uri(server.Address, "/artifacts/a/b/merged/flamegraph.svg"), new ByteArrayContent([1]));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, onReadPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("presigned S3 URL", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddArtifactStorage(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    private sealed class FixedCatalog : IProfileRequestCatalog
    {
        public IReadOnlyList<ViewerEntry> List() => [];
    }
}
