namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// What a task's await chain ended in at the last tick: the object a suspended coroutine's stack slot
/// held at depth <paramref name="Depth"/>, its type, and for a <c>FutureIter</c> the future it iterates
/// and that future's type. While the coroutine still holds the same object there, it keeps it alive,
/// so a small read of its header (and future pointer) confirms it instead of a coroutine-sized read
/// and a second one for the future (<see cref="DebugOffsetsTaskReader"/>).
/// </summary>
/// <param name="Object">The awaited object's address.</param>
/// <param name="Depth">Coroutine frames above it in the chain.</param>
/// <param name="Type">Its type object.</param>
/// <param name="Future">The future a <c>FutureIter</c> iterates, or 0 for any other leaf.</param>
/// <param name="AwaitedType">The type reported as awaited: the future's for a <c>FutureIter</c>, else <paramref name="Type"/>.</param>
internal readonly record struct AwaitedLeaf(ulong Object, int Depth, ulong Type, ulong Future, ulong AwaitedType);
