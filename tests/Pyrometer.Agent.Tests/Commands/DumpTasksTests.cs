using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pyrometer.Agent.Commands;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Live;
using Xunit.Abstractions;

namespace Pyrometer.Agent.Tests.Commands;

/// <summary>
/// <c>dump --async</c> against a live program with three event loops (the main thread's and two threads'
/// own) whose task tree is known: compared with what the program reports about its own tasks, and on
/// 3.14+ with <c>python -m asyncio pstree</c>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DumpTasksTests(ITestOutputHelper output)
{
    [PythonTheory]
    public async Task Dump_Async_EveryTaskOfEveryLoopAsTheTargetSeesIt(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "async_dump");
        var expected = target.Ready.GetProperty("tasks").EnumerateArray().ToList();

        var process = DumpAsync(target.Pid);

        var tasks = process.Tasks!;
        Assert.Null(process.TasksProblem);
        Assert.Equal(expected.Select(t => t.GetProperty("name").GetString()).Order(StringComparer.Ordinal), tasks.Select(t => t.Name).Order(StringComparer.Ordinal));
        var names = tasks.ToDictionary(t => t.Id, t => t.Name);
        foreach (var want in expected)
        {
            var name = want.GetProperty("name").GetString()!;
            var task = tasks.Single(t => t.Name == name);
            var frames = want.GetProperty("frames").EnumerateArray().Select(f => $"{f.GetProperty("function").GetString()}:{f.GetProperty("line").GetInt32()}");
            Assert.Equal(frames, task.Frames.Select(f => $"{f.Function}:{f.Line}"));
            Assert.True(want.GetProperty("running").GetBoolean() ? task.State == "running" : task.State == "awaiting", $"{name}: {task.State}");
            Assert.True(Text(want, "awaited") == task.Awaiting, $"{name}: awaiting {task.Awaiting ?? "null"}, the script says {Text(want, "awaited") ?? "null"}");
            Assert.True(Text(want, "parent") == (task.ParentId == 0 ? null : names.GetValueOrDefault(task.ParentId, "?")),
                $"{name}: parent {(task.ParentId == 0 ? "none" : names.GetValueOrDefault(task.ParentId, "?"))}, the script says {Text(want, "parent") ?? "none"}");
            Assert.True(want.GetProperty("thread").GetUInt64() == task.ThreadId, $"{name}: on thread 0x{task.ThreadId:x}");
        }
        // The structure itself, so that a script gone wrong cannot pass unnoticed.
        var threads = target.Ready.GetProperty("threads");
        Assert.Equal(3, tasks.Select(t => t.ThreadId).Distinct().Count());
        Assert.Equal(threads.GetProperty("loop-a").GetProperty("native_id").GetInt32(), tasks.Single(t => t.Name == "a-inner").NativeThreadId);
        Assert.Equal("running", tasks.Single(t => t.Name == "b-blocker").State);
        Assert.Equal(["leaf", "middle", "nested"], tasks.Single(t => t.Name == "nested").Frames.Select(f => f.Function));
        Assert.Equal("gatherer", names[tasks.Single(t => t.Name == "gather-2").ParentId]);
        if (python.IsAtLeast(3, 11))
        {
            Assert.Equal("group", names[tasks.Single(t => t.Name == "group-2").ParentId]);
        }
    }

    [PythonTheory]
    public async Task WriteText_Async_EachLoopsTasksUnderItsThreadAsATree(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "async_dump");
        var expected = target.Ready.GetProperty("tasks").EnumerateArray().ToList();
        var threads = target.Ready.GetProperty("threads");
        var dump = DumpCommand.Dump(target.Pid, subprocesses: false, PythonProcessProbe.Create(), ProcFs.Default, out _, tasks: true);

        using var writer = new StringWriter();
        DumpCommand.WriteText(writer, dump);
        var lines = writer.ToString().Split('\n');
        output.WriteLine(writer.ToString());

        foreach (var thread in new[] { "main", "loop-a", "loop-b" })
        {
            var native = threads.GetProperty(thread).GetProperty("native_id").GetInt32();
            var ident = threads.GetProperty(thread).GetProperty("ident").GetUInt64();
            var count = expected.Count(t => t.GetProperty("thread").GetUInt64() == ident);
            var header = Array.FindIndex(lines, l => l.StartsWith(string.Create(CultureInfo.InvariantCulture, $"Thread {native} "), StringComparison.Ordinal));
            var group = Array.FindIndex(lines, header + 1, l => l == string.Create(CultureInfo.InvariantCulture, $"  Thread {native}'s loop: {count} asyncio tasks"));
            Assert.True(header >= 0 && group > header, $"thread {thread}: no group of {count} tasks under its stack");
        }
        foreach (var want in expected.Where(t => Text(t, "parent") is not null))
        {
            // A child is listed after its parent, indented deeper, before anything at the parent's depth.
            var child = Array.FindIndex(lines, l => l.TrimStart().StartsWith($"Task \"{want.GetProperty("name").GetString()}\" ", StringComparison.Ordinal));
            var parent = Array.FindLastIndex(lines, child, l => l.TrimStart().StartsWith($"Task \"{Text(want, "parent")}\" ", StringComparison.Ordinal));
            Assert.True(parent >= 0 && Indent(lines[child]) > Indent(lines[parent]), $"{lines[child]} is not under its parent {Text(want, "parent")}");
            Assert.DoesNotContain(lines[(parent + 1)..child], l => l.StartsWith("  Task", StringComparison.Ordinal) && Indent(l) <= Indent(lines[parent]));
        }
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"asyncio tasks: {expected.Count}"), lines);
    }

    [PythonTheory(MinVersion = "3.14")]
    public async Task Dump_Async_SameTreeAndFramesAsAsyncioPstree(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "async_dump");
        var process = DumpAsync(target.Pid);
        var (exit, text) = await PstreeAsync(python, target.Pid);
        if (exit != 0 && text.Contains("invalid choice", StringComparison.Ordinal))
        {
            output.WriteLine($"skipped: Python {python.Version} has no `python -m asyncio pstree`");
            return;
        }
        Assert.True(exit == 0, $"pstree exited {exit}: {text}");
        var theirs = ParsePstree(text);

        var names = process.Tasks!.ToDictionary(t => t.Id, t => t.Name);
        var mainLoop = target.Ready.GetProperty("tasks").EnumerateArray()
            .Where(t => t.GetProperty("thread").GetUInt64() == target.Ready.GetProperty("threads").GetProperty("main").GetProperty("ident").GetUInt64())
            .Select(t => t.GetProperty("name").GetString()!);
        Assert.Superset(mainLoop.ToHashSet(), theirs.Keys.ToHashSet());   // 3.14.10's pstree lists the main thread's loop at least
        foreach (var (name, (parent, frames)) in theirs)
        {
            var task = process.Tasks!.SingleOrDefault(t => t.Name == name);
            Assert.True(task is not null, $"pstree lists {name}, the dump does not");
            Assert.Equal(frames, task.Frames.Reverse().Select(f => $"{f.Qualname}:{f.Line}"));
            Assert.Equal(parent, task.ParentId == 0 ? null : names.GetValueOrDefault(task.ParentId, "?"));
        }
    }

    [Fact]
    public void TreeOrder_ParentsInACycle_ListsEveryTaskOnceAndEnds()
    {
        var tasks = new[]
        {
            Task(1, "a", parent: 2), Task(2, "b", parent: 1), Task(3, "c", parent: 3), Task(4, "root", parent: 0), Task(5, "child", parent: 4),
            Task(6, "elsewhere", parent: 4, thread: 9),
        };

        var order = DumpTasks.TreeOrder(tasks, threadOrder: [1]);

        Assert.Equal(tasks.Select(t => t.Id).Order(), order.Select(o => o.Task.Id).Order());
        Assert.Equal(("root", 0), (order[0].Task.Name, order[0].Depth));
        Assert.Equal(("child", 1), (order[1].Task.Name, order[1].Depth));
        Assert.Equal("elsewhere", order[^1].Task.Name);             // another thread's group, after the first thread's
        Assert.Equal(0, order[^1].Depth);
    }

    [Fact]
    public void TreeOrder_ChainDeeperThanTheCap_CutAtMaxDepthButNothingLost()
    {
        var tasks = Enumerable.Range(1, DumpTasks.MaxDepth * 2).Select(i => Task((ulong)i, $"t{i:D4}", parent: (ulong)(i - 1))).ToArray();

        var order = DumpTasks.TreeOrder(tasks);

        Assert.Equal(tasks.Length, order.Count);
        Assert.All(order, o => Assert.InRange(o.Depth, 0, DumpTasks.MaxDepth - 1));
    }

    [Fact]
    public void WriteGroup_NameWithControlCharacters_StaysOnItsLine()
    {
        var process = new DumpProcess(7, "python app.py", "3.12.1", [new DumpThread(1, 7, false, false, [])],
            [Task(1, "evil\nTask \"x\" (running)", 0), Task(2, "child", 1)]);
        using var writer = new StringWriter();

        DumpTasks.WriteGroup(writer, process, 1, "Thread 7's loop");

        var lines = writer.ToString().Split(writer.NewLine);
        Assert.Equal(["", "  Thread 7's loop: 2 asyncio tasks", "    Task \"evil?Task \"x\" (running)\" (awaiting Future)", "        leaf (app.py:3)",
            "        Task \"child\" (awaiting Future)", "            leaf (app.py:3)", ""], lines);
    }

    [Fact]
    public void DumpJson_Tasks_CamelCaseWithTheirTree()
    {
        var output = new DumpOutput(
            [new DumpProcess(7, "python app.py", "3.12.1", [], [Task(1, "main", 0), Task(2, "child", 1)], null)], []);

        var json = JsonSerializer.Serialize(output, DumpJsonContext.Default.DumpOutput);

        using var parsed = JsonDocument.Parse(json);
        var child = parsed.RootElement.GetProperty("processes")[0].GetProperty("tasks")[1];
        Assert.Equal(1UL, child.GetProperty("parentId").GetUInt64());
        Assert.Equal("awaiting", child.GetProperty("state").GetString());
        Assert.Equal("Future", child.GetProperty("awaiting").GetString());
        Assert.Equal("leaf", child.GetProperty("frames")[0].GetProperty("function").GetString());
        Assert.False(parsed.RootElement.GetProperty("processes")[0].TryGetProperty("tasksProblem", out _));
    }

    private static DumpTask Task(ulong id, string name, ulong parent, ulong thread = 1) =>
        new(id, name, "awaiting", thread, 0, "Future", parent, [new DumpFrame("leaf", "leaf", "app.py", 3)]);

    private static DumpProcess DumpAsync(int pid)
    {
        var dump = DumpCommand.Dump(pid, subprocesses: false, PythonProcessProbe.Create(), ProcFs.Default, out var error, tasks: true);
        Assert.Null(error);
        var process = Assert.Single(dump.Processes);
        Assert.NotNull(process.Tasks);
        return process;
    }

    private static string? Text(JsonElement task, string property) =>
        task.GetProperty(property).ValueKind == JsonValueKind.Null ? null : task.GetProperty(property).GetString();

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    private static async Task<(int Exit, string Text)> PstreeAsync(TestPython python, int pid)
    {
        var info = new ProcessStartInfo(python.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-m", "asyncio", "pstree", pid.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }
        using var pstree = Process.Start(info)!;
        var stdout = pstree.StandardOutput.ReadToEndAsync();
        var stderr = pstree.StandardError.ReadToEndAsync();
        await pstree.WaitForExitAsync();
        return (pstree.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// Each <c>(T) NAME</c> line of pstree's tree: its parent task (the nearest task line above it at a smaller
    /// indent) and its frames (<c>qualname file:line</c> lines nested under it before its child tasks), outermost first.
    /// </summary>
    private static Dictionary<string, (string? Parent, List<string> Frames)> ParsePstree(string text)
    {
        var tasks = new Dictionary<string, (string? Parent, List<string> Frames)>(StringComparer.Ordinal);
        var open = new List<(int Column, string? Task)>();   // enclosing lines: a task's name, or null for a frame
        foreach (var line in text.Split('\n'))
        {
            var task = Regex.Match(line, @"\(T\) (.+)$");
            var frame = Regex.Match(line, @"──\s+(\S+) \S+:(\d+)$");
            if (!task.Success && !frame.Success)
            {
                continue;
            }
            var column = line.IndexOf("──", StringComparison.Ordinal);   // the branch's column: its depth
            open.RemoveAll(o => o.Column >= column);
            var owner = open.LastOrDefault(o => o.Task is not null).Task;
            if (task.Success)
            {
                var name = task.Groups[1].Value;
                tasks[name] = (owner, []);
                open.Add((column, name));
            }
            else
            {
                if (owner is not null)
                {
                    tasks[owner].Frames.Add($"{frame.Groups[1].Value}:{frame.Groups[2].Value}");
                }
                open.Add((column, null));
            }
        }
        return tasks;
    }
}
