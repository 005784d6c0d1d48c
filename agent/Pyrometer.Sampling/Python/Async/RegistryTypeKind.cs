namespace Pyrometer.Sampling.Python.Async;

/// <summary>What the task reader makes of an object's type.</summary>
internal enum RegistryTypeKind
{
    Other,

    /// <summary><c>_asyncio.Task</c> or a class derived from it.</summary>
    Task,

    /// <summary>A coroutine, or a generator (a <c>types.coroutine</c> one can be awaited): the await chain goes on through it.</summary>
    Coroutine,

    /// <summary><c>weakref.ref</c>, as a WeakSet holds.</summary>
    WeakRef,

    Set,
}
