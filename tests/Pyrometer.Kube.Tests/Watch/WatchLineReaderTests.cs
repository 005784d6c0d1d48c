using System.Text;
using Pyrometer.Kube.Testing;
using Pyrometer.Kube.Watch;

namespace Pyrometer.Kube.Tests.Watch;

public sealed class WatchLineReaderTests
{
    [Fact]
    public async Task ReadLineAsync_OneByteReads_ReassemblesLines()
    {
        var text = "{\"type\":\"ADDED\",\"n\":\"é🔥\"}\n\n{\"type\":\"DELETED\"}\n";
        using var reader = new WatchLineReader(new TrickleStream(Encoding.UTF8.GetBytes(text), chunk: 1));

        var first = await reader.ReadLineAsync(CancellationToken.None);
        var second = await reader.ReadLineAsync(CancellationToken.None);
        var end = await reader.ReadLineAsync(CancellationToken.None);

        Assert.Equal("{\"type\":\"ADDED\",\"n\":\"é🔥\"}", first);
        Assert.Equal("{\"type\":\"DELETED\"}", second);
        Assert.Null(end);
    }

    [Fact]
    public async Task ReadLineAsync_LastLineWithoutNewline_ReturnsIt()
    {
        using var reader = new WatchLineReader(new TrickleStream(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":2}"), chunk: 3));

        Assert.Equal("{\"a\":1}", await reader.ReadLineAsync(CancellationToken.None));
        Assert.Equal("{\"b\":2}", await reader.ReadLineAsync(CancellationToken.None));
        Assert.Null(await reader.ReadLineAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadLineAsync_LineLongerThanInitialBuffer_GrowsBuffer()
    {
        var payload = new string('x', 100_000);
        using var reader = new WatchLineReader(new TrickleStream(Encoding.UTF8.GetBytes(payload + "\n"), chunk: 4096));

        Assert.Equal(payload, await reader.ReadLineAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadLineAsync_CrLfLineEndings_StripsCarriageReturn()
    {
        using var reader = new WatchLineReader(new MemoryStream(Encoding.UTF8.GetBytes("{}\r\n{}\r\n")));

        Assert.Equal("{}", await reader.ReadLineAsync(CancellationToken.None));
        Assert.Equal("{}", await reader.ReadLineAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadLineAsync_NoByteWithinIdleTimeout_ThrowsTimeout()
    {
        var clock = new ManualTimeProvider();
        using var reader = new WatchLineReader(new SilentAfterStream(Encoding.UTF8.GetBytes("{\"a\":1}\n")), clock, TimeSpan.FromSeconds(40));

        var first = await reader.ReadLineAsync(CancellationToken.None);
        var second = reader.ReadLineAsync(CancellationToken.None).AsTask();
        await clock.NextTimerAsync(due => due == TimeSpan.FromSeconds(40)).Guard();
        clock.Advance(TimeSpan.FromSeconds(40));

        Assert.Equal("{\"a\":1}", first);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => second.Guard());
        Assert.Contains("sent nothing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadLineAsync_ConsumerSlowerThanIdleTimeout_IsNotATimeout()
    {
        var clock = new ManualTimeProvider();
        using var reader = new WatchLineReader(new MemoryStream(Encoding.UTF8.GetBytes("{}\n{}\n")), clock, TimeSpan.FromSeconds(40));

        var first = await reader.ReadLineAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(10));   // the handler took long; no read was pending
        var second = await reader.ReadLineAsync(CancellationToken.None);

        Assert.Equal("{}", first);
        Assert.Equal("{}", second);
    }

    [Fact]
    public async Task ReadLineAsync_CallerCancels_ThrowsCancellationNotTimeout()
    {
        using var reader = new WatchLineReader(new SilentAfterStream([]), new ManualTimeProvider(), TimeSpan.FromSeconds(40));
        using var stop = new CancellationTokenSource();

        var read = reader.ReadLineAsync(stop.Token).AsTask();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.Guard());
    }

    /// <summary>Returns its bytes, then blocks every later read until cancelled: a connection that went quiet.</summary>
    private sealed class SilentAfterStream(byte[] data) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
