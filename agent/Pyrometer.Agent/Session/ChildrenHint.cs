using System.Globalization;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Session;

/// <summary>
/// The gunicorn-master mistake: the target's work happens in Python child processes that only <c>-s</c>
/// samples. Shared by <c>record</c> (its end summary) and <c>top</c> (its screen).
/// </summary>
internal static class ChildrenHint
{
    private const int MaxDescendants = 4096;

    /// <summary>
    /// How many descendants of <paramref name="root"/> look like Python (0 when it is gone). Walks the
    /// children files of the tree rather than the whole process table: a cheap read at the end of a run.
    /// </summary>
    public static int CountPythonDescendants(ProcFs procFs, int root)
    {
        var table = new ProcProcessTable(procFs);
        var seen = new HashSet<int> { root };
        var queue = new Queue<int>([root]);
        var count = 0;
        while (queue.TryDequeue(out var pid) && seen.Count < MaxDescendants)
        {
            foreach (var child in table.ChildrenOf(pid).Where(seen.Add))
            {
                queue.Enqueue(child);
                count += TargetResolver.LooksLikePython(procFs, child) ? 1 : 0;
            }
        }
        return count;
    }

    /// <summary>"it has 4 Python children: add -s (--subprocesses)", or empty when there are none.</summary>
    public static string Text(int children) => children switch
    {
        0 => "",
        1 => "it has a Python child process: add -s (--subprocesses) to sample it too",
        _ => string.Create(CultureInfo.InvariantCulture, $"it has {children} Python child processes: add -s (--subprocesses) to sample them too"),
    };

    /// <summary>
    /// Why a run saw nothing, worded for the mode: an idle target in cpu or gil mode is the usual reason,
    /// and its Python children (when it has some and -s was not given) the usual fix.
    /// </summary>
    public static string NoSamples(SamplingMode mode, int children)
    {
        var why = mode switch
        {
            SamplingMode.Cpu => "no Python thread was running (the target was idle)",
            SamplingMode.Gil => "no thread held the GIL (the target was idle)",
            _ => "no Python thread could be read",
        };
        var hints = new List<string>();
        if (children > 0)
        {
            hints.Add(Text(children));
        }
        if (mode is not (SamplingMode.Wall or SamplingMode.Async))
        {
            hints.Add("try --mode wall to see where it waits");
        }
        return hints.Count == 0 ? why : $"{why}; {string.Join(", or ", hints)}";
    }
}
