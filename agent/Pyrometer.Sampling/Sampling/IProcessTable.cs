namespace Pyrometer.Sampling.Sampling;

/// <summary>The processes visible in our PID namespace (/proc), as the watcher needs them.</summary>
internal interface IProcessTable
{
    /// <summary>False when the process does not exist (any more).</summary>
    bool TryGetStartTime(int pid, out ulong startTime);

    /// <summary>Direct children of a process; empty when it is gone.</summary>
    IReadOnlyList<int> ChildrenOf(int pid);

    /// <summary>The executable's path, or null when unreadable; a change means the process exec'd.</summary>
    string? ExecutablePath(int pid);
}
