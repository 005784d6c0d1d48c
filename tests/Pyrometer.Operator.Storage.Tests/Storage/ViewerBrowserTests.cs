using System.Text;
using System.Text.Json.Nodes;
using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Storage.Tests.Support;
using Pyrometer.Testing.Browser;

namespace Pyrometer.Operator.Storage.Tests.Storage;

/// <summary>
/// The viewer in a headless Chromium, as a person uses it: sign in, read the list (newest first, with times),
/// compare two requests through the form, and open a profile in the real speedscope app served from another
/// origin, which fetches it from the built-in store cross-origin. Nothing here is timed; a generous token only
/// keeps a hung browser from hanging the run.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ViewerBrowserTests : IAsyncLifetime, IDisposable
{
    private const string JaneToken = "jane-token-0123456789";
    private static readonly ArtifactKey Speedscope = new("shop", "search-latency", null, "speedscope", "speedscope.json");

    // A speedscope file as the agent writes one: a sampled profile over a shared frames table.
    private const string SpeedscopeJson = """
        {"$schema":"https://www.speedscope.app/file-format-schema.json","exporter":"pyrometer@test","name":"shop/search-latency",
         "activeProfileIndex":0,"shared":{"frames":[{"name":"main","file":"app.py","line":1},{"name":"compute_similarity","file":"app.py","line":57}]},
         "profiles":[{"type":"sampled","name":"pid 7 python app.py","unit":"none","startValue":0,"endValue":4,"samples":[[0,1],[0,1],[0,1],[0]],"weights":[1,1,1,1]}]}
        """;

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

    [ChromiumFact]
    public async Task Chromium_ListsNewestFirstWithTimesAndComparesTwoPickedRequests()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var token = timeout.Token;
        var now = DateTimeOffset.UtcNow;
        var catalog = ViewerCompareEndpointsTests.Catalog(
            ViewerCompareEndpointsTests.Succeeded(ViewerCompareEndpointsTests.BeforeKey) with { CompletedAt = now.AddDays(-3).AddMinutes(-5) },
            ViewerCompareEndpointsTests.Succeeded(ViewerCompareEndpointsTests.AfterKey) with { CompletedAt = now.AddHours(-2).AddMinutes(-5) });
        // The catalog's first two entries are the same requests without times; keep only the timed ones.
        var entries = catalog.List().Skip(2).ToArray();
        await using var server = await StartAsync(new FakeCatalog(entries), settings: null);
        await using var chromium = await Chromium.StartAsync(token);
        await SignInAsync(chromium, server, token);

        var list = (await chromium.EvaluateAsync(
            """
            ({
              names: [...document.querySelectorAll('td.name')].map(e => e.textContent),
              times: [...document.querySelectorAll('td.time')].map(e => e.innerText.replace(/\s+/g, ' ').trim()),
              datetimes: [...document.querySelectorAll('td.time time')].map(e => e.getAttribute('datetime')),
              choices: [...document.querySelectorAll('input[type=radio]')].map(e => e.name + ':' + e.value),
            })
            """, token))!.AsObject();

        // Newest first: the running request (not finished) on top, then by completion time; bank/ledger has no
        // time, so it sorts last among the finished ones.
        Assert.Equal(["running", "checkout-2", "checkout-1"], Strings(list["names"]));
        var times = Strings(list["times"]);
        Assert.Equal("not yet", times[0]);
        Assert.StartsWith("2 h ago ", times[1], StringComparison.Ordinal);
        Assert.EndsWith(" UTC", times[1], StringComparison.Ordinal);
        Assert.StartsWith("3 d ago ", times[2], StringComparison.Ordinal);
        Assert.Equal(
            [now.AddHours(-2).AddMinutes(-5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
             now.AddDays(-3).AddMinutes(-5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)],
            Strings(list["datetimes"]));
        Assert.Equal(["before:shop/checkout-2", "after:shop/checkout-2", "before:shop/checkout-1", "after:shop/checkout-1"], Strings(list["choices"]));
        await ScreenshotAsync(chromium, "viewer-list.png", token);

        await chromium.NavigateByScriptAsync(
            """
            document.querySelector('input[name=before][value="shop/checkout-1"]').click();
            document.querySelector('input[name=after][value="shop/checkout-2"]').click();
            document.querySelector('#compare button[type=submit]').click();
            """, token);
        var compared = (await chromium.EvaluateAsync(
            """
            ({
              path: location.pathname,
              before: document.getElementById('before').textContent,
              after: document.getElementById('after').textContent,
              grew: [...document.querySelectorAll('#grew td.function')].map(e => e.textContent),
              shrank: [...document.querySelectorAll('#shrank td.function')].map(e => e.textContent),
              grewSelf: document.querySelector('#grew td.self').textContent,
              injected: document.querySelectorAll('img').length,
            })
            """, token))!.AsObject();

        Assert.Equal("/viewer/compare", compared["path"]!.GetValue<string>());
        Assert.Equal("shop/checkout-1", compared["before"]!.GetValue<string>());
        Assert.Equal("shop/checkout-2", compared["after"]!.GetValue<string>());
        Assert.Equal("parse (app.py)", Strings(compared["grew"])[0]);
        Assert.Contains("<img src=x onerror=alert(1)> (evil.py)", Strings(compared["grew"]));
        Assert.Equal("+30.00", compared["grewSelf"]!.GetValue<string>());
        Assert.Equal("legacy_render (app.py)", Strings(compared["shrank"])[0]);
        Assert.Equal(0, compared["injected"]!.GetValue<int>());
        await ScreenshotAsync(chromium, "viewer-compare.png", token);

        await chromium.NavigateByScriptAsync("document.getElementById('diff-before').click()", token);
        var svg = (await chromium.EvaluateAsync(
            """
            ({
              type: document.contentType,
              title: document.getElementById('title').textContent,
              removed: [...document.querySelectorAll('g > title')].some(t => t.textContent.startsWith('legacy_render (app.py)\nbefore 60.00%')),
            })
            """, token))!.AsObject();

        Assert.Equal("image/svg+xml", svg["type"]!.GetValue<string>());
        Assert.Equal("Pyrometer diff: shop/checkout-1 → shop/checkout-2", svg["title"]!.GetValue<string>());
        Assert.True(svg["removed"]!.GetValue<bool>(), "BEFORE's shape has a box for the removed function");
        await ScreenshotAsync(chromium, "viewer-compare-before.png", token);
    }

    [SpeedscopeAppFact]
    public async Task Chromium_OpenInSpeedscope_TheAppOnItsOwnOriginLoadsTheProfileFromTheStore()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var token = timeout.Token;
        await using var app = await StaticSite.StartAsync(SpeedscopeApp.Directory!);
        var catalog = new FakeCatalog(new ViewerEntry("shop", "search-latency", "Succeeded", "Completed", null, null, null, [new ViewerArtifact(Speedscope, null)])
        {
            CompletedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        });
        await using var server = await StartAsync(catalog, new() { ["Storage:Viewer:SpeedscopeUrl"] = app.Address.AbsoluteUri });
        await server.Store.WriteAsync(Speedscope, new MemoryStream(Encoding.UTF8.GetBytes(SpeedscopeJson)), "application/json", token);
        Assert.NotEqual(app.Address.GetLeftPart(UriPartial.Authority), server.Address.GetLeftPart(UriPartial.Authority));
        await using var chromium = await Chromium.StartAsync(1200, 700, token);
        await SignInAsync(chromium, server, token);

        // The link opens a new tab; following its href in this tab is the same request with the same cookie.
        await chromium.NavigateByScriptAsync("location.href = document.querySelector('a.speedscope').href", token);

        Assert.Equal(app.Address.GetLeftPart(UriPartial.Authority), (string?)await chromium.EvaluateAsync("location.origin", token));
        var title = await WaitForAsync(chromium, "document.title", t => t.EndsWith(" - speedscope", StringComparison.Ordinal), token);
        Assert.Equal("shop/search-latency - speedscope", title);
        Assert.Contains("Time Order", await WaitForAsync(chromium, "document.body.innerText", t => t.Contains("Sandwich", StringComparison.Ordinal), token), StringComparison.Ordinal);
        // The flame chart is drawn on a canvas; the Sandwich view lists the profile's functions as text, so it
        // shows that the app fetched and imported our file (from the store's origin, which needed CORS).
        await chromium.EvaluateAsync("[...document.querySelectorAll('div, span, button')].find(e => e.textContent.trim().endsWith('Sandwich') && e.children.length <= 1).click()", token);
        var table = await WaitForAsync(chromium, "document.body.innerText", t => t.Contains("compute_similarity", StringComparison.Ordinal), token);
        Assert.Contains("main", table, StringComparison.Ordinal);
        await ScreenshotAsync(chromium, "viewer-open-in-speedscope.png", token);
    }

    private async Task<BuiltInServer> StartAsync(FakeCatalog catalog, Dictionary<string, string?>? settings)
    {
        var configuration = new Dictionary<string, string?>(settings ?? []) { ["Storage:Viewer:Enabled"] = "true" };
        var server = await BuiltInServer.StartAsync(Path.Combine(_work.Path, "store"), configuration, catalog: catalog, kube: TestApi.Create(_api));
        await server.Store.WriteAsync(ViewerCompareEndpointsTests.BeforeKey, new MemoryStream(Encoding.UTF8.GetBytes(ViewerCompareEndpointsTests.BeforeFolded)), "text/plain", CancellationToken.None);
        await server.Store.WriteAsync(ViewerCompareEndpointsTests.AfterKey, new MemoryStream(Encoding.UTF8.GetBytes(ViewerCompareEndpointsTests.AfterFolded)), "text/plain", CancellationToken.None);
        return server;
    }

    private static async Task SignInAsync(Chromium chromium, BuiltInServer server, CancellationToken token)
    {
        await chromium.NavigateAsync(server.Address, token);
        await chromium.NavigateByScriptAsync(
            $"document.querySelector('input[name=token]').value = '{JaneToken}'; document.getElementById('login').submit()", token);
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    private static async Task ScreenshotAsync(Chromium chromium, string name, CancellationToken token)
    {
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-screenshots")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(directory, name), await chromium.ScreenshotAsync(token), token);
    }

    // Polls until the page says what is expected (speedscope imports after its load event); the token bounds it.
    private static async Task<string> WaitForAsync(Chromium chromium, string expression, Func<string, bool> done, CancellationToken token)
    {
        var last = "";
        try
        {
            while (true)
            {
                last = (string?)await chromium.EvaluateAsync(expression, token) ?? "";
                if (done(last))
                {
                    return last;
                }
                await Task.Delay(100, token);
            }
        }
        catch (OperationCanceledException e)
        {
            var page = (string?)await chromium.EvaluateAsync("location.href + ' | ' + document.title + ' | ' + document.body.innerText", CancellationToken.None);
            throw new OperationCanceledException($"gave up waiting on {expression}; last value: {last}; page: {page}", e);
        }
    }
}
