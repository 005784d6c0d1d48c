namespace Pyrometer.Operator.Storage;

/// <summary>The media type served for each artifact extension.</summary>
internal static class ArtifactContentTypes
{
    public const string Fallback = "application/octet-stream";

    public static string ForExtension(string extension) => extension switch
    {
        "svg" => "image/svg+xml",
        "json" or "speedscope.json" => "application/json",
        "folded" or "txt" => "text/plain; charset=utf-8",
        "pb.gz" => "application/gzip",
        "html" => "text/html; charset=utf-8",
        _ => Fallback,
    };
}
