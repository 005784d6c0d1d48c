using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Connection;
using Pyrometer.Operator.Runtime;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Tests.Runtime;

public sealed class OperatorServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new KubeConnection { Server = new Uri("https://127.0.0.1:6443/") });
        services.AddPyrometerOperator(configuration);
        services.AddArtifactStorage(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddPyrometerOperator_BindsOptionsAndUsesTheControllerCatalog()
    {
        using var provider = Build(new() { ["Operator:AgentImage"] = "registry.test/agent:1", ["Operator:MaxRate"] = "200", ["Operator:AllowedNamespaces:0"] = "shop" });

        var options = provider.GetRequiredService<IOptions<OperatorOptions>>().Value;

        Assert.Equal(("registry.test/agent:1", 200), (options.AgentImage, options.MaxRate));
        Assert.Equal(["shop"], options.AllowedNamespaces);
        Assert.IsType<ProfileRequestCatalog>(provider.GetRequiredService<IProfileRequestCatalog>());
        Assert.NotNull(provider.GetRequiredService<IKubeApi>());
    }

    [Fact]
    public void AddPyrometerOperator_InvalidOptions_FailValidationNamingTheSetting()
    {
        using var provider = Build(new() { ["Operator:MaxConcurrentPerNamespace"] = "100", ["Operator:MaxConcurrentTotal"] = "10" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OperatorOptions>>().Value);

        Assert.Contains("MaxConcurrentPerNamespace cannot exceed MaxConcurrentTotal", error.Message, StringComparison.Ordinal);
    }
}
