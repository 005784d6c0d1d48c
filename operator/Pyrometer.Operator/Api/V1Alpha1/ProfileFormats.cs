using Pyrometer.Rendering.Formats;

namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>The values of <c>spec.formats</c>, as the renderers name them.</summary>
internal static class ProfileFormats
{
    public const string FlameGraph = "flamegraph";
    public const string Speedscope = "speedscope";
    public const string Folded = "folded";
    public const string Pprof = "pprof";

    public static IReadOnlyList<string> All { get; } = [FlameGraph, Speedscope, Folded, Pprof];

    // Extension and content type come from the renderers' registry, so the agent's uploads, the store
    // and the links agree on them.
    public static string Extension(string format) => Registered(format).Extension;

    public static string ContentType(string format) => Registered(format).ContentType;

    private static OutputFormat Registered(string format) => All.Contains(format, StringComparer.Ordinal) && OutputFormats.TryFind(format, out var registered)
        ? registered
        : throw new ArgumentException($"Unknown profile format '{format}' (expected one of {string.Join(", ", All)}).", nameof(format));
}
