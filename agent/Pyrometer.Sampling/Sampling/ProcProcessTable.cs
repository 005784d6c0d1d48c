using System.Globalization;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// <see cref="IProcessTable"/> over /proc. Children come from <c>/proc/PID/task/TID/children</c>
/// (cheap: proportional to the tree, not to the machine); where the kernel lacks that file the
/// whole process table is read instead. Zombies count as gone: they run no code.
/// </summary>
internal sealed class ProcProcessTable(ProcFs procFs) : IProcessTable
{
    private bool? _hasChildrenFiles;

    public bool TryGetStartTime(int pid, out ulong startTime)
    {
        var stat = procFs.TryReadStat(pid);
        startTime = stat?.StartTime ?? 0;
        return stat is not null && stat.State is not ('Z' or 'X');
    }

    public string? ExecutablePath(int pid) => procFs.TryReadExecutable(pid);

    public IReadOnlyList<int> ChildrenOf(int pid)
    {
        _hasChildrenFiles ??= File.Exists($"{procFs.Root}/self/task/{Environment.ProcessId}/children");
        return _hasChildrenFiles.Value ? FromChildrenFiles(pid) : FromProcessTable(pid);
    }

    private List<int> FromChildrenFiles(int pid)
    {
        var children = new List<int>();
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories(Path.Combine(procFs.ProcessDirectory(pid), "task"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return children;
        }
        foreach (var task in tasks)
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;   // the thread exited meanwhile
            }
            foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var child))
                {
                    children.Add(child);
                }
            }
        }
        return children;
    }

    private List<int> FromProcessTable(int pid) =>
        procFs.ReadProcessTable().Where(p => p.ParentProcessId == pid).Select(p => p.ProcessId).ToList();
}
