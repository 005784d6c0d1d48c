using System.Text.Json;
using Pyrometer.Rendering.Speedscope;
using Pyrometer.Rendering.Tests.Support;
using Pyrometer.Testing.Browser;

namespace Pyrometer.Rendering.Tests.Speedscope;

/// <summary>
/// Our timeline file opened in the real speedscope app (npm's, in headless Chromium), the way its own command
/// line opens a file: index.html#localProfilePath=FILE.js, where FILE.js hands the file over in base64.
/// Screenshots are kept under the test output directory (browser-screenshots/).
/// </summary>
[Trait("Category", "Integration")]
public sealed class SpeedscopeAppTests
{
    [SpeedscopeAppFact]
    public async Task App_TimelineFile_OpensWithAProfilePerThread()
    {
        // A safety net so a hung browser fails the test instead of the run; nothing here is timed.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var token = timeout.Token;
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-screenshots")).FullName;
        using var json = new MemoryStream();
        SpeedscopeWriter.Write(TimelineInput.Load("timeline"), json);
        var loader = Path.Combine(directory, "timeline.speedscope.js");
        await File.WriteAllTextAsync(loader,
            $"speedscope.loadFileFromBase64({JsonSerializer.Serialize("timeline.speedscope.json")}, {JsonSerializer.Serialize(Convert.ToBase64String(json.ToArray()))})", token);

        await using var chromium = await Chromium.StartAsync(1200, 700, token);
        await chromium.NavigateAsync(new Uri(new Uri(SpeedscopeApp.IndexHtml!).AbsoluteUri + "#localProfilePath=" + loader), token);

        // speedscope names the page after the file's name once it has imported it.
        Assert.Equal("golden timeline - speedscope", await WaitForAsync(chromium, "document.title", t => t.EndsWith(" - speedscope", StringComparison.Ordinal), token));
        var toolbar = await WaitForAsync(chromium, "document.body.innerText", t => t.Contains("thread 101", StringComparison.Ordinal), token);
        Assert.Contains("Time Order", toolbar, StringComparison.Ordinal);
        Assert.Contains("pid 100 python app.py / thread 101 MainThread", toolbar, StringComparison.Ordinal);
        await File.WriteAllBytesAsync(Path.Combine(directory, "speedscope-1-main-thread.png"), await chromium.ScreenshotAsync(token), token);

        // The next profile ("n") is the worker thread's.
        await chromium.EvaluateAsync("window.dispatchEvent(new KeyboardEvent('keypress', { key: 'n' })), document.dispatchEvent(new KeyboardEvent('keydown', { key: 'n' }))", token);
        Assert.Contains("pid 100 python app.py / thread 102 worker",
            await WaitForAsync(chromium, "document.body.innerText", t => t.Contains("thread 102", StringComparison.Ordinal), token), StringComparison.Ordinal);
        await File.WriteAllBytesAsync(Path.Combine(directory, "speedscope-2-worker-thread.png"), await chromium.ScreenshotAsync(token), token);
    }

    // Polls until the page says what is expected (the import runs after the load event); the token bounds it.
    private static async Task<string> WaitForAsync(Chromium chromium, string expression, Func<string, bool> done, CancellationToken token)
    {
        var last = "";
        while (!token.IsCancellationRequested)
        {
            last = (string?)await chromium.EvaluateAsync(expression, token) ?? "";
            if (done(last))
            {
                return last;
            }
            await Task.Delay(100, token);
        }
        throw new OperationCanceledException($"gave up waiting on {expression}; last value: {last}");
    }
}
