using System.Buffers.Text;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Parses /proc/PID/task/TID/schedstat (CPU time and run-queue wait) and the NSpid line of status, which
/// maps a thread's id in its own PID namespace to ours. Pure functions.
/// </summary>
internal static class ProcSchedParser
{
    /// <summary>Most ids an NSpid line may list: PID namespaces nest at most 32 deep.</summary>
    private const int MaxNamespaceLevels = 32;

    /// <summary>
    /// schedstat is "ns on a CPU, ns waiting on a run queue, times switched in". The count is not used: newer
    /// kernels skip it for some switches (measured), while the two times add up to the thread's whole
    /// runnable life.
    /// </summary>
    public static bool TryParseSchedstat(ReadOnlySpan<byte> text, out ulong runtime, out ulong waited)
    {
        waited = 0;
        return TryNumber(ref text, out runtime) && TryNumber(ref text, out waited) && TryNumber(ref text, out _);
    }

    /// <summary>
    /// The NSpid line of status: the thread's id in our PID namespace (first) and in its own (last). A line
    /// with one id, or none (kernels before 4.1), means both are the same.
    /// </summary>
    public static bool TryParseNsPid(ReadOnlySpan<byte> text, out int outer, out int inner)
    {
        outer = inner = 0;
        var at = Field(text, "\nNSpid:"u8);
        if (at < 0)
        {
            return false;
        }
        var line = text[at..];
        var end = line.IndexOf((byte)'\n');
        if (end >= 0)
        {
            line = line[..end];
        }
        for (var level = 0; level < MaxNamespaceLevels && TryNumber(ref line, out var id); level++)
        {
            if (id is 0 or > int.MaxValue)
            {
                return false;
            }
            if (level == 0)
            {
                outer = (int)id;
            }
            inner = (int)id;
        }
        return outer != 0;
    }

    /// <summary>Where the value after <paramref name="name"/> starts, or -1.</summary>
    private static int Field(ReadOnlySpan<byte> text, ReadOnlySpan<byte> name)
    {
        var at = text.IndexOf(name);
        return at < 0 ? -1 : at + name.Length;
    }

    /// <summary>Skips blanks, reads one unsigned decimal number and moves past it.</summary>
    private static bool TryNumber(ref ReadOnlySpan<byte> text, out ulong value)
    {
        text = text.TrimStart(" \t"u8);
        if (!Utf8Parser.TryParse(text, out value, out var consumed) || consumed == 0)
        {
            return false;
        }
        text = text[consumed..];
        return true;
    }
}
