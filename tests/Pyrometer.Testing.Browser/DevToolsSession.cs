using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pyrometer.Testing.Browser;

/// <summary>
/// A minimal Chrome DevTools protocol client over <see cref="ClientWebSocket"/>: commands with ids and
/// their replies, and one-shot waits for events such as Page.loadEventFired.
/// </summary>
public sealed class DevToolsSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _replies = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode?>> _events = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _nextId;

    private DevToolsSession(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    public static async Task<DevToolsSession> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(uri, cancellationToken);
        return new DevToolsSession(socket);
    }

    /// <summary>Arms a wait for the next event named <paramref name="method"/>; arm it before the command that causes it.</summary>
    public Task<JsonNode?> NextEventAsync(string method)
    {
        var waiter = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _events[method] = waiter;
        return waiter.Task;
    }

    public async Task<JsonNode?> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
        return await reply.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs JavaScript in the page and returns its value (primitives and JSON-able objects).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, cancellationToken);
        if (result?["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"JavaScript failed: {expression}: {exception.ToJsonString()}");
        }
        return result?["result"]?["value"];
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
            // Closing the socket under the receive loop is how it ends.
        }
        _socket.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
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
                if (node["error"] is { } error)
                {
                    reply.TrySetException(new InvalidOperationException("DevTools error: " + error.ToJsonString()));
                }
                else
                {
                    reply.TrySetResult(node["result"]);
                }
            }
            else if (node?["method"]?.GetValue<string>() is { } method && _events.TryRemove(method, out var waiter))
            {
                waiter.TrySetResult(node["params"]);
            }
        }
    }
}
