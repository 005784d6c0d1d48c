using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>
/// A headless Chromium for one test, driven over the DevTools protocol on its single page: navigate, wait for
/// the load event, evaluate JavaScript. Chromium picks its own debugging port and prints it on stderr.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _replies = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _nextId;

    private HeadlessChromium(Process process, string profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    public static string? Executable => Names
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name)))
        .FirstOrDefault(File.Exists);

    public static async Task<HeadlessChromium> StartAsync(CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("pyrometer-viewer-chromium-").FullName;
        var start = new ProcessStartInfo(Executable!) { RedirectStandardError = true, RedirectStandardOutput = true };
        // --no-sandbox: test machines run as root, where Chromium's sandbox will not start.
        foreach (var argument in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        try
        {
            Uri? endpoint = null;
            while (endpoint is null && await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
            {
                if (DevToolsLine().Match(line) is { Success: true } match)
                {
                    endpoint = new Uri("http://" + match.Groups[1].Value);
                }
            }
            if (endpoint is null)
            {
                throw new InvalidOperationException("Chromium exited without announcing its DevTools port.");
            }
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);   // keep draining: a full pipe would stall it
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync(new Uri(endpoint, "/json/list"), cancellationToken))!.AsArray();
            var page = targets.First(t => t?["type"]?.GetValue<string>() == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(page), cancellationToken);
            var chromium = new HeadlessChromium(process, profile, socket);
            await chromium.SendAsync("Page.enable", null, cancellationToken);
            return chromium;
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
        var loaded = ArmEvent("Page.loadEventFired");
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() }, cancellationToken);
        await loaded.WaitAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="script"/> (which navigates, e.g. a click) and waits for the new page's load event.</summary>
    public async Task NavigateByScriptAsync(string script, CancellationToken cancellationToken)
    {
        var loaded = ArmEvent("Page.loadEventFired");
        await EvaluateAsync(script, cancellationToken);
        await loaded.WaitAsync(cancellationToken);
    }

    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, cancellationToken);
        return result?["exceptionDetails"] is { } error
            ? throw new InvalidOperationException($"JavaScript failed: {expression}: {error.ToJsonString()}")
            : result?["result"]?["value"];
    }

    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, cancellationToken);
        return Convert.FromBase64String(result!["data"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The receive loop ends by cancellation.
        }
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile; a leftover temp directory is harmless.
        }
    }

    private Task ArmEvent(string method)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _events[method] = waiter;
        return waiter.Task;
    }

    private async Task<JsonNode?> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        return await reply.Task.WaitAsync(cancellationToken);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested)
        {
            var received = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }
            var node = JsonNode.Parse(message.ToArray());
            message.SetLength(0);
            if (node?["id"] is { } id && _replies.TryRemove(id.GetValue<int>(), out var reply))
            {
                _ = node["error"] is { } error
                    ? reply.TrySetException(new InvalidOperationException("DevTools error: " + error.ToJsonString()))
                    : reply.TrySetResult(node["result"]);
            }
            else if (node?["method"]?.GetValue<string>() is { } method && _events.TryRemove(method, out var waiter))
            {
                waiter.TrySetResult();
            }
        }
    }

    [GeneratedRegex(@"DevTools listening on ws://([^/]+)/")]
    private static partial Regex DevToolsLine();
}
