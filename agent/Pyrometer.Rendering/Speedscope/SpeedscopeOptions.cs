using Pyrometer.Rendering.Formats;

namespace Pyrometer.Rendering.Speedscope;

/// <summary>How the speedscope JSON is laid out.</summary>
public sealed record SpeedscopeOptions
{
    /// <summary>The defaults.</summary>
    public static SpeedscopeOptions Default { get; } = new();

    /// <summary>
    /// One profile per thread (inside each process) instead of one per process (default false), for a profile
    /// without a <see cref="Model.Timeline"/>; with one, every thread always has its own, in time order.
    /// </summary>
    public bool PerThread { get; init; }

    /// <summary>
    /// One frame per line, <c>function (file:line)</c>, as the sampler saw it (default false: one frame per
    /// function and file, so a function's lines add up, as <c>diff</c> matches them).
    /// </summary>
    public bool ByLine { get; init; }

    /// <summary>Indent the JSON for people to read (default false: compact).</summary>
    public bool Indented { get; init; }

    /// <summary>The version in <c>exporter: "pyrometer@…"</c>; defaults to this assembly's version.</summary>
    public string Version { get; init; } = ProductVersion.Current;
}
