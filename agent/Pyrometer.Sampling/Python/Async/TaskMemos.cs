namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// Hands back last tick's <see cref="AsyncTask"/> for a task that did not move: the same raw await
/// chain (code objects and instructions), name, awaited type, parent and thread. Most tasks of a
/// server sit parked between ticks, so this spares resolving their frames and allocating their task
/// and, downstream, rebuilding their stacks (<see cref="Sampling.TaskStacks"/> compares by reference).
/// Only valid while the code-object cache that resolved the frames kept every entry: a reader passes
/// false to <see cref="Begin"/> when it dropped or replaced one since. Only chains whose every frame
/// resolved are remembered, so a frame deferred by one tick's read cap is resolved by a later one.
/// </summary>
internal sealed class TaskMemos
{
    private Dictionary<ulong, Memo> _last = [];
    private Dictionary<ulong, Memo> _next = [];
    private bool _valid;

    /// <summary>Starts a tick; <paramref name="codesUnchanged"/> false forgets every remembered task.</summary>
    public void Begin(bool codesUnchanged)
    {
        _valid = codesUnchanged;
        _next.Clear();
    }

    /// <summary>Last tick's task when nothing about it changed, else null.</summary>
    public AsyncTask? TryReuse(ulong address, List<RawFrame> raw, string name, string? awaited, ulong parent, ulong thread, ulong loopThread)
    {
        if (!_valid || !_last.TryGetValue(address, out var memo))
        {
            return null;
        }
        var task = memo.Task;
        if (task.ParentAddress != parent || task.RunningOnThread != thread || task.LoopThread != loopThread || !string.Equals(task.AwaitedType, awaited, StringComparison.Ordinal)
            || !string.Equals(task.Name, name, StringComparison.Ordinal) || !SameRaw(memo.Raw, raw))
        {
            return null;
        }
        _next[address] = memo;
        return task;
    }

    /// <summary>Remembers a task built this tick from <paramref name="raw"/> (all of whose frames resolved).</summary>
    public void Remember(AsyncTask task, List<RawFrame> raw)
    {
        _next[task.Address] = new Memo(raw.ToArray(), task);
    }

    /// <summary>Ends the tick: tasks not seen in it are forgotten.</summary>
    public void End()
    {
        (_last, _next) = (_next, _last);
        _next.Clear();
    }

    private static bool SameRaw(RawFrame[] remembered, List<RawFrame> raw)
    {
        if (remembered.Length != raw.Count)
        {
            return false;
        }
        for (var i = 0; i < remembered.Length; i++)
        {
            if (remembered[i] != raw[i])
            {
                return false;
            }
        }
        return true;
    }

    private sealed record Memo(RawFrame[] Raw, AsyncTask Task);
}
