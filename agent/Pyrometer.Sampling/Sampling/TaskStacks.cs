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
    private readonly Dictionary<string, PythonFrame> _markers = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _visited = [];
    private readonly List<PythonFrame> _frames = [];
    private Dictionary<ulong, ThreadStack> _last = [];
    private Dictionary<ulong, ThreadStack> _next = [];

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
            _frames.Clear();
            _visited.Clear();
            if (task.AwaitedType is { } awaited)
            {
                _frames.Add(Marker("[await ", awaited));
            }
            var current = task;
            for (var depth = 0; depth <= MaxParents && _visited.Add(current.Address); depth++)
            {
                _frames.AddRange(current.Frames);
                _frames.Add(Marker("[task ", current.Name));
                if (current.ParentAddress == 0 || !_byAddress.TryGetValue(current.ParentAddress, out var parent))
                {
                    break;
                }
                current = parent;
            }
            into.Add(Reuse(task.Address));
        }
        (_last, _next) = (_next, _last);
        _next.Clear();
    }

    private ThreadStack Reuse(ulong task)
    {
        if (!_last.TryGetValue(task, out var stack) || !FrameLists.SameInstances(stack.Frames, _frames))
        {
            stack = new ThreadStack(0, 0, false, _frames.ToArray());
        }
        _next[task] = stack;
        return stack;
    }

    private PythonFrame Marker(string prefix, string name)
    {
        var text = prefix + name + "]";
        if (_markers.TryGetValue(text, out var marker))
        {
            return marker;
        }
        marker = new PythonFrame(text, text, "", 0);
        if (_markers.Count >= MaxMarkers)
        {
            _markers.Clear();
        }
        _markers[text] = marker;
        return marker;
    }
}
