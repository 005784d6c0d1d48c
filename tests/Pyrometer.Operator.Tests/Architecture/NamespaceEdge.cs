namespace Pyrometer.Operator.Tests.Architecture;

/// <summary>
/// One namespace using another, with one reference that proves it (for example
/// "A.Foo -> B.Bar (field _bar)") so whoever breaks a cycle knows where to look.
/// </summary>
internal sealed record NamespaceEdge(string From, string To, string Example)
{
    public override string ToString() => $"{From} -> {To}: {Example}";
}
