namespace Pyrometer.Kube.Testing;

/// <summary>One equality-based selector term (<c>k=v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>) as the fake server understands it.</summary>
internal sealed record SelectorTerm(string Key, string? Value, bool Negated)
{
    public static SelectorTerm Parse(string term)
    {
        var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            return new SelectorTerm(term[..notEqual], term[(notEqual + 2)..], true);
        }
        var equal = term.IndexOf('=', StringComparison.Ordinal);
        if (equal > 0)
        {
            return new SelectorTerm(term[..equal], term[(equal + 1)..].TrimStart('='), false);
        }
        return term.StartsWith('!') ? new SelectorTerm(term[1..], null, true) : new SelectorTerm(term, null, false);
    }

    public bool Matches(string? actual) =>
        Value is null ? (actual is not null) != Negated : (actual == Value) != Negated;
}
