using Pyrometer.Operator.Tests.Architecture.Fixtures.Left;

namespace Pyrometer.Operator.Tests.Architecture.Fixtures.Right;

/// <summary>
/// The other half of the deliberate cycle: this side names Left only as the generic argument of a constructor
/// called in a method body.
/// </summary>
internal static class RightCounter
{
    public static int Count() => new List<LeftCaller>().Count;
}
