using Pyrometer.Rendering.Formats;

namespace Pyrometer.Rendering.Speedscope;

/// <summary>How the speedscope JSON is laid out.</summary>
internal sealed record SpeedscopeOptions
{
    public static SpeedscopeOptions Default { get; } = new();

    /// <summary>One profile per thread (inside each process) instead of one per process (default false).</summary>
    public bool PerThread { get; init; }

    /// <summary>Indent the JSON for people to read (default false: compact).</summary>
    public bool Indented { get; init; }

    /// <summary>The version in <c>exporter: "pyrometer@…"</c>; defaults to this assembly's version.</summary>
    public string Version { get; init; } = ProductVersion.Current;
}
