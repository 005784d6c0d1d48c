namespace Pyrometer.Sampling.Python.Async;

/// <summary>What a task's pending await-chain read holds.</summary>
internal enum ChainStep
{
    /// <summary>An object read as a coroutine, with room past its frame for the stack top.</summary>
    Coroutine,

    /// <summary>The same, read again at its exact length after the roomy read failed.</summary>
    CoroutineExact,

    /// <summary>The stack slot of a suspended frame's await target (outside the coroutine read).</summary>
    StackSlot,

    /// <summary>Only the header of an object, for its type, after the coroutine reads failed.</summary>
    Header,

    /// <summary>The header of the future a <c>FutureIter</c> iterates (what <c>await future</c> leaves on the stack).</summary>
    FutureHeader,

    /// <summary>The header (and future pointer) of the object the chain ended in at the last tick, to confirm it is still that one.</summary>
    KnownLeaf,
}
