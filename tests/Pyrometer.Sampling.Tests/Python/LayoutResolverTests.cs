using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

public sealed class LayoutResolverTests
{
    [Fact]
    public void Resolve_312_UsesCompiledInTable()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.12.1"));

        var layout = LayoutResolver.Resolve(image.Memory, image.Location(), out var error);

        Assert.True(layout is not null, error);
        Assert.Equal(GilStyle.InterpreterGilPointer, layout.Gil);
        Assert.Equal(0, image.Memory.CallCount);
    }

    [Fact]
    public void Resolve_314_ReadsTheTargetsDebugOffsets()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.14.10"));

        var layout = LayoutResolver.Resolve(image.Memory, image.Location(), out var error);

        Assert.True(layout is not null, error);
        Assert.Equal(image.Layout, layout);
        Assert.Equal(1, image.Memory.CallCount);
    }

    [Fact]
    public void Resolve_37_RefusesNamingVersion()
    {
        var image = new PythonImageBuilder(Versions.Parse("3.12.1"));
        var location = image.Location() with { Version = Versions.Parse("3.7.16") };

        Assert.Null(LayoutResolver.Resolve(image.Memory, location, out var error));
        Assert.Contains("3.7.16", error, StringComparison.Ordinal);
    }
}
