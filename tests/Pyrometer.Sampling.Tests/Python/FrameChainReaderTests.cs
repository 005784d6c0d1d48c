using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Tests.Python;

public sealed class FrameChainReaderTests
{
    [Theory]
    [InlineData(0x1000UL, 0x1318UL, 0x4000UL, 0x1000UL)]   // to the end of top's page: no extra page pinned
    [InlineData(0x1000UL, 0x1f00UL, 0x4000UL, 0x1100UL)]   // top near the page end: the margin spills over
    [InlineData(0x1000UL, 0x2000UL, 0x4000UL, 0x1200UL)]   // top on a page boundary: the margin only
    [InlineData(0x1000UL, 0x1318UL, 0x0800UL, 0x0800UL)]   // never past the chunk's size
    [InlineData(0x1000UL, 0x1318UL, 0UL, 0x0318UL)]        // size unknown: the used part only
    public void CopyLength_Top_StaysWithinPageAndChunk(ulong chunk, ulong top, ulong size, ulong expected)
    {
        Assert.Equal(expected, FrameChainReader.CopyLength(chunk, top, size));
    }
}
