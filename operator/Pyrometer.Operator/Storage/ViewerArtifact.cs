namespace Pyrometer.Operator.Storage;

/// <summary>One artifact on the viewer page. The link is derived from the key, so it never expires.</summary>
/// <param name="Key">Where the artifact is stored.</param>
/// <param name="Bytes">Its size, when known.</param>
internal sealed record ViewerArtifact(ArtifactKey Key, long? Bytes)
{
    /// <summary>The link relative to the viewer page, e.g. <c>artifacts/shop/search/merged/flamegraph.svg</c>.</summary>
    public string RelativeLink => BuiltInArtifactStore.RouteSegment + "/" + string.Join('/', Key.RelativePath.Split('/').Select(Uri.EscapeDataString));
}
