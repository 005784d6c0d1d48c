using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pyrometer.Testing.Browser;

/// <summary>
/// A headless Chromium started for one test and driven over the DevTools protocol. It listens on a port it
/// picks itself and announces it on stderr ("DevTools listening on ws://…"); we connect to its one page.
/// </summary>
public sealed partial class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profileDirectory;

    private Chromium(Process process, string profileDirectory, DevToolsSession page)
    {
        _process = process;
        _profileDirectory = profileDirectory;
        Page = page;
    }

    public DevToolsSession Page { get; }

    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>The browser on the PATH, or null when none is installed.</summary>
    public static string? FindExecutable() => Names
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name)))
        .FirstOrDefault(File.Exists);

    public static async Task<Chromium> StartAsync(CancellationToken cancellationToken) => await StartAsync(1280, 800, cancellationToken);

    public static async Task<Chromium> StartAsync(int width, int height, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("pyrometer-chromium-").FullName;
        var start = new ProcessStartInfo(FindExecutable()!)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        // --no-sandbox: test containers run as root, where Chromium's sandbox refuses to start.
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--remote-debugging-port=0", $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        try
        {
            var endpoint = await ReadEndpointAsync(process, cancellationToken);
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);   // keep draining: a full pipe would stall it
            using var http = new HttpClient();
            var targets = await http.GetStringAsync(new Uri(endpoint, "/json/list"), cancellationToken);
            var page = JsonNode.Parse(targets)!.AsArray()
                .FirstOrDefault(t => t?["type"]?.GetValue<string>() == "page")?["webSocketDebuggerUrl"]?.GetValue<string>()
                ?? throw new InvalidOperationException("Chromium lists no page target: " + targets);
            var session = await DevToolsSession.ConnectAsync(new Uri(page), cancellationToken);
            await session.SendAsync("Page.enable", null, cancellationToken);
            return new Chromium(process, profile, session);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and returns once its load event fired.</summary>
    public async Task NavigateAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var loaded = Page.NextEventAsync("Page.loadEventFired");
        await Page.SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri }, cancellationToken);
        await loaded.WaitAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="script"/> (which navigates, e.g. a click) and waits for the new page's load event.</summary>
    public async Task NavigateByScriptAsync(string script, CancellationToken cancellationToken)
    {
        var loaded = Page.NextEventAsync("Page.loadEventFired");
        await Page.EvaluateAsync(script, cancellationToken);
        await loaded.WaitAsync(cancellationToken);
    }

    public Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken) => Page.EvaluateAsync(expression, cancellationToken);

    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken)
    {
        var result = await Page.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, cancellationToken);
        return Convert.FromBase64String(result!["data"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        await Page.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profileDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be flushing its profile; a leftover temp directory is harmless.
        }
    }

    private static async Task<Uri> ReadEndpointAsync(Process process, CancellationToken cancellationToken)
    {
        var seen = new List<string>();
        while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
        {
            seen.Add(line);
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                return new Uri("http://" + match.Groups[1].Value);
            }
        }
        throw new InvalidOperationException("Chromium exited without opening DevTools: " + string.Join('\n', seen));
    }

    [GeneratedRegex(@"DevTools listening on ws://([^/]+)/")]
    private static partial Regex ListeningLine();
}
