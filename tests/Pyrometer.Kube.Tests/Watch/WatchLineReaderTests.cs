using System.Text;
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

    /// <summary>Returns at most <c>chunk</c> bytes per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
