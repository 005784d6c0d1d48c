using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// The 3.14+ task reader of one process, bound once the target has imported asyncio: until its
/// <c>AsyncioDebug</c> section is mapped, the maps are looked at again every <see cref="RetryEvery"/>
/// calls (a program imports asyncio at start-up, or at its first request), and no tasks are reported.
/// </summary>
internal sealed class LateBoundTaskReader(InterpreterLocation location, PythonLayout layout, IProcessMemory memory, IThreadStateSource threads, string procRoot = "/proc")
    : IAsyncTaskReader
{
    /// <summary>Calls between two looks at the maps while the section is missing (at 100 Hz, a second).</summary>
    public const int RetryEvery = 100;

    private DebugOffsetsTaskReader? _reader;
    private int _wait;
    private bool _failed;

    /// <summary>Why no tasks are read yet (asyncio not imported, or tables that do not add up); null once bound.</summary>
    public string? Problem { get; private set; } = "the target has not imported asyncio yet";

    public SampleError ReadTasks(List<AsyncTask> into)
    {
        if (_reader is null && !TryBind())
        {
            return SampleError.None;                 // nothing to read yet: no tasks
        }
        return _reader!.ReadTasks(into);
    }

    private bool TryBind()
    {
        if (_failed || _wait-- > 0)
        {
            return false;
        }
        _wait = RetryEvery;
        var offsets = AsyncioSectionLocator.Find(location, memory, procRoot, out var message);
        if (offsets is null)
        {
            Problem = message;
            return false;
        }
        var table = new byte[DebugOffsetsReader.ReadLength];
        if (memory.ReadExact(location.RuntimeAddress, table) != ReadStatus.Ok)
        {
            Problem = "the interpreter's debug offsets cannot be read";
            return false;
        }
        var asyncio = AsyncioLayout.Build(layout, table, offsets, location.Symbol("PyCoro_Type") ?? 0, out var error);
        if (asyncio is null)
        {
            Problem = error;
            _failed = true;                          // tables that do not add up will not start to
            return false;
        }
        var codes = new CodeObjectReader(memory, layout, location, new ReadBatch(), new WalkerCounters());
        _reader = new DebugOffsetsTaskReader(memory, asyncio, threads, codes, location.Symbol("PyUnicode_Type") ?? 0);
        Problem = null;
        return true;
    }
}
