using System.Buffers.Binary;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python.Async;

/// <summary>The 3.14 task reader over fake memory that lies: cycles, endless lists, garbage.</summary>
public sealed class DebugOffsetsTaskReaderHostileTests
{
    private const ulong ThreadState = 0x10_0000;
    private const ulong TaskArea = 0x100_0000;
    private const ulong CoroutineType = 0x50_0000;
    private const ulong CoroutineArea = 0x800_0000;

    // The values Debian sid's 3.14.10 _asyncio module carries in its AsyncioDebug section.
    private static readonly AsyncioDebugOffsets Offsets = new(168, 136, 96, 108, 109, 128, 152, 225864, 10880, 936, 864, 872, 880);

    [Fact]
    public void Parse_Debian314Table_Accepted_AndGarbageRefused()
    {
        var table = new byte[AsyncioDebugOffsets.Length];
        ulong[] values = [168, 136, 96, 108, 109, 128, 152, 225864, 10880, 936, 864, 872, 880];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan(i * 8), values[i]);
        }
        Assert.Equal(Offsets, AsyncioDebugOffsets.Parse(table, out _));

        BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan(6 * 8), 160);      // task_node past the task's end
        Assert.Null(AsyncioDebugOffsets.Parse(table, out var error));
        Assert.Contains("task object", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTasks_ListThatNeverReturnsToItsHead_EndsAtTheCycle()
    {
        var memory = new FakeProcessMemory();
        MapThreadState(memory, firstTask: TaskArea);
        MapTask(memory, TaskArea, next: TaskArea + 0x1000);
        MapTask(memory, TaskArea + 0x1000, next: TaskArea);            // back to the first, never to the head

        var reader = Reader(memory);

        Assert.Equal(SampleError.None, reader.ReadTasks([]));

        Assert.Equal(2, reader.LastListedTasks);
    }

    [Fact]
    public void ReadTasks_EndlessList_CappedAndEveryTickEnds()
    {
        var memory = new FakeProcessMemory();
        const int count = DebugOffsetsTaskReader.MaxTasks + 500;
        MapThreadState(memory, firstTask: TaskArea);
        var area = new byte[count * 0x100];
        for (var i = 0; i < count; i++)
        {
            TaskBytes(area.AsSpan(i * 0x100, Offsets.TaskSize), next: TaskArea + (ulong)(i + 1) * 0x100, coroutine: 0);   // the last points at nothing mapped
        }
        memory.Map(TaskArea, area);
        var reader = Reader(memory);
        var tasks = new List<AsyncTask>();

        for (var tick = 0; tick < 4; tick++)                          // new tasks cost a round each, so a few ticks to read them all
        {
            tasks.Clear();
            Assert.Equal(SampleError.None, reader.ReadTasks(tasks));
        }

        Assert.Equal(DebugOffsetsTaskReader.MaxTasks, reader.LastListedTasks);
        Assert.Empty(tasks);                                          // no coroutines: nothing to show
        Assert.True(reader.LastCappedTasks > 0);
    }

    [Fact]
    public void ReadTasks_AwaitChainThatAwaitsItself_EndsAtTheCycle()
    {
        var memory = new FakeProcessMemory();
        MapThreadState(memory, firstTask: TaskArea);
        MapTask(memory, TaskArea, next: ThreadState + (ulong)Offsets.ThreadTasksHead, coroutine: CoroutineArea);
        var layout = Layout();
        MapCoroutine(memory, layout, CoroutineArea, awaits: CoroutineArea + 0x1000);
        MapCoroutine(memory, layout, CoroutineArea + 0x1000, awaits: CoroutineArea);   // A awaits B awaits A
        var reader = Reader(memory);
        var tasks = new List<AsyncTask>();
        var before = memory.CallCount;

        Assert.Equal(SampleError.None, reader.ReadTasks(tasks));

        Assert.Single(tasks);
        Assert.True(memory.CallCount - before < 12, $"{memory.CallCount - before} reads: the chain was not cut at the cycle");
    }

    [Fact]
    public void ReadTasks_GarbageEverywhere_NeverThrowsAndEnds()
    {
        var random = new Random(14);
        for (var round = 0; round < 200; round++)
        {
            var memory = new FakeProcessMemory();
            var state = new byte[Offsets.ThreadSize];
            random.NextBytes(state);
            memory.Map(ThreadState, state);
            var tasks = new byte[64 << 10];
            random.NextBytes(tasks);
            // Pointers into the garbage, so the reader follows it rather than stopping at the first read.
            for (var at = 0; at + 8 <= tasks.Length; at += 8 * random.Next(1, 8))
            {
                BinaryPrimitives.WriteUInt64LittleEndian(tasks.AsSpan(at), TaskArea + (ulong)random.Next(tasks.Length));
            }
            memory.Map(TaskArea, tasks);
            BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(Offsets.ThreadTasksHead), TaskArea + (ulong)random.Next(tasks.Length));
            memory.Write(ThreadState, state);
            var result = new List<AsyncTask>();

            var error = Reader(memory).ReadTasks(result);

            Assert.Equal(SampleError.None, error);
            Assert.All(result, t => Assert.False(string.IsNullOrEmpty(t.Name)));
            Assert.All(result, t => Assert.InRange(t.Frames.Count, 0, DebugOffsetsTaskReader.MaxAwaitDepth));
        }
    }

    private static DebugOffsetsTaskReader Reader(FakeProcessMemory memory) =>
        new(memory, Layout(), new OneThread(), codes: null, unicodeType: 0x60_0000);

    private static AsyncioLayout Layout()
    {
        var version = Versions.Parse("3.14.10");
        var python = DebugOffsetsReader.Parse(DebugTables.Table(version), version, out var error) ?? throw new InvalidOperationException(error);
        return new AsyncioLayout
        {
            Offsets = Offsets,
            Python = python,
            CoroutineType = CoroutineType,
            GenFrame = 72,
            GenFrameState = 67,
            FrameStackPointer = 64,
            YieldFromState = -1,
            YieldFromLockedState = -1,
            YieldFromSlot = 1,
            ExecutingState = 0,
            FinishedState = 1,
        };
    }

    // A thread state whose task list starts at the given task (its node).
    private static void MapThreadState(FakeProcessMemory memory, ulong firstTask)
    {
        var state = new byte[Offsets.ThreadSize];
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(Offsets.ThreadTasksHead), firstTask + (ulong)Offsets.TaskNode);
        memory.Map(ThreadState, state);
    }

    private static void MapTask(FakeProcessMemory memory, ulong address, ulong next, ulong coroutine = 0)
    {
        var task = new byte[Offsets.TaskSize];
        TaskBytes(task, next, coroutine);
        memory.Map(address, task);
    }

    private static void TaskBytes(Span<byte> task, ulong next, ulong coroutine)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(task[8..], 0x70_0000);                        // some type
        task[Offsets.TaskIsTask] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(task[Offsets.TaskCoro..], coroutine);
        BinaryPrimitives.WriteUInt64LittleEndian(task[Offsets.TaskNode..], next + (ulong)Offsets.TaskNode);
    }

    // A coroutine suspended in an await of `awaits` (tagged on its value stack's top).
    private static void MapCoroutine(FakeProcessMemory memory, AsyncioLayout layout, ulong address, ulong awaits)
    {
        var coroutine = new byte[512];
        BinaryPrimitives.WriteUInt64LittleEndian(coroutine.AsSpan(8), CoroutineType);
        coroutine[layout.GenFrameState] = unchecked((byte)(sbyte)layout.YieldFromState);
        var frame = layout.GenFrame;
        BinaryPrimitives.WriteUInt64LittleEndian(coroutine.AsSpan(frame + layout.Python.FrameCode), 0x90_0000 | 1);
        var top = frame + 200;
        BinaryPrimitives.WriteUInt64LittleEndian(coroutine.AsSpan(frame + layout.FrameStackPointer), address + (ulong)top + 8);
        BinaryPrimitives.WriteUInt64LittleEndian(coroutine.AsSpan(top), awaits | 1);
        memory.Map(address, coroutine);
    }

    private sealed class OneThread : IThreadStateSource
    {
        public IReadOnlyList<InterpreterInfo> Interpreters => [];

        public void CopyThreadStates(List<ThreadStateRef> into) => into.Add(new ThreadStateRef(ThreadState, 1));
    }
}
