using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

public sealed class PythonStringsTests
{
    [Theory]
    [InlineData("3.9.18", "plain_ascii", 1)]
    [InlineData("3.9.18", "sleeper_ñame", 1)]
    [InlineData("3.10.13", "работа", 2)]
    [InlineData("3.11.7", "unicode_😀.py", 4)]
    [InlineData("3.12.1", "sleeper_ñame", 1)]
    [InlineData("3.13.0", "работа", 2)]
    [InlineData("3.14.10", "unicode_😀.py", 4)]
    [InlineData("3.14.10t", "работа_😀_ñ", 4)]
    [InlineData("3.13.0t", "sleeper_ñame", 1)]
    public void TryParseHeaderAndDecode_CompactString_RoundTrips(string versionText, string text, int expectedKind)
    {
        var image = new PythonImageBuilder(Versions.Parse(versionText));
        var address = image.Str(text);
        var layout = image.Layout;
        var header = image.Span(address, layout.UnicodeHeaderLength);

        Assert.True(PythonStrings.TryParseHeader(header, layout, out var offset, out var length, out var kind));
        Assert.Equal(expectedKind, kind);
        Assert.True(PythonStrings.TryDecode(image.Span(address + (ulong)offset, length), kind, out var decoded));
        Assert.Equal(text, decoded);
    }

    [Fact]
    public void TryParseHeader_LongerThanCap_IsRejected()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.12.1"));
        var address = image.Str(new string('x', PythonStrings.MaxChars + 1));

        Assert.False(PythonStrings.TryParseHeader(image.Span(address, image.Layout.UnicodeHeaderLength), image.Layout, out _, out _, out _));
    }

    [Theory]
    [InlineData(0u)]                   // kind 0: legacy, not ready
    [InlineData(3u << 2 | 1u << 5)]    // kind 3 does not exist
    [InlineData(1u << 2)]              // not compact (a str subclass's separate buffer)
    [InlineData(2u << 2 | 1u << 5 | 1u << 6)]   // "ascii" with kind 2
    public void TryParseHeader_ImpossibleState_IsRejected(uint state)
    {
        var image = new PythonImageBuilder(Versions.Parse("3.11.7"));
        var address = image.Str("abc");
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(image.Span(address + (ulong)image.Layout.UnicodeState, 4), state);

        Assert.False(PythonStrings.TryParseHeader(image.Span(address, image.Layout.UnicodeHeaderLength), image.Layout, out _, out _, out _));
    }

    [Fact]
    public void TryParseHeader_NegativeLength_IsRejected()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.11.7"));
        var address = image.Str("abc");
        image.U64(address + (ulong)image.Layout.UnicodeLength, ulong.MaxValue);

        Assert.False(PythonStrings.TryParseHeader(image.Span(address, image.Layout.UnicodeHeaderLength), image.Layout, out _, out _, out _));
    }

    [Fact]
    public void TryDecode_Ucs4Surrogate_IsRejected()
    {
        byte[] data = [0x00, 0xD8, 0x00, 0x00];

        Assert.False(PythonStrings.TryDecode(data, 4, out _));
    }

    [Fact]
    public void TryParseBytesHeader_SizeOverCap_IsRejected()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.12.1"));
        var address = image.Bytes([1, 2, 3]);
        var header = image.Span(address, image.Layout.BytesData);
        Assert.True(PythonStrings.TryParseBytesHeader(header, image.Layout, out var length));
        Assert.Equal(3, length);

        image.U64(address + (ulong)image.Layout.BytesSize, PythonStrings.MaxBytes + 1UL);

        Assert.False(PythonStrings.TryParseBytesHeader(image.Span(address, image.Layout.BytesData), image.Layout, out _));
    }
}
