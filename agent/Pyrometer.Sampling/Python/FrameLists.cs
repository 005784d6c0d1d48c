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
}
