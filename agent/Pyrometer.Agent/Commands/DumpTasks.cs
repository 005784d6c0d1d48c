using System.Globalization;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Commands;

/// <summary>
/// <c>dump --async</c>: one read of a process's asyncio tasks, ordered as a tree of who awaits whom within
/// each thread's loop (a parent before its children, each level by name), and its text form.
/// </summary>
internal static class DumpTasks
{
    /// <summary>Nesting shown at most: a parent chain deeper than this (or a cycle in garbage memory) is cut there.</summary>
    public const int MaxDepth = 64;

    /// <summary>The tasks read now, in tree order, or null with why they cannot be read.</summary>
    public static IReadOnlyList<DumpTask>? Read(IProcessSampler process, IReadOnlyList<ThreadStack> threads, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(threads);
        var read = new List<AsyncTask>();
        if (!process.ReadTasks(read, out problem))
        {
            return null;
        }
        var native = new Dictionary<ulong, int>();
        foreach (var thread in threads)
        {
            native.TryAdd(thread.ThreadId, thread.NativeThreadId);
        }
        var tasks = read.Select(t =>
        {
            var thread = t.RunningOnThread != 0 ? t.RunningOnThread : t.LoopThread;
            return new DumpTask(t.Address, t.Name, t.RunningOnThread != 0 ? "running" : "awaiting", thread, native.GetValueOrDefault(thread),
                t.AwaitedType, t.ParentAddress == t.Address ? 0 : t.ParentAddress,
                [.. t.Frames.Select(f => new DumpFrame(f.Name, f.QualifiedName, f.File, f.Line))]);
        });
        return [.. TreeOrder(tasks.ToList()).Select(n => n.Task)];
    }

    /// <summary>
    /// Each thread's tasks (the threads in <paramref name="threadOrder"/>'s order, then tasks of no known
    /// thread), each as a tree: roots are tasks whose parent is not in the same group. Cycle-safe.
    /// </summary>
    public static List<(DumpTask Task, int Depth)> TreeOrder(IReadOnlyList<DumpTask> tasks, IReadOnlyList<ulong>? threadOrder = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var groups = tasks.GroupBy(t => t.ThreadId).ToDictionary(g => g.Key, g => g.ToList());
        var order = (threadOrder ?? []).Where(groups.ContainsKey).Distinct().ToList();
        order.AddRange(groups.Keys.Where(k => !order.Contains(k) && k != 0).Order());
        if (groups.ContainsKey(0) && !order.Contains(0))
        {
            order.Add(0);
        }
        var result = new List<(DumpTask, int)>(tasks.Count);
        var placed = new HashSet<ulong>();
        foreach (var thread in order)
        {
            var group = groups[thread];
            var ids = group.Select(t => t.Id).ToHashSet();
            var children = group.Where(t => t.ParentId != 0 && ids.Contains(t.ParentId)).ToLookup(t => t.ParentId);
            foreach (var root in Sorted(group.Where(t => t.ParentId == 0 || !ids.Contains(t.ParentId))))
            {
                Visit(root, 0, children, placed, result);
            }
            // Tasks only reachable through a cycle of parents (garbage memory): listed flat rather than lost.
            foreach (var task in Sorted(group.Where(t => !placed.Contains(t.Id))))
            {
                Visit(task, 0, children, placed, result);
            }
        }
        return result;
    }

    private static void Visit(DumpTask task, int depth, ILookup<ulong, DumpTask> children, HashSet<ulong> placed, List<(DumpTask, int)> into)
    {
        if (!placed.Add(task.Id))
        {
            return;
        }
        into.Add((task, depth));
        if (depth + 1 >= MaxDepth)
        {
            return;
        }
        foreach (var child in Sorted(children[task.Id]))
        {
            Visit(child, depth + 1, children, placed, into);
        }
    }

    // A task's name comes from the target: a control character in it must not break the lines of the text form.
    private static string Printable(string name) => string.Concat(name.Select(c => char.IsControl(c) ? '?' : c));

    private static IEnumerable<DumpTask> Sorted(IEnumerable<DumpTask> tasks) =>
        tasks.OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Id);

    /// <summary>The tasks of one thread's loop (thread id 0: of no running loop), indented by how deep each is awaited.</summary>
    public static void WriteGroup(TextWriter output, DumpProcess process, ulong threadId, string title)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(process);
        var tasks = process.Tasks ?? [];
        var known = process.Threads.Select(t => t.ThreadId).ToHashSet();
        var group = tasks.Where(t => t.ThreadId == threadId || threadId == 0 && !known.Contains(t.ThreadId)).ToList();
        if (group.Count == 0)
        {
            return;
        }
        var names = tasks.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First().Name);
        var ids = group.Select(t => t.Id).ToHashSet();
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Create(inv, $"  {title}: {group.Count} asyncio task{(group.Count == 1 ? "" : "s")}"));
        foreach (var (task, depth) in TreeOrder(group))
        {
            var indent = new string(' ', 4 + (4 * depth));
            var state = task.State == "running" ? "running" : task.Awaiting is { } awaited ? "awaiting " + awaited : "awaiting";
            var parent = task.ParentId != 0 && !ids.Contains(task.ParentId) && names.TryGetValue(task.ParentId, out var name)
                ? $", awaited by \"{Printable(name)}\""
                : "";
            output.WriteLine(string.Create(inv, $"{indent}Task \"{Printable(task.Name)}\" ({state}{parent})"));
            foreach (var frame in task.Frames)
            {
                output.WriteLine(string.Create(inv, $"{indent}    {frame.Qualname} ({frame.File}:{frame.Line})"));
            }
        }
    }
}
