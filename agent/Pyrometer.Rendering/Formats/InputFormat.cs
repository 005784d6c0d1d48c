namespace Pyrometer.Rendering.Formats;

/// <summary>What kind of profile a file for <c>convert</c> or <c>diff</c> holds.</summary>
internal enum InputFormat
{
    Folded = 0,
    Pprof = 1,
}
