using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Tests.Folded;

public sealed class FoldedReaderTests
{
    [Fact]
    public void Read_RepeatedStacks_AddUp()
    {
        var profile = FoldedReader.Read(new StringReader("a (x.py:1);b (x.py:2) 3\r\n\na (x.py:1);b (x.py:2) 4\na (x.py:1) 1\n"), ProfileMetadata.None);

        Assert.Equal(2, profile.StackCount);
        Assert.Equal(8, profile.TotalSamples);
        Assert.Equal(7, profile.GetCount(1));
    }

    [Fact]
    public void Read_ProcessAndThread_BecomePseudoFrames()
    {
        var profile = FoldedReader.Read(new StringReader("pid 7 gunicorn: worker [app];thread 9 Main;main (app.py:1) 2\n"), ProfileMetadata.None);

        Assert.Equal([FrameKind.Process, FrameKind.Thread, FrameKind.Python], profile.GetStack(0).ToArray().Select(id => profile.GetFrame(id).Kind));
    }

    [Theory]
    [InlineData("a;b", "line 1", "expected")]
    [InlineData("a;b x", "line 1", "'x' is not a positive whole number")]
    [InlineData("ok 1\na;b 0", "line 2", "'0' is not a positive whole number")]
    [InlineData("a;b -3", "line 1", "'-3'")]
    [InlineData("a;;b 3", "line 1", "frame 2 is empty")]
    [InlineData(" 3", "line 1", "expected")]
    public void Read_BadLine_ThrowsNamingLineAndProblem(string text, string where, string what)
    {
        var error = Assert.Throws<ProfileFormatException>(() => FoldedReader.Read(new StringReader(text), ProfileMetadata.None));

        Assert.Contains(where, error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CountsPastLongMax_ThrowsInsteadOfWrapping()
    {
        var error = Assert.Throws<ProfileFormatException>(() => FoldedReader.Read(new StringReader($"a 1\nb {long.MaxValue}\n"), ProfileMetadata.None));

        Assert.Contains("line 2: the samples add up to more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TooDeep_Throws()
    {
        var text = string.Join(";", Enumerable.Repeat("f", FoldedReader.MaxDepth + 1)) + " 1";

        var error = Assert.Throws<ProfileFormatException>(() => FoldedReader.Read(new StringReader(text), ProfileMetadata.None));

        Assert.Contains("deeper than", error.Message, StringComparison.Ordinal);
    }
}
