using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Tests.Model;

public sealed class FrameTests
{
    [Fact]
    public void Python_FileAndLine_TextIsFunctionFileLine()
    {
        Assert.Equal("compute (app.py:57)", Frame.Python("compute", "app.py", 57).Text);
    }

    [Fact]
    public void Python_NoLineOrFile_TextDropsThem()
    {
        Assert.Equal("compute (app.py)", Frame.Python("compute", "app.py", 0).Text);
        Assert.Equal("compute", Frame.Python("compute", "", 0).Text);
    }

    [Fact]
    public void Process_WithCommand_TextIsPidAndCommand()
    {
        Assert.Equal("pid 123 gunicorn: worker [app]", Frame.Process(123, "gunicorn: worker [app]").Text);
        Assert.Equal("pid 5", Frame.Process(5, "").Text);
    }

    [Fact]
    public void Thread_WithAndWithoutName_TextIsThreadIdAndName()
    {
        Assert.Equal("thread 140 MainThread", Frame.Thread(140, "MainThread").Text);
        Assert.Equal("thread 140", Frame.Thread(140, "").Text);
    }

    [Fact]
    public void Python_SeparatorInName_IsReplacedSoFoldedLinesStayIntact()
    {
        var frame = Frame.Python("a;b\nc", "x;y.py", 1);

        Assert.Equal("a,b c (x,y.py:1)", frame.Text);
    }

    [Fact]
    public void Python_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => Frame.Python("", "a.py", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Frame.Python("f", "a.py", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Frame.Process(0, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Frame.Thread(-1, "x"));
    }

    [Fact]
    public void Equals_SameFields_AreEqual()
    {
        Assert.Equal(Frame.Python("f", "a.py", 3), Frame.Python("f", "a.py", 3));
        Assert.NotEqual(Frame.Python("f", "a.py", 3), Frame.Python("f", "a.py", 4));
    }

    [Fact]
    public void Equals_FunctionLineDiffers_StillEqualSoFoldedInputMatches()
    {
        var withStart = Frame.Python("f", "a.py", 3, functionLine: 1);

        Assert.Equal(Frame.Python("f", "a.py", 3), withStart);
        Assert.Equal(Frame.Python("f", "a.py", 3).GetHashCode(), withStart.GetHashCode());
        Assert.Equal(1, withStart.FunctionLine);
    }
}
