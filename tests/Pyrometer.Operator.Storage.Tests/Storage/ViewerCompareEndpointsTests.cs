using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

/// <summary>
/// Comparing two requests in the viewer on a real Kestrel with the built-in store: the page, both differential
/// flame graphs and the JSON, computed from the stored folded profiles; and every refusal.
/// </summary>
public sealed class ViewerCompareEndpointsTests : IAsyncLifetime, IDisposable
{
    private const string JaneToken = "jane-token-0123456789";
    private const string Hostile = "<img src=x onerror=alert(1)>";
    private static readonly CancellationToken None = CancellationToken.None;

    // BEFORE: handle splits its time between parse and legacy_render. AFTER: legacy_render is gone (the fix),
    // render replaces it, parse grew, its line moved (no change by itself), and a hostile function name appears.
    public const string BeforeFolded = """
        main (app.py:1);handle (app.py:10);parse (app.py:20) 40
        main (app.py:1);handle (app.py:10);legacy_render (app.py:30) 60
        """;

    public const string AfterFolded = """
        main (app.py:1);handle (app.py:10);parse (app.py:22) 70
        main (app.py:1);handle (app.py:10);render (app.py:40) 20
        main (app.py:1);handle (app.py:10);<img src=x onerror=alert(1)> (evil.py:1) 10
        """;

    internal static readonly ArtifactKey BeforeKey = new("shop", "checkout-1", null, "folded", "folded");
    internal static readonly ArtifactKey AfterKey = new("shop", "checkout-2", "api-7d9f-1", "folded", "folded");
    private static readonly ArtifactKey SecretKey = new("bank", "ledger", null, "folded", "folded");

    private readonly TempDirectory _work = new();
    private FakeApiServer _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeApiServer.StartAsync();
        _api.Reviews.AddToken(JaneToken, "jane@example.com", "developers");
        _api.Reviews.Allow("jane@example.com", "get", "pyrometer.dev", "profilerequests", "shop");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _work.Dispose();

    internal static FakeCatalog Catalog(params ViewerEntry[] more) => new(
    [
        Succeeded(BeforeKey),
        Succeeded(AfterKey),
        Succeeded(SecretKey),
        new ViewerEntry("shop", "running", "Running", null, null, null, null, []),
        .. more,
    ]);

    internal static ViewerEntry Succeeded(ArtifactKey key) =>
        new(key.Namespace, key.Request, "Succeeded", "Completed", null, null, null, [new ViewerArtifact(key, null)]);

    [Fact]
    public async Task Compare_TwoRequests_ShowsWhatGrewAndShrankByFunctionEscaped()
    {
        await using var server = await StartAsync();

        var (status, html) = await GetAsync(server, "viewer/compare?before=shop%2Fcheckout-1&after=shop%2Fcheckout-2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<code id=\"before\">shop/checkout-1</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code id=\"after\">shop/checkout-2</code>", html, StringComparison.Ordinal);
        Assert.Contains("100 samples before, 100 after", html, StringComparison.Ordinal);
        // parse: 40% → 70% self, matched across the line move (app.py:20 → :22).
        Assert.Contains("<tr class=\"change\"><td class=\"function\"><code>parse (app.py)</code></td><td class=\"self\">+30.00</td><td class=\"total\">+30.00</td><td>40.00 &rarr; 70.00</td>", html, StringComparison.Ordinal);
        // The removed function is visible: it shrank from 60% to nothing.
        Assert.Contains("<code>legacy_render (app.py)</code></td><td class=\"self\">-60.00</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Hostile, html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; (evil.py)", html, StringComparison.Ordinal);
        Assert.Contains("href=\"compare/diff.svg?before=shop%2Fcheckout-1&amp;after=shop%2Fcheckout-2&amp;shape=before\"", html, StringComparison.Ordinal);
        Assert.Contains("Grew most:", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffSvg_BothShapes_AfterShowsTheNewFunctionBeforeShowsTheRemovedOne()
    {
        await using var server = await StartAsync();
        const string query = "?before=shop/checkout-1&after=shop/checkout-2";
        using var http = Client(server);

        using var after = await http.GetAsync(new Uri("viewer/compare/diff.svg" + query + "&shape=after", UriKind.Relative));
        using var before = await http.GetAsync(new Uri("viewer/compare/diff.svg" + query + "&shape=before", UriKind.Relative));
        using var bad = await http.GetAsync(new Uri("viewer/compare/diff.svg" + query + "&shape=sideways", UriKind.Relative));
        var afterSvg = await after.Content.ReadAsStringAsync();
        var beforeSvg = await before.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("image/svg+xml", after.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", after.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("default-src 'none'", after.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.StartsWith("<?xml", afterSvg, StringComparison.Ordinal);
        Assert.Contains("Pyrometer diff: shop/checkout-1 → shop/checkout-2", afterSvg, StringComparison.Ordinal);
        Assert.Contains("AFTER&#39;s shape (what grew or is new)", afterSvg, StringComparison.Ordinal);
        // Boxes carry their function and both shares in a title: the new function has one in AFTER's shape,
        // the removed one only in BEFORE's (the header table names both either way).
        Assert.Contains("<title>render (app.py)\nbefore 0.00% (0), after 20.00% (20)", afterSvg, StringComparison.Ordinal);
        Assert.DoesNotContain("<title>legacy_render (app.py)\nbefore", afterSvg, StringComparison.Ordinal);
        Assert.DoesNotContain(Hostile, afterSvg, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Contains("BEFORE&#39;s shape (what shrank or went away)", beforeSvg, StringComparison.Ordinal);
        Assert.Contains("<title>legacy_render (app.py)\nbefore 60.00% (60), after 0.00% (0)", beforeSvg, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task ChangesJson_TwoRequests_HasPyrometerDiffsSchema()
    {
        await using var server = await StartAsync();

        var (status, text) = await GetAsync(server, "viewer/compare/changes.json?before=shop/checkout-1&after=shop/checkout-2");
        var json = JsonNode.Parse(text)!;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("function", json["matchedBy"]!.GetValue<string>());
        Assert.Equal(100, json["beforeSamples"]!.GetValue<long>());
        Assert.Equal("parse", json["grew"]![0]!["function"]!.GetValue<string>());
        Assert.Equal("legacy_render", json["shrank"]![0]!["function"]!.GetValue<string>());
    }

    [Fact]
    public async Task Compare_Refusals_SayWhy()
    {
        await using var server = await StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.Address };

        using var signedOut = await anonymous.GetAsync(new Uri("viewer/compare?before=shop/checkout-1&after=shop/checkout-2", UriKind.Relative));
        var missing = await GetAsync(server, "viewer/compare?before=shop/checkout-1");
        var repeated = await GetAsync(server, "viewer/compare?before=shop/checkout-1&before=shop/x&after=shop/checkout-2");
        var traversal = await GetAsync(server, "viewer/compare?before=shop/..&after=shop/checkout-2");
        var otherNamespace = await GetAsync(server, "viewer/compare?before=bank/ledger&after=shop/checkout-2");
        var unknown = await GetAsync(server, "viewer/compare?before=shop/nope&after=shop/checkout-2");
        var running = await GetAsync(server, "viewer/compare/diff.svg?before=shop/running&after=shop/checkout-2");

        Assert.Equal(HttpStatusCode.Unauthorized, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("Pick two requests", missing.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, repeated.Status);
        Assert.Equal(HttpStatusCode.BadRequest, traversal.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherNamespace.Status);
        Assert.Contains("namespace bank", otherNamespace.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("settle", otherNamespace.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("shop/nope", unknown.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, running.Status);
        Assert.Contains("it is Running", running.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_ProfileOverTheCap_IsRefusedUnreadAndAGzipBombIsStoppedInflating()
    {
        var bomb = new ArtifactKey("shop", "bomb", null, "pprof", "pb.gz");
        await using var server = await StartAsync(
            new Dictionary<string, string?> { ["Storage:Viewer:MaxCompareProfileBytes"] = "65536" },
            Catalog(Succeeded(new ArtifactKey("shop", "big", null, "folded", "folded")), Succeeded(bomb)));
        await server.Store.WriteAsync(new ArtifactKey("shop", "big", null, "folded", "folded"),
            new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("main (app.py:1);work (app.py:2) 1\n", 4000)))), "text/plain", None);
        using (var compressed = new MemoryStream())
        {
            await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                await gzip.WriteAsync(new byte[16 * 1024 * 1024]);
            }
            Assert.True(compressed.Length < 65536, "the bomb itself is under the cap");
            compressed.Position = 0;
            await server.Store.WriteAsync(bomb, compressed, "application/octet-stream", None);
        }

        var big = await GetAsync(server, "viewer/compare?before=shop/big&after=shop/checkout-2");
        var inflated = await GetAsync(server, "viewer/compare?before=shop/checkout-1&after=shop/bomb");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.Status);
        Assert.Contains("shop/big/merged/folded.folded is larger than the viewer compares (stored size over 65536 bytes", big.Body, StringComparison.Ordinal);
        Assert.Contains("pyrometer diff", big.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, inflated.Status);
        Assert.Contains("inflated size over 65536 bytes", inflated.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_UnreadableProfile_Answers422NamingIt()
    {
        var broken = new ArtifactKey("shop", "broken", null, "pprof", "pb.gz");
        await using var server = await StartAsync(catalog: Catalog(Succeeded(broken)));
        await server.Store.WriteAsync(broken, new MemoryStream([0x1f, 0x8b, 1, 2, 3]), "application/octet-stream", None);

        var (status, body) = await GetAsync(server, "viewer/compare?before=shop/broken&after=shop/checkout-2");

        Assert.Equal((HttpStatusCode)422, status);
        Assert.Contains("shop/broken/merged/pprof.pb.gz of shop/broken is not readable", body, StringComparison.Ordinal);
    }

    private async Task<BuiltInServer> StartAsync(Dictionary<string, string?>? settings = null, FakeCatalog? catalog = null)
    {
        var configuration = new Dictionary<string, string?>(settings ?? []) { ["Storage:Viewer:Enabled"] = "true" };
        var server = await BuiltInServer.StartAsync(Path.Combine(_work.Path, "store"), configuration, catalog: catalog ?? Catalog(), kube: TestApi.Create(_api));
        await server.Store.WriteAsync(BeforeKey, new MemoryStream(Encoding.UTF8.GetBytes(BeforeFolded)), "text/plain", None);
        await server.Store.WriteAsync(AfterKey, new MemoryStream(Encoding.UTF8.GetBytes(AfterFolded)), "text/plain", None);
        await server.Store.WriteAsync(SecretKey, new MemoryStream("settle (bank.py:1) 5\n"u8.ToArray()), "text/plain", None);
        return server;
    }

    private static HttpClient Client(BuiltInServer server)
    {
        var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", JaneToken);
        return http;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(BuiltInServer server, string path)
    {
        using var http = Client(server);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
