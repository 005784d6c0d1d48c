using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Tests.Sampling;

/// <summary>A mutable process tree.</summary>
internal sealed class FakeProcessTable : IProcessTable
{
    private readonly Dictionary<int, (int Parent, ulong Start, string Exe)> _processes = [];

    public void Add(int pid, int parent, ulong start = 100, string exe = "/usr/bin/python3.11") => _processes[pid] = (parent, start, exe);

    public void Remove(int pid) => _processes.Remove(pid);

    public void Exec(int pid, string exe) => _processes[pid] = _processes[pid] with { Exe = exe };

    public bool TryGetStartTime(int pid, out ulong startTime)
    {
        var found = _processes.TryGetValue(pid, out var entry);
        startTime = entry.Start;
        return found;
    }

    public IReadOnlyList<int> ChildrenOf(int pid) => _processes.Where(p => p.Value.Parent == pid).Select(p => p.Key).Order().ToList();

    public string? ExecutablePath(int pid) => _processes.TryGetValue(pid, out var entry) ? entry.Exe : null;
}
