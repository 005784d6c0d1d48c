using System.Globalization;
using System.Runtime.InteropServices;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// How long ago a process started, from its kernel start time (clock ticks since boot, field 22 of
/// /proc/PID/stat) and /proc/uptime. Resolution is one clock tick (10 ms on Linux).
/// </summary>
internal static partial class ProcessAge
{
    private const int ScClockTicks = 2;
    private static readonly double TicksPerSecond = ReadTicksPerSecond();

    /// <summary>The age, or null when /proc/uptime is unreadable.</summary>
    public static TimeSpan? Of(ulong startTimeTicks, string procRoot = "/proc")
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(procRoot, "uptime"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var first = text.Split(' ', 2)[0];
        if (!double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var uptime))
        {
            return null;
        }
        var age = uptime - (startTimeTicks / TicksPerSecond);
        return TimeSpan.FromSeconds(Math.Max(0, age));
    }

    private static double ReadTicksPerSecond()
    {
        var ticks = Sysconf(ScClockTicks);
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long Sysconf(int name);
}
