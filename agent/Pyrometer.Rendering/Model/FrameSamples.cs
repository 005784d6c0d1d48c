namespace Pyrometer.Rendering.Model;

/// <summary>Samples under one pseudo-frame (a process or a thread).</summary>
internal sealed record FrameSamples(Frame Frame, long Samples);
