using Pyrometer.Agent.Cli;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Tests.Api.V1Alpha1;

public sealed class ProfileFormatsTests
{
    public static TheoryData<string> Formats() => new(ProfileFormats.All);

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryFormat_TheAgentUploadsAndTheStoreServesTheSameTypeAndExtension(string format)
    {
        Assert.Equal(ArtifactFormats.ContentType(format), ProfileFormats.ContentType(format));
        Assert.Equal(ArtifactFormats.Extension(format), "." + ProfileFormats.Extension(format));
        Assert.Equal(ProfileFormats.ContentType(format), ArtifactContentTypes.ForExtension(ProfileFormats.Extension(format)));
    }

    [Fact]
    public void EveryAgentFormat_IsAValueOfSpecFormats()
    {
        Assert.Equal(ArtifactFormats.Names.Order(StringComparer.Ordinal), ProfileFormats.All.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("svg")]
    [InlineData("FlameGraph")]
    public void UnknownFormat_IsRefusedWithTheValidNames(string format)
    {
        var error = Assert.Throws<ArgumentException>(() => ProfileFormats.Extension(format));
        Assert.Contains("flamegraph, speedscope, folded, pprof", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("html", "text/html; charset=utf-8")]
    [InlineData("exe", ArtifactContentTypes.Fallback)]
    public void OtherExtensions_GetTheirOwnTypeOrOpaqueBytes(string extension, string expected)
    {
        Assert.Equal(expected, ArtifactContentTypes.ForExtension(extension));
    }
}
