namespace Pyrometer.Operator.Tests.Architecture;

/// <summary>
/// Which namespace uses which, keeping one example reference per edge. Pure: fed either from compiled
/// assemblies (<see cref="AssemblyNamespaceGraph"/>) or by hand, so the cycle search itself can be tested.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, string>> _edges = new(StringComparer.Ordinal);

    public int EdgeCount => _edges.Values.Sum(targets => targets.Count);

    public IEnumerable<NamespaceEdge> Edges =>
        _edges.SelectMany(from => from.Value.Select(to => new NamespaceEdge(from.Key, to.Key, to.Value)));

    public void AddNamespace(string name) => TargetsOf(name);

    /// <summary>Records that <paramref name="from"/> uses <paramref name="to"/>; a namespace using itself is no edge.</summary>
    public void AddEdge(string from, string to, string example)
    {
        AddNamespace(to);
        if (from == to)
        {
            AddNamespace(from);
            return;
        }
        var targets = TargetsOf(from);
        // Keep the ordinally smallest example so the message is the same from one build to the next.
        if (!targets.TryGetValue(to, out var kept) || string.CompareOrdinal(example, kept) < 0)
        {
            targets[to] = example;
        }
    }

    /// <summary>Every strongly connected component with more than one namespace, in ordinal order.</summary>
    public IReadOnlyList<NamespaceCycle> FindCycles()
    {
        var cycles = new List<NamespaceCycle>();
        foreach (var component in new Tarjan(this).Components())
        {
            if (component.Count < 2)
            {
                continue;
            }
            var members = component.ToHashSet(StringComparer.Ordinal);
            var edges = component
                .SelectMany(from => _edges[from]
                    .Where(to => members.Contains(to.Key))
                    .Select(to => new NamespaceEdge(from, to.Key, to.Value)))
                .ToList();
            cycles.Add(new NamespaceCycle(component, edges));
        }
        return cycles.OrderBy(cycle => cycle.Namespaces[0], StringComparer.Ordinal).ToList();
    }

    private SortedDictionary<string, string> TargetsOf(string name)
    {
        if (!_edges.TryGetValue(name, out var targets))
        {
            targets = new SortedDictionary<string, string>(StringComparer.Ordinal);
            _edges[name] = targets;
        }
        return targets;
    }

    /// <summary>Tarjan's algorithm; recursion depth is at most the number of namespaces, a few dozen.</summary>
    private sealed class Tarjan(NamespaceGraph graph)
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _lowLink = new(StringComparer.Ordinal);
        private readonly Stack<string> _stack = new();
        private readonly HashSet<string> _onStack = new(StringComparer.Ordinal);
        private readonly List<List<string>> _components = [];

        public List<List<string>> Components()
        {
            foreach (var name in graph._edges.Keys)
            {
                if (!_index.ContainsKey(name))
                {
                    Visit(name);
                }
            }
            return _components;
        }

        private void Visit(string name)
        {
            _index[name] = _index.Count;
            _lowLink[name] = _index[name];
            _stack.Push(name);
            _onStack.Add(name);

            foreach (var target in graph._edges[name].Keys)
            {
                if (!_index.TryGetValue(target, out var targetIndex))
                {
                    Visit(target);
                    _lowLink[name] = Math.Min(_lowLink[name], _lowLink[target]);
                }
                else if (_onStack.Contains(target))
                {
                    _lowLink[name] = Math.Min(_lowLink[name], targetIndex);
                }
            }

            if (_lowLink[name] != _index[name])
            {
                return;
            }
            var component = new List<string>();
            string member;
            do
            {
                member = _stack.Pop();
                _onStack.Remove(member);
                component.Add(member);
            }
            while (member != name);
            component.Sort(StringComparer.Ordinal);
            _components.Add(component);
        }
    }
}
