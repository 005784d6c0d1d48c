using System.Text;
using k8s;

namespace Pyrometer.Kubectl.Debug;

/// <summary>
/// Attaches the terminal to a running container over the API server's WebSocket attach (channel protocol v4): the
/// container's TTY output to stdout, keys to its stdin, the window size on the resize channel.
/// </summary>
internal static class TerminalAttach
{
    public static bool HasTerminal => !Console.IsInputRedirected && !Console.IsOutputRedirected;

    public static async Task RunAsync(IKubernetes client, string ns, string pod, string container, bool tty, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var socket = await client.WebSocketNamespacedPodAttachAsync(
            pod, ns, container, stderr: !tty, stdin: true, stdout: true, tty: tty, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var demuxer = new StreamDemuxer(socket);
        var closed = new TaskCompletionSource();
        demuxer.ConnectionClosed += (_, _) => closed.TrySetResult();
        demuxer.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = demuxer.GetStream(null, ChannelIndex.StdIn);
        if (tty)
        {
            var resize = demuxer.GetStream(null, ChannelIndex.Resize);
            var size = Encoding.UTF8.GetBytes($"{{\"Width\":{Console.WindowWidth},\"Height\":{Console.WindowHeight}}}");
            await resize.WriteAsync(size, cancellationToken).ConfigureAwait(false);
        }
        var outputs = tty
            ? [Copy(demuxer.GetStream(ChannelIndex.StdOut, null), Console.OpenStandardOutput(), stop.Token)]
            : new[] { Copy(demuxer.GetStream(ChannelIndex.StdOut, null), Console.OpenStandardOutput(), stop.Token), Copy(demuxer.GetStream(ChannelIndex.StdErr, null), Console.OpenStandardError(), stop.Token) };
        // Keys are read on their own thread: Console.ReadKey blocks and has no asynchronous form.
        var keys = tty ? Task.Run(() => PumpKeys(input, stop.Token), CancellationToken.None) : Copy(Console.OpenStandardInput(), input, stop.Token);
        var previous = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = tty;   // Ctrl-C goes to the program in the container, as with kubectl attach -t
        try
        {
            await Task.WhenAny(closed.Task, Task.WhenAll(outputs)).ConfigureAwait(false);
        }
        finally
        {
            Console.TreatControlCAsInput = previous;
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private static void PumpKeys(Stream input, CancellationToken cancellationToken)
    {
        var buffer = new byte[8];
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!Console.KeyAvailable)
            {
                Thread.Sleep(20);   // KeyAvailable polls the local terminal only; nothing goes to the server
                continue;
            }
            var key = Console.ReadKey(intercept: true);
            if (key.KeyChar == '\0')
            {
                continue;   // arrows and function keys: top takes none
            }
            var count = Encoding.UTF8.GetBytes([key.KeyChar], buffer);
            try
            {
                input.Write(buffer, 0, count);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                return;   // the container ended
            }
        }
    }

    private static async Task Copy(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16384];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await to.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // the attach ended
        }
    }
}
