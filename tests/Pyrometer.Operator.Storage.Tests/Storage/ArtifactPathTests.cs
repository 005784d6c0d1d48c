namespace Pyrometer.Operator.Storage.Tests.Storage;

public sealed class ArtifactPathTests
{
    [Theory]
    [InlineData("shop/search/merged/flamegraph.svg", "shop", "search", null, "flamegraph", "svg")]
    [InlineData("shop/search/api-7d9f8-x2x9q/pprof.pb.gz", "shop", "search", "api-7d9f8-x2x9q", "pprof", "pb.gz")]
    public void TryParse_WellFormedPath_GivesKeyThatRoundTrips(string path, string ns, string request, string? pod, string format, string extension)
    {
        Assert.True(ArtifactPath.TryParse(path, out var key, out var error), error);

        Assert.Equal(new ArtifactKey(ns, request, pod, format, extension), key);
        Assert.Equal(path, key.RelativePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("shop/search/flamegraph.svg")]
    [InlineData("shop/search/merged/x/flamegraph.svg")]
    [InlineData("../search/merged/flamegraph.svg")]
    [InlineData("shop/../merged/flamegraph.svg")]
    [InlineData("shop/search/merged/..svg")]
    [InlineData("shop/search/merged/a..b.svg")]
    [InlineData("/shop/search/merged/flamegraph.svg")]
    [InlineData("shop//merged/flamegraph.svg")]
    [InlineData("shop/search/merged/flamegraph")]
    [InlineData("shop/search/merged/flamegraph.")]
    [InlineData("shop/search/merged/.svg")]
    [InlineData("shop\\search/merged/flamegraph.svg")]
    [InlineData("shop/%2e%2e/merged/flamegraph.svg")]
    [InlineData("shop/search/merged/flame graph.svg")]
    [InlineData(".nonces/search/merged/flamegraph.svg")]
    [InlineData("shop/séarch/merged/flamegraph.svg")]
    public void TryParse_UnsafeOrMalformedPath_IsRejectedWithReason(string path)
    {
        Assert.False(ArtifactPath.TryParse(path, out var key, out var error));

        Assert.Null(key);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void TryParse_SegmentLongerThanAnObjectName_IsRejected()
    {
        Assert.False(ArtifactPath.TryParse($"shop/{new string('a', 254)}/merged/flamegraph.svg", out _, out _));
        Assert.True(ArtifactPath.TryParse($"shop/{new string('a', 253)}/merged/flamegraph.svg", out _, out _));
    }

    [Theory]
    [InlineData("..", "req", null, "flamegraph", "svg")]
    [InlineData("shop", "a/b", null, "flamegraph", "svg")]
    [InlineData("shop", "req", "..", "flamegraph", "svg")]
    [InlineData("shop", "req", null, "flame.graph", "svg")]
    [InlineData("shop", "req", null, "flamegraph", "")]
    [InlineData("shop", "req", null, "flamegraph", "s/vg")]
    public void Validate_UnsafeKey_ThrowsNamingTheField(string ns, string request, string? pod, string format, string extension)
    {
        var e = Assert.Throws<ArgumentException>(() => ArtifactPath.Validate(new ArtifactKey(ns, request, pod, format, extension)));

        Assert.Contains("artifact", e.Message, StringComparison.Ordinal);
    }
}
