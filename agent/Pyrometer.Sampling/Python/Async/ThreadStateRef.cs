namespace Pyrometer.Sampling.Python.Async;

/// <summary>A thread state found by the last stack sample: where it is and its <c>thread_id</c> (<c>pthread_t</c>).</summary>
internal readonly record struct ThreadStateRef(ulong Address, ulong ThreadId);
