using Pyrometer.Kube.Api;
using Pyrometer.Operator.Storage;
using Pyrometer.Operator.Tests.Architecture.Fixtures.Left;
using Pyrometer.Operator.Tests.Architecture.Fixtures.Right;

namespace Pyrometer.Operator.Tests.Architecture;

/// <summary>
/// Folders are the boundaries (issue #15): no two namespaces of one operator assembly may use each other,
/// directly or through others, anywhere in the compiled code.
/// </summary>
public sealed class NamespaceCycleTests
{
    // Pyrometer.Kube predates the rule. KubeApi (Api) sends through Http (KubeRequest, ResourcePath, KubeRetryHandler)
    // and parses watch streams with Watch types (WatchLineReader, WatchEventParser, WatchTimeouts); Http reads Api's
    // KubeApiOptions, KubeContent, ResourceInfo, ListScope and KubeResponseTooLargeException; Watch's ListWatcher drives
    // IKubeApi (with ListScope, KubeApiException) and uses Http's Backoff. Untangling it moves public types between
    // namespaces (issue #15). Until then these edges may stay, and no other: a new edge between Kube namespaces that
    // closes a loop fails, and so does removing one of these without updating the list.
    private static readonly string[] KnownKubeCycleEdges =
    [
        "Pyrometer.Kube.Api -> Pyrometer.Kube.Http",
        "Pyrometer.Kube.Api -> Pyrometer.Kube.Watch",
        "Pyrometer.Kube.Http -> Pyrometer.Kube.Api",
        "Pyrometer.Kube.Watch -> Pyrometer.Kube.Api",
        "Pyrometer.Kube.Watch -> Pyrometer.Kube.Http",
    ];

    [Theory]
    [InlineData(typeof(OperatorOptions))]    // pyrometer-operator
    [InlineData(typeof(IArtifactStore))]     // Pyrometer.Operator.Storage
    public void Assembly_OperatorCode_HasNoNamespaceCycle(Type marker)
    {
        var cycles = AssemblyNamespaceGraph.Read(marker.Assembly.Location).FindCycles();

        Assert.True(
            cycles.Count == 0,
            Report(marker, cycles, "move a type or invert a dependency so that references point one way"));
    }

    [Fact]
    public void Assembly_Kube_HasNoCycleBeyondTheKnownOne()
    {
        var cycles = AssemblyNamespaceGraph.Read(typeof(IKubeApi).Assembly.Location).FindCycles();

        var edges = cycles
            .SelectMany(cycle => cycle.Edges)
            .Select(edge => $"{edge.From} -> {edge.To}")
            .Order(StringComparer.Ordinal);
        Assert.True(
            edges.SequenceEqual(KnownKubeCycleEdges),
            Report(typeof(IKubeApi), cycles, $"only [{string.Join(", ", KnownKubeCycleEdges)}] are known; break a new edge, "
                + "or drop a fixed one from KnownKubeCycleEdges"));
    }

    [Fact]
    public void Read_OperatorAssembly_SeesReferencesBetweenNamespaces()
    {
        var graph = AssemblyNamespaceGraph.Read(typeof(OperatorOptions).Assembly.Location);

        // The reconciler reads ProfileRequests: without this edge the reader sees nothing and the checks above are empty.
        Assert.Contains(
            graph.Edges,
            edge => edge is { From: "Pyrometer.Operator.Controllers", To: "Pyrometer.Operator.Api.V1Alpha1" });
    }

    [Fact]
    public void Read_CycleOnlyInLambdaBodyAndGenericArgument_IsReported()
    {
        var left = typeof(LeftCaller).Namespace!;
        var right = typeof(RightCounter).Namespace!;

        var cycles = AssemblyNamespaceGraph.Read(typeof(LeftCaller).Assembly.Location).FindCycles();

        var cycle = Assert.Single(cycles, found => found.Namespaces.Contains(left));
        Assert.Equal([left, right], cycle.Namespaces);
        Assert.Collection(
            cycle.Edges,
            toRight =>
            {
                // The lambda lives in a compiler-generated nested type, counted toward LeftCaller's namespace.
                Assert.Equal((left, right), (toRight.From, toRight.To));
                Assert.StartsWith($"{typeof(LeftCaller).FullName}/", toRight.Example, StringComparison.Ordinal);
                var target = $"-> {typeof(RightCounter).FullName} (method <Counter>";
                Assert.Contains(target, toRight.Example, StringComparison.Ordinal);
            },
            toLeft =>
            {
                Assert.Equal((right, left), (toLeft.From, toLeft.To));
                Assert.Equal(
                    $"{typeof(RightCounter).FullName} -> {typeof(LeftCaller).FullName} (method Count body)",
                    toLeft.Example);
            });
    }

    [Fact]
    public void FindCycles_KnownCycles_ReportsEachWithItsEdgeExamples()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("A", "B", "A.One -> B.Two (field _two)");
        graph.AddEdge("B", "C", "B.Two -> C.Three (base type)");
        graph.AddEdge("C", "A", "C.Three -> A.One (method Stop body)");
        graph.AddEdge("C", "A", "C.Three -> A.One (method Run body)");    // ordinally smaller: kept whatever the order
        graph.AddEdge("D", "A", "D.Five -> A.One (field _one)");            // reaches the cycle but is not part of it
        graph.AddEdge("E", "F", "E.Six -> F.Seven (attribute)");
        graph.AddEdge("F", "E", "F.Seven -> E.Six (method Make)");
        graph.AddEdge("A", "A", "A.One -> A.Eight (field _eight)");

        var cycles = graph.FindCycles();

        Assert.Collection(
            cycles,
            abc =>
            {
                Assert.Equal(["A", "B", "C"], abc.Namespaces);
                Assert.Equal(
                    [
                        new NamespaceEdge("A", "B", "A.One -> B.Two (field _two)"),
                        new NamespaceEdge("B", "C", "B.Two -> C.Three (base type)"),
                        new NamespaceEdge("C", "A", "C.Three -> A.One (method Run body)"),
                    ],
                    abc.Edges);
                Assert.Equal(
                    "Cycle between A, B, C:\n    A -> B: A.One -> B.Two (field _two)\n    B -> C: B.Two -> C.Three (base type)"
                    + "\n    C -> A: C.Three -> A.One (method Run body)",
                    abc.Describe());
            },
            ef => Assert.Equal(
                [
                    new NamespaceEdge("E", "F", "E.Six -> F.Seven (attribute)"),
                    new NamespaceEdge("F", "E", "F.Seven -> E.Six (method Make)"),
                ],
                ef.Edges));
    }

    [Fact]
    public void FindCycles_LayeredGraph_ReportsNone()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("Controllers", "Api", "Controllers.Reconciler -> Api.Request (field _request)");
        graph.AddEdge("Controllers", "Injection", "Controllers.Reconciler -> Injection.Injector (field _injector)");
        graph.AddEdge("Injection", "Api", "Injection.Injector -> Api.Request (method Inject)");
        graph.AddEdge("Runtime", "Controllers", "Runtime.Host -> Controllers.Reconciler (method Build body)");
        graph.AddEdge("Api", "Api", "Api.Request -> Api.Spec (field _spec)");

        Assert.Equal(4, graph.EdgeCount);
        Assert.Empty(graph.FindCycles());
    }

    private static string Report(Type marker, IReadOnlyList<NamespaceCycle> cycles, string advice) =>
        $"{marker.Assembly.GetName().Name} has {cycles.Count} namespace cycle(s); {advice}. One example reference per edge:\n"
        + string.Join("\n", cycles.Select(cycle => cycle.Describe()));
}
