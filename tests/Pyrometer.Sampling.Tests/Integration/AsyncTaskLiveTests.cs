using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>The 3.14+ task reader against a live event loop whose tasks report their own await chains.</summary>
[Trait("Category", "Integration")]
public sealed class AsyncTaskLiveTests
{
    [PythonTheory(MinVersion = "3.14")]
    public async Task ReadTasks_KnownAwaitStructure_MatchesTheScriptsOwnView(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_tasks");
        var tasks = ReadSettled(process.Pid, process.Ready.GetProperty("tasks").GetArrayLength() + 1);
        var byName = tasks.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var names = tasks.ToDictionary(t => t.Address, t => t.Name);

        foreach (var expected in process.Ready.GetProperty("tasks").EnumerateArray())
        {
            var name = expected.GetProperty("name").GetString()!;
            Assert.True(byName.TryGetValue(name, out var task), $"no task {name}; read {string.Join(", ", byName.Keys)}");
            var frames = expected.GetProperty("frames").EnumerateArray()
                .Select(f => (f.GetProperty("function").GetString(), f.GetProperty("line").GetInt32())).ToList();
            var read = task.Frames.Reverse().Select(f => ((string?)f.Name, f.Line)).ToList();
            Assert.Equal(frames, read);
            Assert.Equal(expected.GetProperty("awaited").GetString(), task.AwaitedType);
            var parent = expected.GetProperty("parent").ValueKind == JsonValueKind.Null ? null : expected.GetProperty("parent").GetString();
            Assert.Equal(parent, task.ParentAddress == 0 ? null : names.GetValueOrDefault(task.ParentAddress, "?"));
            Assert.Equal(0UL, task.RunningOnThread);
        }
        var main = byName["main"];
        Assert.Equal("main_task", main.Frames[^1].Name);
        Assert.Equal(SourceLine(process, "main"), main.Frames[^1].Line);
        Assert.Equal("Future", main.AwaitedType);
    }

    [PythonTheory(MinVersion = "3.14")]
    public async Task ReadTasks_KnownAwaitStructure_SameFramesAsAsyncioPstree(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_tasks");
        var tasks = ReadSettled(process.Pid, process.Ready.GetProperty("tasks").GetArrayLength() + 1);

        // `python -m asyncio pstree PID` (3.14+): each "(T) NAME" line, then that task's frames, outermost first.
        var info = new ProcessStartInfo(python.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-m", "asyncio", "pstree", process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }
        using var pstree = Process.Start(info)!;
        var text = await pstree.StandardOutput.ReadToEndAsync();
        await pstree.WaitForExitAsync();
        var theirs = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in text.Split('\n'))
        {
            if (Regex.Match(line, @"\(T\) (.+)$") is { Success: true } task)
            {
                current = theirs[task.Groups[1].Value] = [];
            }
            else if (current is not null && Regex.Match(line, @"\s(\S+) \S+:(\d+)$") is { Success: true } frame)
            {
                current.Add($"{frame.Groups[1].Value}:{frame.Groups[2].Value}");
            }
        }

        Assert.True(theirs.Count >= tasks.Count, $"pstree listed {theirs.Count} tasks: {text}");
        foreach (var task in tasks)
        {
            Assert.True(theirs.TryGetValue(task.Name, out var frames), $"pstree has no task {task.Name}");
            Assert.Equal(frames, task.Frames.Reverse().Select(f => $"{f.QualifiedName}:{f.Line}"));
        }
    }

    [PythonTheory(MinVersion = "3.14")]
    public async Task ReadTasks_ThousandTasks_EveryOneReadWithItsChain(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "async_tasks", ["1000"]);
        var tasks = ReadSettled(process.Pid, process.Ready.GetProperty("tasks").GetArrayLength() + 1);
        var extras = tasks.Where(t => t.Name.StartsWith("extra-", StringComparison.Ordinal)).ToList();
        Assert.Equal(1000, extras.Count);
        Assert.All(extras, t => Assert.Equal(["sleep", "parked"], t.Frames.Select(f => f.Name)));
        Assert.All(extras, t => Assert.Equal("Future", t.AwaitedType));
    }

    [PythonTheory]
    public async Task Create_PicksTheReaderByVersion_OrSaysWhatIsMissing(TestPython python)
    {
        using var process = await PythonProcess.StartAsync(python, "hot_functions");
        using var attached = Attach(process.Pid);
        var reader = AsyncTaskReaders.Create(attached.Location, attached.Layout, attached.Memory, attached.Walker, out var problem);
        if (python.IsAtLeast(3, 14))
        {
            Assert.IsType<LateBoundTaskReader>(reader);
            var tasks = new List<AsyncTask>();
            Assert.Equal(SampleError.None, reader.ReadTasks(tasks));
            Assert.Empty(tasks);                     // no asyncio imported: no tasks
            if (((LateBoundTaskReader)reader).Problem is { } why)
            {
                Assert.Contains("asyncio", why, StringComparison.Ordinal);   // 3.14 maps _asyncio only once imported; 3.15 builds it in
            }
        }
        else
        {
            Assert.IsType<RegistryTaskReader>(reader);
            Assert.Null(problem);
        }
    }

    private static int SourceLine(PythonProcess process, string marker) =>
        File.ReadLines(process.Ready.GetProperty("file").GetString()!).Select((text, i) => (text, i)).First(l => l.text.TrimEnd().EndsWith("# LINE: " + marker, StringComparison.Ordinal)).i + 1;

    // Reads until every task the script made is there (a tick racing a task's creation may miss it).
    private static List<AsyncTask> ReadSettled(int pid, int expected)
    {
        using var attached = Attach(pid);
        var reader = AsyncTaskReaders.Create(attached.Location, attached.Layout, attached.Memory, attached.Walker, out var problem)
            ?? throw new InvalidOperationException(problem);
        var tasks = new List<AsyncTask>();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            tasks.Clear();
            Assert.Equal(SampleError.None, attached.Walker.Sample().Error);
            Assert.Equal(SampleError.None, reader.ReadTasks(tasks));
            if (tasks.Count >= expected)
            {
                return tasks;
            }
        }
        throw new InvalidOperationException($"read {tasks.Count} tasks of {expected}; {(reader as LateBoundTaskReader)?.Problem}");
    }

    private static Attached Attach(int pid)
    {
        var found = new InterpreterLocator(ProcFs.Default).Locate(pid);
        Assert.True(found.IsSuccess, found.IsSuccess ? "" : found.Error.Message);
        var memory = new LinuxProcessMemory(pid);
        var layout = LayoutResolver.Resolve(memory, found.Location, out var error) ?? throw new InvalidOperationException(error);
        return new Attached(found.Location, layout, memory, new StackWalker(memory, found.Location, layout));
    }

    private sealed record Attached(InterpreterLocation Location, PythonLayout Layout, IProcessMemory Memory, StackWalker Walker) : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
