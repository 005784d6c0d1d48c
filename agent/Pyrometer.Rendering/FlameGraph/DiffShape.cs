namespace Pyrometer.Rendering.FlameGraph;

/// <summary>Whose shape a differential flame graph has; either way red means grew and blue shrank.</summary>
public enum DiffShape
{
    /// <summary>AFTER's boxes: what grew or is new shows red.</summary>
    After = 0,

    /// <summary>BEFORE's boxes: what shrank or went away shows blue (a removed function has no box in AFTER).</summary>
    Before = 1,
}
