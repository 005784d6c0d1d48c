using System.Globalization;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary><c>pyrometer record --async</c> end to end: one stack per asyncio task, under the tasks awaiting it.</summary>
[Trait("Category", "Integration")]
public sealed class AsyncRecordLiveTests
{
    [PythonTheory(MinVersion = "3.14")]
    public async Task RecordAsync_KnownTasks_EachTaskUnderItsParentsEndingInWhatItAwaits(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "async_tasks");
        using var run = new AgentRun();

        var exit = await run.RecordAsync("--pid", target.Pid.ToString(CultureInfo.InvariantCulture), "--async", "--duration", "2", "--format", "folded");

        Assert.Equal(0, exit);
        var stacks = (await File.ReadAllLinesAsync(run.Artifact(".folded")))
            .Select(line => line[..line.LastIndexOf(' ')].Split(';')).ToList();
        // A task's own frames (from its coroutine down), then what it awaits; parents above it, outermost first.
        AssertStack(stacks, [], "worker-a", ["worker", "middle", "leaf_sleep", "sleep"], "Future");
        AssertStack(stacks, ["gather-parent"], "Task-2", ["gathered", "Event.wait"], "Future");
        AssertStack(stacks, ["group-parent"], "tg-child-1", ["group_child", "sleep"], "Future");
        AssertStack(stacks, ["waiter"], "awaited", ["awaited_target", "sleep"], "Future");
        AssertStack(stacks, [], "waiter", ["awaits_task"], "Task");
    }

    /// <summary>Every version: 3.8–3.13 through asyncio's task registries, 3.14+ through the debug offsets.</summary>
    [PythonTheory]
    public async Task RecordAsync_EveryVersion_NestedAwaitsAwaitedTaskAndGatherChildren(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "async_registry_tasks");
        using var run = new AgentRun();

        var exit = await run.RecordAsync("--pid", target.Pid.ToString(CultureInfo.InvariantCulture), "--async", "--duration", "2", "--format", "folded");

        Assert.Equal(0, exit);
        var stacks = (await File.ReadAllLinesAsync(run.Artifact(".folded")))
            .Select(line => line[..line.LastIndexOf(' ')].Split(';')).ToList();
        AssertStack(stacks, [], "nested", ["waiter", "middle", "leaf"], "Future");
        AssertStack(stacks, ["outer"], "inner", ["inner", "sleep"], "Future");
        AssertStack(stacks, [], "outer", ["outer"], "Task");
        // gather's children are named by asyncio (Task-N): two stacks under the gatherer task.
        var children = stacks.Where(s => s.Contains("[task gatherer]") && s.Count(f => f.StartsWith("[task ", StringComparison.Ordinal)) == 2
            && s[^1] == "[await Future]" && s[^2].StartsWith("child (", StringComparison.Ordinal)).Select(s => s[^3]).Distinct().ToList();
        Assert.Equal(2, children.Count);
    }

    // Some stack holds the parents' [task …] frames in order, then [task NAME], the functions in order, then [await TYPE] last.
    private static void AssertStack(List<string[]> stacks, string[] parents, string name, string[] functions, string awaited)
    {
        var marker = $"[task {name}]";
        var found = stacks.Where(s => s.Contains(marker)).ToList();
        Assert.True(found.Count > 0, $"no stack has {marker}");
        Assert.Contains(found, stack =>
        {
            var at = Array.IndexOf(stack, marker);
            var above = stack[..at].Where(f => f.StartsWith("[task ", StringComparison.Ordinal)).ToArray();
            var below = stack[(at + 1)..].Select(f => f.Split(" (")[0]).ToArray();
            return above.SequenceEqual(parents.Select(p => $"[task {p}]"))
                && below.SequenceEqual([.. functions, $"[await {awaited}]"]);
        });
    }
}
