using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Fakes;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>
/// The 3.8–3.13 task reader over hostile images: what it read from a real asyncio program, replayed
/// as a fake memory, then mutated (await cycles, garbage pointers, huge counts). It must end, stay
/// within its caps and never throw.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RegistryTaskReaderMutationLiveTests
{
    [PythonTheory(MinVersion = "3.8")]
    public async Task ReadTasks_ReplayedImage_SameTasksAsTheLiveProcess(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_registry_tasks");
        if (!Record(process.Pid, out var recording, out var live, out var location, out var layout))
        {
            Assert.True(python.IsAtLeast(3, 14), $"no reader for {python.Version}");
            return;
        }

        var replayed = Read(recording.Replay(), location, layout);

        Assert.Equal(live.Select(Describe).Order(), replayed.Select(Describe).Order());
    }

    [PythonTheory(MinVersion = "3.8")]
    public async Task ReadTasks_AwaitChainPointsBackAtItself_ChainEnds(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_registry_tasks");
        if (!Record(process.Pid, out var recording, out var live, out var location, out var layout))
        {
            Assert.True(python.IsAtLeast(3, 14), $"no reader for {python.Version}");
            return;
        }
        var memory = recording.Replay();
        var tasks = TaskLayout.For(layout)!;
        var nested = live.Single(t => t.Name == "nested");
        Assert.True(memory.TryReadUInt64(nested.Address + (ulong)tasks.Coroutine, out var coroutine));
        // The outermost coroutine (waiter) now awaits itself instead of middle.
        memory.Write(AwaitedSlot(memory, tasks, coroutine), BitConverter.GetBytes(coroutine));

        var mutated = Read(memory, location, layout);

        Assert.Equal(["waiter"], mutated.Single(t => t.Name == "nested").Frames.Select(f => f.Name));
        Assert.Equal(live.Where(t => t.Name != "nested").Select(Describe).Order(), mutated.Where(t => t.Name != "nested").Select(Describe).Order());
    }

    [PythonTheory(MinVersion = "3.8")]
    public async Task ReadTasks_RandomlyMutatedImages_EndWithinCapsAndNeverThrow(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_registry_tasks");
        if (!Record(process.Pid, out var recording, out _, out var location, out var layout))
        {
            Assert.True(python.IsAtLeast(3, 14), $"no reader for {python.Version}");
            return;
        }
        var runs = recording.Runs();
        var words = runs.SelectMany(r => Enumerable.Range(0, r.Bytes.Length / 8).Select(i => r.Start + (ulong)(8 * i))).ToArray();
        var random = new Random(1414);
        var outcomes = new Dictionary<SampleError, int>();
        for (var round = 0; round < 150; round++)
        {
            var memory = recording.Replay();
            for (var m = random.Next(1, 12); m > 0; m--)
            {
                var target = words[random.Next(words.Length)];
                ulong value = random.Next(6) switch
                {
                    0 => 0,
                    1 => ulong.MaxValue,
                    2 => words[random.Next(words.Length)],            // a pointer into something else read: cycles and confusion
                    3 => (ulong)random.Next(1 << 20),
                    4 => 1UL << 40,
                    _ => words[random.Next(words.Length)] - 8,
                };
                memory.Write(target, BitConverter.GetBytes(value));
            }
            // A mutation may hit what the reader is built from (the runtime's words): refusing is a fine outcome.
            if (RegistryTaskReader.TryCreate(memory, layout, location) is not { } reader)
            {
                continue;
            }
            for (var pass = 0; pass < 2; pass++)
            {
                var tasks = new List<AsyncTask>();
                var error = reader.ReadTasks(tasks);
                outcomes[error] = outcomes.GetValueOrDefault(error) + 1;
                Assert.InRange(tasks.Count, 0, RegistryTaskReader.MaxTasks);
                Assert.All(tasks, t =>
                {
                    Assert.InRange(t.Frames.Count, 1, RegistryTaskReader.MaxChainDepth);
                    Assert.InRange(t.Name.Length, 1, RegistryTaskReader.MaxNameChars + 32);
                });
            }
        }
        Assert.True(outcomes.GetValueOrDefault(SampleError.None) > 0, "no mutated image was read at all: " + string.Join(", ", outcomes));
    }

    [PythonTheory(MinVersion = "3.11")]
    public async Task ReadTasks_TaskGroupCallbacksMutated_ChildLosesOnlyItsParent(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_dump");
        if (!Record(process.Pid, out var recording, out var live, out var location, out var layout))
        {
            Assert.True(python.IsAtLeast(3, 14), $"no reader for {python.Version}");
            return;
        }
        var tasks = TaskLayout.For(layout)!;
        var group = live.Single(t => t.Name == "group").Address;
        Assert.All(live.Where(t => t.Name.StartsWith("group-", StringComparison.Ordinal)), t => Assert.Equal(group, t.ParentAddress));
        Assert.Equal(live.Select(Describe).Order(), Read(recording.Replay(), location, layout).Select(Describe).Order());
        var first = live.Single(t => t.Name == "group-1").Address;
        var third = live.Single(t => t.Name == "group-3").Address;
        Assert.True(recording.Replay().TryReadUInt64(first + (ulong)tasks.FutureCallback0, out var method));
        Assert.True(recording.Replay().TryReadUInt64(third + (ulong)tasks.FutureCallbacks, out var list));
        Assert.True(recording.Replay().TryReadUInt64(list + 24, out var items));

        var mutations = new (string Child, ulong Address, ulong Value)[]
        {
            ("group-1", first + (ulong)tasks.FutureCallback0, first),   // the callback is the task itself, not a bound method
            ("group-1", method + 24, first),                              // the method's self is a task, not a TaskGroup
            ("group-3", list + 16, 1UL << 40),                            // a list of 2^40 callbacks
            ("group-3", items, list),                                     // its item is the list, not a (callback, context) tuple
            ("group-3", third + (ulong)tasks.FutureCallbacks, third),     // the list is the task itself
        };
        foreach (var (child, address, value) in mutations)
        {
            var memory = recording.Replay();
            memory.Write(address, BitConverter.GetBytes(value));

            var mutated = Read(memory, location, layout);

            Assert.Equal(0UL, mutated.Single(t => t.Name == child).ParentAddress);
            Assert.Equal(live.Where(t => t.Name != child).Select(Describe).Order(), mutated.Where(t => t.Name != child).Select(Describe).Order());
        }
    }

    [PythonTheory(MinVersion = "3.11")]
    public async Task ReadTasks_RandomlyMutatedTaskGroupImages_EndWithinCapsAndNeverThrow(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_dump");
        if (!Record(process.Pid, out var recording, out _, out var location, out var layout))
        {
            Assert.True(python.IsAtLeast(3, 14), $"no reader for {python.Version}");
            return;
        }
        var words = recording.Runs().SelectMany(r => Enumerable.Range(0, r.Bytes.Length / 8).Select(i => r.Start + (ulong)(8 * i))).ToArray();
        var random = new Random(1411);
        var read = 0;
        for (var round = 0; round < 100; round++)
        {
            var memory = recording.Replay();
            for (var m = random.Next(1, 8); m > 0; m--)
            {
                var value = random.Next(4) switch
                {
                    0 => 0UL,
                    1 => words[random.Next(words.Length)],                // cycles: a pointer into something else read
                    2 => (ulong)random.Next(1 << 20),
                    _ => ulong.MaxValue,
                };
                memory.Write(words[random.Next(words.Length)], BitConverter.GetBytes(value));
            }
            if (RegistryTaskReader.TryCreate(memory, layout, location) is not { } reader)
            {
                continue;
            }
            for (var pass = 0; pass < 2; pass++)
            {
                var tasks = new List<AsyncTask>();
                read += reader.ReadTasks(tasks) == SampleError.None ? 1 : 0;
                Assert.InRange(tasks.Count, 0, RegistryTaskReader.MaxTasks);
                // Parents may now form cycles or point at tasks left out: the stacks built on them still end, within their caps.
                var stacks = new List<ThreadStack>();
                new TaskStacks().Build(tasks, stacks);
                Assert.All(stacks, st => Assert.InRange(st.Frames.Count, 1, (TaskStacks.MaxParents + 1) * (RegistryTaskReader.MaxChainDepth + 1) + 1));
            }
        }
        Assert.True(read > 0, "no mutated image was read at all");
    }

    // Where the coroutine's suspended frame keeps what it awaits (the top of its value stack).
    private static ulong AwaitedSlot(FakeProcessMemory memory, TaskLayout tasks, ulong coroutine)
    {
        if (tasks.Stack == TaskStackStyle.EmbeddedFrame)
        {
            Assert.True(memory.TryReadInt32(coroutine + (ulong)(tasks.GenFrame + tasks.StackTop), out var top));
            return coroutine + (ulong)(tasks.GenFrame + tasks.StackBase) + (8 * (ulong)(top - 1));
        }
        Assert.True(memory.TryReadUInt64(coroutine + (ulong)tasks.GenFrame, out var frame));
        if (tasks.Stack == TaskStackStyle.StackTopPointer)
        {
            Assert.True(memory.TryReadUInt64(frame + (ulong)tasks.StackTop, out var stackTop));
            return stackTop - 8;
        }
        Assert.True(memory.TryReadUInt64(frame + (ulong)tasks.StackBase, out var bottom));
        Assert.True(memory.TryReadInt32(frame + (ulong)tasks.StackTop, out var depth));
        return bottom + (8 * (ulong)(depth - 1));
    }

    private static List<AsyncTask> Read(IProcessMemory memory, InterpreterLocation location, PythonLayout layout)
    {
        var reader = RegistryTaskReader.TryCreate(memory, layout, location);
        Assert.NotNull(reader);
        var tasks = new List<AsyncTask>();
        Assert.Equal(SampleError.None, reader.ReadTasks(tasks));
        return tasks;
    }

    // One pass over the live process, recording every byte it read.
    private static bool Record(int pid, out RecordingMemory recording, out List<AsyncTask> tasks, out InterpreterLocation location, out PythonLayout layout)
    {
        var located = new InterpreterLocator().Locate(pid);
        Assert.True(located.IsSuccess, located.Error?.Message);
        location = located.Location;
        recording = new RecordingMemory(new LinuxProcessMemory(pid));
        layout = LayoutResolver.Resolve(recording, location, out var error)!;
        Assert.True(layout is not null, error);
        tasks = [];
        var reader = RegistryTaskReader.TryCreate(recording, layout, location);
        if (reader is null)
        {
            return false;
        }
        Assert.Equal(SampleError.None, reader.ReadTasks(tasks));
        Assert.Contains(tasks, t => t.Name == "nested");
        return true;
    }

    private static string Describe(AsyncTask t) =>
        $"{t.Address:x} {t.Name} {string.Join(',', t.Frames.Select(f => $"{f.Name}:{f.Line}"))} {t.AwaitedType} {t.ParentAddress:x} {t.RunningOnThread}";
}
