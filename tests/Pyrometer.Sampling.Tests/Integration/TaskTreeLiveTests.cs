using System.Text.Json;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>
/// The task readers of every version on a program with three event loops (the main thread's and two
/// threads' own) and a TaskGroup: each task's parent and loop thread as the program reports them, and the
/// async-mode stacks of a group's children under the task that entered the group.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TaskTreeLiveTests
{
    [PythonTheory]
    public async Task ReadTasks_ThreeLoopsOnThreeThreads_EveryTaskWithItsParentAndItsLoopsThread(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_dump");
        var expected = process.Ready.GetProperty("tasks").EnumerateArray().ToList();

        var tasks = Read(process.Pid, expected.Count);

        Assert.Equal(expected.Select(t => t.GetProperty("name").GetString()).Order(StringComparer.Ordinal), tasks.Select(t => t.Name).Order(StringComparer.Ordinal));
        var names = tasks.ToDictionary(t => t.Address, t => t.Name);
        foreach (var want in expected)
        {
            var name = want.GetProperty("name").GetString()!;
            var task = tasks.Single(t => t.Name == name);
            var parent = want.GetProperty("parent").ValueKind == JsonValueKind.Null ? null : want.GetProperty("parent").GetString();
            Assert.True(parent == (task.ParentAddress == 0 ? null : names.GetValueOrDefault(task.ParentAddress, "?")), $"{name}: parent 0x{task.ParentAddress:x}, the script says {parent ?? "none"}");
            Assert.True(want.GetProperty("thread").GetUInt64() == task.LoopThread, $"{name}: loop thread 0x{task.LoopThread:x}");
            Assert.Equal(want.GetProperty("running").GetBoolean(), task.RunningOnThread != 0);
        }
        Assert.Equal(3, tasks.Select(t => t.LoopThread).Distinct().Count());
    }

    [PythonTheory(MinVersion = "3.11")]
    public async Task Build_TaskGroupChildren_StackUnderTheTaskThatEnteredTheGroup(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_dump");
        var tasks = Read(process.Pid, process.Ready.GetProperty("tasks").GetArrayLength());
        var stacks = new List<ThreadStack>();

        new TaskStacks().Build(tasks, stacks);

        var group = tasks.Single(t => t.Name == "group");
        foreach (var child in new[] { "group-1", "group-2", "group-3" })
        {
            var task = tasks.Single(t => t.Name == child);
            Assert.Equal(group.Address, task.ParentAddress);
            var stack = stacks.Single(s => s.Frames.Any(f => f.Name == $"[task {child}]")).Frames.Select(f => f.Name).ToList();
            var at = stack.IndexOf($"[task {child}]");
            // Root last: the child's own frames, its task frame, then the group's owner: its frames and task frame.
            Assert.Equal([.. group.Frames.Select(f => f.Name), "[task group]"], stack[(at + 1)..]);
            Assert.Equal(task.Frames.Select(f => f.Name), stack[(at - task.Frames.Count)..at]);
            Assert.Equal(["sleep", "group_child"], task.Frames.Take(2).Select(f => f.Name));
        }
    }

    // Reads until every task the script made is there (a read racing the program may miss one).
    private static List<AsyncTask> Read(int pid, int expected)
    {
        var located = new InterpreterLocator(ProcFs.Default).Locate(pid);
        Assert.True(located.IsSuccess, located.IsSuccess ? "" : located.Error.Message);
        var memory = new LinuxProcessMemory(pid);
        var layout = LayoutResolver.Resolve(memory, located.Location, out var error) ?? throw new InvalidOperationException(error);
        var walker = new StackWalker(memory, located.Location, layout);
        var reader = AsyncTaskReaders.Create(located.Location, layout, memory, walker, out var problem) ?? throw new InvalidOperationException(problem);
        var tasks = new List<AsyncTask>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            tasks.Clear();
            Assert.Equal(SampleError.None, walker.Sample().Error);
            Assert.Equal(SampleError.None, reader.ReadTasks(tasks));
            if (tasks.Count >= expected)
            {
                return tasks;
            }
        }
        throw new InvalidOperationException($"read {tasks.Count} tasks of {expected}");
    }
}
