using System.Text;

namespace Pyrometer.Operator.Tests.Architecture;

/// <summary>
/// Namespaces that all reach one another (a strongly connected component of more than one namespace),
/// with every edge between them: cutting enough of those edges breaks the cycle.
/// </summary>
internal sealed record NamespaceCycle(IReadOnlyList<string> Namespaces, IReadOnlyList<NamespaceEdge> Edges)
{
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("Cycle between ").AppendJoin(", ", Namespaces).Append(':');
        foreach (var edge in Edges)
        {
            text.Append("\n    ").Append(edge);
        }
        return text.ToString();
    }
}
