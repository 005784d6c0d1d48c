using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Pyrometer.Kubectl.Tests;

/// <summary>
/// A real HTTP server for artifact downloads: /files/NAME serves what a test put there, /endless streams without a
/// length and never stops, /claims-huge declares a length of 10 GiB. Counts the requests each path got.
/// </summary>
internal sealed class ArtifactServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    private ArtifactServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<ArtifactServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ArtifactServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public string Put(string name, byte[] content)
    {
        _files[name] = content;
        return new Uri(BaseAddress, "files/" + name + "?X-Amz-Signature=secret").ToString();
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (path.StartsWith("/files/", StringComparison.Ordinal) && _files.TryGetValue(path["/files/".Length..], out var content))
        {
            context.Response.ContentLength = content.Length;
            await context.Response.Body.WriteAsync(content);
            return;
        }
        if (path == "/endless")
        {
            var chunk = new byte[65536];
            try
            {
                while (!context.RequestAborted.IsCancellationRequested)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // the client stopped reading, as it should
            }
            return;
        }
        if (path == "/claims-huge")
        {
            context.Response.ContentLength = 10L << 30;
            await context.Response.Body.WriteAsync(new byte[1024]);
            return;
        }
        context.Response.StatusCode = 404;
    }
}
