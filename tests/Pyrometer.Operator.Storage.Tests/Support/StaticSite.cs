using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>
/// A folder served over HTTP on its own port, i.e. its own origin, as a hosted speedscope app would be: files
/// and index.html for "/", nothing else.
/// </summary>
internal sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The site's root, e.g. <c>http://localhost:41234/</c>.</summary>
    public Uri Address { get; }

    /// <param name="host">The host name in <see cref="Address"/>: "localhost" makes an origin distinct from 127.0.0.1's.</param>
    public static async Task<StaticSite> StartAsync(string folder, string host = "localhost")
    {
        var builder = WebApplication.CreateSlimBuilder();
        ListenOptions? listen = null;
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, options => listen = options));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var files = new PhysicalFileProvider(folder);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        await app.StartAsync();
        return new StaticSite(app, new Uri($"http://{host}:{((IPEndPoint)listen!.EndPoint).Port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
