using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>
/// The operator's storage routes on a real Kestrel at 127.0.0.1 with an OS-chosen port, wired the way the
/// operator wires them: <c>AddArtifactStorage</c> then <c>MapArtifactStore</c>. Upload URLs point at the bound port.
/// </summary>
internal sealed class BuiltInServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BuiltInServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public IArtifactStore Store => _app.Services.GetRequiredService<IArtifactStore>();

    public BuiltInArtifactStore BuiltIn => _app.Services.GetRequiredService<BuiltInArtifactStore>();

    public static async Task<BuiltInServer> StartAsync(
        string root,
        IReadOnlyDictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        IProfileRequestCatalog? catalog = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var configuration = new Dictionary<string, string?> { ["Storage:BuiltIn:RootPath"] = root };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        if (catalog is not null)
        {
            builder.Services.AddSingleton(catalog);
        }
        Uri? bound = null;
        builder.Services.AddArtifactStorage(builder.Configuration);
        // The port is known only once Kestrel listens; the store reads its options on first use, after that.
        builder.Services.PostConfigure<StorageOptions>(options => options.BuiltIn.BaseUrl = bound ?? options.BuiltIn.BaseUrl);
        var app = builder.Build();
        app.MapArtifactStore();
        await app.StartAsync();
        bound = new Uri(app.Urls.Single());
        return new BuiltInServer(app, bound);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
