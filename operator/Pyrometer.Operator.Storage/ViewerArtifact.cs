namespace Pyrometer.Operator.Storage;

/// <summary>One artifact on the viewer page, linked through the viewer's authenticated artifact route.</summary>
/// <param name="Key">Where the artifact is stored.</param>
/// <param name="Bytes">Its size, when known.</param>
public sealed record ViewerArtifact(ArtifactKey Key, long? Bytes)
{
    /// <summary>The link relative to the viewer page, e.g. <c>viewer/artifacts/shop/search/merged/flamegraph.svg</c>.</summary>
    public string RelativeLink => ViewerEndpoints.ArtifactPrefix[1..] + string.Join('/', Key.RelativePath.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The viewer's "open in speedscope" route for this artifact, e.g. <c>viewer/speedscope/shop/search/merged/speedscope.json</c>.</summary>
    public string SpeedscopeLink => ViewerEndpoints.SpeedscopePrefix[1..] + string.Join('/', Key.RelativePath.Split('/').Select(Uri.EscapeDataString));
}
