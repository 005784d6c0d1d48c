using Pyrometer.Operator.Tests.Architecture.Fixtures.Right;

namespace Pyrometer.Operator.Tests.Architecture.Fixtures.Left;

/// <summary>
/// Half of a deliberate namespace cycle for NamespaceCycleTests: this side reaches Right only from inside a
/// lambda, so only the IL of a compiler-generated nested type carries the edge.
/// </summary>
internal sealed class LeftCaller
{
    public static Func<int> Counter() => () => RightCounter.Count();
}
