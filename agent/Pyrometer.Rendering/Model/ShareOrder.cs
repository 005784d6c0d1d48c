namespace Pyrometer.Rendering.Model;

/// <summary>How <see cref="ProfileSummary.TopFunctions"/> ranks functions.</summary>
public enum ShareOrder
{
    /// <summary>By self samples: where the time is spent.</summary>
    Self = 0,
    /// <summary>By total samples: what the time is spent under.</summary>
    Total = 1,
}
