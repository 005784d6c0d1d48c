using System.Globalization;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Session;

/// <summary>CPU time a process has used, from <c>/proc/PID/stat</c> (utime + stime, in clock ticks).</summary>
internal static class ProcessCpu
{
    /// <summary>Clock ticks per second: USER_HZ, 100 on every Linux architecture we run on.</summary>
    public const int TicksPerSecond = 100;

    // utime and stime are fields 14 and 15, i.e. 11 and 12 after the last ')' (comm may hold spaces and parentheses).
    private const int UserTimeIndex = 11;

    public static long? TryReadTicks(ProcFs procFs, int processId)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(procFs.ProcessDirectory(processId), "stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var close = text.LastIndexOf(')');
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (close < 0 || fields.Length <= UserTimeIndex + 1
            || !long.TryParse(fields[UserTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[UserTimeIndex + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return null;
        }
        return user + system;
    }
}
