using System.Buffers.Binary;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python.Objects;

namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// Finds the parent of a task created by an <c>asyncio.TaskGroup</c> on 3.11–3.13, where nothing in the
/// task points back at it (3.14+ record it in <c>awaited_by</c>). <c>TaskGroup.create_task</c> adds the
/// group's bound method <c>_on_task_done</c> as a done-callback of the child — in <c>fut_callback0</c>
/// unless a callback came first, else in <c>fut_callbacks</c>, a list of (callback, context) tuples —
/// and the group's <c>_parent_task</c> is the task that entered <c>async with TaskGroup()</c>. A child
/// keeps its group (and the group its parent) for life, so a result is kept while the task and its
/// callback fields stay the same from one pass to the next; a steady tick costs one batched read.
/// Every count is capped, and a parent is only taken when it is another live task.
/// </summary>
internal sealed class TaskGroupParents(IProcessMemory memory, ObjectReader objects, TaskLayout layout)
{
    /// <summary>Entries of a task's <c>fut_callbacks</c> list looked at.</summary>
    public const int MaxCallbacks = 8;

    /// <summary>Groups whose <c>_parent_task</c> is read in one pass (each costs a few reads); the rest wait for the next pass.</summary>
    public const int MaxGroupsPerPass = 64;

    // PyMethodObject: ob_refcnt, ob_type, im_func, im_self; a list or tuple head: ob_refcnt, ob_type, ob_size, then
    // ob_item (a list's pointer to its items, a tuple's first item).
    private const int HeadLength = 32;
    private const int MethodSelf = 24;
    private const int Size = 16;
    private const int Items = 24;

    private readonly ReadBatch _batch = new();
    private readonly List<Candidate> _candidates = [];
    private readonly Dictionary<ulong, ulong> _groupParents = [];
    private Dictionary<(ulong Task, ulong First, ulong List), ulong> _known = [];
    private Dictionary<(ulong Task, ulong First, ulong List), ulong> _nextKnown = [];
    private int _groupsRead;
    private bool _capped;                        // the candidate at hand met a group left unread by the cap

    /// <summary>
    /// Adds to <paramref name="parents"/> (child → parent) the group parent of every task in
    /// <paramref name="live"/> that has none yet. Never throws for bad memory; a task that does not add up keeps no parent.
    /// </summary>
    public void Link(IReadOnlySet<ulong> live, Dictionary<ulong, ulong> parents)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(parents);
        _candidates.Clear();
        _groupParents.Clear();
        _groupsRead = 0;
        _batch.Clear();
        foreach (var task in live)
        {
            if (!parents.ContainsKey(task))
            {
                _candidates.Add(new Candidate(task, _batch.Add(task + (ulong)layout.FutureCallback0, layout.FutureCallbacks + 8 - layout.FutureCallback0)));
            }
        }
        if (_candidates.Count == 0 || _batch.Execute(memory) != ReadStatus.Ok)
        {
            Swap();
            return;
        }
        var pending = new List<(Candidate Task, ulong First, ulong List, int FirstRead, int ListRead)>();
        foreach (var candidate in _candidates)
        {
            if (!_batch.TryGet(candidate.Read, out var fields))
            {
                continue;
            }
            var first = U64(fields, 0);
            var list = U64(fields, layout.FutureCallbacks - layout.FutureCallback0);
            var key = (candidate.Task, first, list);
            if (_known.TryGetValue(key, out var parent))
            {
                Keep(key, parent, candidate.Task, live, parents);
            }
            else if (first != 0 || list != 0)
            {
                pending.Add((candidate, first, list, first != 0 ? _batch.Add(first, HeadLength) : -1, list != 0 ? _batch.Add(list, HeadLength) : -1));
            }
        }
        if (pending.Count == 0 || _batch.Execute(memory) != ReadStatus.Ok)
        {
            Swap();
            return;
        }
        var lists = new List<(int Pending, int ItemsRead, int Count)>();
        for (var i = 0; i < pending.Count; i++)
        {
            var (candidate, first, list, firstRead, listRead) = pending[i];
            _capped = false;
            var parent = firstRead >= 0 && _batch.TryGet(firstRead, out var method) ? ParentFromMethod(method, candidate.Task, live) : 0;
            if (parent != 0 || listRead < 0)
            {
                Keep((candidate.Task, first, list), parent, candidate.Task, live, parents);
                continue;
            }
            if (_batch.TryGet(listRead, out var head) && objects.TypeNameOf(U64(head, 8)) == "list"
                && (long)U64(head, Size) is var count and > 0 && U64(head, Items) is var items and not 0)
            {
                var taken = (int)Math.Min(count, MaxCallbacks);
                lists.Add((i, _batch.Add(items, taken * 8), taken));
            }
            else
            {
                Keep((candidate.Task, first, list), 0, candidate.Task, live, parents);
            }
        }
        if (lists.Count > 0)
        {
            FromLists(pending, lists, live, parents);
        }
        _capped = false;
        Swap();
    }

    // The rarer case: (callback, context) tuples in fut_callbacks, then their callbacks; two more batched reads.
    private void FromLists(
        List<(Candidate Task, ulong First, ulong List, int FirstRead, int ListRead)> pending, List<(int Pending, int ItemsRead, int Count)> lists,
        IReadOnlySet<ulong> live, Dictionary<ulong, ulong> parents)
    {
        if (_batch.Execute(memory) != ReadStatus.Ok)
        {
            return;
        }
        var tuples = new List<(int List, int Read)>();
        for (var l = 0; l < lists.Count; l++)
        {
            if (_batch.TryGet(lists[l].ItemsRead, out var items))
            {
                for (var j = 0; j < lists[l].Count; j++)
                {
                    if (U64(items, j * 8) is var tuple and not 0)
                    {
                        tuples.Add((l, _batch.Add(tuple, HeadLength)));
                    }
                }
            }
        }
        if (_batch.Execute(memory) != ReadStatus.Ok)
        {
            return;
        }
        var methods = new List<(int List, int Read)>();
        foreach (var (list, read) in tuples)
        {
            // A 2-tuple's first item sits where a list keeps its item pointer.
            if (_batch.TryGet(read, out var tuple) && objects.TypeNameOf(U64(tuple, 8)) == "tuple" && U64(tuple, Size) == 2
                && U64(tuple, Items) is var callback and not 0)
            {
                methods.Add((list, _batch.Add(callback, HeadLength)));
            }
        }
        if (_batch.Execute(memory) != ReadStatus.Ok)
        {
            return;
        }
        var found = new ulong[lists.Count];
        var capped = new bool[lists.Count];
        foreach (var (list, read) in methods)
        {
            var task = pending[lists[list].Pending].Task.Task;
            if (found[list] == 0 && _batch.TryGet(read, out var method))
            {
                _capped = false;
                found[list] = ParentFromMethod(method, task, live);
                capped[list] |= _capped;
            }
        }
        for (var l = 0; l < lists.Count; l++)
        {
            var (candidate, first, list, _, _) = pending[lists[l].Pending];
            _capped = capped[l];
            Keep((candidate.Task, first, list), found[l], candidate.Task, live, parents);
        }
    }

    // A bound method whose self is a TaskGroup: that group's _parent_task, when it is another live task.
    private ulong ParentFromMethod(ReadOnlySpan<byte> method, ulong task, IReadOnlySet<ulong> live)
    {
        if (objects.TypeNameOf(U64(method, 8)) != "method")
        {
            return 0;
        }
        var group = U64(method, MethodSelf);
        if (group == 0)
        {
            return 0;
        }
        if (!_groupParents.TryGetValue(group, out var parent))
        {
            if (_groupsRead++ >= MaxGroupsPerPass)
            {
                _capped = true;
                return 0;
            }
            parent = objects.TypeName(group) == "TaskGroup" && objects.TryGetAttribute(group, "_parent_task", out var value) ? value : 0;
            _groupParents[group] = parent;
        }
        return parent != task && live.Contains(parent) ? parent : 0;
    }

    private void Keep((ulong Task, ulong First, ulong List) key, ulong parent, ulong task, IReadOnlySet<ulong> live, Dictionary<ulong, ulong> parents)
    {
        if (parent != 0 && parent != task && live.Contains(parent))
        {
            parents.TryAdd(task, parent);
        }
        if (!_capped)
        {
            _nextKnown[key] = parent;                // a group left unread this pass is asked again next pass
        }
    }

    // Only what this pass saw is kept: a task gone, or whose callbacks changed, is read afresh.
    private void Swap()
    {
        (_known, _nextKnown) = (_nextKnown, _known);
        _nextKnown.Clear();
    }

    private static ulong U64(ReadOnlySpan<byte> data, int offset) =>
        offset >= 0 && offset + 8 <= data.Length ? BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset, 8)) : 0;

    private readonly record struct Candidate(ulong Task, int Read);
}
