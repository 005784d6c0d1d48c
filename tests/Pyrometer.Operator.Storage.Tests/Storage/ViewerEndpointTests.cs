using System.Net;
using System.Text.Json.Nodes;
using Pyrometer.Operator.Storage.Tests.Support;
using Pyrometer.Testing.Browser;

namespace Pyrometer.Operator.Storage.Tests.Storage;

/// <summary>The viewer at GET / on a real Kestrel, read by HttpClient and by a headless Chromium.</summary>
public sealed class ViewerEndpointTests : IDisposable
{
    private const string Hostile = "<img src=x onerror=alert(1)>";
    private static readonly ArtifactKey Flamegraph = new("shop", "search-latency", null, "flamegraph", "svg");
    private static readonly byte[] Svg =
        """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><title>flame of compute_similarity</title><rect width="200" height="40" fill="#e66"/></svg>"""u8.ToArray();

    private readonly TempDirectory _work = new();
    private readonly FakeCatalog _catalog = new(
        new ViewerEntry("shop", "search-latency", "Succeeded", "Completed", "2 pods, 5870 samples", "compute_similarity (app.py:57)", 41.2,
            [new ViewerArtifact(Flamegraph, Svg.Length)]),
        new ViewerEntry("shop", "odd-name", "Failed", "PodNotFound", Hostile, null, null, []));

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task GetRoot_ListsCatalogWithPolicyAndWorkingLinks()
    {
        await using var server = await BuiltInServer.StartAsync(Path.Combine(_work.Path, "store"), catalog: _catalog);
        await server.Store.WriteAsync(Flamegraph, new MemoryStream(Svg), "image/svg+xml", CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.Address };

        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("search-latency", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Hostile, html, StringComparison.Ordinal);
        var href = html.Split("href=\"")[1].Split('"')[0];
        Assert.Equal("artifacts/shop/search-latency/merged/flamegraph.svg", href);
        using var artifact = await http.GetAsync(new Uri(href, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, artifact.StatusCode);
        Assert.Equal(Svg, await artifact.Content.ReadAsByteArrayAsync());
    }

    [ChromiumFact]
    public async Task Chromium_OpensViewerAndFollowsFlameGraphLink()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var cancellationToken = timeout.Token;
        await using var server = await BuiltInServer.StartAsync(Path.Combine(_work.Path, "store"), catalog: _catalog);
        await server.Store.WriteAsync(Flamegraph, new MemoryStream(Svg), "image/svg+xml", cancellationToken);
        await using var chromium = await Chromium.StartAsync(cancellationToken);

        await chromium.NavigateAsync(server.Address, cancellationToken);
        var view = (await chromium.EvaluateAsync(
            """
            ({
              rows: document.querySelectorAll('tr.request').length,
              names: [...document.querySelectorAll('td.name')].map(e => e.textContent),
              messages: [...document.querySelectorAll('.message')].map(e => e.textContent),
              injected: document.querySelectorAll('td img').length,
              links: [...document.querySelectorAll('td.artifacts a')].map(a => a.href),
              top: document.querySelector('td.top').textContent,
            })
            """, cancellationToken))!.AsObject();

        Assert.Equal(2, view["rows"]!.GetValue<int>());
        Assert.Equal(["odd-name", "search-latency"], view["names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains(Hostile, view["messages"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(0, view["injected"]!.GetValue<int>());
        Assert.Equal([new Uri(server.Address, "artifacts/shop/search-latency/merged/flamegraph.svg").ToString()], view["links"]!.AsArray().Select(n => n!.GetValue<string>()));

        await chromium.NavigateByScriptAsync("document.querySelector('td.artifacts a').click()", cancellationToken);
        var opened = (await chromium.EvaluateAsync("({ type: document.contentType, title: document.querySelector('title').textContent, url: location.pathname })", cancellationToken))!.AsObject();

        Assert.Equal("image/svg+xml", opened["type"]!.GetValue<string>());
        Assert.Equal("flame of compute_similarity", opened["title"]!.GetValue<string>());
        Assert.Equal("/artifacts/shop/search-latency/merged/flamegraph.svg", opened["url"]!.GetValue<string>());
        if (Environment.GetEnvironmentVariable("PYROMETER_VIEWER_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            await chromium.NavigateAsync(server.Address, cancellationToken);
            await File.WriteAllBytesAsync(screenshot, await chromium.ScreenshotAsync(cancellationToken), cancellationToken);
        }
    }
}
