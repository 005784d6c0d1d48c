namespace Pyrometer.Rendering.Model;

/// <summary>
/// One thread's samples in the order they were taken (or one process's asyncio task stacks): each entry is
/// a stack of the <see cref="Profile"/> (its index; -1 for time the thread was not sampled) and how long it
/// lasted in microseconds. Entries from <see cref="OrderedCount"/> on came after the timeline's cap and are
/// in aggregate: one per stack, in stack order.
/// </summary>
internal sealed record TimelineTrack
{
    /// <summary>The process's pid (0 when unknown).</summary>
    public int Pid { get; init; }

    /// <summary>The process's command line.</summary>
    public string Command { get; init; } = "";

    /// <summary>The thread's native id (as the target's PID namespace numbers it); 0 for a task track.</summary>
    public long ThreadId { get; init; }

    /// <summary>The thread's name (the last one seen); empty when unknown.</summary>
    public string ThreadName { get; init; } = "";

    /// <summary>Async mode's task stacks of a process: several stacks per tick, one per suspended task.</summary>
    public bool IsTasks { get; init; }

    /// <summary>Profile stack indices, -1 for a gap.</summary>
    public IReadOnlyList<int> Stacks { get; init; } = [];

    /// <summary>Microseconds each entry lasted; the same length as <see cref="Stacks"/>.</summary>
    public IReadOnlyList<long> Weights { get; init; } = [];

    /// <summary>How many entries are in time order; the rest are the aggregate of what came after the cap.</summary>
    public int OrderedCount { get; init; }

    /// <summary>A name such as <c>pid 12 python app.py / thread 140 MainThread</c>.</summary>
    public string Name
    {
        get
        {
            var thread = IsTasks ? "asyncio tasks" : ThreadName.Length > 0 ? $"thread {ThreadId} {ThreadName}" : $"thread {ThreadId}";
            if (Pid <= 0)
            {
                return thread;
            }
            var process = Command.Length > 0 ? $"pid {Pid} {Command}" : $"pid {Pid}";
            return process + " / " + thread;
        }
    }
}
