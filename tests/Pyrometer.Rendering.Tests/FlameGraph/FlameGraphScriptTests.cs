using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Tests.Support;
using Pyrometer.Testing.Browser;

namespace Pyrometer.Rendering.Tests.FlameGraph;

/// <summary>
/// The flame graph's inline script in a real browser: headless Chromium opens a generated SVG from disk and
/// the test hovers, clicks, resets and searches through the DevTools protocol. Screenshots of each step are
/// kept under the test output directory (browser-screenshots/).
/// </summary>
[Trait("Category", "Integration")]
public sealed class FlameGraphScriptTests
{
    private const string Handle = "handle (app.py:22)";
    private const string Compute = "compute_similarity (app.py:57)";
    private const string Idle = "idle (app.py:90)";
    private const string Main = "main (app.py:10)";

    [ChromiumFact]
    public async Task Script_HoverClickResetSearch_BehaveInChromium()
    {
        // A safety net so a hung browser fails the test instead of the run; nothing here is timed.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var token = timeout.Token;
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-screenshots")).FullName;
        var svgPath = Path.Combine(screenshots, "simple.svg");
        await using (var file = File.Create(svgPath))
        {
            FlameGraphWriter.Write(RenderingGoldenTests.Load("simple"), file);
        }

        await using var chromium = await Chromium.StartAsync(1240, 400, token);
        var page = chromium.Page;
        await page.SendAsync("Page.enable", null, token);
        var loaded = page.NextEventAsync("Page.loadEventFired");
        await page.SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(svgPath).AbsoluteUri }, token);
        await loaded.WaitAsync(token);
        Assert.Equal("svg", (string?)await page.EvaluateAsync("document.documentElement.localName", token));
        await ScreenshotAsync(page, screenshots, "1-loaded", token);

        // Hover: the details line names function, file, line, samples and share.
        await MouseAsync(page, "mouseMoved", await CenterOfAsync(page, Compute, token), token);
        Assert.Equal(
            "function compute_similarity, file app.py, line 57 | 53 samples (74.65%)",
            (string?)await page.EvaluateAsync("document.getElementById('details').textContent", token));
        await ScreenshotAsync(page, screenshots, "2-hover", token);

        // Click zooms: the frame fills the width, its ancestors stay (faded), its siblings hide.
        await ClickAsync(page, await CenterOfAsync(page, Handle, token), token);
        Assert.Equal(1180, await WidthAsync(page, Handle, token), 2);
        Assert.Equal(1180, await WidthAsync(page, Main, token), 2);
        Assert.Equal(53.0 / 69 * 1180, await WidthAsync(page, Compute, token), 2);
        Assert.Equal("none", (string?)await page.EvaluateAsync(Frame(Idle) + ".style.display", token));
        Assert.Equal("parent", (string?)await page.EvaluateAsync(Frame(Main) + ".getAttribute('class')", token));
        await ScreenshotAsync(page, screenshots, "3-zoomed", token);

        // Reset returns every frame to its place.
        await ClickAsync(page, await CenterOfElementAsync(page, "document.getElementById('reset')", token), token);
        Assert.Equal(69.0 / 71 * 1180, await WidthAsync(page, Handle, token), 2);
        Assert.Equal("", (string?)await page.EvaluateAsync(Frame(Idle) + ".style.display", token));

        // Search through the real prompt: matches turn magenta and the matched share is shown.
        var dialog = page.NextEventAsync("Page.javascriptDialogOpening");
        var searchButton = await CenterOfElementAsync(page, "document.getElementById('search')", token);
        await MouseAsync(page, "mousePressed", searchButton, token);
        var release = MouseAsync(page, "mouseReleased", searchButton, token);   // returns once the prompt is answered
        Assert.Equal("prompt", (string?)(await dialog.WaitAsync(token))?["type"]);
        await page.SendAsync("Page.handleJavaScriptDialog", new JsonObject { ["accept"] = true, ["promptText"] = "^(handle|compute)" }, token);
        await release;
        Assert.Equal("Matched: 97.18% (69 samples)", (string?)await page.EvaluateAsync("document.getElementById('matched').textContent", token));
        Assert.Equal("rgb(230,0,230)", (string?)await page.EvaluateAsync(Frame(Compute) + ".querySelector('rect').getAttribute('fill')", token));
        Assert.NotEqual("rgb(230,0,230)", (string?)await page.EvaluateAsync(Frame(Idle) + ".querySelector('rect').getAttribute('fill')", token));
        await ScreenshotAsync(page, screenshots, "4-search", token);

        // A bad pattern is reported, not thrown.
        Assert.Equal(-1, (double)(await page.EvaluateAsync("search('(')", token))!);
        Assert.StartsWith("Invalid search", (string?)await page.EvaluateAsync("document.getElementById('matched').textContent", token), StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task Script_LargeProfile_ZoomAndSearchCoverEveryFrame()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var token = timeout.Token;
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-screenshots")).FullName;
        var svgPath = Path.Combine(screenshots, "large.svg");
        var profile = RandomProfiles.Create(21, 20_000, functions: 400, maxDepth: 30).Profile;
        await using (var file = File.Create(svgPath))
        {
            FlameGraphWriter.Write(profile, file);
        }

        await using var chromium = await Chromium.StartAsync(1240, 900, token);
        var page = chromium.Page;
        await page.SendAsync("Page.enable", null, token);
        var loaded = page.NextEventAsync("Page.loadEventFired");
        await page.SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(svgPath).AbsoluteUri }, token);
        await loaded.WaitAsync(token);

        var frames = (int)(await page.EvaluateAsync("document.querySelectorAll('#frames > g').length", token))!;
        Assert.True(frames > 1000, $"only {frames} frames drawn");
        // Zoom into the widest frame two levels down; every visible frame must then lie inside the view.
        await page.EvaluateAsync(
            "zoom([...document.querySelectorAll('#frames > g')].filter(g => g.getAttribute('data-d') === '3').sort((a, b) => b.getAttribute('data-w') - a.getAttribute('data-w'))[0])",
            token);
        var outside = (int)(await page.EvaluateAsync(
            "[...document.querySelectorAll('#frames > g')].filter(g => g.style.display !== 'none').filter(g => { const r = g.querySelector('rect'); return +r.getAttribute('x') < 9.99 || +r.getAttribute('x') + +r.getAttribute('width') > 1190.01; }).length",
            token))!;
        Assert.Equal(0, outside);
        await ScreenshotAsync(page, screenshots, "5-large-zoomed", token);

        // Every Python frame name matches "fn_": the matched share is all samples under the pseudo-frames.
        Assert.Equal(100.0, (double)(await page.EvaluateAsync("search('fn_')", token))!, 6);
    }

    [ChromiumFact]
    public async Task Title_LongTarget_NeverCoversTheControls()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var token = timeout.Token;
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-screenshots")).FullName;
        var target = "pod shop/" + string.Concat(Enumerable.Repeat("checkout-api-WWWW-", 20)) + "7d9f8 (3 processes)";
        var profile = RenderingGoldenTests.Load("simple").WithMetadata(new Pyrometer.Rendering.Model.ProfileMetadata { Target = target });
        foreach (var width in new[] { 400, 1200 })
        {
            var svgPath = Path.Combine(screenshots, $"long-title-{width}.svg");
            await using (var file = File.Create(svgPath))
            {
                FlameGraphWriter.Write(profile, file, new FlameGraphOptions { Width = width });
            }
            await using var chromium = await Chromium.StartAsync(width + 40, 400, token);
            await chromium.NavigateAsync(new Uri(svgPath), token);
            // Zoomed, so "Reset zoom" is drawn too.
            await chromium.EvaluateAsync($"zoom({Frame(Handle)})", token);

            var title = await BoxAsync(chromium.Page, "title", token);
            var reset = await BoxAsync(chromium.Page, "reset", token);
            var search = await BoxAsync(chromium.Page, "search", token);
            Assert.True(reset.Width > 0 && search.Width > 0, "the controls are drawn");
            Assert.True(title.Left >= reset.Right, $"at {width} px the title ({title.Left:0.0}–{title.Right:0.0}) runs under Reset zoom (ends at {reset.Right:0.0})");
            Assert.True(title.Right <= search.Left, $"at {width} px the title ({title.Left:0.0}–{title.Right:0.0}) runs under Search (starts at {search.Left:0.0})");
            var text = (string)(await chromium.EvaluateAsync("document.getElementById('title').textContent", token))!;
            Assert.EndsWith("..", text, StringComparison.Ordinal);
            Assert.StartsWith(text[..^2], "Pyrometer: " + target, StringComparison.Ordinal);
            await ScreenshotAsync(chromium.Page, screenshots, $"6-long-title-{width}", token);
        }
    }

    [ChromiumFact]
    public async Task Fragment_ZoomAndSearch_RestoredOnReloadAndFromALink()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var token = timeout.Token;
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-screenshots")).FullName;
        var svgPath = Path.Combine(screenshots, "fragment.svg");
        await using (var file = File.Create(svgPath))
        {
            FlameGraphWriter.Write(RenderingGoldenTests.Load("simple"), file);
        }
        await using var chromium = await Chromium.StartAsync(1240, 400, token);
        var page = chromium.Page;
        await chromium.NavigateAsync(new Uri(svgPath), token);

        await ClickAsync(page, await CenterOfAsync(page, Handle, token), token);
        await page.EvaluateAsync("search('^compute')", token);
        var hash = (string)(await page.EvaluateAsync("location.hash", token))!;
        var index = (int)(await page.EvaluateAsync($"[...document.getElementById('frames').children].indexOf({Frame(Handle)})", token))!;
        Assert.Equal($"#zoom={index}&search=%5Ecompute", hash);

        // A reload keeps the fragment: the same zoom and search come back.
        var reloaded = page.NextEventAsync("Page.loadEventFired");
        await page.SendAsync("Page.reload", null, token);
        await reloaded.WaitAsync(token);
        await AssertZoomedAndSearchedAsync(page, token);

        // A shared link opened afresh shows the same view; resetting and clearing the search empties the fragment.
        await chromium.NavigateAsync(new Uri("about:blank"), token);
        await chromium.NavigateAsync(new Uri(new Uri(svgPath).AbsoluteUri + hash), token);
        await AssertZoomedAndSearchedAsync(page, token);
        await ScreenshotAsync(page, screenshots, "7-fragment-restored", token);
        await page.EvaluateAsync("resetZoom(), search('')", token);
        Assert.Equal("", (string?)await page.EvaluateAsync("location.hash", token));

        // A fragment naming no frame is ignored, not thrown on.
        await chromium.NavigateAsync(new Uri("about:blank"), token);
        await chromium.NavigateAsync(new Uri(new Uri(svgPath).AbsoluteUri + "#zoom=99999&search=%E0%A4%A"), token);
        Assert.Equal(69.0 / 71 * 1180, await WidthAsync(page, Handle, token), 2);
    }

    private static async Task AssertZoomedAndSearchedAsync(DevToolsSession page, CancellationToken token)
    {
        Assert.Equal(1180, await WidthAsync(page, Handle, token), 2);
        Assert.Equal("none", (string?)await page.EvaluateAsync(Frame(Idle) + ".style.display", token));
        Assert.Equal("rgb(230,0,230)", (string?)await page.EvaluateAsync(Frame(Compute) + ".querySelector('rect').getAttribute('fill')", token));
        Assert.StartsWith("Matched: 74.65%", (string?)await page.EvaluateAsync("document.getElementById('matched').textContent", token), StringComparison.Ordinal);
    }

    private static async Task<(double Left, double Right, double Width)> BoxAsync(DevToolsSession page, string id, CancellationToken token)
    {
        var box = (await page.EvaluateAsync($"(() => {{ const r = document.getElementById('{id}').getBoundingClientRect(); return [r.left, r.right, r.width]; }})()", token))!.AsArray();
        return ((double)box[0]!, (double)box[1]!, (double)box[2]!);
    }

    private static string Frame(string name) =>
        $"[...document.querySelectorAll('#frames > g')].find(g => g.querySelector('title').textContent.split('\\n')[0] === {JsonSerializer.Serialize(name)})";

    private static async Task<double> WidthAsync(DevToolsSession page, string name, CancellationToken token) =>
        double.Parse((string)(await page.EvaluateAsync(Frame(name) + ".querySelector('rect').getAttribute('width')", token))!, CultureInfo.InvariantCulture);

    private static Task<(double X, double Y)> CenterOfAsync(DevToolsSession page, string name, CancellationToken token) =>
        CenterOfElementAsync(page, Frame(name) + ".querySelector('rect')", token);

    private static async Task<(double X, double Y)> CenterOfElementAsync(DevToolsSession page, string element, CancellationToken token)
    {
        var box = (await page.EvaluateAsync($"(() => {{ const r = ({element}).getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()", token))!.AsArray();
        return ((double)box[0]!, (double)box[1]!);
    }

    private static async Task ClickAsync(DevToolsSession page, (double X, double Y) at, CancellationToken token)
    {
        await MouseAsync(page, "mousePressed", at, token);
        await MouseAsync(page, "mouseReleased", at, token);
    }

    private static Task<JsonNode?> MouseAsync(DevToolsSession page, string type, (double X, double Y) at, CancellationToken token)
    {
        var parameters = new JsonObject { ["type"] = type, ["x"] = at.X, ["y"] = at.Y };
        if (type != "mouseMoved")
        {
            parameters["button"] = "left";
            parameters["clickCount"] = 1;
        }
        return page.SendAsync("Input.dispatchMouseEvent", parameters, token);
    }

    private static async Task ScreenshotAsync(DevToolsSession page, string directory, string name, CancellationToken token)
    {
        var shot = await page.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, token);
        await File.WriteAllBytesAsync(Path.Combine(directory, name + ".png"), Convert.FromBase64String((string)shot!["data"]!), token);
    }
}
