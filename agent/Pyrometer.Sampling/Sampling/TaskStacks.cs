using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Turns one tick's asyncio tasks into stacks (async mode): for each suspended task, innermost first,
/// an <c>[await TYPE]</c> leaf, the task's coroutine frames, a <c>[task NAME]</c> frame, then each
/// parent task's frames and <c>[task NAME]</c> up to the outermost one — so, root first, the time a
/// task waits shows under the tasks that wait for it. A running task is left out: the thread running
/// it shows its stack already. Task stacks carry thread id 0 (they belong to no thread). Marker frames
/// are shared instances and a task whose stack did not change keeps its <see cref="ThreadStack"/>, so
/// the sink counts it by reference.
/// </summary>
internal sealed class TaskStacks
{
    /// <summary>Parent tasks followed above a task (a cycle of awaits ends at the first repeat anyway).</summary>
    public const int MaxParents = 32;

    private const int MaxMarkers = 4096;

    private readonly Dictionary<ulong, AsyncTask> _byAddress = [];
    private readonly Dictionary<string, PythonFrame> _taskMarkers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PythonFrame> _awaitMarkers = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _visited = [];
    private readonly List<PythonFrame> _frames = [];
    private readonly List<AsyncTask> _chain = [];
    private Dictionary<ulong, Built> _last = [];
    private Dictionary<ulong, Built> _next = [];

    /// <summary>Appends one stack per suspended task to <paramref name="into"/>.</summary>
    public void Build(IReadOnlyList<AsyncTask> tasks, List<ThreadStack> into)
    {
        _byAddress.Clear();
        foreach (var task in tasks)
        {
            _byAddress.TryAdd(task.Address, task);
        }
        foreach (var task in tasks)
        {
            if (task.RunningOnThread != 0)
            {
                continue;
            }
            Chain(task);
            // Readers hand back the same task instance while it did not move: the same instances up the
            // parent chain make the same stack, so it is kept without looking at a frame.
            if (_last.TryGetValue(task.Address, out var built) && SameChain(built.Chain))
            {
                _next[task.Address] = built;
                into.Add(built.Stack);
                continue;
            }
            _frames.Clear();
            if (task.AwaitedType is { } awaited)
            {
                _frames.Add(Marker(_awaitMarkers, "[await ", awaited));
            }
            foreach (var link in _chain)
            {
                _frames.AddRange(link.Frames);
                _frames.Add(Marker(_taskMarkers, "[task ", link.Name));
            }
            var stack = built is not null && FrameLists.SameInstances(built.Stack.Frames, _frames)
                ? built.Stack
                : new ThreadStack(0, 0, false, _frames.ToArray());
            _next[task.Address] = new Built(_chain.ToArray(), stack);
            into.Add(stack);
        }
        (_last, _next) = (_next, _last);
        _next.Clear();
    }

    // The task, then the tasks awaiting it, outermost last, into _chain.
    private void Chain(AsyncTask task)
    {
        _chain.Clear();
        _visited.Clear();
        var current = task;
        for (var depth = 0; depth <= MaxParents && _visited.Add(current.Address); depth++)
        {
            _chain.Add(current);
            if (current.ParentAddress == 0 || !_byAddress.TryGetValue(current.ParentAddress, out var parent))
            {
                break;
            }
            current = parent;
        }
    }

    private bool SameChain(AsyncTask[] chain)
    {
        if (chain.Length != _chain.Count)
        {
            return false;
        }
        for (var i = 0; i < chain.Length; i++)
        {
            if (!ReferenceEquals(chain[i], _chain[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static PythonFrame Marker(Dictionary<string, PythonFrame> markers, string prefix, string name)
    {
        if (markers.TryGetValue(name, out var marker))
        {
            return marker;
        }
        var text = prefix + name + "]";
        marker = new PythonFrame(text, text, "", 0);
        if (markers.Count >= MaxMarkers)
        {
            markers.Clear();
        }
        markers[name] = marker;
        return marker;
    }

    /// <summary>A task's stack as built, and the task instances it was built from (the task first, then its parents).</summary>
    private sealed record Built(AsyncTask[] Chain, ThreadStack Stack);
}
