namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// The interpreters and thread states the last stack sample walked, so a task reader that runs right
/// after it needs not walk the thread lists again.
/// </summary>
internal interface IThreadStateSource
{
    IReadOnlyList<InterpreterInfo> Interpreters { get; }

    /// <summary>Appends the thread states of the last sample to <paramref name="into"/>.</summary>
    void CopyThreadStates(List<ThreadStateRef> into);
}
