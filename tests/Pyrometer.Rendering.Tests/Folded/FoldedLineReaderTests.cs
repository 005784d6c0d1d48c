using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Formats;

namespace Pyrometer.Rendering.Tests.Folded;

public sealed class FoldedLineReaderTests
{
    private static List<FoldedLine> ReadAll(string text, FoldedLimits? limits = null)
    {
        var reader = new FoldedLineReader(new StringReader(text), limits);
        var lines = new List<FoldedLine>();
        while (reader.TryRead(out var line))
        {
            lines.Add(line);
        }
        return lines;
    }

    private static async Task<List<FoldedLine>> ReadAllAsync(string text, FoldedLimits? limits = null)
    {
        var reader = new FoldedLineReader(new StringReader(text), limits);
        var lines = new List<FoldedLine>();
        while (await reader.ReadAsync(CancellationToken.None) is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }

    [Fact]
    public void TryRead_EveryLineEnding_SameLinesNumberedFromOne()
    {
        var expected = new[] { new FoldedLine(1, "a;b", 2), new FoldedLine(3, "a;c d (x y.py:3)", 5), new FoldedLine(4, "e", 1) };

        Assert.Equal(expected, ReadAll("a;b 2\n\na;c d (x y.py:3) 5\ne 1"));
        Assert.Equal(expected, ReadAll("a;b 2\r\n\r\na;c d (x y.py:3) 5\r\ne 1\r\n"));
        Assert.Equal(expected, ReadAll("a;b 2\r\ra;c d (x y.py:3) 5\re 1\r"));
    }

    [Fact]
    public void TryRead_TrailingWhiteSpace_IgnoredButSpacesInsideFramesKept()
    {
        Assert.Equal([new FoldedLine(1, "main (a b.py:1); inner  frame", 3)], ReadAll("main (a b.py:1); inner  frame 3 \t \n   \n"));
    }

    [Fact]
    public void TryRead_CrLfSplitAcrossBufferFills_OneLineBreak()
    {
        // The reader fills 16 Ki characters at a time: put the \r last in the first fill and the \n first in the next.
        var first = new string('f', (1 << 14) - 3) + " 1";
        var lines = ReadAll(first + "\r\ng 2\r\n");

        Assert.Equal([new FoldedLine(1, first[..^2], 1), new FoldedLine(2, "g", 2)], lines);
    }

    [Fact]
    public void TryRead_LargestCount_Kept()
    {
        Assert.Equal(long.MaxValue, Assert.Single(ReadAll($"a {long.MaxValue}\n")).Count);
    }

    [Theory]
    [InlineData("a 9223372036854775808", "line 1", "'9223372036854775808' is not a positive whole number")]
    [InlineData("a 1\nb 0", "line 2", "'0' is not a positive whole number")]
    [InlineData("a +1", "line 1", "'+1'")]
    [InlineData("a 1e3", "line 1", "'1e3'")]
    [InlineData("a;b", "line 1", "expected '<frame;frame;…> <count>'")]
    [InlineData(";a 1", "line 1", "frame 1 is empty")]
    [InlineData("a; 1", "line 1", "frame 2 is empty")]
    [InlineData("a\u00a01", "line 1", "expected")]
    public void TryRead_BadLine_NamesLineAndProblem(string text, string where, string what)
    {
        var error = Assert.Throws<ProfileFormatException>(() => ReadAll(text));

        Assert.Contains(where, error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_LineOverTheCap_RefusedBeforeItIsKept()
    {
        var limits = FoldedLimits.Default with { MaxLineLength = 100 };

        Assert.Single(ReadAll(new string('a', 98) + " 1", limits));
        var error = Assert.Throws<ProfileFormatException>(() => ReadAll("ok 1\n" + new string('a', 99) + " 1", limits));

        Assert.Equal("Folded line 2: longer than 100 characters.", error.Message);
    }

    [Fact]
    public void TryRead_MoreLinesThanTheCap_Refused()
    {
        var limits = FoldedLimits.Default with { MaxLines = 3 };

        Assert.Equal(2, ReadAll("a 1\n\nb 1\n", limits).Count);
        var error = Assert.Throws<ProfileFormatException>(() => ReadAll("a 1\n\nb 1\n\n", limits));

        Assert.Contains("more than 3 lines", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_DeeperThanTheCap_Refused()
    {
        var limits = FoldedLimits.Default with { MaxDepth = 3 };

        Assert.Single(ReadAll("a;b;c 1", limits));
        var error = Assert.Throws<ProfileFormatException>(() => ReadAll("a;b;c;d 1", limits));

        Assert.Contains("deeper than 3 frames", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_SameLinesAsTryRead()
    {
        var text = "x;y 3\r\n\ry z 4 \nlast 1";

        Assert.Equal(ReadAll(text), await ReadAllAsync(text));
    }

    [Fact]
    public void AddCount_PastLongMax_RefusedNamingTheLine()
    {
        var line = new FoldedLine(7, "a", 2);

        Assert.Equal(long.MaxValue, FoldedLineReader.AddCount(long.MaxValue - 2, line));
        var error = Assert.Throws<ProfileFormatException>(() => FoldedLineReader.AddCount(long.MaxValue - 1, line));

        Assert.StartsWith("Folded line 7: the samples add up to more than", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(3, 0, 1)]
    [InlineData(3, 1, 0)]
    public void Limits_BelowTheSmallestUsable_Refused(int maxLineLength, int maxLines, int maxDepth)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FoldedLimits(maxLineLength, maxLines, maxDepth));
        Assert.Throws<ArgumentOutOfRangeException>(() => FoldedLimits.Default with { MaxLineLength = maxLineLength, MaxLines = maxLines, MaxDepth = maxDepth });
    }
}
