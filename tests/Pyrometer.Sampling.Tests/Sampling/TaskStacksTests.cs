using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Tests.Sampling;

public sealed class TaskStacksTests
{
    private static readonly PythonFrame Gather = new("gather_parent", "gather_parent", "app.py", 42);
    private static readonly PythonFrame Gathered = new("gathered", "gathered", "app.py", 38);
    private static readonly PythonFrame Wait = new("wait", "Event.wait", "locks.py", 213);

    [Fact]
    public void Build_ChildOfAGather_ParentAboveItsTaskFrame_AwaitLeafInnermost()
    {
        var stacks = Build(
            new AsyncTask(1, "gather-parent", [Gather], "_GatheringFuture", 0, 0),
            new AsyncTask(2, "Task-2", [Wait, Gathered], "Future", 1, 0));

        Assert.Equal(["[await _GatheringFuture]", "gather_parent", "[task gather-parent]"], Names(stacks[0]));
        Assert.Equal(["[await Future]", "Event.wait", "gathered", "[task Task-2]", "gather_parent", "[task gather-parent]"], Names(stacks[1]));
        Assert.All(stacks, s => Assert.Equal(0UL, s.ThreadId));
    }

    [Fact]
    public void Build_RunningTask_LeftToItsThread()
    {
        var stacks = Build(new AsyncTask(1, "busy", [Gather], null, 0, RunningOnThread: 77));

        Assert.Empty(stacks);
    }

    [Fact]
    public void Build_ParentsAwaitingEachOther_EndsAtTheFirstRepeat()
    {
        var stacks = Build(
            new AsyncTask(1, "a", [Gather], "Task", 2, 0),
            new AsyncTask(2, "b", [Gathered], "Task", 1, 0));

        Assert.Equal(["[await Task]", "gather_parent", "[task a]", "gathered", "[task b]"], Names(stacks[0]));
    }

    [Fact]
    public void Build_SameTasksNextTick_SameStackInstances()
    {
        var builder = new TaskStacks();
        AsyncTask[] tasks = [new(1, "t", [Wait, Gathered], "Future", 0, 0)];
        var first = new List<ThreadStack>();
        var second = new List<ThreadStack>();

        builder.Build(tasks, first);
        builder.Build(tasks, second);

        Assert.Same(first[0], second[0]);
    }

    [Fact]
    public void Build_SameChildNewParentInstance_RebuiltUnderTheNewParent()
    {
        var builder = new TaskStacks();
        var child = new AsyncTask(2, "child", [Wait], "Future", 1, 0);
        var first = new List<ThreadStack>();
        var second = new List<ThreadStack>();

        builder.Build([new AsyncTask(1, "parent", [Gather], "Task", 0, 0), child], first);
        builder.Build([new AsyncTask(1, "parent", [Gathered], "Task", 0, 0), child], second);

        Assert.Equal(["[await Future]", "Event.wait", "[task child]", "gather_parent", "[task parent]"], Names(first[1]));
        Assert.Equal(["[await Future]", "Event.wait", "[task child]", "gathered", "[task parent]"], Names(second[1]));
    }

    [Fact]
    public void Build_NewTaskInstancesWithTheSameFrames_SameStackInstance()
    {
        var builder = new TaskStacks();
        var first = new List<ThreadStack>();
        var second = new List<ThreadStack>();

        builder.Build([new AsyncTask(1, "t", [Wait, Gathered], "Future", 0, 0)], first);
        builder.Build([new AsyncTask(1, "t", [Wait, Gathered], "Future", 0, 0)], second);

        Assert.Same(first[0], second[0]);
    }

    [Fact]
    public void Build_SameTaskNowAwaitingAnotherType_NewLeaf()
    {
        var builder = new TaskStacks();
        var first = new List<ThreadStack>();
        var second = new List<ThreadStack>();

        builder.Build([new AsyncTask(1, "t", [Wait], "Future", 0, 0)], first);
        builder.Build([new AsyncTask(1, "t", [Wait], "Task", 0, 0)], second);

        Assert.Equal("[await Task]", Names(second[0])[0]);
    }

    private static List<ThreadStack> Build(params AsyncTask[] tasks)
    {
        var stacks = new List<ThreadStack>();
        new TaskStacks().Build(tasks, stacks);
        return stacks;
    }

    private static string[] Names(ThreadStack stack) => stack.Frames.Select(f => f.QualifiedName).ToArray();
}
