using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Target;

public sealed class PythonBinaryNameTests
{
    [Theory]
    [InlineData("libpython3.12.so.1.0", true, 3, 12, "")]
    [InlineData("libpython3.9.so", true, 3, 9, "")]
    [InlineData("libpython3.13t.so.1.0", true, 3, 13, "t")]
    [InlineData("libpython3.14t.so", true, 3, 14, "t")]
    [InlineData("libpython3.7m.so.1.0", true, 3, 7, "m")]
    [InlineData("libpython3.12d.so.1.0", true, 3, 12, "d")]
    [InlineData("libpython2.7.so.1.0", true, 2, 7, "")]
    [InlineData("python3.11", false, 3, 11, "")]
    [InlineData("python3.13t", false, 3, 13, "t")]
    public void TryParse_PythonNames_ReadsVersionAndFlags(string fileName, bool isLibrary, int major, int minor, string flags)
    {
        var name = PythonBinaryName.TryParse(fileName);

        Assert.NotNull(name);
        Assert.Equal(isLibrary, name.IsLibrary);
        Assert.Equal(major, name.Major);
        Assert.Equal(minor, name.Minor);
        Assert.Equal(flags, name.AbiFlags);
    }

    [Fact]
    public void TryParse_BarePython3_HasNoMinor()
    {
        var name = PythonBinaryName.TryParse("python3");

        Assert.NotNull(name);
        Assert.Null(name.Minor);
    }

    [Theory]
    [InlineData("libpython3.so")]           // the stable-ABI shim, not the interpreter
    [InlineData("libpython3.12.so.1.0.bak")]
    [InlineData("libc.so.6")]
    [InlineData("python3.11-config")]
    [InlineData("mypython3.11")]
    [InlineData("")]
    public void TryParse_OtherNames_ReturnsNull(string fileName)
    {
        Assert.Null(PythonBinaryName.TryParse(fileName));
    }

    [Fact]
    public void Flags_DebugAndFreeThreaded_AreRecognised()
    {
        Assert.True(PythonBinaryName.TryParse("libpython3.13td.so")!.IsDebug);
        Assert.True(PythonBinaryName.TryParse("libpython3.13td.so")!.IsFreeThreaded);
        Assert.False(PythonBinaryName.TryParse("libpython3.13.so")!.IsDebug);
        Assert.Equal("libpython3.13t", PythonBinaryName.TryParse("libpython3.13t.so.1.0")!.ToString());
    }
}
