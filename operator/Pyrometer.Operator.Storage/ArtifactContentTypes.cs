using Pyrometer.Rendering.Formats;

namespace Pyrometer.Operator.Storage;

/// <summary>The media type served for each artifact extension: a profile's from the renderers' registry.</summary>
internal static class ArtifactContentTypes
{
    public const string Fallback = "application/octet-stream";

    public static string ForExtension(string extension) =>
        OutputFormats.All.FirstOrDefault(f => string.Equals(f.Extension, extension, StringComparison.Ordinal))?.ContentType ?? extension switch
        {
            "json" => "application/json",
            "txt" => "text/plain; charset=utf-8",
            "html" => "text/html; charset=utf-8",
            _ => Fallback,
        };
}
