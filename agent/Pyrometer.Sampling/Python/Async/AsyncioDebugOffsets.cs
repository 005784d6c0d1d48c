using System.Buffers.Binary;

namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// The <c>_Py_AsyncioModuleDebugOffsets</c> table the <c>_asyncio</c> module places in its
/// <c>AsyncioDebug</c> section (3.14+): thirteen <c>uint64</c>s, in three groups (task object,
/// interpreter state, thread state), each opening with its structure's size. The table carries no
/// cookie or version, so every value is checked against its group's size before it is trusted.
/// Checked against the 3.14.10 and 3.15.2 sources and the Debian sid binaries.
/// </summary>
internal sealed record AsyncioDebugOffsets(
    int TaskSize, int TaskName, int TaskAwaitedBy, int TaskIsTask, int TaskAwaitedByIsSet, int TaskCoro, int TaskNode,
    int InterpreterSize, int InterpreterTasksHead,
    int ThreadSize, int ThreadRunningLoop, int ThreadRunningTask, int ThreadTasksHead)
{
    /// <summary>Bytes of the table.</summary>
    public const int Length = 13 * 8;

    // A task object is a few hundred bytes; interpreter states run to a few hundred KiB (3.15: 221 KiB).
    private const int MaxTaskSize = 4096;
    private const int MaxThreadSize = 1 << 20;
    private const int MaxInterpreterSize = 16 << 20;

    /// <summary>Parses a copy of the section; null with a message when a value does not add up.</summary>
    public static AsyncioDebugOffsets? Parse(ReadOnlySpan<byte> table, out string error)
    {
        error = "";
        if (table.Length < Length)
        {
            error = "the AsyncioDebug table is short";
            return null;
        }
        var v = new int[13];
        for (var i = 0; i < v.Length; i++)
        {
            var value = BinaryPrimitives.ReadUInt64LittleEndian(table.Slice(i * 8, 8));
            v[i] = value <= int.MaxValue ? (int)value : -1;
        }
        var offsets = new AsyncioDebugOffsets(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
        error = offsets.Check() ?? "";
        return error.Length == 0 ? offsets : null;
    }

    // Pointers need 8 bytes inside their structure, flags one, list nodes 16 (next, prev).
    private string? Check()
    {
        if (TaskSize is < 64 or > MaxTaskSize || !Inside(TaskName, 8, TaskSize) || !Inside(TaskAwaitedBy, 8, TaskSize)
            || !Inside(TaskIsTask, 1, TaskSize) || !Inside(TaskAwaitedByIsSet, 1, TaskSize) || !Inside(TaskCoro, 8, TaskSize)
            || !Inside(TaskNode, 16, TaskSize))
        {
            return $"task object offsets (size {TaskSize})";
        }
        if (InterpreterSize is < 64 or > MaxInterpreterSize || !Inside(InterpreterTasksHead, 16, InterpreterSize))
        {
            return $"interpreter state offsets (size {InterpreterSize})";
        }
        if (ThreadSize is < 64 or > MaxThreadSize || !Inside(ThreadRunningLoop, 8, ThreadSize) || !Inside(ThreadRunningTask, 8, ThreadSize)
            || !Inside(ThreadTasksHead, 16, ThreadSize) || ThreadRunningLoop > ThreadTasksHead || ThreadRunningTask > ThreadTasksHead)
        {
            return $"thread state offsets (size {ThreadSize})";
        }
        return null;
    }

    private static bool Inside(int offset, int width, int size) => offset >= 16 && offset + width <= size;
}
