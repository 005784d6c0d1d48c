using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Pprof;
using Pyrometer.Rendering.Speedscope;

namespace Pyrometer.Rendering.Formats;

/// <summary>The registry of output formats by name.</summary>
public static class OutputFormats
{
    /// <summary>Flame graph SVG.</summary>
    public static OutputFormat FlameGraph { get; } = new(
        "flamegraph", "svg", "image/svg+xml", (profile, output, options) => FlameGraphWriter.Write(profile, output, options.FlameGraph));

    /// <summary>speedscope JSON.</summary>
    public static OutputFormat Speedscope { get; } = new(
        "speedscope", "speedscope.json", "application/json", (profile, output, options) => SpeedscopeWriter.Write(profile, output, options.Speedscope));

    /// <summary>Folded stacks: <c>frame;frame;frame COUNT</c> per line.</summary>
    public static OutputFormat Folded { get; } = new(
        "folded", "folded", "text/plain; charset=utf-8", (profile, output, _) => FoldedWriter.Write(profile, output));

    // pprof files are gzip-compressed protobuf; tools expect them as opaque bytes (.pb.gz).
    /// <summary>pprof protobuf, gzip-compressed.</summary>
    public static OutputFormat Pprof { get; } = new(
        "pprof", "pb.gz", "application/octet-stream", (profile, output, options) => PprofWriter.Write(profile, output, options.Pprof));

    /// <summary>Every format, in the order help text lists them.</summary>
    public static IReadOnlyList<OutputFormat> All { get; } = [FlameGraph, Speedscope, Folded, Pprof];

    /// <summary>The names joined by <c>|</c>, for help text.</summary>
    public static string Names { get; } = string.Join("|", All.Select(f => f.Name));

    /// <summary>Finds the format named <paramref name="name"/> (exact, lower case).</summary>
    public static bool TryFind(string name, out OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(name);
        format = All.FirstOrDefault(f => string.Equals(f.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return format is not null;
    }

    /// <summary>Finds a format by name; an unknown name throws <see cref="ArgumentException"/> listing the valid ones.</summary>
    public static OutputFormat Find(string name) => TryFind(name, out var format)
        ? format
        : throw new ArgumentException($"Unknown output format '{name}'; expected one of {Names}.", nameof(name));

    /// <summary>Parses a comma-separated list such as <c>flamegraph,speedscope</c>; duplicates are kept once, in order.</summary>
    internal static IReadOnlyList<OutputFormat> ParseList(string names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var parts = names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException($"No output format given; expected one or more of {Names}.", nameof(names));
        }
        return parts.Select(Find).Distinct().ToList();
    }
}
