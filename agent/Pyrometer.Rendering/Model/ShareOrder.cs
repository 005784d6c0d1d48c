namespace Pyrometer.Rendering.Model;

/// <summary>How <see cref="ProfileSummary.TopFunctions"/> ranks functions.</summary>
internal enum ShareOrder
{
    Self = 0,
    Total = 1,
}
