using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;

namespace Pyrometer.Sampling.Tests.Python.Async;

public sealed class TaskMemosTests
{
    private static readonly PythonFrame Leaf = new("leaf", "leaf", "app.py", 7);
    private static readonly List<RawFrame> Raw = [new RawFrame(0x1000, 40, 0), new RawFrame(0x2000, 12, 0)];

    [Fact]
    public void TryReuse_NothingChanged_LastTicksInstance()
    {
        var memos = new TaskMemos();
        var task = Remembered(memos, new AsyncTask(1, "t", [Leaf], "Future", 0, 0));

        memos.Begin(codesUnchanged: true);
        Assert.Same(task, memos.TryReuse(1, [.. Raw], "t", "Future", 0, 0, 0));
    }

    [Fact]
    public void TryReuse_AnythingChanged_Null()
    {
        var memos = new TaskMemos();
        Remembered(memos, new AsyncTask(1, "t", [Leaf], "Future", 0, 0));

        memos.Begin(codesUnchanged: true);
        Assert.Null(memos.TryReuse(1, [Raw[0], new RawFrame(0x2000, 14, 0)], "t", "Future", 0, 0, 0));   // moved on to another await
        Assert.Null(memos.TryReuse(1, [Raw[0]], "t", "Future", 0, 0, 0));
        Assert.Null(memos.TryReuse(1, Raw, "renamed", "Future", 0, 0, 0));
        Assert.Null(memos.TryReuse(1, Raw, "t", "Task", 0, 0, 0));
        Assert.Null(memos.TryReuse(1, Raw, "t", null, 0, 0, 0));
        Assert.Null(memos.TryReuse(1, Raw, "t", "Future", 9, 0, 0));
        Assert.Null(memos.TryReuse(1, Raw, "t", "Future", 0, 77, 0));
        Assert.Null(memos.TryReuse(1, Raw, "t", "Future", 0, 0, 5));   // its loop runs on another thread now
        Assert.Null(memos.TryReuse(2, Raw, "t", "Future", 0, 0, 0));
    }

    [Fact]
    public void TryReuse_CodeCacheChanged_Null()
    {
        var memos = new TaskMemos();
        Remembered(memos, new AsyncTask(1, "t", [Leaf], "Future", 0, 0));

        memos.Begin(codesUnchanged: false);
        Assert.Null(memos.TryReuse(1, Raw, "t", "Future", 0, 0, 0));
    }

    [Fact]
    public void TryReuse_TaskMissingForATick_Forgotten()
    {
        var memos = new TaskMemos();
        Remembered(memos, new AsyncTask(1, "t", [Leaf], "Future", 0, 0));
        memos.Begin(codesUnchanged: true);
        memos.End();                                 // a tick without task 1

        memos.Begin(codesUnchanged: true);
        Assert.Null(memos.TryReuse(1, Raw, "t", "Future", 0, 0, 0));
    }

    [Fact]
    public void TryReuse_ReusedTask_KeptForTheTickAfter()
    {
        var memos = new TaskMemos();
        var task = Remembered(memos, new AsyncTask(1, "t", [Leaf], "Future", 0, 0));
        memos.Begin(codesUnchanged: true);
        memos.TryReuse(1, Raw, "t", "Future", 0, 0, 0);
        memos.End();

        memos.Begin(codesUnchanged: true);
        Assert.Same(task, memos.TryReuse(1, Raw, "t", "Future", 0, 0, 0));
    }

    private static AsyncTask Remembered(TaskMemos memos, AsyncTask task)
    {
        memos.Begin(codesUnchanged: true);
        memos.Remember(task, Raw);
        memos.End();
        return task;
    }
}
