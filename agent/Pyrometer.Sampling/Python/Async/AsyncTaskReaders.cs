using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Python.Async;

/// <summary>Picks the task reader for a target's version: one family of readers per way CPython exposes its tasks.</summary>
internal static class AsyncTaskReaders
{
    /// <summary>The reader for the target, or null with why async mode cannot read it.</summary>
    public static IAsyncTaskReader? Create(InterpreterLocation location, PythonLayout layout, IProcessMemory memory, IThreadStateSource threads, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(layout);
        var version = location.Version;
        problem = null;
        if (version.Major == 3 && version.Minor >= 14)
        {
            return new LateBoundTaskReader(location, layout, memory, threads);
        }
        // TODO(lead, issue #14): the 3.8–3.13 registry reader (asyncio's _all_tasks / _scheduled_tasks) goes here.
        problem = $"async mode needs CPython 3.14 or later for now; the reader for 3.8–3.13 is not in this build yet (this target is {version.Major}.{version.Minor})";
        return null;
    }
}
