using System.Text.Json;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>The 3.8–3.13 task reader against real asyncio programs, compared with what the program sees of itself.</summary>
[Trait("Category", "Integration")]
public sealed class RegistryTaskReaderLiveTests
{
    [PythonTheory]
    public async Task ReadTasks_SettledAwaitStructure_MatchesTheScriptsOwnView(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_registry_tasks");
        var reader = Attach(process.Pid);
        if (!python.IsAtLeast(3, 8) || python.IsAtLeast(3, 14))
        {
            Assert.Null(reader);                 // 3.14+ describe their tasks themselves: another reader
            return;
        }
        Assert.NotNull(reader);
        var expected = process.Ready.GetProperty("tasks").EnumerateArray().ToList();

        var tasks = new List<AsyncTask>();
        Assert.Equal(SampleError.None, reader.ReadTasks(tasks));

        Assert.Equal(expected.Select(t => t.GetProperty("id").GetUInt64()).Order(), tasks.Select(t => t.Address).Order());
        foreach (var want in expected)
        {
            var task = tasks.Single(t => t.Address == want.GetProperty("id").GetUInt64());
            var name = want.GetProperty("name").GetString();
            Assert.Equal(name, task.Name);
            Assert.Equal(Frames(want), task.Frames.Select(f => $"{f.Name}:{f.Line}"));
            Assert.True(want.GetProperty("awaited").ValueKind == JsonValueKind.Null ? task.AwaitedType is null : task.AwaitedType == want.GetProperty("awaited").GetString(),
                $"{name}: awaited {task.AwaitedType ?? "null"}, the script says {want.GetProperty("awaited")}");
            Assert.True(want.GetProperty("parent").GetUInt64() == task.ParentAddress, $"{name}: parent 0x{task.ParentAddress:x}");
            Assert.True(want.GetProperty("running_thread").GetUInt64() == task.RunningOnThread, $"{name}: running on {task.RunningOnThread}");
        }
        // The structure itself, so that a script that went wrong cannot pass unnoticed.
        Assert.Equal(["leaf", "middle", "waiter"], tasks.Single(t => t.Name == "nested").Frames.Select(f => f.Name));
        Assert.Equal("_GatheringFuture", tasks.Single(t => t.Name == "gatherer").AwaitedType);
        Assert.Equal(2, tasks.Count(t => t.ParentAddress == tasks.Single(p => p.Name == "gatherer").Address));
        Assert.Equal(tasks.Single(t => t.Name == "outer").Address, tasks.Single(t => t.Name == "inner").ParentAddress);
        Assert.NotEqual(0UL, tasks.Single(t => t.Name == "blocker").RunningOnThread);
    }

    [PythonTheory]
    public async Task ReadTasks_Repeated_SameTasksFromCaches(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_registry_tasks");
        var reader = Attach(process.Pid);
        if (reader is null)
        {
            Assert.True(python.IsAtLeast(3, 14), $"no reader for {python.Version}");
            return;
        }
        var first = new List<AsyncTask>();
        var second = new List<AsyncTask>();
        Assert.Equal(SampleError.None, reader.ReadTasks(first));
        Assert.Equal(SampleError.None, reader.ReadTasks(second));

        Assert.Equal(first.Count, second.Count);
        Assert.Equal(first.Select(Describe).Order(), second.Select(Describe).Order());
        // A settled program: the second pass finds every name, type and code object cached.
        Assert.True(reader.LastCalls < 40, $"{reader.LastCalls} reads for {second.Count} tasks");
    }

    private static string Describe(AsyncTask t) =>
        $"{t.Address:x} {t.Name} {string.Join(',', t.Frames.Select(f => $"{f.Name}:{f.Line}"))} {t.AwaitedType} {t.ParentAddress:x} {t.RunningOnThread}";

    private static IEnumerable<string> Frames(JsonElement task) =>
        task.GetProperty("frames").EnumerateArray().Select(f => $"{f.GetProperty("function").GetString()}:{f.GetProperty("line").GetInt32()}");

    private static RegistryTaskReader? Attach(int pid)
    {
        var located = new InterpreterLocator().Locate(pid);
        Assert.True(located.IsSuccess, located.Error?.Message);
        var memory = new LinuxProcessMemory(pid);
        var layout = LayoutResolver.Resolve(memory, located.Location, out var error);
        Assert.True(layout is not null, error);
        return RegistryTaskReader.TryCreate(memory, layout, located.Location);
    }
}
