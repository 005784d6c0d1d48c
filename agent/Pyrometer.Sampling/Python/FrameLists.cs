namespace Pyrometer.Sampling.Python;

/// <summary>Stack comparison for reuse: frames are cached and shared, so an unchanged stack holds the same instances.</summary>
internal static class FrameLists
{
    public static bool SameInstances(IReadOnlyList<PythonFrame> left, IReadOnlyList<PythonFrame> right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }
        for (var i = 0; i < left.Count; i++)
        {
            if (!ReferenceEquals(left[i], right[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Same frame addresses too: the same code run by another task is another stack.</summary>
    public static bool SameAddresses(IReadOnlyList<ulong>? left, IReadOnlyList<ulong> right)
    {
        if (left is null || left.Count != right.Count)
        {
            return left is null && right.Count == 0;
        }
        for (var i = 0; i < left.Count; i++)
        {
            if (left[i] != right[i])
            {
                return false;
            }
        }
        return true;
    }
}
