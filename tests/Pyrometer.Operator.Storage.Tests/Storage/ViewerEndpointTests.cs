using System.Net;
using System.Text.Json.Nodes;
using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Storage.Tests.Support;
using Pyrometer.Testing.Browser;

namespace Pyrometer.Operator.Storage.Tests.Storage;

/// <summary>
/// The viewer on a real Kestrel, its TokenReviews and SubjectAccessReviews answered by the fake API server,
/// read by HttpClient and by a headless Chromium.
/// </summary>
public sealed class ViewerEndpointTests : IAsyncLifetime, IDisposable
{
    private const string Hostile = "<img src=x onerror=alert(1)>";
    private const string JaneToken = "jane-token-0123456789";
    private static readonly ArtifactKey Flamegraph = new("shop", "search-latency", null, "flamegraph", "svg");
    private static readonly ArtifactKey Secret = new("bank", "ledger", null, "flamegraph", "svg");
    private static readonly byte[] Svg =
        """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><title>flame of compute_similarity</title><rect width="200" height="40" fill="#e66"/></svg>"""u8.ToArray();
    private static readonly Dictionary<string, string?> Enabled = new() { ["Storage:Viewer:Enabled"] = "true" };

    private readonly TempDirectory _work = new();
    private readonly FakeCatalog _catalog = new(
        new ViewerEntry("shop", "search-latency", "Succeeded", "Completed", "2 pods, 5870 samples", "compute_similarity (app.py:57)", 41.2,
            [new ViewerArtifact(Flamegraph, Svg.Length)]),
        new ViewerEntry("shop", "odd-name", "Failed", "PodNotFound", Hostile, null, null, []),
        new ViewerEntry("bank", "ledger", "Succeeded", "Completed", "top secret", "settle (bank.py:1)", 90, [new ViewerArtifact(Secret, Svg.Length)]));

    private FakeApiServer _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeApiServer.StartAsync();
        _api.Reviews.AddToken(JaneToken, "jane@example.com", "developers");
        _api.Reviews.Allow("jane@example.com", "get", "pyrometer.dev", "profilerequests", "shop");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Viewer_DisabledByDefault_Answers404AndAsksNobody()
    {
        await using var server = await StartAsync(settings: null);
        using var http = new HttpClient { BaseAddress = server.Address };

        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        using var artifact = await SendAsync(http, HttpMethod.Get, "viewer/artifacts/" + Flamegraph.RelativePath, JaneToken);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("viewer is disabled", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, artifact.StatusCode);
        Assert.Equal(0, _api.Reviews.TokenReviews);
    }

    [Fact]
    public async Task Viewer_NoToken_Answers401WithTheSignInForm()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };

        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        using var artifact = await http.GetAsync(new Uri("viewer/artifacts/" + Flamegraph.RelativePath, UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal("Bearer", page.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("<form id=\"login\" method=\"post\" action=\"viewer/login\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("search-latency", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, artifact.StatusCode);
    }

    [Fact]
    public async Task Viewer_TokenTheApiServerRejects_Answers401()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };

        using var page = await SendAsync(http, HttpMethod.Get, "/", "stolen-or-made-up");

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.DoesNotContain("search-latency", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, _api.Reviews.TokenReviews);
    }

    [Fact]
    public async Task Viewer_Token_ListsOnlyNamespacesTheUserMayGetAndRefusesOthersArtifacts()
    {
        await using var server = await StartAsync();
        await server.Store.WriteAsync(Flamegraph, new MemoryStream(Svg), "image/svg+xml", CancellationToken.None);
        await server.Store.WriteAsync(Secret, new MemoryStream(Svg), "image/svg+xml", CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.Address };

        using var page = await SendAsync(http, HttpMethod.Get, "/", JaneToken);
        var html = await page.Content.ReadAsStringAsync();
        var href = html.Split("href=\"")[1].Split('"')[0];
        using var allowed = await SendAsync(http, HttpMethod.Get, href, JaneToken);
        using var denied = await SendAsync(http, HttpMethod.Get, "viewer/artifacts/" + Secret.RelativePath, JaneToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("search-latency", html, StringComparison.Ordinal);
        Assert.Contains("jane@example.com", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ledger", html, StringComparison.Ordinal);
        Assert.DoesNotContain("top secret", html, StringComparison.Ordinal);
        Assert.Contains("<span id=\"hidden\">1</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Hostile, html, StringComparison.Ordinal);
        Assert.Equal("viewer/artifacts/shop/search-latency/merged/flamegraph.svg", href);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(Svg, await allowed.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.DoesNotContain("<svg", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_RepeatedRequests_ReviewTheTokenOnceWithinTheCacheTime()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };

        for (var i = 0; i < 3; i++)
        {
            using var page = await SendAsync(http, HttpMethod.Get, "/", JaneToken);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Equal(1, _api.Reviews.TokenReviews);
        Assert.Equal(2, _api.Reviews.AccessReviews);   // one per namespace: shop and bank
    }

    [Fact]
    public async Task Login_GoodToken_SetsAStrictHttpOnlyCookieThatOpensThePage()
    {
        await using var server = await StartAsync();
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Address };

        using var bad = await http.PostAsync(new Uri("viewer/login", UriKind.Relative), new FormUrlEncodedContent([new("token", "nope")]));
        using var login = await http.PostAsync(new Uri("viewer/login", UriKind.Relative), new FormUrlEncodedContent([new("token", JaneToken)]));
        var cookie = login.Headers.GetValues("Set-Cookie").Single();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var page = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.False(bad.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("search-latency", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Speedscope_SpeedscopeArtifact_RedirectsToTheAppWithASignedLinkThatReadsIt()
    {
        var json = "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\"}"u8.ToArray();
        var key = new ArtifactKey("shop", "search-latency", "api-1", "speedscope", "speedscope.json");
        await using var server = await StartAsync(new Dictionary<string, string?>(Enabled) { ["Storage:Viewer:SpeedscopeUrl"] = "https://speedscope.example.com/app/" });
        await server.Store.WriteAsync(key, new MemoryStream(json), "application/json", CancellationToken.None);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Address };

        using var redirect = await SendAsync(http, HttpMethod.Get, "viewer/speedscope/" + key.RelativePath, JaneToken);
        var location = redirect.Headers.Location!.OriginalString;
        var fragment = location[(location.IndexOf('#', StringComparison.Ordinal) + 1)..].Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        using var anonymous = new HttpClient();
        using var profile = await anonymous.GetAsync(new Uri(fragment["profileURL"]));

        Assert.Equal(HttpStatusCode.SeeOther, redirect.StatusCode);
        Assert.StartsWith("https://speedscope.example.com/app/#profileURL=", location, StringComparison.Ordinal);
        Assert.Equal("no-referrer", redirect.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("shop/search-latency (api-1)", fragment["title"]);
        Assert.StartsWith(new Uri(server.Address, "/artifacts/" + key.RelativePath + "?").AbsoluteUri, fragment["profileURL"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        Assert.Equal(json, await profile.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Speedscope_Refusals_SayWhy()
    {
        await using var server = await StartAsync();
        await using var off = await StartAsync(new Dictionary<string, string?>(Enabled) { ["Storage:Viewer:SpeedscopeUrl"] = "" });
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Address };
        using var offHttp = new HttpClient { BaseAddress = off.Address };

        using var anonymous = await http.GetAsync(new Uri("viewer/speedscope/shop/a/merged/speedscope.speedscope.json", UriKind.Relative));
        using var otherNamespace = await SendAsync(http, HttpMethod.Get, "viewer/speedscope/bank/ledger/merged/speedscope.speedscope.json", JaneToken);
        using var notSpeedscope = await SendAsync(http, HttpMethod.Get, "viewer/speedscope/" + Flamegraph.RelativePath, JaneToken);
        using var traversal = await SendAsync(http, HttpMethod.Get, "viewer/speedscope/shop/%2e%2e/merged/speedscope.speedscope.json", JaneToken);
        using var turnedOff = await SendAsync(offHttp, HttpMethod.Get, "viewer/speedscope/shop/a/merged/speedscope.speedscope.json", JaneToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherNamespace.StatusCode);
        Assert.Null(otherNamespace.Headers.Location);
        Assert.Equal(HttpStatusCode.BadRequest, notSpeedscope.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, traversal.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, turnedOff.StatusCode);
        Assert.Contains("viewer.speedscopeUrl", await turnedOff.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task Chromium_SignsInOpensViewerAndFollowsFlameGraphLink()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var cancellationToken = timeout.Token;
        await using var server = await StartAsync();
        await server.Store.WriteAsync(Flamegraph, new MemoryStream(Svg), "image/svg+xml", cancellationToken);
        await using var chromium = await Chromium.StartAsync(cancellationToken);

        await chromium.NavigateAsync(server.Address, cancellationToken);
        await chromium.NavigateByScriptAsync(
            $"document.querySelector('input[name=token]').value = '{JaneToken}'; document.getElementById('login').submit()", cancellationToken);
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
        Assert.Equal([new Uri(server.Address, "viewer/artifacts/shop/search-latency/merged/flamegraph.svg").ToString()], view["links"]!.AsArray().Select(n => n!.GetValue<string>()));

        await chromium.NavigateByScriptAsync("document.querySelector('td.artifacts a').click()", cancellationToken);
        var opened = (await chromium.EvaluateAsync("({ type: document.contentType, title: document.querySelector('title').textContent, url: location.pathname })", cancellationToken))!.AsObject();

        Assert.Equal("image/svg+xml", opened["type"]!.GetValue<string>());
        Assert.Equal("flame of compute_similarity", opened["title"]!.GetValue<string>());
        Assert.Equal("/viewer/artifacts/shop/search-latency/merged/flamegraph.svg", opened["url"]!.GetValue<string>());
        if (Environment.GetEnvironmentVariable("PYROMETER_VIEWER_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            await chromium.NavigateAsync(server.Address, cancellationToken);
            await File.WriteAllBytesAsync(screenshot, await chromium.ScreenshotAsync(cancellationToken), cancellationToken);
        }
    }

    private Task<BuiltInServer> StartAsync() => StartAsync(Enabled);

    private Task<BuiltInServer> StartAsync(Dictionary<string, string?>? settings) =>
        BuiltInServer.StartAsync(Path.Combine(_work.Path, "store"), settings, catalog: _catalog, kube: TestApi.Create(_api));

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }
}
