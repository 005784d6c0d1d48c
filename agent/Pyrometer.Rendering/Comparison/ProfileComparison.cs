using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Comparison;

/// <summary>
/// Compares two profiles function by function (function name and file, whatever the line), in shares of each
/// profile's own samples. A function missing from one side has a share of 0 there.
/// </summary>
public static class ProfileComparison
{
    /// <summary>Every function of <paramref name="before"/> and <paramref name="after"/> with its share in each, ordered by name then file.</summary>
    public static ProfileChanges Compare(Profile before, Profile after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var first = Shares(before);
        var second = Shares(after);
        var functions = new List<FunctionChange>();
        foreach (var key in first.Keys.Union(second.Keys).Order(KeyOrder.Instance))
        {
            var b = first.GetValueOrDefault(key, Empty);
            var a = second.GetValueOrDefault(key, Empty);
            functions.Add(new FunctionChange(
                key.Function, key.File,
                b.SelfSamples, a.SelfSamples, b.TotalSamples, a.TotalSamples,
                b.SelfPercent, a.SelfPercent, b.TotalPercent, a.TotalPercent));
        }
        return new ProfileChanges(before.TotalSamples, after.TotalSamples, functions);
    }

    private static readonly FunctionShare Empty = new("", "", 0, 0, 0, 0, 0);

    // Total order lists every function on any stack, including callers that never ran themselves.
    private static Dictionary<(string Function, string File), FunctionShare> Shares(Profile profile) =>
        ProfileSummary.TopFunctions(profile, int.MaxValue, ShareOrder.Total).ToDictionary(s => (s.Function, s.File));

    private sealed class KeyOrder : IComparer<(string Function, string File)>
    {
        public static KeyOrder Instance { get; } = new();

        public int Compare((string Function, string File) x, (string Function, string File) y)
        {
            var byName = string.CompareOrdinal(x.Function, y.Function);
            return byName != 0 ? byName : string.CompareOrdinal(x.File, y.File);
        }
    }
}
