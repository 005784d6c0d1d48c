using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Sampling;

/// <summary>One stretch in which an asyncio event loop ran one callback without getting back to its selector.</summary>
/// <param name="Duration">From midway between the tick before and the first tick in the callback, to midway between the last and the tick after.</param>
/// <param name="Stack">The blocking code at the block's middle tick, outermost first, without the loop's own frames.</param>
internal sealed record LoopBlock(TimeSpan Duration, IReadOnlyList<PythonFrame> Stack);
