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
        // 3.8–3.13 publish no task list: asyncio's own registries (_all_tasks, _scheduled_tasks) are read.
        if (RegistryTaskReader.TryCreate(memory, layout, location) is { } registry)
        {
            return registry;
        }
        problem = $"async mode cannot read the tasks of this build of CPython {version.Major}.{version.Minor} (free-threaded, or not x86-64)";
        return null;
    }
}
