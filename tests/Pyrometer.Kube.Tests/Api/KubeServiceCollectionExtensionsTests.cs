using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Connection;
using Pyrometer.Kube.Testing;
using Pyrometer.Kube.Tests.Serialization;

namespace Pyrometer.Kube.Tests.Api;

public sealed class KubeServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddKubeApi_RegisteredConnection_ResolvesWorkingClient()
    {
        await using var server = await FakeApiServer.StartAsync();
        await using var provider = Services(server, new Dictionary<string, string?> { ["Kubernetes:Burst"] = "5" });

        var api = provider.GetRequiredService<IKubeApi>();
        var version = await api.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("1", version.Major);
        Assert.Equal(5, provider.GetRequiredService<IOptions<KubeApiOptions>>().Value.Burst);
    }

    [Fact]
    public async Task AddKubeApi_InvalidOptions_FailsValidation()
    {
        await using var server = await FakeApiServer.StartAsync();
        await using var provider = Services(server, new Dictionary<string, string?> { ["Kubernetes:Qps"] = "0" });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IKubeApi>());
    }

    private static ServiceProvider Services(FakeApiServer server, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new KubeConnection { Server = server.BaseAddress });
        services.AddKubeApi(configuration, ResourceRegistry.CreateDefault());
        return services.BuildServiceProvider();
    }
}
