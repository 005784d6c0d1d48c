using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pyrometer.Kube.Api;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>
/// The operator's storage routes on a real Kestrel at 127.0.0.1 with two OS-chosen ports, wired the way the
/// operator wires them: <c>AddArtifactStorage</c>, <c>UseArtifactUploadPort</c>, then <c>MapArtifactStore</c>.
/// Upload URLs point at the upload port, download links at the read port.
/// </summary>
internal sealed class BuiltInServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BuiltInServer(WebApplication app, Uri address, Uri uploadAddress)
    {
        _app = app;
        Address = address;
        UploadAddress = uploadAddress;
    }

    /// <summary>The read port: download links, the viewer.</summary>
    public Uri Address { get; }

    /// <summary>The upload port: agent uploads only.</summary>
    public Uri UploadAddress { get; }

    public IServiceProvider Services => _app.Services;

    public IArtifactStore Store => _app.Services.GetRequiredService<IArtifactStore>();

    public BuiltInArtifactStore BuiltIn => _app.Services.GetRequiredService<BuiltInArtifactStore>();

    public static async Task<BuiltInServer> StartAsync(
        string root,
        IReadOnlyDictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        IProfileRequestCatalog? catalog = null,
        IKubeApi? kube = null,
        ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        ListenOptions? read = null;
        ListenOptions? upload = null;
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => read = listen);
            kestrel.Listen(IPAddress.Loopback, 0, listen => upload = listen);
        });
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        }
        if (kube is not null)
        {
            builder.Services.AddSingleton(kube);
        }
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
        Uri? readUrl = null;
        Uri? uploadUrl = null;
        builder.Services.AddArtifactStorage(builder.Configuration);
        // The ports are known only once Kestrel listens; the store reads its options on first use, after that.
        builder.Services.PostConfigure<StorageOptions>(options =>
        {
            options.BuiltIn.BaseUrl = uploadUrl ?? options.BuiltIn.BaseUrl;
            options.BuiltIn.UploadPort = uploadUrl?.Port ?? options.BuiltIn.UploadPort;
            if (readUrl is not null && settings?.ContainsKey("Storage:BuiltIn:PublicUrl") != true)
            {
                options.BuiltIn.PublicUrl = readUrl;
            }
        });
        var app = builder.Build();
        app.UseArtifactUploadPort();
        app.MapArtifactStore();
        await app.StartAsync();
        readUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)read!.EndPoint).Port}/");
        uploadUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)upload!.EndPoint).Port}/");
        return new BuiltInServer(app, readUrl, uploadUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
