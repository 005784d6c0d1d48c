namespace Pyrometer.Rendering.Comparison;

/// <summary>
/// Every function of two profiles with its change (<see cref="Functions"/>, ordered by name then file) and the
/// ones whose share grew or shrank, biggest change first.
/// </summary>
public sealed record ProfileChanges(long BeforeSamples, long AfterSamples, IReadOnlyList<FunctionChange> Functions)
{
    /// <summary>Functions with a positive <see cref="FunctionChange.Change"/>, the largest first.</summary>
    public IReadOnlyList<FunctionChange> Grew { get; } = Ranked(Functions, grew: true);

    /// <summary>Functions with a negative <see cref="FunctionChange.Change"/>, the largest drop first.</summary>
    public IReadOnlyList<FunctionChange> Shrank { get; } = Ranked(Functions, grew: false);

    private static List<FunctionChange> Ranked(IReadOnlyList<FunctionChange> functions, bool grew)
    {
        var sign = grew ? 1 : -1;
        // Ties: the larger self change first (the function that itself got slower before the callers it made
        // slower), then name and file so the order is the same on every run.
        return functions
            .Where(f => sign * f.Change > 0)
            .OrderByDescending(f => sign * f.Change)
            .ThenByDescending(f => sign * f.SelfChange)
            .ThenBy(f => f.Function, StringComparer.Ordinal)
            .ThenBy(f => f.File, StringComparer.Ordinal)
            .ToList();
    }
}
