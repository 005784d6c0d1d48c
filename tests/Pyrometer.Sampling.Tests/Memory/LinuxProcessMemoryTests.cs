using System.Diagnostics;
using System.Runtime.InteropServices;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Memory;

public sealed class LinuxProcessMemoryTests
{
    private static readonly byte[] Known = GC.AllocateArray<byte>(4096, pinned: true);

    static LinuxProcessMemoryTests()
    {
        for (var i = 0; i < Known.Length; i++)
        {
            Known[i] = (byte)(i * 7 + 3);
        }
    }

    private static ulong AddressOf(int index) => (ulong)Marshal.UnsafeAddrOfPinnedArrayElement(Known, index);

    [Fact]
    public void Read_OwnPinnedBuffer_ReturnsItsBytes()
    {
        var memory = new LinuxProcessMemory(Environment.ProcessId);
        var buffer = new byte[100];

        var status = memory.ReadExact(AddressOf(10), buffer);

        Assert.Equal(ReadStatus.Ok, status);
        Assert.Equal(Known.AsSpan(10, 100).ToArray(), buffer);
        Assert.Equal(1, memory.CallCount);
    }

    [Fact]
    public void Read_SeveralSpans_FillsDestinationInOrderWithOneCall()
    {
        var memory = new LinuxProcessMemory(Environment.ProcessId);
        RemoteSpan[] spans = [new(AddressOf(1000), 8), new(AddressOf(0), 3), new(AddressOf(2000), 16)];
        var destination = new byte[40];

        var status = memory.Read(spans, destination, out var read);

        Assert.Equal(ReadStatus.Ok, status);
        Assert.Equal(27, read);
        byte[] expected = [.. Known.AsSpan(1000, 8), .. Known.AsSpan(0, 3), .. Known.AsSpan(2000, 16)];
        Assert.Equal(expected, destination.AsSpan(0, 27).ToArray());
        Assert.Equal(1, memory.CallCount);
    }

    [Fact]
    public void Read_MoreSpansThanIovMax_SplitsIntoTwoCalls()
    {
        var memory = new LinuxProcessMemory(Environment.ProcessId);
        var spans = new RemoteSpan[LinuxProcessMemory.MaxSpansPerCall + 500];
        for (var i = 0; i < spans.Length; i++)
        {
            spans[i] = new RemoteSpan(AddressOf(i % Known.Length), 1);
        }
        var destination = new byte[spans.Length];

        var status = memory.Read(spans, destination, out var read);

        Assert.Equal(ReadStatus.Ok, status);
        Assert.Equal(spans.Length, read);
        Assert.Equal(Known[1500 % Known.Length], destination[1500]);
        Assert.Equal(Known[3], destination[3]);
        Assert.Equal(2, memory.CallCount);
    }

    [Fact]
    public void Read_UnmappedAddress_ReturnsFaultWithNothingRead()
    {
        var memory = new LinuxProcessMemory(Environment.ProcessId);
        RemoteSpan[] spans = [new(0x10, 8)];   // page zero is never mapped

        var status = memory.Read(spans, new byte[8], out var read);

        Assert.Equal(ReadStatus.Fault, status);
        Assert.Equal(0, read);
    }

    [Fact]
    public void Read_LaterSpanUnmapped_ReturnsFaultWithPrefixOfEarlierSpans()
    {
        var memory = new LinuxProcessMemory(Environment.ProcessId);
        RemoteSpan[] spans = [new(AddressOf(0), 32), new(0x10, 8)];
        var destination = new byte[40];

        var status = memory.Read(spans, destination, out var read);

        Assert.Equal(ReadStatus.Fault, status);
        Assert.Equal(32, read);
        Assert.Equal(Known.AsSpan(0, 32).ToArray(), destination.AsSpan(0, 32).ToArray());
    }

    [Fact]
    public void Read_SpanCrossingIntoUnmappedMemory_ReturnsFaultWithMappedPrefixLength()
    {
        // The end of a readable anonymous region with a hole after it: the first 64 bytes exist, the next 64 do not.
        var maps = ProcessMaps.Read(Environment.ProcessId);
        var edge = maps.Regions.First(r => r.CanRead && r.Path.Length == 0 && maps.Find(r.End) is null && r.Size >= 4096);
        var memory = new LinuxProcessMemory(Environment.ProcessId);
        var destination = new byte[128];

        var status = memory.ReadExact(edge.End - 64, destination);
        ReadOnlySpan<RemoteSpan> spans = [new(edge.End - 64, 128)];
        var raw = memory.Read(spans, destination, out var read);

        Assert.Equal(ReadStatus.Fault, status);
        Assert.Equal(ReadStatus.Fault, raw);
        Assert.Equal(64, read);
    }

    [Fact]
    public void Read_ExitedProcess_ReturnsProcessGone()
    {
        using var child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        child.WaitForExit();   // reaped: the PID no longer names a process
        var memory = new LinuxProcessMemory(child.Id);

        var status = memory.Read([new RemoteSpan(0x400000, 8)], new byte[8], out var read);

        Assert.Equal(ReadStatus.ProcessGone, status);
        Assert.Equal(0, read);
    }

    [Fact]
    public void Read_NoSpans_ReturnsOkWithoutSystemCall()
    {
        var memory = new LinuxProcessMemory(Environment.ProcessId);

        var status = memory.Read([], [], out var read);

        Assert.Equal(ReadStatus.Ok, status);
        Assert.Equal(0, read);
        Assert.Equal(0, memory.CallCount);
    }

    [Fact]
    public void Read_DestinationShorterThanSpans_ThrowsArgumentException()
    {
        var memory = new LinuxProcessMemory(Environment.ProcessId);

        var error = Assert.Throws<ArgumentException>(() => memory.Read([new RemoteSpan(AddressOf(0), 16)], new byte[8], out _));

        Assert.Contains("holds 8 bytes but the spans ask for 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NegativeSpanLength_ThrowsArgumentOutOfRange()
    {
        var memory = new LinuxProcessMemory(Environment.ProcessId);

        Assert.Throws<ArgumentOutOfRangeException>(() => memory.Read([new RemoteSpan(AddressOf(0), -1)], new byte[8], out _));
    }

    [Fact]
    public void Constructor_NonPositivePid_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinuxProcessMemory(0));
    }
}
