using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Tests.Folded;

public sealed class FrameTextParserTests
{
    [Theory]
    [InlineData("compute (app.py:57)", "compute", "app.py", 57)]
    [InlineData("compute (app.py)", "compute", "app.py", 0)]
    [InlineData("compute", "compute", "", 0)]
    [InlineData("<lambda> (/srv/a (copy)/x.py:3)", "<lambda>", "/srv/a (copy)/x.py", 3)]
    [InlineData("f (C:\\src\\x.py:9)", "f", "C:\\src\\x.py", 9)]
    public void Parse_PythonText_SplitsFunctionFileLine(string text, string function, string file, int line)
    {
        var frame = FrameTextParser.Parse(text, 3, parentIsProcess: false);

        Assert.Equal(FrameKind.Python, frame.Kind);
        Assert.Equal((function, file, line), (frame.Name, frame.File, frame.Line));
        Assert.Equal(text, frame.Text);
    }

    [Fact]
    public void Parse_PidAtRoot_IsProcess()
    {
        var frame = FrameTextParser.Parse("pid 123 gunicorn: worker [app]", 0, parentIsProcess: false);

        Assert.Equal(FrameKind.Process, frame.Kind);
        Assert.Equal(123, frame.Number);
        Assert.Equal("gunicorn: worker [app]", frame.Name);
    }

    [Fact]
    public void Parse_ThreadBelowProcess_IsThread()
    {
        var frame = FrameTextParser.Parse("thread 140 MainThread", 1, parentIsProcess: true);

        Assert.Equal(FrameKind.Thread, frame.Kind);
        Assert.Equal(140, frame.Number);
    }

    [Theory]
    [InlineData("pid 12 x", 2)]
    [InlineData("pid x", 0)]
    [InlineData("pid 012 x", 0)]
    [InlineData("thread 5 x", 2)]
    public void Parse_PseudoLookalikeElsewhere_IsPython(string text, int depth)
    {
        Assert.Equal(FrameKind.Python, FrameTextParser.Parse(text, depth, parentIsProcess: false).Kind);
    }
}
