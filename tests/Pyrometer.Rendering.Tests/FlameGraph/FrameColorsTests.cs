using Pyrometer.Rendering.FlameGraph;

namespace Pyrometer.Rendering.Tests.FlameGraph;

public sealed class FrameColorsTests
{
    [Theory]
    [InlineData("/usr/lib/python3.12/site-packages/requests/api.py", "requests")]
    [InlineData("/venv/lib/python3.11/site-packages/six.py", "six")]
    [InlineData("/usr/lib/python3/dist-packages/numpy/core/multiarray.py", "numpy")]
    [InlineData("/usr/lib/python3.12/json/decoder.py", "json")]
    [InlineData("/usr/local/lib/python3.12/threading.py", "threading")]
    [InlineData("/app/views/search.py", "views")]
    [InlineData("app.py", "app")]
    [InlineData("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap>")]
    public void PackageOf_File_NamesItsPackage(string file, string package)
    {
        Assert.Equal(package, FrameColors.PackageOf(file));
    }

    [Fact]
    public void ForFile_SamePackageAnywhere_SameColour()
    {
        Assert.Equal(
            FrameColors.ForFile("/usr/lib/python3.12/site-packages/requests/api.py"),
            FrameColors.ForFile("/opt/venv/lib/python3.11/site-packages/requests/sessions.py"));
        Assert.NotEqual(FrameColors.ForFile("/srv/x/requests/api.py"), FrameColors.ForFile("/srv/x/flask/app.py"));
    }

    [Fact]
    public void ForFile_KnownPackage_ColourIsFixedAcrossRuns()
    {
        // string.GetHashCode would change per process; FNV-1a of "requests" does not.
        Assert.Equal("rgb(220,50,21)", FrameColors.ForFile("/usr/lib/python3.12/site-packages/requests/api.py"));
    }

    [Fact]
    public void ForChange_Direction_RedGrewBlueShrankGreyUnchanged()
    {
        Assert.Equal(FrameColors.Neutral, FrameColors.ForChange(0, 0));
        Assert.Equal("rgb(220,30,30)", FrameColors.ForChange(0.5, 1));
        Assert.Equal("rgb(40,90,220)", FrameColors.ForChange(-0.5, 1));
        Assert.NotEqual(FrameColors.ForChange(0.1, 0.2), FrameColors.ForChange(0.5, 1));
    }
}
