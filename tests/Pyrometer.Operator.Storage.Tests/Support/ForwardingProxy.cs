using System.Net;
using System.Net.Sockets;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of a server. It counts the bytes clients send and, once they reach a
/// threshold, holds further client bytes until <see cref="Release"/>: a test acts at a known point of an upload
/// (e.g. restarts the server half-way) instead of sleeping and hoping the upload is still running.
/// </summary>
internal sealed class ForwardingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly long _threshold;
    private readonly TaskCompletionSource _thresholdReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _sent;

    private ForwardingProxy(int upstreamPort, long threshold)
    {
        _upstreamPort = upstreamPort;
        _threshold = threshold;
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Completes once clients have sent at least the threshold's bytes in total.</summary>
    public Task ThresholdReached => _thresholdReached.Task;

    /// <summary>Lets held and later client bytes through.</summary>
    public void Release() => _released.TrySetResult();

    public static ForwardingProxy Start(int upstreamPort, long notifyAfterBytes) => new(upstreamPort, notifyAfterBytes);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener under the accept loop is how it ends.
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
            }
            catch (SocketException)
            {
                return;   // the server is down: the client sees its connection closed, as with a dead server
            }
            var toServer = PumpAsync(client.GetStream(), upstream.GetStream(), count: true);
            var toClient = PumpAsync(upstream.GetStream(), client.GetStream(), count: false);
            await Task.WhenAny(toServer, toClient);
            // One side ended: drop both, so a server that went away resets the client's upload.
            client.Client.LingerState = new LingerOption(true, 0);
            upstream.Client.LingerState = new LingerOption(true, 0);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool count)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (count && Interlocked.Add(ref _sent, read) >= _threshold)
                {
                    _thresholdReached.TrySetResult();
                    await _released.Task.WaitAsync(_stop.Token);
                }
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset on either side ends this direction.
        }
    }
}
